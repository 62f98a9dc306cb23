"""Wohngeld steps shared by the to-be and as-is features (real engine, real database).

Step modules import everything from here so pytest-bdd sees the step fixtures.
"""
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from zsa_flow.errors import Conflict, ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
KOMMUNEN = {"Halle (Saale)": "15002000", "Magdeburg": "15003000", "Haldensleben": "15083270"}
USER = "sachbearbeitung"


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


@pytest.fixture
def wg():
    """Scenario context: the case number and the last error."""
    return {}


def _open_task(zsa, number, name):
    tasks = [t for t in zsa.tasks(case=number) if t["name"] == name]
    open_names = [t["name"] for t in zsa.tasks(case=number)]
    assert tasks, f"no open task {name!r}; open: {open_names}; case: {_state(zsa, number)}"
    return tasks[0]


def _state(zsa, number):
    case = zsa.case(number)
    return f"{case['state']} {case.get('incident') or ''}".strip()


def _sent(zsa, number, name):
    return [e for e in zsa.events(number) if e["type"] == "message_sent" and e["data"].get("message") == name]


def _complete(zsa, number, group, name, data):
    task = _open_task(zsa, number, name)
    assert group in task["candidate_groups"], f"{name!r} is for {task['candidate_groups']}, not {group!r}"
    zsa.claim(task["id"], user=USER)
    zsa.complete(task["id"], data, user=USER)
    assert zsa.case(number)["state"] != "incident", _state(zsa, number)


def _at(day):
    return datetime.fromisoformat(day).replace(hour=8, tzinfo=timezone.utc)


# -- given ------------------------------------------------------------------------------------

@given("the Wohngeld processes are deployed")
def wohngeld_deployed(zsa):
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])


@given(parsers.parse('an online Wohngeld application for household "{household}" in {kommune}'))
def online_application(zsa, wg, household, kommune):
    wg["case"] = zsa.deliver_message(None, "antrag_wohngeld", data=application(household, zsa),
                                     kommune=KOMMUNEN[kommune])


@given(parsers.parse('a paper Wohngeld application for household "{household}" in {kommune}'))
def paper_application(zsa, wg, household, kommune):
    wg["case"] = zsa.start_case("wohngeld", kommune=KOMMUNEN[kommune], data=application(household, zsa))


@given(parsers.parse('a paper application received at the Posteingang of "{process}" in {kommune}'))
def paper_received(zsa, wg, process, kommune):
    data = {"eingangsdatum": zsa.clock.now().date().isoformat(), "familienname": "Muster",
            "vorname": "Erika", "eingangsweg": "post"}
    wg["case"] = zsa.start_case(process, kommune=KOMMUNEN[kommune], data=data)


# -- when -------------------------------------------------------------------------------------

@when(parsers.parse('a paper Wohngeld application for household "{household}" in {kommune} is filed with:'))
def paper_application_with(zsa, wg, household, kommune, docstring):
    data = application(household, zsa) | json.loads(docstring)
    try:
        wg["case"] = zsa.start_case("wohngeld", kommune=KOMMUNEN[kommune], data=data)
    except ValidationFailed as exc:
        wg["error"] = exc


@when(parsers.parse('"{group}" completes "{name}" with:'))
def complete_with(zsa, wg, group, name, docstring):
    _complete(zsa, wg["case"], group, name, json.loads(docstring))


@when(parsers.parse('"{group}" does the paper work "{name}"'))
def paper_work(zsa, wg, group, name):
    """A manual task: completed without form data."""
    _complete(zsa, wg["case"], group, name, {})


@when(parsers.parse('"{group}" completes "{name}" with the application of household "{household}"'))
def complete_with_application(zsa, wg, group, name, household):
    data = application(household, zsa) | {"antragsdatum": zsa.case(wg["case"])["data"].get("eingangsdatum")}
    _complete(zsa, wg["case"], group, name, data)


@when(parsers.parse('the message "{message}" arrives'))
def message_arrives(zsa, wg, message):
    zsa.deliver_message(wg["case"], message, data={})
    assert zsa.case(wg["case"])["state"] != "incident", _state(zsa, wg["case"])


@when(parsers.parse('the message "{message}" arrives too late'))
def message_too_late(zsa, wg, message):
    with pytest.raises(Conflict):
        zsa.deliver_message(wg["case"], message, data={})


@when(parsers.parse("{days:d} days pass"))
def days_pass(zsa, days):
    zsa.clock.advance(timedelta(days=days))
    zsa.tick()


@when(parsers.parse("the clock is moved to {day}"))
def clock_moved(zsa, day):
    zsa.clock.set(_at(day))
    zsa.tick()


# -- then -------------------------------------------------------------------------------------

@then(parsers.parse('the open task is "{name}" for group "{group}"'))
def open_task_is(zsa, wg, name, group):
    tasks = zsa.tasks(case=wg["case"])
    assert [t["name"] for t in tasks] == [name], f"open: {[t['name'] for t in tasks]}; {_state(zsa, wg['case'])}"
    assert group in tasks[0]["candidate_groups"], tasks[0]["candidate_groups"]
    assert tasks[0]["kommune"] == zsa.case(wg["case"])["kommune"]


@then("the case is running with no open task")
def running_no_task(zsa, wg):
    assert zsa.case(wg["case"])["state"] == "running", _state(zsa, wg["case"])
    assert zsa.tasks(case=wg["case"]) == []


@then(parsers.parse('the case waits for a timer due on {day}'))
def waits_for_timer(zsa, wg, day):
    dues = [t["due"][:10] for t in zsa.case(wg["case"])["timers"]]
    assert day in dues, dues


@then(parsers.parse('the case data "{key}" is {value}'))
def case_data_is(zsa, wg, key, value):
    data = zsa.case(wg["case"])["data"]
    assert key in data, sorted(data)
    assert data[key] == json.loads(value), data[key]


@then(parsers.parse('the case data "{key}" contains "{item}"'))
def case_data_contains(zsa, wg, key, item):
    assert item in zsa.case(wg["case"])["data"][key]


@then(parsers.parse('the case data has no "{key}"'))
def case_data_lacks(zsa, wg, key):
    assert key not in zsa.case(wg["case"])["data"]


@then(parsers.parse('the message "{message}" was sent'))
def message_sent(zsa, wg, message):
    assert _sent(zsa, wg["case"], message), [e["data"] for e in zsa.events(wg["case"]) if e["type"] == "message_sent"]


@then(parsers.parse('the message "{message}" was sent {times:d} times'))
def message_sent_times(zsa, wg, message, times):
    assert len(_sent(zsa, wg["case"], message)) == times


@then(parsers.parse('the message "{message}" was not sent'))
def message_not_sent(zsa, wg, message):
    assert not _sent(zsa, wg["case"], message)


@then(parsers.parse('the case passed "{element}"'))
def passed(zsa, wg, element):
    assert element in [e["element_name"] for e in zsa.events(wg["case"])]


@then(parsers.parse('the case did not pass "{element}"'))
def not_passed(zsa, wg, element):
    assert element not in [e["element_name"] for e in zsa.events(wg["case"])]


@then(parsers.parse('the case is completed at "{end_event}"'))
def completed_at(zsa, wg, end_event):
    assert zsa.case(wg["case"])["state"] == "completed", _state(zsa, wg["case"])
    ends = [e["element_name"] for e in zsa.events(wg["case"]) if e["type"] == "end_event"]
    assert ends == [end_event], ends


@then(parsers.parse('the application is rejected with a message for field "{field}"'))
def rejected_field(wg, field):
    assert "error" in wg, "the application was accepted"
    assert field in wg["error"].details["fields"], wg["error"].details
