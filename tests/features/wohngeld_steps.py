"""Wohngeld steps (German) shared by the to-be and as-is features (real engine, real database).

Test modules import everything from here so pytest-bdd sees the step fixtures; the steps shared
with other services (completing tasks, messages, case data, ...) are in conftest.py.
"""
from datetime import datetime, timezone
from pathlib import Path

from pytest_bdd import given, parsers, when

from zsa_flow.web import format as de

from case_helpers import (GERMAN_DATE, assert_no_incident, complete_task, data_from, german_number, iso_day,
                          then_both)
from zsa_flow.errors import ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
KOMMUNEN = {"Halle (Saale)": "15002000", "Magdeburg": "15003000", "Haldensleben": "15083270"}


def mitglied(name, beziehung="antragsteller", geburtsdatum="1980-04-02", **angaben):
    """One entry of the application's `haushaltsmitglieder` list (amounts and flags default to 0 / no)."""
    return {"name": name, "beziehung": beziehung, "geburtsdatum": geburtsdatum} | angaben


def _person(*members, **overrides):
    base = {
        "familienname": "Muster", "vorname": "Erika", "geburtsdatum": "1980-04-02",
        "strasse": "Marktplatz", "hausnummer": "1", "postleitzahl": "06108", "wohnort": "Halle (Saale)",
        "haushaltsmitglieder": list(members), "bruttokaltmiete_m": 550, "vermoegen": 0,
        "transferleistung_bezug": False,
        "kontoinhaber": "Erika Muster", "iban": "DE02120300000000202051", "angaben_bestaetigt": True,
    }
    return base | overrides


EARNS = {"zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True}

# Worked example 3 of the domain brief: 2 persons, one employee paying tax, KV/PV and RV (30 %),
# 2,200 € gross, Bruttokaltmiete 550 €, Mietstufe III (Halle, Magdeburg, Haldensleben) -> 253 €.
HOUSEHOLDS = {
    "beispiel_3": _person(mitglied("Erika Muster", bruttolohn_m=2200, **EARNS),
                          mitglied("Paul Muster", "ehegatte", "1978-11-20")),
    # One person earning too much for the rent: no entitlement (§ 19 WoGG yields nothing).
    "hohes_einkommen": _person(mitglied("Erika Muster", bruttolohn_m=4000, **EARNS), bruttokaltmiete_m=400),
    # Receives Bürgergeld (SGB II): excluded from Wohngeld (§ 7 WoGG).
    "buergergeld": _person(mitglied("Erika Muster"), bruttokaltmiete_m=420, transferleistung_bezug=True),
}
# The same application as the version-1 form collected it (flat fields, other members as a sum):
# cases started before the household list still compute with these fields.
BEISPIEL_3_FORM_V1 = {
    key: value for key, value in HOUSEHOLDS["beispiel_3"].items() if key != "haushaltsmitglieder"
} | {"anzahl_haushaltsmitglieder": 2, "alleinerziehend": False, "schwerbehindert_pflege": False,
     "bruttolohn_m": 2200, "rente_m": 0, "sonstige_einkuenfte_m": 0, "unterhalt_gezahlt_y": 0,
     "einkommen_weitere_m": 0, **EARNS}


def application(household, zsa):
    """The application data of a named household, filed today (engine clock)."""
    return HOUSEHOLDS[household] | {"antragsdatum": zsa.clock.now().date().isoformat()}


def _at(day):
    return datetime.fromisoformat(day).replace(hour=8, tzinfo=timezone.utc)


# -- Angenommen -------------------------------------------------------------------------------

@given("die Prozesse des Wohngelds sind bereitgestellt")
def wohngeld_deployed(zsa):
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])


@given(parsers.parse('ein Online-Wohngeldantrag des Haushalts "{household}" in {kommune}'))
def online_application(zsa, vorgang, household, kommune):
    vorgang["number"] = zsa.deliver_message(None, "antrag_wohngeld", data=application(household, zsa),
                                            kommune=KOMMUNEN[kommune])


def _member_value(text):
    """A cell of the household table: ja/nein, German numbers and dates, else text."""
    text = text.strip()
    if text.lower() in ("ja", "nein"):
        return text.lower() == "ja"
    if GERMAN_DATE.match(text):
        return iso_day(text)
    if text and (text[0].isdigit() or text[0] == "-"):
        return german_number(text)
    return text


def members_from(datatable):
    """`haushaltsmitglieder` from a table with one row per member (header: the member's keys)."""
    header, *rows = datatable
    keys = [cell.strip() for cell in header]
    return [{key: _member_value(cell) for key, cell in zip(keys, row) if cell.strip() != ""} for row in rows]


@given(parsers.parse("ein Online-Wohngeldantrag in {kommune} mit einer Bruttokaltmiete von {miete:d} € "
                     "und den Haushaltsmitgliedern:"))
def online_application_with_members(zsa, vorgang, kommune, miete, datatable):
    data = application("beispiel_3", zsa) | {"bruttokaltmiete_m": miete, "haushaltsmitglieder": members_from(datatable)}
    vorgang["number"] = zsa.deliver_message(None, "antrag_wohngeld", data=data, kommune=KOMMUNEN[kommune])


@given(parsers.parse('ein Papier-Wohngeldantrag des Haushalts "{household}" in {kommune}'))
def paper_application(zsa, vorgang, household, kommune):
    vorgang["number"] = zsa.start_case("wohngeld", kommune=KOMMUNEN[kommune], data=application(household, zsa))


@given(parsers.parse('ein Papierantrag für "{process}", eingegangen im Posteingang in {kommune}'))
def paper_received(zsa, vorgang, process, kommune):
    data = {"eingangsdatum": zsa.clock.now().date().isoformat(), "familienname": "Muster",
            "vorname": "Erika", "eingangsweg": "post"}
    vorgang["number"] = zsa.start_case(process, kommune=KOMMUNEN[kommune], data=data,
                                       as_is_variant="_asis_" in process)  # as-is: only on explicit request


# -- Wenn -------------------------------------------------------------------------------------

@when(parsers.parse('ein Papier-Wohngeldantrag des Haushalts "{household}" in {kommune} erfasst wird mit:'))
def paper_application_with(zsa, vorgang, household, kommune, datatable):
    data = application(household, zsa) | data_from(datatable)
    try:
        vorgang["number"] = zsa.start_case("wohngeld", kommune=KOMMUNEN[kommune], data=data)
    except ValidationFailed as exc:
        vorgang["error"] = exc


@when(parsers.parse('"{group}" die Aufgabe "{name}" mit dem Antrag des Haushalts "{household}" erledigt'))
def complete_with_application(zsa, vorgang, group, name, household):
    number = vorgang["number"]
    data = application(household, zsa) | {"antragsdatum": zsa.case(number)["data"].get("eingangsdatum")}
    complete_task(zsa, number, name, data, group=group)
    assert_no_incident(zsa, number)


@when(parsers.parse("die Uhr auf den {day} gestellt wird"))
def clock_moved(zsa, day):
    zsa.clock.set(_at(iso_day(day)))
    zsa.tick()


# -- Dann -------------------------------------------------------------------------------------

@then_both("wartet der Vorgang auf eine Frist am {day}", "der Vorgang wartet auf eine Frist am {day}")
def waits_for_timer(zsa, vorgang, day):
    dues = [t["due"][:10] for t in zsa.case(vorgang["number"])["timers"]]
    assert iso_day(day) in dues, dues


@then_both('hat der Vorgang kein Falldatum "{key}"', 'der Vorgang hat kein Falldatum "{key}"')
def case_data_lacks(zsa, vorgang, key):
    assert key not in zsa.case(vorgang["number"])["data"]


@when("die Prüfungen der ZSA ohne Befund erledigt sind")
def checks_without_findings(zsa, vorgang):
    number = vorgang["number"]
    complete_task(zsa, number, "Vollständigkeit prüfen", {"unterlagen_vollstaendig": True}, group="zsa-wohngeld")
    complete_task(zsa, number, "Plausibilität und Vorrang prüfen (SGB II/XII)",
                  {"transferleistung_bezug": False, "rueckfrage_noetig": False}, group="zsa-wohngeld")
    assert_no_incident(zsa, number)


@then_both('ist die Checkliste "{key}":', 'die Checkliste "{key}" ist:')
def checklist_is(zsa, vorgang, key, datatable):
    header, *rows = datatable
    assert [cell.strip() for cell in header] == ["Nachweis"], header
    assert zsa.case(vorgang["number"])["data"][key] == [row[0].strip() for row in rows]


@then_both("zeigt der Rechenweg:", "der Rechenweg zeigt:")
def rechenweg_shows(zsa, vorgang, datatable):
    """Rows of the Rechenweg as people read it (labels, values in German format as the inbox shows them)."""
    header, *rows = datatable
    assert [cell.strip() for cell in header] == ["Schritt", "Wert"], header
    shown = {step["label"]: de.auto(step["value"]) for step in zsa.case(vorgang["number"])["data"]["wohngeld_ergebnis"]["rechenweg"]}
    for label, value in ((row[0].strip(), row[1].strip()) for row in rows):
        assert label in shown, (label, sorted(shown))
        assert shown[label] == value, (label, shown[label], value)
