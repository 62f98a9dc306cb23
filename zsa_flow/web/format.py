"""German display formats for people: money, numbers, dates, date-times, yes/no — and their Jinja filters.

Pure functions (no Flask needed) so services, templates and tests format alike:
`money("500.00") == "500,00 €"`, `number(1000000) == "1.000.000"`, `date("2026-11-29") == "29.11.2026"`,
`date_time("2026-11-29T13:05:00+00:00") == "29.11.2026, 14:05 Uhr"` (German local time).
`auto(value)` picks the format from the value itself: booleans, ISO dates and date-times, money
strings with two decimals (the script-function contract: money leaves the rules as `"691.60"`), other
decimal strings (Rechenweg factors) and numbers.
"""
import re
from datetime import date as date_type, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Berlin")
EMPTY = "–"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
MONEY_TEXT = re.compile(r"^-?\d+\.\d{2}$")
DECIMAL_TEXT = re.compile(r"^-?\d+\.\d+$")


def _decimal(value):
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def _group(digits: str) -> str:
    """'1000000' -> '1.000.000' (German thousands separator)."""
    head, rest = digits[: len(digits) % 3 or 3], digits[len(digits) % 3 or 3:]
    return ".".join([head] + [rest[i:i + 3] for i in range(0, len(rest), 3)])


def number(value, decimals=None) -> str:
    """German number: '1.000.000', '450,5', with `decimals` fixed places ('450,50'); '–' when empty."""
    amount = _decimal(value)
    if amount is None:
        return EMPTY if value in (None, "") else str(value)
    if decimals is not None:
        amount = amount.quantize(Decimal(1).scaleb(-decimals))
    elif amount == amount.to_integral_value():
        amount = amount.quantize(Decimal(1))
    else:
        amount = amount.normalize()
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):f}".partition(".")
    return sign + _group(whole) + ("," + fraction if fraction else "")


def money(value) -> str:
    """'500.00' / 500 / Decimal('500') -> '500,00 €'; '–' when empty."""
    text = number(value, decimals=2)
    return text if text == EMPTY or _decimal(value) is None else f"{text} €"


def _moment(value):
    if value in (None, ""):
        return None
    if isinstance(value, (datetime, date_type)):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def date(value) -> str:
    """ISO date or date-time -> '29.11.2026' (a date-time in German local time)."""
    moment = _moment(value)
    if moment is None:
        return EMPTY if value in (None, "") else str(value)
    if isinstance(moment, datetime) and moment.tzinfo:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.strftime("%d.%m.%Y")


def date_time(value) -> str:
    """ISO date-time -> '29.11.2026, 14:05 Uhr' in German local time (naive values are taken as local)."""
    moment = _moment(value)
    if moment is None:
        return EMPTY if value in (None, "") else str(value)
    if not isinstance(moment, datetime):
        return date(moment)
    if moment.tzinfo:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.strftime("%d.%m.%Y, %H:%M Uhr")


def iso_local(value) -> str:
    """Machine-readable local time for <time datetime=…>."""
    moment = _moment(value)
    if isinstance(moment, datetime) and moment.tzinfo:
        moment = moment.astimezone(LOCAL_TZ)
    return moment.isoformat(timespec="minutes") if isinstance(moment, datetime) else (
        moment.isoformat() if moment else "")


def yes_no(value) -> str:
    return "Ja" if value else "Nein"


def auto(value, kind=None) -> str:
    """A leaf value for people. `kind` ('money', 'number', 'date', 'datetime', 'text') overrides the guess."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if kind == "money":
        return money(value)
    if kind == "number":
        return number(value)
    if kind == "date":
        return date(value)
    if kind == "datetime":
        return date_time(value)
    if isinstance(value, (int, float, Decimal)):
        return number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(auto(item) for item in value) or EMPTY
    text = str(value)
    if kind == "text":
        return text
    if ISO_DATE.match(text):
        return date(text)
    if ISO_DATETIME.match(text) and _moment(text) is not None:
        return date_time(text)
    if MONEY_TEXT.match(text):
        return money(text)
    if DECIMAL_TEXT.match(text):  # a factor of a Rechenweg ("0.0637")
        return number(text)
    return text


def init_app(app):
    """Register the formats as Jinja filters: money, number, de_date, de_datetime, iso_local, display, group_names."""
    app.add_template_filter(money, "money")
    app.add_template_filter(number, "number")
    app.add_template_filter(date, "de_date")
    app.add_template_filter(date_time, "de_datetime")
    app.add_template_filter(iso_local, "iso_local")
    app.add_template_filter(auto, "display")
    app.add_template_filter(group_names, "group_names")


def group_names(groups) -> str:
    """Candidate group ids -> their display names (data/gruppen.json), comma separated; '–' for none."""
    from ..services.reference import group_names as names

    known = names()
    return ", ".join(known.get(g, g) for g in groups or ()) or EMPTY
