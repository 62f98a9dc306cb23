"""Reading JSON-like input for the domain rules: strict types, German messages naming the field.

Every reader raises `ValidationFailed` with `details={"fields": {field: message}}` and a message
that starts with the field name, so the CLI prints one clear line and the API returns a field map.
Money is converted to `Decimal` via `str()`, never through float arithmetic.
"""
from datetime import date
from decimal import Decimal, InvalidOperation

from ..errors import ValidationFailed

_MISSING = object()
CENT = Decimal("0.01")


def invalid(field: str, message: str) -> ValidationFailed:
    """The one error type for bad rule input (message names the field)."""
    return ValidationFailed(f"{field}: {message}", details={"fields": {field: message}})


def require_dict(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise invalid(field, "muss ein JSON-Objekt sein")
    return value


def get(data: dict, key: str, field: str, default=_MISSING):
    """data[key]; a missing (or null without default) required key is an error."""
    if key not in data or (data[key] is None and default is _MISSING):
        if default is _MISSING:
            raise invalid(field, "Pflichtangabe fehlt")
        return default
    value = data[key]
    return default if value is None else value


def money(value, field: str, *, allow_negative: bool = False, places: int = 2) -> Decimal:
    """A euro amount (JSON number or numeric string) with at most `places` decimals."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise invalid(field, "muss ein Geldbetrag (Zahl) sein")
    try:
        amount = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise invalid(field, f"{value!r} ist kein gültiger Betrag") from None
    if not amount.is_finite():
        raise invalid(field, "muss ein endlicher Betrag sein")
    if amount < 0 and not allow_negative:
        raise invalid(field, "darf nicht negativ sein")
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise invalid(field, f"höchstens {places} Nachkommastellen erlaubt")
    if abs(amount) >= Decimal("1e12"):
        raise invalid(field, "Betrag ist unplausibel hoch")
    return amount


def boolean(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field, "muss true oder false sein")
    return value


def integer(value, field: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise invalid(field, "muss eine ganze Zahl sein")
    if minimum is not None and value < minimum:
        raise invalid(field, f"muss mindestens {minimum} sein")
    if maximum is not None and value > maximum:
        raise invalid(field, f"darf höchstens {maximum} sein")
    return value


def iso_date(value, field: str) -> date:
    """An ISO date 'YYYY-MM-DD' (a datetime string is cut to its date part)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise invalid(field, "muss ein Datum im Format JJJJ-MM-TT sein")
    text = value.strip()[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid(field, f"{value!r} ist kein gültiges Datum (JJJJ-MM-TT)") from None


def ags(value, field: str = "ags") -> str:
    """An 8-digit Amtlicher Gemeindeschlüssel."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if len(text) != 8 or not text.isdigit():
        raise invalid(field, "muss ein 8-stelliger Amtlicher Gemeindeschlüssel sein (z. B. 15003000)")
    return text


def choice(value, field: str, allowed) -> str:
    if value not in allowed:
        listed = ", ".join(str(a) for a in allowed)
        raise invalid(field, f"unbekannter Wert {value!r} (erlaubt: {listed})")
    return value


def euro_str(amount: Decimal) -> str:
    """Money out: a string with two decimals ('691.60')."""
    return str(amount.quantize(CENT))
