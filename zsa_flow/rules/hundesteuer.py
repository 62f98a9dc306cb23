"""Hundesteuer: annual tax per municipality, prorated first year and instalments.

Rates, exemptions and reductions come from the DMN file `hundesteuer.dmn` (decisions
`hundesteuer_satz` and `hundesteuer_verguenstigung`, editable in Camunda Modeler); proration and
due dates per municipality from `params/hundesteuer-kommunen.json`. Entry point:
`berechne(eingabe) -> dict` (JSON-ready, money as two-decimal strings).
"""
import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from . import inputs as inp
from .daten import monatserster, monatsletzter, plus_monate
from .decisions import evaluate_first
from .params import PARAMS_DIR
from .rechenweg import Rechenweg, euro_de

DMN_FILE = "hundesteuer.dmn"
KNOWN = {"ags", "stichtag", "anzahl_hunde_bereits", "gefaehrlich", "befreiung", "befreiung_anerkannt", "ende"}


@lru_cache(maxsize=None)
def einstellungen() -> dict:
    """The municipality settings (proration, due dates, exemption kinds)."""
    return json.loads((PARAMS_DIR / "hundesteuer-kommunen.json").read_text(encoding="utf-8"))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(inp.CENT, rounding=ROUND_HALF_UP)


def _parse(eingabe) -> dict:
    data = inp.require_dict(eingabe, "eingabe")
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise inp.invalid(unknown[0], "unbekanntes Feld")
    settings = einstellungen()
    ags = inp.ags(inp.get(data, "ags", "ags"))
    if ags not in settings["kommunen"]:
        raise inp.invalid("ags", f"für Gemeinde {ags} ist keine Hundesteuersatzung hinterlegt")
    befreiung = data.get("befreiung")
    if befreiung == "keine":  # the application form's "nothing applied for"
        befreiung = None
    if befreiung is not None:
        inp.choice(befreiung, "befreiung", list(settings["befreiungsarten"]))
    anerkannt = data.get("befreiung_anerkannt")
    anerkannt = True if anerkannt is None else inp.boolean(anerkannt, "befreiung_anerkannt")
    stichtag = inp.iso_date(inp.get(data, "stichtag", "stichtag"), "stichtag")
    ende = data.get("ende")
    ende = None if ende is None else inp.iso_date(ende, "ende")
    if ende is not None and ende < stichtag:
        raise inp.invalid("ende", "liegt vor dem Beginn der Hundehaltung (stichtag)")
    return {
        "ags": ags,
        "stichtag": stichtag,
        "ende": ende,
        "bereits": inp.integer(inp.get(data, "anzahl_hunde_bereits", "anzahl_hunde_bereits"), "anzahl_hunde_bereits",
                               minimum=0, maximum=100),
        "gefaehrlich": inp.boolean(inp.get(data, "gefaehrlich", "gefaehrlich"), "gefaehrlich"),
        "befreiung": befreiung,
        "anerkannt": anerkannt,
        "kommune": settings["kommunen"][ags],
    }


def steuermonate(kommune: dict, stichtag: date, ende: date | None) -> list[int]:
    """Months (1–12) of the Stichtag's year in which tax is owed, per the municipality's rule."""
    rule = kommune["anteilig"]
    first = stichtag.month + (1 if rule["beginn"] == "folgemonat" else 0)
    last = 12
    if ende is not None and ende.year == stichtag.year:
        last = ende.month - (1 if rule["ende"] == "vormonat" else 0)
    return list(range(first, min(last, 12) + 1))


def raten(kommune: dict, jahressteuer: Decimal, monate: list[int], stichtag: date) -> list[dict]:
    """Instalments of the first year: each due date covers an equal block of months.

    Amounts are rounded cumulatively so they add up exactly to the prorated annual amount. A due
    date already past on the Stichtag moves `nachzahlung_monate` months after it; instalments
    falling due on the same day are merged.
    """
    termine = kommune["zahlung"]["termine"]
    block = 12 // len(termine)
    year = stichtag.year
    owed = set(monate)
    result, paid, covered = [], Decimal(0), 0
    for i, termin in enumerate(termine):
        months = [m for m in range(i * block + 1, (i + 1) * block + 1) if m in owed]
        if not months:
            continue
        covered += len(months)
        amount = _cents(jahressteuer * covered / 12) - paid
        paid += amount
        due = date.fromisoformat(f"{year}-{termin}")
        if due < stichtag:
            due = plus_monate(stichtag, kommune["nachzahlung_monate"])
        if result and result[-1]["faellig"] == due.isoformat():
            result[-1]["betrag"] = inp.euro_str(Decimal(result[-1]["betrag"]) + amount)
            result[-1]["monate"] += months
        elif amount > 0:
            result.append({"faellig": due.isoformat(), "betrag": inp.euro_str(amount), "monate": months})
    return result


def _beginn(monate: list[int], year: int, ende: date | None) -> str | None:
    if monate:
        return monatserster(year, monate[0]).isoformat()
    return None if ende is not None else monatserster(year + 1, 1).isoformat()


def _verguenstigung(rw, d, verg, prozent, jahressatz, satzung, hinweise):
    """Rechenweg steps that say whether a requested exemption or reduction applies, and why (not)."""
    if not d["befreiung"]:
        return
    art = einstellungen()["befreiungsarten"][d["befreiung"]]
    beantragt = f"Beantragt: {art}"
    if not d["anerkannt"]:
        rw.add("verguenstigung", beantragt, "keine Ermäßigung – Nachweis nicht anerkannt", "Prüfung des Nachweises",
               raw=True)
        hinweise.append(f"Für '{art}' wurde der Nachweis nicht anerkannt; die Steuer gilt ohne Ermäßigung.")
        return
    if prozent:
        rw.add("verguenstigung", f"{verg['art']}: {verg['grundlage']}", f"{prozent} %", satzung, raw=True)
        rw.add("verguenstigung_betrag", f"abzüglich {verg['art']} ({prozent} % von {euro_de(jahressatz)} €)",
               -_cents(jahressatz * prozent / 100), satzung)
        return
    warum = ("nicht für gefährliche Hunde" if d["gefaehrlich"] and _gilt_sonst(d)
             else "die Satzung sieht dafür keine Befreiung oder Ermäßigung vor")
    rw.add("verguenstigung", beantragt, f"keine Ermäßigung – {warum}", satzung, raw=True)
    hinweise.append(f"Die Satzung sieht für '{art}' keine Befreiung oder Ermäßigung vor"
                    + (" (nicht für gefährliche Hunde)." if d["gefaehrlich"] else "."))


def _gilt_sonst(d) -> bool:
    """Whether the Satzung grants the exemption to a dog that is not dangerous."""
    context = {"ags": d["ags"], "stichtag": d["stichtag"], "position": d["bereits"] + 1, "gefaehrlich": False,
               "befreiung": d["befreiung"]}
    return bool((evaluate_first(DMN_FILE, "hundesteuer_verguenstigung", context) or {}).get("ermaessigung_prozent"))


def berechne(eingabe: dict) -> dict:
    """Annual Hundesteuer, prorated amount for the Stichtag's year and instalments."""
    d = _parse(eingabe)
    kommune, rw, hinweise = d["kommune"], Rechenweg(), []
    satzung = f"Hundesteuersatzung {kommune['name']}"
    position = d["bereits"] + 1
    angewandt = d["befreiung"] if d["anerkannt"] else None
    context = {"ags": d["ags"], "stichtag": d["stichtag"], "position": position, "gefaehrlich": d["gefaehrlich"],
               "befreiung": angewandt or "keine"}
    satz = evaluate_first(DMN_FILE, "hundesteuer_satz", context)
    if not satz:
        raise inp.invalid("stichtag", f"für {kommune['name']} ist zum {d['stichtag'].isoformat()} kein Steuersatz hinterlegt")
    rw.add("position", "Position des Hundes beim Halter", position, satzung)
    jahressatz = rw.add("jahressatz", f"Jahressatz ({satz['tarif']})", Decimal(satz["jahressteuer"]), satzung)
    verg = evaluate_first(DMN_FILE, "hundesteuer_verguenstigung", context) or {}
    prozent = int(verg.get("ermaessigung_prozent") or 0) if angewandt else 0
    _verguenstigung(rw, d, verg, prozent, jahressatz, satzung, hinweise)
    jahressteuer = rw.add("jahressteuer", "Jahressteuer" + (f" nach {verg['art']}" if prozent else ""),
                          _cents(jahressatz * (100 - prozent) / 100), satzung)
    monate = steuermonate(kommune, d["stichtag"], d["ende"])
    year = d["stichtag"].year
    regel = "ab Folgemonat" if kommune["anteilig"]["beginn"] == "folgemonat" else "ab Monat der Anschaffung"
    rw.add("monate", f"Steuerpflichtige Monate {year} ({regel})", len(monate), satzung)
    betrag = rw.add("betrag_jahr", f"Steuer für {year} (Jahressteuer × {len(monate)}/12)", _cents(jahressteuer * len(monate) / 12), satzung)
    ended_this_year = d["ende"] is not None and d["ende"].year == year
    if kommune.get("beispieldaten"):
        hinweise.append(f"{kommune['name']}: Beispieldaten, keine echte Satzung.")
    return {
        "ags": d["ags"],
        "gemeinde": kommune["name"],
        "stichtag": d["stichtag"].isoformat(),
        "position": position,
        "gefaehrlich": d["gefaehrlich"],
        "tarif": satz["tarif"],
        "jahressatz": inp.euro_str(jahressatz),
        "ermaessigung_prozent": prozent,
        "verguenstigung": verg.get("art") if prozent else None,
        "jahressteuer": inp.euro_str(jahressteuer),
        "steuerpflicht_ab": _beginn(monate, year, d["ende"]),
        "steuerpflicht_bis": monatsletzter(year, monate[-1]).isoformat() if monate and ended_this_year else None,
        "monate": monate,
        "betrag_erstes_jahr": inp.euro_str(betrag),
        "zahlungsweise": kommune["zahlung"]["art"],
        "raten": raten(kommune, jahressteuer, monate, d["stichtag"]),
        "beispieldaten": bool(kommune.get("beispieldaten")),
        "rechenweg": list(rw),
        "hinweise": hinweise,
    }
