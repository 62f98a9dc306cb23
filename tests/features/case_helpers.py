"""Helpers for the Gherkin steps: look at and act on the current case through the service layer.

Used by the generic steps (conftest.py) and the service-specific step modules.
"""
import json

USER = "sachbearbeitung"  # who claims and completes tasks unless a step names a user


def data_from(docstring=None):
    """The JSON object of a step's docstring (none: empty)."""
    return json.loads(docstring) if docstring else {}


def state_of(zsa, number):
    """The case state and incident, for assertion messages."""
    case = zsa.case(number)
    return f"{case['state']} {case.get('incident') or ''}".strip()


def open_task(zsa, number, task_name):
    """The one open task of the case with this name (or BPMN id)."""
    open_tasks = zsa.tasks(case=number)
    tasks = [t for t in open_tasks if task_name in (t["name"], t["task_def"])]
    assert len(tasks) == 1, (f"{len(tasks)} open tasks {task_name!r}; open: {[t['name'] for t in open_tasks]}; "
                             f"{state_of(zsa, number)}")
    return tasks[0]


def complete_task(zsa, number, task_name, data, user=USER, group=None):
    """Claim and complete an open task (checking its candidate group if given)."""
    task = open_task(zsa, number, task_name)
    if group is not None:
        assert group in task["candidate_groups"], f"{task_name!r} is for {task['candidate_groups']}, not {group!r}"
    zsa.claim(task["id"], user=user)
    zsa.complete(task["id"], data, user=user)


def assert_no_incident(zsa, number):
    assert zsa.case(number)["state"] != "incident", state_of(zsa, number)


def sent_messages(zsa, number, message):
    """The message_sent events of the case for this message name."""
    return [e for e in zsa.events(number) if e["type"] == "message_sent" and e["data"].get("message") == message]
