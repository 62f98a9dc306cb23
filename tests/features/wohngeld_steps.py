"""Wohngeld steps (German) shared by the to-be and as-is features (real engine, real database).

Test modules import everything from here so pytest-bdd sees the step fixtures; the steps shared
with other services (completing tasks, messages, case data, ...) are in conftest.py.
"""
from datetime import datetime, timezone
from pathlib import Path

from pytest_bdd import given, parsers, when

from case_helpers import assert_no_incident, complete_task, data_from, iso_day, then_both
from zsa_flow.errors import ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
KOMMUNEN = {"Halle (Saale)": "15002000", "Magdeburg": "15003000", "Haldensleben": "15083270"}


def _person(**overrides):
    base = {
        "familienname": "Muster", "vorname": "Erika", "geburtsdatum": "1980-04-02",
        "strasse": "Marktplatz", "hausnummer": "1", "postleitzahl": "06108", "wohnort": "Halle (Saale)",
        "anzahl_haushaltsmitglieder": 1, "alleinerziehend": False, "schwerbehindert_pflege": False,
        "bruttokaltmiete_m": 550, "bruttolohn_m": 0, "rente_m": 0, "sonstige_einkuenfte_m": 0,
        "unterhalt_gezahlt_y": 0, "zahlt_steuern": False, "zahlt_kv_pv": False, "zahlt_rv": False,
        "einkommen_weitere_m": 0, "vermoegen": 0, "transferleistung_bezug": False,
        "kontoinhaber": "Erika Muster", "iban": "DE02120300000000202051", "angaben_bestaetigt": True,
    }
    return base | overrides


# Worked example 3 of the domain brief: 2 persons, one employee paying tax, KV/PV and RV (30 %),
# 2,200 € gross, Bruttokaltmiete 550 €, Mietstufe III (Halle, Magdeburg, Haldensleben) -> 253 €.
HOUSEHOLDS = {
    "beispiel_3": _person(anzahl_haushaltsmitglieder=2, bruttolohn_m=2200, zahlt_steuern=True,
                          zahlt_kv_pv=True, zahlt_rv=True),
    # One person earning too much for the rent: no entitlement (§ 19 WoGG yields nothing).
    "hohes_einkommen": _person(bruttokaltmiete_m=400, bruttolohn_m=4000, zahlt_steuern=True,
                               zahlt_kv_pv=True, zahlt_rv=True),
    # Receives Bürgergeld (SGB II): excluded from Wohngeld (§ 7 WoGG).
    "buergergeld": _person(anzahl_haushaltsmitglieder=1, bruttokaltmiete_m=420, transferleistung_bezug=True),
}


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
