"""Formats with their own check (`zsa:format`) and messages that name the expected format."""
import re

from schwifty import IBAN
from schwifty.exceptions import InvalidChecksumDigits, SchwiftyException

from .messages import IBAN as IBAN_CHECKSUM, IBAN_FORMAT, PATTERN, PATTERN_EXPECTED

_DIGITS_RE = re.compile(r"^\^?\[0-9\]\{(\d+)(?:,(\d+))?\}\$?$|^\^?\\d\{(\d+)(?:,(\d+))?\}\$?$")


def compact_iban(value):
    """"de02 1203 0000 …" -> "DE021203000…" (IBANs are stored without spaces, upper case)."""
    return re.sub(r"\s+", "", value).upper()


def check_iban(value):
    """None for a valid IBAN (ISO 13616: country, length, mod-97 checksum), else the German message."""
    try:
        IBAN(value)
    except InvalidChecksumDigits:
        return IBAN_CHECKSUM
    except SchwiftyException:
        return IBAN_FORMAT
    return None


def pattern_message(f):
    """The modeller's `zsa:pattern-message`, else the expected form read off a digits-only pattern."""
    if f.pattern_message:
        return f.pattern_message
    match = _DIGITS_RE.match(f.pattern or "")
    if match:
        low, high = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        what = f"{low} Ziffern" if not high else f"{low} bis {high} Ziffern"
        return PATTERN_EXPECTED.format(what=what)
    return PATTERN
