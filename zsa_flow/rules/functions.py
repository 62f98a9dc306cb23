"""SCRIPT_FUNCTIONS: the only Python callables BPMN scripts, gateway conditions, timer and due-date
expressions may call. All take and return JSON-compatible values (money out as "123.45" strings
or whole euros as int, dates as ISO strings). Bad input raises `ValidationFailed` naming the field.
Documented in zsa_flow/rules/README.md.
"""
from datetime import date

from . import hundeg, hundesteuer, hundesteuer_abmeldung, inputs as inp, wohngeld
from .wohngeld_haushalt import haushalt_aus_antrag
from .daten import alter_jahre, plus_monate, volle_monate


def wohngeld_berechnen(antrag: dict) -> dict:
    """Wohngeld nach § 19 WoGG berechnen / compute Wohngeld for an application.

    `antrag` as for `zsa-flow wohngeld` (stichtag, mietstufe or ags, bruttokaltmiete_m, vermoegen,
    haushalt). Returns {"wohngeld_m", "anspruch", "grund", "m", "y", "n", "rechtsstand", "rechenweg", ...}.
    """
    return wohngeld.berechne(antrag).to_dict()


def wohngeld_antrag_berechnen(antrag: dict) -> dict:
    """Wohngeld für einen Antrag mit seinen Haushaltsmitgliedern / compute Wohngeld for an application.

    `antrag`: stichtag, ags (or mietstufe), bruttokaltmiete_m, vermoegen and the application's
    `haushaltsmitglieder` (the form's list, see rules/wohngeld_haushalt.py); an application of
    form version 1 (flat fields, `einkommen_weitere_m`) instead of the list is mapped as before.
    Returns what `wohngeld_berechnen` returns.
    """
    antrag = inp.require_dict(antrag, "antrag")
    stichtag = inp.get(antrag, "stichtag", "stichtag")
    top = {k: antrag[k] for k in ("stichtag", "ags", "mietstufe", "bruttokaltmiete_m", "vermoegen") if k in antrag}
    return wohngeld.berechne(top | {"haushalt": haushalt_aus_antrag(antrag, stichtag)}).to_dict()


def hundesteuer_berechnen(eingabe: dict | None = None, **felder) -> dict:
    """Hundesteuer berechnen / annual dog tax, first-year amount and instalments.

    Either one dict or keywords: ags, stichtag (Beginn der Haltung), anzahl_hunde_bereits,
    gefaehrlich, befreiung (null | "keine" | "assistenzhund" | "rettungshund" | "wachhund_aussenbereich"),
    befreiung_anerkannt (default true: the proof was accepted), ende.
    """
    return hundesteuer.berechne({**(eingabe or {}), **felder})


def hundesteuer_abmeldung_abrechnen(ags: str, jahressteuer, abmeldedatum: str, bereits_gezahlt) -> dict:
    """Hundesteuer bei Abmeldung / settlement for the year of deregistration.

    Returns {"steuerpflichtige_monate", "steuer_bis_abmeldung", "erstattung", "nachzahlung" (money
    strings), "erstattung_faellig", "nachzahlung_faellig" (bool), "rechenweg"}.
    """
    return hundesteuer_abmeldung.abrechnen(ags, jahressteuer, abmeldedatum, bereits_gezahlt)


def ist_gefaehrliche_rasse(rasse: str) -> bool:
    """Rasse (auch Schreibvarianten und Mischlinge) auf der Liste § 3 Abs. 2 HundeG LSA? / listed breed?"""
    return hundeg.rasse_einstufen(rasse)["gefaehrlich"]


def rasse_einstufen(rasse: str) -> dict:
    """Rasseeinstufung mit gelisteter Rasse / classification: {"gefaehrlich", "gelistete_rasse", "normalisiert"}."""
    return hundeg.rasse_einstufen(rasse)


def transponder_gueltig(nr: str) -> bool:
    """15-stellige Transpondernummer mit ISO-3166-Ländercode oder Herstellercode 900–998? / valid chip number?"""
    return hundeg.transponder_pruefen(nr) is None


def versicherung_ausreichend(personen_sach, vermoegen) -> bool:
    """Deckungssummen ≥ 1.000.000 € (Personen/Sachen) und ≥ 50.000 € (Vermögen)? / insurance cover sufficient?"""
    return not hundeg.versicherung_pruefen(personen_sach, vermoegen)


def halter_volljaehrig(geburtsdatum: str, stichtag: str) -> bool:
    """Halter am Stichtag mindestens 18 Jahre alt? / keeper at least 18 on the given day?"""
    return hundeg.halter_volljaehrig(inp.iso_date(geburtsdatum, "geburtsdatum"), inp.iso_date(stichtag, "stichtag"))


def hundehaltung_pruefen(daten: dict) -> dict:
    """Alle HundeG-LSA-Prüfungen eines Antrags / all checks: {"ok", "maengel": {feld: meldung}, "gefaehrlich", ...}."""
    return hundeg.pruefen(daten)


def pflichten_nach_alter(geburtsdatum_hund: str, stichtag: str) -> dict:
    """Chip-Pflicht ab 6, Versicherungspflicht ab 3 Monaten / age-based duties {"alter_monate", "chip_pflicht", "versicherung_pflicht"}."""
    return hundeg.pflichten_nach_alter(inp.iso_date(geburtsdatum_hund, "geburtsdatum_hund"), inp.iso_date(stichtag, "stichtag"))


def monate_anteilig(ags: str, beginn: str, ende: str | None = None) -> list:
    """Steuerpflichtige Monate (1–12) im Jahr von `beginn` nach der Regel der Gemeinde / taxable months."""
    settings = hundesteuer.einstellungen()["kommunen"]
    code = inp.ags(ags)
    if code not in settings:
        raise inp.invalid("ags", f"für Gemeinde {code} ist keine Hundesteuersatzung hinterlegt")
    start = inp.iso_date(beginn, "beginn")
    stop = None if ende is None else inp.iso_date(ende, "ende")
    return hundesteuer.steuermonate(settings[code], start, stop)


def datum_plus_monate(iso: str, n: int) -> str:
    """Datum plus n Monate (Monatsende wird begrenzt) / ISO date plus n months, day clamped."""
    return plus_monate(inp.iso_date(iso, "datum"), inp.integer(n, "monate")).isoformat()


def datum_plus_tage(iso: str, n: int) -> str:
    """Datum plus n Tage / ISO date plus n days."""
    return date.fromordinal(inp.iso_date(iso, "datum").toordinal() + inp.integer(n, "tage")).isoformat()


def monate_zwischen(von: str, bis: str) -> int:
    """Volle Monate zwischen zwei Daten / completed months between two ISO dates."""
    return volle_monate(inp.iso_date(von, "von"), inp.iso_date(bis, "bis"))


def alter_in_jahren(geburtsdatum: str, stichtag: str) -> int:
    """Alter in vollen Jahren am Stichtag / age in completed years."""
    return alter_jahre(inp.iso_date(geburtsdatum, "geburtsdatum"), inp.iso_date(stichtag, "stichtag"))


def monatsanfang_folgemonat(iso: str) -> str:
    """Erster Tag des Folgemonats (z. B. Beginn Bewilligungszeitraum) / first day of the next month."""
    day = inp.iso_date(iso, "datum")
    return plus_monate(day.replace(day=1), 1).isoformat()


SCRIPT_FUNCTIONS = {
    fn.__name__: fn
    for fn in (
        wohngeld_berechnen, wohngeld_antrag_berechnen, hundesteuer_berechnen, hundesteuer_abmeldung_abrechnen, ist_gefaehrliche_rasse, rasse_einstufen,
        transponder_gueltig, versicherung_ausreichend, halter_volljaehrig, hundehaltung_pruefen,
        pflichten_nach_alter, monate_anteilig, datum_plus_monate, datum_plus_tage, monate_zwischen,
        alter_in_jahren, monatsanfang_folgemonat,
    )
}


def preload():
    """Read every parameter set and decision table the functions use, now: script workers call
    this before they give up file access (zsa_flow/bpmn/script_worker.py)."""
    from . import decisions, hundeg, hundesteuer, params

    for path in sorted(params.PARAMS_DIR.glob("*.json")):
        match = params._NAME.match(path.name)
        if match:
            params.available(match["name"])
        else:
            hundeg._data(path.name)
    hundesteuer.einstellungen()
    for table in sorted(decisions.decisions_dir().glob("*.dmn")):
        decisions.load(table.name)
