"""Generic Gherkin steps in German (`# language: de`) for process paths through the real engine.

Service-specific steps live in the step modules of each service (hunde_steps.py, wohngeld_steps.py),
which the test modules import; a step defined there overrides a generic one of the same wording.
Every step drives zsa-flow's service layer (`zsa` fixture) on a fresh database; the current case
is `vorgang["number"]`. Case data comes in `| Feld | Wert |` tables (case_helpers.data_from).
A "Dann" step reads "Dann ist …", its "Und" continuation "Und … ist …": `then_both` registers both.
"""
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, when

from case_helpers import (assert_no_incident, complete_task, data_from, expected_value, open_task, sent_messages,
                          state_of, then_both)
from zsa_flow.errors import Conflict

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vorgang():
    """State shared between the steps of one scenario: the case "number" and the last "error"."""
    return {}


@given("die Prozessbibliothek ist bereitgestellt")
def library_deployed(zsa):
    zsa.deploy([str(ROOT / "processes"), str(ROOT / "forms")])


@when(parsers.parse('ein Vorgang "{process}" für die Kommune "{ags}" gestartet wird mit:'))
def start_case(zsa, vorgang, process, ags, datatable):
    vorgang["number"] = zsa.start_case(process, ags, data_from(datatable), actor="test")


@when(parsers.parse('das Portal "{message}" für die Kommune "{ags}" sendet mit:'))
def portal_message(zsa, vorgang, message, ags, datatable):
    vorgang["number"] = zsa.deliver_message(None, message, data_from(datatable), kommune=ags, actor="portal")


@when(parsers.parse('"{group}" die Aufgabe "{name}" erledigt mit:'))
@when(parsers.parse('"{group}" die Aufgabe "{name}" erledigt'))
def group_completes(zsa, vorgang, group, name, datatable=None):
    """A task of this candidate group, completed with the table's data."""
    complete_task(zsa, vorgang["number"], name, data_from(datatable), group=group)
    assert_no_incident(zsa, vorgang["number"])


@when(parsers.parse('"{group}" die Papierarbeit "{name}" erledigt'))
def paper_work(zsa, vorgang, group, name):
    """A manual task (paper work outside the system) of this group: completed without data."""
    complete_task(zsa, vorgang["number"], name, {}, group=group)
    assert_no_incident(zsa, vorgang["number"])


@when(parsers.parse('die Nachricht "{message}" eingeht mit:'))
def message_arrives(zsa, vorgang, message, datatable):
    zsa.deliver_message(vorgang["number"], message, data_from(datatable), actor="portal")


@when(parsers.parse('die Nachricht "{message}" eingeht'))
def message_arrives_without_data(zsa, vorgang, message):
    zsa.deliver_message(vorgang["number"], message, data={})
    assert_no_incident(zsa, vorgang["number"])


@when(parsers.parse('die Nachricht "{message}" zu spät eingeht'))
def message_too_late(zsa, vorgang, message):
    with pytest.raises(Conflict):
        zsa.deliver_message(vorgang["number"], message, data={})


@when(parsers.parse("{days:d} Tage vergehen"))
@when(parsers.parse("{days:d} Tag vergeht"))
def days_pass(zsa, clock, days):
    clock.advance(timedelta(days=days))
    zsa.tick()


@then_both('ist die offene Aufgabe "{name}" für die Gruppe "{group}"',
           'die offene Aufgabe ist "{name}" für die Gruppe "{group}"')
def only_open_task(zsa, vorgang, name, group):
    number = vorgang["number"]
    tasks = zsa.tasks(case=number)
    assert [t["name"] for t in tasks] == [name], f"open: {[t['name'] for t in tasks]}; {state_of(zsa, number)}"
    assert group in tasks[0]["candidate_groups"], tasks[0]["candidate_groups"]
    assert tasks[0]["kommune"] == zsa.case(number)["kommune"]


@then_both('gibt es die offene Aufgabe "{name}" für die Gruppe "{group}"',
           'es gibt die offene Aufgabe "{name}" für die Gruppe "{group}"')
def task_for_group(zsa, vorgang, name, group):
    task = open_task(zsa, vorgang["number"], name)
    assert group in task["candidate_groups"], task


@then_both('ist der Vorgang im Zustand "{state}"', 'der Vorgang ist im Zustand "{state}"')
def case_state(zsa, vorgang, state):
    case = zsa.case(vorgang["number"])
    assert case["state"] == state, (case["state"], case["incident"], case["tasks"])


@then_both("wartet der Vorgang ohne offene Aufgabe", "der Vorgang wartet ohne offene Aufgabe")
@then_both("läuft der Vorgang ohne offene Aufgabe", "der Vorgang läuft ohne offene Aufgabe")
def running_without_task(zsa, vorgang):
    assert zsa.case(vorgang["number"])["state"] == "running", state_of(zsa, vorgang["number"])
    assert zsa.tasks(case=vorgang["number"]) == []


@then_both('ist der Vorgang mit "{end_event}" abgeschlossen', 'der Vorgang ist mit "{end_event}" abgeschlossen')
def completed_at(zsa, vorgang, end_event):
    assert zsa.case(vorgang["number"])["state"] == "completed", state_of(zsa, vorgang["number"])
    ends = [e["element_name"] for e in zsa.events(vorgang["number"]) if e["type"] == "end_event"]
    assert ends == [end_event], ends


@then_both('ist das Falldatum "{key}" gleich {value}', 'das Falldatum "{key}" ist gleich {value}')
def case_data_is(zsa, vorgang, key, value):
    data = zsa.case(vorgang["number"])["data"]
    current = data
    for part in key.split("."):
        assert isinstance(current, dict) and part in current, (key, data)
        current = current[part]
    expected = expected_value(value)
    assert current == expected and isinstance(current, bool) == isinstance(expected, bool), (key, current, expected)


@then_both('enthält das Falldatum "{key}" den Eintrag "{item}"', 'das Falldatum "{key}" enthält den Eintrag "{item}"')
def case_data_contains(zsa, vorgang, key, item):
    assert item in zsa.case(vorgang["number"])["data"][key]


@then_both('hat der Vorgang "{element}" erreicht', 'der Vorgang hat "{element}" erreicht')
def reached(zsa, vorgang, element):
    events = zsa.events(vorgang["number"])
    assert any(element in (e["element_id"], e["element_name"]) for e in events), [
        (e["type"], e["element_id"], e["element_name"]) for e in events]


@then_both('hat der Vorgang "{element}" durchlaufen', 'der Vorgang hat "{element}" durchlaufen')
def passed(zsa, vorgang, element):
    assert element in [e["element_name"] for e in zsa.events(vorgang["number"])]


@then_both('hat der Vorgang "{element}" nicht durchlaufen', 'der Vorgang hat "{element}" nicht durchlaufen')
def not_passed(zsa, vorgang, element):
    assert element not in [e["element_name"] for e in zsa.events(vorgang["number"])]


@then_both('wurde die Nachricht "{message}" versendet', 'die Nachricht "{message}" wurde versendet')
def message_sent(zsa, vorgang, message):
    assert sent_messages(zsa, vorgang["number"], message), [
        e["data"] for e in zsa.events(vorgang["number"]) if e["type"] == "message_sent"]


@then_both('wurde die Nachricht "{message}" {times:d}-mal versendet',
           'die Nachricht "{message}" wurde {times:d}-mal versendet')
def message_sent_times(zsa, vorgang, message, times):
    assert len(sent_messages(zsa, vorgang["number"], message)) == times


@then_both('wurde die Nachricht "{message}" nicht versendet', 'die Nachricht "{message}" wurde nicht versendet')
def message_not_sent(zsa, vorgang, message):
    assert not sent_messages(zsa, vorgang["number"], message)


@then_both("gibt es keine offenen Aufgaben", "es gibt keine offenen Aufgaben")
def no_open_tasks(zsa, vorgang):
    assert zsa.tasks(case=vorgang["number"]) == []


@then_both('wird die Eingabe mit einer Meldung zum Feld "{field}" abgelehnt',
           'die Eingabe wird mit einer Meldung zum Feld "{field}" abgelehnt')
def rejected_field(vorgang, field):
    assert "error" in vorgang, "the data was accepted"
    assert field in vorgang["error"].details["fields"], vorgang["error"].details


def pytest_bdd_after_scenario(request, feature, scenario):
    """Every scenario's case replays consistently on its pinned version (issue 9: audit replay)."""
    if "vorgang" not in request.fixturenames or "zsa" not in request.fixturenames:
        return
    number = request.getfixturevalue("vorgang").get("number")
    if not number:
        return
    from zsa_flow.services.replay import replay_case

    result = replay_case(request.getfixturevalue("zsa"), number)
    assert result["consistent"], (f"replay of {number} diverges at step {result['divergence']['step']}: "
                                  f"{result['divergence']['message']} ({result['divergence']['cause']})")
