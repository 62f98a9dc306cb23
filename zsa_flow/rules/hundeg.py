"""HundeG LSA checks: transponder number, insurance minimums, dangerous breeds, age-based duties.

The breed list is the decision table `gefaehrliche_rassen.dmn` (editable in Camunda Modeler);
this module only normalises the spelling before asking it. Minimum sums and ages come from
`params/hundeg-lsa.json`, valid ISO 3166 country codes from `params/iso3166-numerisch.json`.
"""
import json
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache

from . import inputs as inp
from .daten import alter_jahre, volle_monate
from .decisions import evaluate_first
from .params import PARAMS_DIR

RASSEN_DMN = "gefaehrliche_rassen.dmn"
_TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


@lru_cache(maxsize=None)
def _data(name: str) -> dict:
    return json.loads((PARAMS_DIR / name).read_text(encoding="utf-8"))


def gesetz() -> dict:
    """The HundeG LSA parameters (minimum sums, ages, references)."""
    return _data("hundeg-lsa.json")


def rasse_normalisieren(rasse: str) -> str:
    """Lower case, umlauts transliterated, accents dropped, every non-letter removed.

    'Pit-Bull Terrier' → 'pitbullterrier', 'Bullterrier-Mischling' → 'bullterriermischling'.
    """
    text = "".join(_TRANSLIT.get(ch, ch) for ch in str(rasse).lower())
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", text.encode("ascii", "ignore").decode())


def rasse_einstufen(rasse) -> dict:
    """Classify a breed text: `{"gefaehrlich", "gelistete_rasse", "normalisiert"}` (§ 3 Abs. 2)."""
    if not isinstance(rasse, str) or not rasse.strip():
        raise inp.invalid("rasse", "Rasse oder Kreuzung muss angegeben werden")
    key = rasse_normalisieren(rasse)
    row = evaluate_first(RASSEN_DMN, "gefaehrliche_rasse", {"rasse": key}) or {}
    return {
        "gefaehrlich": bool(row.get("gefaehrlich")),
        "gelistete_rasse": row.get("gelistete_rasse") or None,
        "normalisiert": key,
    }


def transponder_pruefen(nummer) -> str | None:
    """None if `nummer` is a valid ISO 11784 transponder number, else the German reason."""
    rules = gesetz()["kennzeichnung"]
    if not isinstance(nummer, str):
        return "Transpondernummer fehlt"
    digits = re.sub(r"[\s.-]", "", nummer)
    if not digits.isdigit() or len(digits) != rules["ziffern"]:
        return f"Transpondernummer muss aus genau {rules['ziffern']} Ziffern bestehen"
    code = int(digits[:3])
    low, high = rules["herstellercodes"]
    if low <= code <= high:
        return None
    if digits[:3] in _data("iso3166-numerisch.json")["codes"]:
        return None
    return (f"Die ersten drei Ziffern ({digits[:3]}) sind weder ein Ländercode nach ISO 3166 "
            f"noch ein Herstellercode ({low}–{high})")


def versicherung_pruefen(personen_sach, vermoegen) -> dict:
    """Compare cover sums with the statutory minimums: `{field: German message}` for shortfalls."""
    rules = gesetz()["versicherung"]
    problems = {}
    for field, value, key, what in (
        ("deckung_personen_sach", personen_sach, "personen_sachschaeden_mindestens", "Personen- und Sachschäden"),
        ("deckung_vermoegen", vermoegen, "vermoegensschaeden_mindestens", "Vermögensschäden"),
    ):
        amount = inp.money(value, field)
        minimum = Decimal(rules[key])
        if amount < minimum:
            problems[field] = f"Deckungssumme für {what} mindestens {minimum:,.0f} € erforderlich".replace(",", ".")
    return problems


def pflichten_nach_alter(geburtsdatum_hund: date, stichtag: date) -> dict:
    """Age-based duties of a dog on `stichtag`: chip from 6 months, insurance from 3 months."""
    months = volle_monate(geburtsdatum_hund, stichtag)
    law = gesetz()
    return {
        "alter_monate": months,
        "chip_pflicht": months >= law["kennzeichnung"]["ab_alter_monate"],
        "versicherung_pflicht": months >= law["versicherung"]["ab_alter_monate"],
    }


def halter_volljaehrig(geburtsdatum: date, stichtag: date) -> bool:
    """Keeper is at least 18 (minimum age for keeping a dangerous dog)."""
    return alter_jahre(geburtsdatum, stichtag) >= gesetz()["gefaehrliche_hunde"]["halter_mindestalter_jahre"]


def pruefen(daten: dict) -> dict:
    """All HundeG LSA checks for one registration; returns `{"ok", "maengel", "gefaehrlich", ...}`.

    Input keys: stichtag, rasse, geburtsdatum_hund, transponder (needed from 6 months),
    deckung_personen_sach / deckung_vermoegen (needed from 3 months), halter_geburtsdatum,
    gefaehrlich_einzelfall (optional bool: dangerous by behaviour, § 3 Abs. 3).
    """
    daten = inp.require_dict(daten, "daten")
    stichtag = inp.iso_date(inp.get(daten, "stichtag", "stichtag"), "stichtag")
    born = inp.iso_date(inp.get(daten, "geburtsdatum_hund", "geburtsdatum_hund"), "geburtsdatum_hund")
    if born > stichtag:
        raise inp.invalid("geburtsdatum_hund", "liegt nach dem Stichtag")
    breed = rasse_einstufen(daten.get("rasse"))
    einzelfall = inp.boolean(inp.get(daten, "gefaehrlich_einzelfall", "gefaehrlich_einzelfall", False),
                             "gefaehrlich_einzelfall")
    duties = pflichten_nach_alter(born, stichtag)
    law = gesetz()
    maengel = {}
    if duties["chip_pflicht"] or daten.get("transponder"):
        problem = transponder_pruefen(daten.get("transponder"))
        if problem:
            maengel["transponder"] = problem
    if duties["versicherung_pflicht"]:
        for field in ("deckung_personen_sach", "deckung_vermoegen"):
            if daten.get(field) is None:
                maengel[field] = "Nachweis der Haftpflichtversicherung fehlt"
        if not maengel.keys() & {"deckung_personen_sach", "deckung_vermoegen"}:
            maengel.update(versicherung_pruefen(daten["deckung_personen_sach"], daten["deckung_vermoegen"]))
    gefaehrlich = breed["gefaehrlich"] or einzelfall
    if gefaehrlich:
        keeper = daten.get("halter_geburtsdatum")
        if keeper is None:
            maengel["halter_geburtsdatum"] = "Geburtsdatum des Halters fehlt (Mindestalter für gefährliche Hunde)"
        elif not halter_volljaehrig(inp.iso_date(keeper, "halter_geburtsdatum"), stichtag):
            age = law["gefaehrliche_hunde"]["halter_mindestalter_jahre"]
            maengel["halter_geburtsdatum"] = f"Halter eines gefährlichen Hundes muss mindestens {age} Jahre alt sein"
    return {
        "ok": not maengel,
        "maengel": maengel,
        "gefaehrlich": gefaehrlich,
        "gefaehrlich_nach_rasse": breed["gefaehrlich"],
        "gelistete_rasse": breed["gelistete_rasse"],
        "erlaubnis_erforderlich": gefaehrlich,
        **duties,
    }
