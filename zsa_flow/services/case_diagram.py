"""The data behind the case diagram: the deployed BPMN XML and which elements are done or active.

Completed elements come from the case history (the engine records every completed task, script,
decision, gateway, caught event and end event); the start event from `case_started`. Active
elements are the open human tasks, waiting timers and messages, and steps in error — read from the
stored workflow state of this one case (never on a list page).
"""
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from ..bpmn.serializer import load_state
from ..storage.tables import process_definition, workflow_state
from .deployments import load_contents
from .runs import get_case_row

DONE_EVENTS = {"task_completed", "script_executed", "decision_evaluated", "gateway_taken", "timer_fired",
               "message_received", "end_event"}


def case_diagram(platform, number, events):
    """{"xml", "completed", "active", "incident"} for a case (visibility is checked by the caller)."""
    with platform.uow(readonly=True) as uow:
        case_row = get_case_row(uow, number=number)
        row = uow.execute(select(process_definition).where(
            process_definition.c.id == case_row["definition_id"])).mappings().one()
        contents = load_contents(uow, row)
        definition = platform.definition(uow, row["id"])
        blob = uow.execute(select(workflow_state.c.state).where(
            workflow_state.c.case_id == case_row["id"])).scalar_one()
    xml = _process_xml(row, contents)
    completed = _completed(events, definition.spec)
    active, incident = set(), set()
    if case_row["state"] not in ("completed", "cancelled"):
        workflow = load_state(blob, definition.spec, definition.subprocess_specs, definition.script_engine)
        active, incident = _active(workflow)
    return {"xml": xml, "completed": sorted(completed - active - incident), "active": sorted(active),
            "incident": sorted(incident)}


def _process_xml(row, contents):
    """The BPMN file of the version that defines the case's process (the first one otherwise)."""
    bpmn = [contents[f["sha256"]] for f in row["files"] if f["kind"] == "bpmn"]
    marker = f'id="{row["process_id"]}"'.encode()
    chosen = next((data for data in bpmn if marker in data), bpmn[0] if bpmn else b"")
    return chosen.decode("utf-8")


def _completed(events, spec):
    done = {e["element_id"] for e in events if e["type"] in DONE_EVENTS and e["element_id"]}
    started = next((e for e in events if e["type"] == "case_started"), None)
    if started is not None:
        message = (started.get("data") or {}).get("message")
        for task_spec in _all_specs(spec):
            if isinstance(task_spec, StartEvent) and getattr(task_spec, "bpmn_id", None):
                definition = task_spec.event_definition
                is_message = isinstance(definition, MessageEventDefinition)
                if (message and is_message and definition.name == message) or (not message and not is_message
                                                                                and type(definition).__name__ == "NoneEventDefinition"):
                    done.add(task_spec.bpmn_id)
    return done


def _all_specs(spec):
    return spec.task_specs.values()


def _active(workflow):
    active, incident = set(), set()
    for task in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if not bpmn_id:
            continue
        if task.state == TaskState.ERROR:
            incident.add(bpmn_id)
        elif task.state == TaskState.WAITING and isinstance(task.task_spec, CatchingEvent):
            active.add(bpmn_id)
        elif task.state in (TaskState.READY, TaskState.STARTED) and task.task_spec.manual:
            active.add(bpmn_id)
    return active, incident
