"""Mietstufe (rent level I–VII) from the input or from the date-versioned AGS table (WoGV Anlage)."""
from datetime import date

from .inputs import ags as read_ags, invalid
from .params import in_force

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7}
ROMAN_OF = {v: k for k, v in ROMAN.items()}


def parse_mietstufe(value, field: str = "mietstufe") -> int:
    """1–7 as int, digit string or Roman numeral ('III'); anything else names the field."""
    if isinstance(value, str):
        text = value.strip().upper()
        if text in ROMAN:
            return ROMAN[text]
        if text.isdigit():
            value = int(text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 7:
        return value
    raise invalid(field, f"unbekannte Mietstufe {value!r} (erlaubt: 1–7 bzw. I–VII)")


def mietstufe_fuer_ags(ags_value, stichtag: date, field: str = "ags") -> dict:
    """Look the Mietstufe up: `{"mietstufe", "quelle", "name", "ref", "rechtsstand"}`."""
    code = read_ags(ags_value, field)
    table = in_force("mietstufen", stichtag, "stichtag")
    entry = table["gemeinden"].get(code)
    source = "Gemeinde"
    if entry is None:
        entry = table.get("kreise", {}).get(code[:5])
        source = "Kreis"
    if entry is None:
        if not code.startswith("15"):
            raise invalid(field, f"Gemeinde {code} liegt nicht in Sachsen-Anhalt; bitte 'mietstufe' angeben")
        raise invalid(field, f"für Gemeinde {code} ist keine Mietstufe hinterlegt; bitte 'mietstufe' angeben")
    return {
        "mietstufe": parse_mietstufe(entry["mietstufe"], f"mietstufen[{code}]"),
        "quelle": source,
        "name": entry.get("name", code),
        "ref": table["ref"],
        "rechtsstand": table["gueltig_ab"],
    }
