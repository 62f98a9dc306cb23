"""Hundehaltung steps shared by hundehaltung.feature, hundeabmeldung.feature and
hundehaltung_asis.feature: every scenario runs through the real engine and database.

Step modules import everything from here so pytest-bdd sees the step fixtures.
"""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from zsa_flow.errors import Conflict, ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
KOMMUNEN = {"Magdeburg": "15003000", "Halle (Saale)": "15002000", "Haldensleben": "15083270",
            "Kuhfelde": "15081290"}
USER = "sachbearbeitung"

# A complete registration: Labrador, 9 months old, chipped (276 = Germany), insured above the
# statutory minimums, acquired on 10 March 2026 (the engine clock starts on 2 March 2026).
ANMELDUNG = {
    "halter_vorname": "Anna", "halter_nachname": "Muster", "halter_geburtsdatum": "1985-04-02",
    "halter_strasse": "Breiter Weg 1", "halter_plz": "39104", "halter_ort": "Magdeburg", "halter_email": "",
    "hund_name": "Bello", "geschlecht": "ruede", "rasse": "Labrador Retriever",
    "geburtsdatum_hund": "2025-06-01", "anschaffungsdatum": "2026-03-10",
    "transponder_nr": "276098106543210", "anzahl_hunde_bereits": 0, "gefaehrlich_festgestellt": False,
    "versicherer": "Beispiel Versicherung AG", "versicherungsnummer": "HH-4711",
    "versicherung_personen_sach": 5000000, "versicherung_vermoegen": 100000,
    "befreiung": "keine", "befreiung_nachweis": "", "erklaerung": True,
}

ABMELDUNG = {
    "halter_vorname": "Anna", "halter_nachname": "Muster", "halter_strasse": "Breiter Weg 1",
    "halter_plz": "39104", "halter_ort": "Magdeburg", "halter_email": "", "hund_name": "Bello",
    "transponder_nr": "276098106543210", "abmeldegrund": "tod", "abmeldedatum": "2026-02-20",
    "iban": "DE02120300000000202051", "erklaerung": True,
}


@pytest.fixture
def hd():
    """Scenario context: the case number and the last error."""
    return {}


def _state(zsa, number):
    case = zsa.case(number)
    return f"{case['state']} {case.get('incident') or ''}".strip()


def _open_task(zsa, number, name):
    tasks = [t for t in zsa.tasks(case=number) if t["name"] == name]
    assert tasks, f"no open task {name!r}; open: {[t['name'] for t in zsa.tasks(case=number)]}; {_state(zsa, number)}"
    return tasks[0]


def _complete(zsa, number, group, name, data):
    task = _open_task(zsa, number, name)
    assert group in task["candidate_groups"], f"{name!r} is for {task['candidate_groups']}, not {group!r}"
    zsa.claim(task["id"], user=USER)
    zsa.complete(task["id"], data, user=USER)
    assert zsa.case(number)["state"] != "incident", _state(zsa, number)


def _sent(zsa, number, name):
    return [e for e in zsa.events(number) if e["type"] == "message_sent" and e["data"].get("message") == name]


def _data(docstring=None):
    return json.loads(docstring) if docstring else {}


# -- given ------------------------------------------------------------------------------------

@given("the Hundehaltung processes are deployed")
def hundehaltung_deployed(zsa):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])


@given(parsers.parse("an online dog registration in {kommune}"))
def online_registration(zsa, hd, kommune):
    hd["case"] = zsa.deliver_message(None, "antrag_hundehaltung", data=dict(ANMELDUNG), kommune=KOMMUNEN[kommune])


@given(parsers.parse("an online dog registration in {kommune} with:"))
def online_registration_with(zsa, hd, kommune, docstring):
    hd["case"] = zsa.deliver_message(None, "antrag_hundehaltung", data=ANMELDUNG | _data(docstring),
                                     kommune=KOMMUNEN[kommune])


@given(parsers.parse("a paper dog registration in {kommune} keyed in with:"))
def paper_registration_with(zsa, hd, kommune, docstring):
    hd["case"] = zsa.start_case("hundehaltung", kommune=KOMMUNEN[kommune], data=ANMELDUNG | _data(docstring),
                                actor=USER)


@given(parsers.parse('a paper dog registration handed in for "{process}" in {kommune}'))
def paper_registration_asis(zsa, hd, process, kommune):
    hd["case"] = zsa.start_case(process, kommune=KOMMUNEN[kommune], data=dict(ANMELDUNG), actor=USER)


@given(parsers.parse("an online deregistration in {kommune} with:"))
def online_deregistration_with(zsa, hd, kommune, docstring):
    hd["case"] = zsa.deliver_message(None, "antrag_hundeabmeldung", data=ABMELDUNG | _data(docstring),
                                     kommune=KOMMUNEN[kommune])


@given(parsers.parse("a paper deregistration in {kommune} keyed in with:"))
def paper_deregistration_with(zsa, hd, kommune, docstring):
    hd["case"] = zsa.start_case("hundeabmeldung", kommune=KOMMUNEN[kommune], data=ABMELDUNG | _data(docstring),
                                actor=USER)


# -- when -------------------------------------------------------------------------------------

@when(parsers.parse('a paper {what} in {kommune} is keyed in with:'))
def paper_keyed_in(zsa, hd, what, kommune, docstring):
    process, base = {"dog registration": ("hundehaltung", ANMELDUNG),
                     "deregistration": ("hundeabmeldung", ABMELDUNG)}[what]
    try:
        hd["case"] = zsa.start_case(process, kommune=KOMMUNEN[kommune], data=base | _data(docstring), actor=USER)
    except ValidationFailed as exc:
        hd["error"] = exc


@when(parsers.parse('"{group}" completes "{name}" with:'))
def complete_with(zsa, hd, group, name, docstring):
    _complete(zsa, hd["case"], group, name, _data(docstring))


@when(parsers.parse('"{group}" does the paper work "{name}"'))
def paper_work(zsa, hd, group, name):
    """A manual task: completed without form data."""
    _complete(zsa, hd["case"], group, name, {})


@when(parsers.parse('"{group}" tries to complete "{name}" with:'))
def try_complete(zsa, hd, group, name, docstring):
    task = _open_task(zsa, hd["case"], name)
    zsa.claim(task["id"], user=USER)
    try:
        zsa.complete(task["id"], _data(docstring), user=USER)
    except ValidationFailed as exc:
        hd["error"] = exc


@when("the applicant sends the missing documents:")
def documents_arrive(zsa, hd, docstring):
    zsa.deliver_message(hd["case"], "unterlagen_eingegangen", data=_data(docstring))
    assert zsa.case(hd["case"])["state"] != "incident", _state(zsa, hd["case"])


@when("the applicant sends the missing documents too late")
def documents_too_late(zsa, hd):
    with pytest.raises(Conflict):
        zsa.deliver_message(hd["case"], "unterlagen_eingegangen", data={})


@when(parsers.parse("{days:d} days pass"))
def days_pass(zsa, days):
    zsa.clock.advance(timedelta(days=days))
    zsa.tick()


# -- then -------------------------------------------------------------------------------------

@then(parsers.parse('the open task is "{name}" for group "{group}"'))
def open_task_is(zsa, hd, name, group):
    tasks = zsa.tasks(case=hd["case"])
    assert [t["name"] for t in tasks] == [name], f"open: {[t['name'] for t in tasks]}; {_state(zsa, hd['case'])}"
    assert group in tasks[0]["candidate_groups"], tasks[0]["candidate_groups"]
    assert tasks[0]["kommune"] == zsa.case(hd["case"])["kommune"]


@then(parsers.parse('the task "{name}" is due on {day}'))
def task_due(zsa, hd, name, day):
    assert _open_task(zsa, hd["case"], name)["due"][:10] == day


@then("the case is waiting with no open task")
def waiting(zsa, hd):
    assert zsa.case(hd["case"])["state"] == "running", _state(zsa, hd["case"])
    assert zsa.tasks(case=hd["case"]) == []


@then("the case title is the keeper's name")
def case_title_is_keeper(zsa, hd):
    case = zsa.case(hd["case"])
    assert case["title"] == f"{case['data']['halter_vorname']} {case['data']['halter_nachname']}", case["title"]


@then(parsers.parse('the case number starts with "{prefix}"'))
def case_number_prefix(hd, prefix):
    assert hd["case"].startswith(prefix), hd["case"]


@then(parsers.parse('the case data "{key}" is {value}'))
def case_data_is(zsa, hd, key, value):
    data = zsa.case(hd["case"])["data"]
    assert key in data, sorted(data)
    assert data[key] == json.loads(value), data[key]


@then(parsers.parse('the case data "{key}" contains "{item}"'))
def case_data_contains(zsa, hd, key, item):
    assert any(item in entry for entry in zsa.case(hd["case"])["data"][key])


@then(parsers.parse('the dog tax is {jahr} € a year and {erstes} € in {year:d}'))
def dog_tax(zsa, hd, jahr, erstes, year):
    steuer = zsa.case(hd["case"])["data"]["steuer"]
    assert (steuer["jahressteuer"], steuer["betrag_erstes_jahr"]) == (jahr, erstes), steuer
    assert steuer["stichtag"][:4] == str(year)


@then(parsers.parse('the first instalment of {betrag} € is due on {day}'))
def first_instalment(zsa, hd, betrag, day):
    rate = zsa.case(hd["case"])["data"]["steuer"]["raten"][0]
    assert (rate["betrag"], rate["faellig"]) == (betrag, day), rate


@then(parsers.parse('the message "{message}" was sent'))
def message_sent(zsa, hd, message):
    assert _sent(zsa, hd["case"], message), [e["data"] for e in zsa.events(hd["case"]) if e["type"] == "message_sent"]


@then(parsers.parse('the message "{message}" was sent {times:d} times'))
def message_sent_times(zsa, hd, message, times):
    assert len(_sent(zsa, hd["case"], message)) == times


@then(parsers.parse('the message "{message}" was not sent'))
def message_not_sent(zsa, hd, message):
    assert not _sent(zsa, hd["case"], message)


@then(parsers.parse('the case did not pass "{element}"'))
def not_passed(zsa, hd, element):
    assert element not in [e["element_name"] for e in zsa.events(hd["case"])]


@then(parsers.parse('the case passed "{element}"'))
def passed(zsa, hd, element):
    assert element in [e["element_name"] for e in zsa.events(hd["case"])]


@then(parsers.parse('the case is completed at "{end_event}"'))
def completed_at(zsa, hd, end_event):
    assert zsa.case(hd["case"])["state"] == "completed", _state(zsa, hd["case"])
    ends = [e["element_name"] for e in zsa.events(hd["case"]) if e["type"] == "end_event"]
    assert ends == [end_event], ends


@then(parsers.parse('it is rejected with a message for field "{field}"'))
def rejected_field(hd, field):
    assert "error" in hd, "the data was accepted"
    assert field in hd["error"].details["fields"], hd["error"].details
