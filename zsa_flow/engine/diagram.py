"""Which BPMN elements of a case are done, active or in error — for the case diagram and replay.

Completed elements come from the case history (every executed element is recorded as an event:
tasks, scripts, decisions, gateways, caught and thrown events, end events) plus the start event
that started the case; active and failed ones from the live workflow.
"""
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent

DONE_EVENTS = {"task_completed", "script_executed", "decision_evaluated", "gateway_taken", "gateway_passed",
               "timer_fired", "message_received", "message_sent", "end_event"}


def element_states(definition, events, run=None):
    """{"completed", "active", "incident"}: sorted element ids. `run` is None for ended cases."""
    completed = {e["element_id"] for e in events if e["type"] in DONE_EVENTS and e.get("element_id")}
    started = next((e for e in events if e["type"] == "case_started"), None)
    if started is not None:
        completed |= start_events(definition, (started.get("data") or {}).get("message"))
    active, incident = run.active_elements() if run is not None else (set(), set())
    return {"completed": sorted(completed - active - incident), "active": sorted(active),
            "incident": sorted(incident)}


def start_events(definition, message=None):
    """The start event ids a case starts at: the message start for `message`, else the none start."""
    found = set()
    for spec in definition.spec.task_specs.values():
        if not isinstance(spec, StartEvent) or not getattr(spec, "bpmn_id", None):
            continue
        event = spec.event_definition
        is_message = isinstance(event, MessageEventDefinition)
        if (message and is_message and event.name == message) or \
                (not message and not is_message and type(event).__name__ == "NoneEventDefinition"):
            found.add(spec.bpmn_id)
    return found
