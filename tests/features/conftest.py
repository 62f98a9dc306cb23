"""Generic Gherkin steps (English and German wording) for process paths through the real engine.

Service-specific steps live in the step modules of each service (hunde_steps.py, wohngeld_steps.py),
which the test modules import; a step defined there overrides a generic one of the same wording.
Every step drives zsa-flow's service layer (`zsa` fixture) on a fresh database; the current case
is `vorgang["number"]`.
"""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

from case_helpers import assert_no_incident, complete_task, data_from, open_task, sent_messages, state_of
from zsa_flow.errors import Conflict

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vorgang():
    """State shared between the steps of one scenario: the case "number" and the last "error"."""
    return {}


@given("the process library is deployed")
@given("die Prozessbibliothek ist bereitgestellt")
def library_deployed(zsa):
    zsa.deploy([str(ROOT / "processes"), str(ROOT / "forms")])


@when(parsers.parse('a case of "{process}" is started for Kommune "{ags}" with'))
@when(parsers.parse('ein Vorgang "{process}" für die Kommune "{ags}" gestartet wird mit'))
def start_case(zsa, vorgang, process, ags, docstring):
    vorgang["number"] = zsa.start_case(process, ags, json.loads(docstring), actor="test")


@when(parsers.parse('the portal sends "{message}" for Kommune "{ags}" with'))
@when(parsers.parse('das Portal "{message}" für die Kommune "{ags}" sendet mit'))
def portal_message(zsa, vorgang, message, ags, docstring):
    vorgang["number"] = zsa.deliver_message(None, message, json.loads(docstring), kommune=ags, actor="portal")


@when(parsers.parse('"{user}" completes "{task_name}"'))
@when(parsers.parse('"{user}" die Aufgabe "{task_name}" erledigt'))
@when(parsers.parse('"{user}" completes "{task_name}" with'))
@when(parsers.parse('"{user}" die Aufgabe "{task_name}" erledigt mit'))
def user_completes(zsa, vorgang, user, task_name, docstring=None):
    complete_task(zsa, vorgang["number"], task_name, data_from(docstring), user=user)


@when(parsers.parse('"{group}" completes "{name}" with:'))
@when(parsers.parse('"{group}" does the paper work "{name}"'))
def group_completes(zsa, vorgang, group, name, docstring=None):
    """A task of this candidate group, completed with the docstring's data (a manual task: none)."""
    complete_task(zsa, vorgang["number"], name, data_from(docstring), group=group)
    assert_no_incident(zsa, vorgang["number"])


@when(parsers.parse('the message "{message}" arrives with'))
@when(parsers.parse('die Nachricht "{message}" eingeht mit'))
def message_arrives(zsa, vorgang, message, docstring):
    zsa.deliver_message(vorgang["number"], message, json.loads(docstring), actor="portal")


@when(parsers.parse('the message "{message}" arrives'))
def message_arrives_without_data(zsa, vorgang, message):
    zsa.deliver_message(vorgang["number"], message, data={})
    assert_no_incident(zsa, vorgang["number"])


@when(parsers.parse('the message "{message}" arrives too late'))
def message_too_late(zsa, vorgang, message):
    with pytest.raises(Conflict):
        zsa.deliver_message(vorgang["number"], message, data={})


@when(parsers.parse("{days:d} days pass"))
@when(parsers.parse("{days:d} Tage vergehen"))
def days_pass(zsa, clock, days):
    clock.advance(timedelta(days=days))
    zsa.tick()


@then(parsers.parse('there is an open task "{task_name}" for group "{group}"'))
@then(parsers.parse('gibt es die offene Aufgabe "{task_name}" für die Gruppe "{group}"'))
def task_for_group(zsa, vorgang, task_name, group):
    task = open_task(zsa, vorgang["number"], task_name)
    assert group in task["candidate_groups"], task


@then(parsers.parse('the open task is "{name}" for group "{group}"'))
def only_open_task(zsa, vorgang, name, group):
    number = vorgang["number"]
    tasks = zsa.tasks(case=number)
    assert [t["name"] for t in tasks] == [name], f"open: {[t['name'] for t in tasks]}; {state_of(zsa, number)}"
    assert group in tasks[0]["candidate_groups"], tasks[0]["candidate_groups"]
    assert tasks[0]["kommune"] == zsa.case(number)["kommune"]


@then(parsers.parse('the case is "{state}"'))
@then(parsers.parse('ist der Vorgang "{state}"'))
def case_state(zsa, vorgang, state):
    case = zsa.case(vorgang["number"])
    assert case["state"] == state, (case["state"], case["incident"], case["tasks"])


@then("the case is waiting with no open task")
@then("the case is running with no open task")
def running_without_task(zsa, vorgang):
    assert zsa.case(vorgang["number"])["state"] == "running", state_of(zsa, vorgang["number"])
    assert zsa.tasks(case=vorgang["number"]) == []


@then(parsers.parse('the case is completed at "{end_event}"'))
def completed_at(zsa, vorgang, end_event):
    assert zsa.case(vorgang["number"])["state"] == "completed", state_of(zsa, vorgang["number"])
    ends = [e["element_name"] for e in zsa.events(vorgang["number"]) if e["type"] == "end_event"]
    assert ends == [end_event], ends


@then(parsers.parse('the case data "{key}" is {value}'))
@then(parsers.parse('ist das Falldatum "{key}" gleich {value}'))
def case_data_is(zsa, vorgang, key, value):
    data = zsa.case(vorgang["number"])["data"]
    current = data
    for part in key.split("."):
        assert isinstance(current, dict) and part in current, (key, data)
        current = current[part]
    assert current == json.loads(value), (key, current)


@then(parsers.parse('the case data "{key}" contains "{item}"'))
def case_data_contains(zsa, vorgang, key, item):
    assert item in zsa.case(vorgang["number"])["data"][key]


@then(parsers.parse('the case reached "{element}"'))
@then(parsers.parse('hat der Vorgang "{element}" erreicht'))
def reached(zsa, vorgang, element):
    events = zsa.events(vorgang["number"])
    assert any(element in (e["element_id"], e["element_name"]) for e in events), [
        (e["type"], e["element_id"], e["element_name"]) for e in events]


@then(parsers.parse('the case passed "{element}"'))
def passed(zsa, vorgang, element):
    assert element in [e["element_name"] for e in zsa.events(vorgang["number"])]


@then(parsers.parse('the case did not pass "{element}"'))
def not_passed(zsa, vorgang, element):
    assert element not in [e["element_name"] for e in zsa.events(vorgang["number"])]


@then(parsers.parse('the message "{message}" was sent'))
def message_sent(zsa, vorgang, message):
    assert sent_messages(zsa, vorgang["number"], message), [
        e["data"] for e in zsa.events(vorgang["number"]) if e["type"] == "message_sent"]


@then(parsers.parse('the message "{message}" was sent {times:d} times'))
def message_sent_times(zsa, vorgang, message, times):
    assert len(sent_messages(zsa, vorgang["number"], message)) == times


@then(parsers.parse('the message "{message}" was not sent'))
def message_not_sent(zsa, vorgang, message):
    assert not sent_messages(zsa, vorgang["number"], message)


@then("there are no open tasks")
@then("gibt es keine offenen Aufgaben")
def no_open_tasks(zsa, vorgang):
    assert zsa.tasks(case=vorgang["number"]) == []


@then(parsers.parse('it is rejected with a message for field "{field}"'))
@then(parsers.parse('the application is rejected with a message for field "{field}"'))
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
