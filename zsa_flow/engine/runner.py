"""One engine run on one case: drive the workflow, record what happened, report its effects.

The runner knows nothing about the database. The service layer loads the workflow, calls one
of the `CaseRun` operations and persists `run.effects` in the same transaction.
"""
from copy import deepcopy
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.util.task import TaskState

from ..bpmn.parser import is_human
from ..bpmn.specs import DecisionTask
from ..errors import Conflict, NotFound
from .prune import prune_history

RUNNING, COMPLETED, CANCELLED, INCIDENT = "running", "completed", "cancelled", "incident"


@dataclass
class Effects:
    """What one run changed, for the service layer to persist."""

    events: list = field(default_factory=list)  # dicts: type, element_id, element_name, data
    outbox: list = field(default_factory=list)  # dicts: name, payload
    incident: str | None = None


class CaseRun:
    """Operations on one loaded workflow. Each leaves `effects` describing what happened."""

    def __init__(self, workflow):
        self.workflow = workflow
        self.effects = Effects()
        self._before = {}
        # What the stored rows mirror before this run, so only differences are written.
        self.open_before = {str(t.id): (t.task_spec.bpmn_id, t.task_spec.bpmn_name) for t in self.human_tasks()}
        self.timers_before = {str(t.id): due for t, due in self.waiting_timers()}

    # -- operations -------------------------------------------------------------------------

    def start(self, data: dict, message: str | None = None):
        """Start the case: via its none start event, or by the message that starts it."""
        if message is None:
            self._cancel_message_starts()
            for task in self.workflow.get_tasks(state=TaskState.READY):
                task.data.update(deepcopy(data))
            self._steps()
        else:
            self._open_start_events()
            self._cancel_none_starts()
            self._send_message(message, data)

    def complete_task(self, task_id, data: dict):
        """Complete a human task with validated form data and run on to the next wait state."""
        task = self._ready_human_task(task_id)
        task.data.update(deepcopy(data))
        task.run()
        self._record(task, "task_completed", {"data": data})
        self._steps()

    def deliver_message(self, name: str, payload: dict):
        """Deliver a message to a waiting receive task or message catch event."""
        self._send_message(name, payload)

    def fire_due_timers(self):
        """Let every timer whose due time (engine clock) has passed fire, then run on."""
        self._steps()

    def retry(self, data: dict | None = None):
        """Put tasks in ERROR back to READY, optionally with corrected data, and run again."""
        errored = self.workflow.get_tasks(state=TaskState.ERROR)
        for task in errored:
            if data:
                task.data.update(deepcopy(data))
            task._set_state(TaskState.READY)
        self.effects.events.append({"type": "retried", "data": {"tasks": len(errored), "data": data or {}}})
        self._steps()

    # -- queries ------------------------------------------------------------------------------

    def state(self) -> str:
        """running | completed | incident."""
        if self.effects.incident or self.workflow.get_next_task(state=TaskState.ERROR):
            return INCIDENT
        return COMPLETED if self._really_completed() else RUNNING

    def human_tasks(self):
        """READY tasks a person must complete."""
        return [t for t in self.workflow.get_tasks(state=TaskState.READY) if is_human(t.task_spec)]

    def waiting_timers(self):
        """(task, due ISO string) for every timer event the case waits on."""
        result = []
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            # an event-based gateway waits with a MultipleEventDefinition holding its timer
            inner = getattr(definition, "event_definitions", None) or []
            if isinstance(definition, TimerEventDefinition) or any(isinstance(d, TimerEventDefinition) for d in inner):
                due = task._get_internal_data("event_value")
                if isinstance(due, str):
                    result.append((task, due))
        return result

    def case_data(self) -> dict:
        """The data a person sees for the case: the latest data on the active path."""
        if self._really_completed():
            last = self.workflow.last_task
            return dict(self.workflow.data or {}) | (dict(last.data) if last is not None else {})
        merged = {}
        for task in self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING | TaskState.ERROR):
            merged.update(task.data)
        if not merged and self.workflow.last_task is not None:
            merged = dict(self.workflow.last_task.data)
        return merged

    # -- internals ----------------------------------------------------------------------------

    def _really_completed(self) -> bool:
        # SpiffWorkflow's is_completed() stops looking at depth 1000; we prune history so the
        # tree stays shallow, and double-check that no unfinished task exists anywhere.
        return not any(not t.has_state(TaskState.FINISHED_MASK) for t in self.workflow.tasks.values())

    def _ready_human_task(self, task_id):
        from uuid import UUID

        try:
            task = self.workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:
            task = None
        if task is None or not is_human(task.task_spec):
            raise NotFound(f"Aufgabe {task_id} gibt es in diesem Vorgang nicht")
        if task.state != TaskState.READY:
            raise Conflict(f"Aufgabe '{task.task_spec.bpmn_name}' ist nicht mehr offen")
        return task

    def _send_message(self, name, payload):
        event = BpmnEvent(MessageEventDefinition(name), payload=deepcopy(payload or {}))
        caught = self.workflow.event_manager.catch(event, internal=False)
        if caught == 0:
            raise Conflict(f"Der Vorgang wartet nicht auf die Nachricht '{name}'")
        self._steps()

    def _open_start_events(self):
        # Run only the engine's own start scaffolding so the start events exist and wait;
        # do_engine_steps would also run a none start event right away.
        for _ in range(3):
            for task in self.workflow.get_tasks(state=TaskState.READY):
                if task.task_spec.name in ("Start", "StartEventSplit"):
                    task.run()
        for task in self.workflow.get_tasks(state=TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE):
            if task.parent is not None and task.parent.task_spec.name == "StartEventSplit":
                task.task_spec._update(task)

    def _cancel_message_starts(self):
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            if isinstance(task.task_spec, CatchingEvent) and task.parent is not None and \
                    task.parent.task_spec.name == "StartEventSplit":
                task.cancel()

    def _cancel_none_starts(self):
        for task in self.workflow.get_tasks(state=TaskState.READY):
            spec = task.task_spec
            if task.parent is not None and task.parent.task_spec.name == "StartEventSplit" and \
                    type(getattr(spec, "event_definition", None)).__name__ == "NoneEventDefinition":
                task.cancel()

    def _steps(self):
        try:
            # do_engine_steps refreshes timers only at its end; a timer that came due is READY
            # then but not yet run, so go round until nothing automatic is left to do.
            for _ in range(1000):
                self.workflow.refresh_timers()
                self.workflow.do_engine_steps(
                    will_complete_task=self._will_complete, did_complete_task=self._did_complete
                )
                if not any(not t.task_spec.manual for t in self.workflow.get_tasks(state=TaskState.READY)):
                    break
        except Exception as exc:  # engine, DMN or model errors: the case goes into an incident
            self._raise_incident(exc)
        for event in self.workflow.get_events():
            self.effects.outbox.append({"name": event.event_definition.name, "payload": event.payload})
            self.effects.events.append(
                {"type": "message_sent", "element_id": None, "data": {"message": event.event_definition.name}}
            )
        prune_history(self.workflow)

    def _raise_incident(self, exc):
        task = getattr(exc, "task", None)
        where = f"'{task.task_spec.bpmn_name or task.task_spec.bpmn_id}'" if task is not None else "dem Prozess"
        message = f"Fehler in {where}: {getattr(exc, 'message', None) or exc}"
        notes = getattr(exc, "__notes__", None) or []
        if notes:
            message += " (" + "; ".join(str(n) for n in notes) + ")"
        self.effects.incident = message
        self.effects.events.append(
            {
                "type": "incident_raised",
                "element_id": getattr(task.task_spec, "bpmn_id", None) if task is not None else None,
                "element_name": getattr(task.task_spec, "bpmn_name", None) if task is not None else None,
                "data": {"message": message},
            }
        )

    def _will_complete(self, task):
        if isinstance(task.task_spec, ScriptTask):
            self._before[task.id] = deepcopy(task.data)

    def _did_complete(self, task):
        spec = task.task_spec
        if isinstance(spec, ScriptTask):
            before = self._before.pop(task.id, {})
            changed = {k: v for k, v in task.data.items() if k not in before or before[k] != v}
            self._record(task, "script_executed", {"changed": changed})
        elif isinstance(spec, DecisionTask):
            self._record(task, "decision_evaluated", task.internal_data.pop("zsa_decision", {}))
        elif isinstance(spec, (ExclusiveGateway, InclusiveGateway)):
            taken = [_element_of(c) for c in task.children
                     if c.has_state(TaskState.DEFINITE_MASK | TaskState.FINISHED_MASK) and not c.has_state(TaskState.CANCELLED)]
            self._record(task, "gateway_taken", {"to": taken})
        elif isinstance(spec, CatchingEvent):
            definition = spec.event_definition
            for seen in task.internal_data.get("seen_events", []):  # event-based gateway
                if isinstance(seen.event_definition, TimerEventDefinition):
                    self._record(task, "timer_fired", {"due": task._get_internal_data("event_value")})
                else:
                    self._record(task, "message_received", {"message": seen.event_definition.name,
                                                            "payload": seen.payload})
            if isinstance(definition, TimerEventDefinition):
                self._record(task, "timer_fired", {"due": task._get_internal_data("event_value")})
            elif isinstance(definition, MessageEventDefinition):
                self._record(task, "message_received", {"message": definition.name, "payload": task.internal_data.get(definition.name)})
        if isinstance(spec, EndEvent) and spec.bpmn_id:
            self._record(task, "end_event", {})

    def _record(self, task, type_, data):
        spec = task.task_spec
        self.effects.events.append(
            {"type": type_, "element_id": spec.bpmn_id, "element_name": spec.bpmn_name, "data": data}
        )


def _element_of(task):
    """The BPMN element a (possibly engine-internal) task stands for, e.g. behind a boundary split."""
    spec = task.task_spec
    if getattr(spec, "bpmn_id", None):
        return spec.bpmn_id
    for child_spec in spec.outputs:
        if getattr(child_spec, "bpmn_id", None) and not type(child_spec).__name__.startswith("Boundary"):
            return child_spec.bpmn_id
    return spec.name
