"""Generic Gherkin steps (English and German wording) for process paths through the real engine.

Service-specific steps live in the step modules of each feature (test_<service>.py).
Every step drives zsa-flow's service layer (`zsa` fixture) on a fresh database.
"""
import json
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, then, when

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vorgang():
    """State shared between the steps of one scenario: the current case number and more."""
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


@when(parsers.parse('"{user}" completes "{task_name}" with'))
@when(parsers.parse('"{user}" die Aufgabe "{task_name}" erledigt mit'))
def complete_task(zsa, vorgang, user, task_name, docstring):
    task = open_task(zsa, vorgang, task_name)
    zsa.claim(task["id"], user)
    zsa.complete(task["id"], json.loads(docstring), user)


@when(parsers.parse('"{user}" completes "{task_name}"'))
@when(parsers.parse('"{user}" die Aufgabe "{task_name}" erledigt'))
def complete_task_without_data(zsa, vorgang, user, task_name):
    task = open_task(zsa, vorgang, task_name)
    zsa.claim(task["id"], user)
    zsa.complete(task["id"], {}, user)


@when(parsers.parse('the message "{message}" arrives with'))
@when(parsers.parse('die Nachricht "{message}" eingeht mit'))
def message_arrives(zsa, vorgang, message, docstring):
    zsa.deliver_message(vorgang["number"], message, json.loads(docstring), actor="portal")


@when(parsers.parse("{days:d} days pass"))
@when(parsers.parse("{days:d} Tage vergehen"))
def days_pass(zsa, clock, days):
    clock.advance(timedelta(days=days))
    zsa.tick()


@then(parsers.parse('there is an open task "{task_name}" for group "{group}"'))
@then(parsers.parse('gibt es die offene Aufgabe "{task_name}" für die Gruppe "{group}"'))
def task_for_group(zsa, vorgang, task_name, group):
    task = open_task(zsa, vorgang, task_name)
    assert group in task["candidate_groups"], task


@then(parsers.parse('the case is "{state}"'))
@then(parsers.parse('ist der Vorgang "{state}"'))
def case_state(zsa, vorgang, state):
    case = zsa.case(vorgang["number"])
    assert case["state"] == state, (case["state"], case["incident"], case["tasks"])


@then(parsers.parse('the case data "{key}" is {value}'))
@then(parsers.parse('ist das Falldatum "{key}" gleich {value}'))
def case_data_is(zsa, vorgang, key, value):
    data = zsa.case(vorgang["number"])["data"]
    current = data
    for part in key.split("."):
        assert isinstance(current, dict) and part in current, (key, data)
        current = current[part]
    assert current == json.loads(value), (key, current)


@then(parsers.parse('the case reached "{element}"'))
@then(parsers.parse('hat der Vorgang "{element}" erreicht'))
def reached(zsa, vorgang, element):
    events = zsa.events(vorgang["number"])
    assert any(element in (e["element_id"], e["element_name"]) for e in events), [
        (e["type"], e["element_id"], e["element_name"]) for e in events]


@then("there are no open tasks")
@then("gibt es keine offenen Aufgaben")
def no_open_tasks(zsa, vorgang):
    assert zsa.tasks(case=vorgang["number"]) == []


def open_task(zsa, vorgang, task_name):
    """The one open task of the current case with this name (or BPMN id)."""
    tasks = [t for t in zsa.tasks(case=vorgang["number"]) if task_name in (t["name"], t["task_def"])]
    case = zsa.case(vorgang["number"])
    assert len(tasks) == 1, (task_name, [t["name"] for t in zsa.tasks(case=vorgang["number"])],
                             case["state"], case["incident"])
    return tasks[0]
