"""Hundehaltung steps (German) shared by hundehaltung.feature, hundeabmeldung.feature and
hundehaltung_asis.feature: every scenario runs through the real engine and database.

Test modules import everything from here so pytest-bdd sees the step fixtures; the steps shared
with other services (completing tasks, messages, case data, ...) are in conftest.py.
"""
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, when

from case_data import ANMELDUNG
from case_helpers import USER, assert_no_incident, data_from, iso_day, money_text, open_task, then_both
from zsa_flow.errors import Conflict, ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
KOMMUNEN = {"Magdeburg": "15003000", "Halle (Saale)": "15002000", "Haldensleben": "15083270",
            "Kuhfelde": "15081290"}

ABMELDUNG = {
    "halter_vorname": "Anna", "halter_nachname": "Muster", "halter_strasse": "Breiter Weg 1",
    "halter_plz": "39104", "halter_ort": "Magdeburg", "halter_email": "", "hund_name": "Bello",
    "transponder_nr": "276098106543210", "abmeldegrund": "tod", "abmeldedatum": "2026-02-20",
    "iban": "DE02120300000000202051", "erklaerung": True,
}

APPLICATIONS = {  # wording in the features -> (process, portal message, complete application data)
    "Anmeldung": ("hundehaltung", "antrag_hundehaltung", ANMELDUNG),
    "Abmeldung": ("hundeabmeldung", "antrag_hundeabmeldung", ABMELDUNG),
}


def _keyed_in(zsa, vorgang, process, kommune, data):
    """A paper application keyed in by the ZSA: the case is started with the start form's data."""
    vorgang["number"] = zsa.start_case(process, kommune=KOMMUNEN[kommune], data=data, actor=USER,
                                       as_is_variant="_asis_" in process)  # as-is: only on explicit request


# -- Angenommen -------------------------------------------------------------------------------

@given("die Prozesse der Hundehaltung sind bereitgestellt")
def hundehaltung_deployed(zsa):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])


@given(parsers.re(r"eine Online-(?P<what>Anmeldung|Abmeldung) eines Hundes in (?P<kommune>.+?)(?: mit:)?"))
def online_application(zsa, vorgang, what, kommune, datatable=None):
    _process, message, base = APPLICATIONS[what]
    vorgang["number"] = zsa.deliver_message(None, message, data=base | data_from(datatable),
                                            kommune=KOMMUNEN[kommune])


@given(parsers.parse("eine Papier-{what} eines Hundes in {kommune}, erfasst mit:"))
def paper_application(zsa, vorgang, what, kommune, datatable):
    process, _message, base = APPLICATIONS[what]
    _keyed_in(zsa, vorgang, process, kommune, base | data_from(datatable))


@given(parsers.parse('eine Papier-Anmeldung eines Hundes für "{process}", abgegeben in {kommune}'))
def paper_registration_asis(zsa, vorgang, process, kommune):
    _keyed_in(zsa, vorgang, process, kommune, dict(ANMELDUNG))


# -- Wenn -------------------------------------------------------------------------------------

@when(parsers.parse("eine Papier-{what} eines Hundes in {kommune} erfasst wird mit:"))
def paper_keyed_in(zsa, vorgang, what, kommune, datatable):
    process, _message, base = APPLICATIONS[what]
    try:
        _keyed_in(zsa, vorgang, process, kommune, base | data_from(datatable))
    except ValidationFailed as exc:
        vorgang["error"] = exc


@when(parsers.parse('"{group}" versucht, die Aufgabe "{name}" zu erledigen mit:'))
def try_complete(zsa, vorgang, group, name, datatable):
    task = open_task(zsa, vorgang["number"], name)
    assert group in task["candidate_groups"], task["candidate_groups"]
    zsa.claim(task["id"], user=USER)
    try:
        zsa.complete(task["id"], data_from(datatable), user=USER)
    except ValidationFailed as exc:
        vorgang["error"] = exc


@when("die antragstellende Person die fehlenden Unterlagen nachreicht:")
def documents_arrive(zsa, vorgang, datatable):
    zsa.deliver_message(vorgang["number"], "unterlagen_eingegangen", data=data_from(datatable))
    assert_no_incident(zsa, vorgang["number"])


@when("die antragstellende Person die fehlenden Unterlagen zu spät nachreicht")
def documents_too_late(zsa, vorgang):
    with pytest.raises(Conflict):
        zsa.deliver_message(vorgang["number"], "unterlagen_eingegangen", data={})


# -- Dann -------------------------------------------------------------------------------------

@then_both('ist die Aufgabe "{name}" am {day} fällig', 'die Aufgabe "{name}" ist am {day} fällig')
def task_due(zsa, vorgang, name, day):
    assert open_task(zsa, vorgang["number"], name)["due"][:10] == iso_day(day)


@then_both("ist der Vorgangstitel der Name der Halterin oder des Halters",
           "der Vorgangstitel ist der Name der Halterin oder des Halters")
def case_title_is_keeper(zsa, vorgang):
    case = zsa.case(vorgang["number"])
    assert case["title"] == f"{case['data']['halter_vorname']} {case['data']['halter_nachname']}", case["title"]


@then_both('beginnt die Vorgangsnummer mit "{prefix}"', 'die Vorgangsnummer beginnt mit "{prefix}"')
def case_number_prefix(vorgang, prefix):
    assert vorgang["number"].startswith(prefix), vorgang["number"]


@then_both('enthält das Falldatum "{key}" den Eintrag "{item}"', 'das Falldatum "{key}" enthält den Eintrag "{item}"')
def case_data_contains(zsa, vorgang, key, item):
    """Overrides the generic step: here the list entries are sentences that mention the item."""
    assert any(item in entry for entry in zsa.case(vorgang["number"])["data"][key])


@then_both("beträgt die Hundesteuer {jahr} € im Jahr und {erstes} € im Jahr {year:d}",
           "die Hundesteuer beträgt {jahr} € im Jahr und {erstes} € im Jahr {year:d}")
def dog_tax(zsa, vorgang, jahr, erstes, year):
    steuer = zsa.case(vorgang["number"])["data"]["steuer"]
    assert (steuer["jahressteuer"], steuer["betrag_erstes_jahr"]) == (money_text(jahr), money_text(erstes)), steuer
    assert steuer["stichtag"][:4] == str(year)


@then_both("ist die erste Rate von {betrag} € am {day} fällig", "die erste Rate von {betrag} € ist am {day} fällig")
def first_instalment(zsa, vorgang, betrag, day):
    rate = zsa.case(vorgang["number"])["data"]["steuer"]["raten"][0]
    assert (rate["betrag"], rate["faellig"]) == (money_text(betrag), iso_day(day)), rate
