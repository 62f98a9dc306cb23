"""One case on the engine: create or restore it, drive it, and report the effects as plain values.

The runner knows nothing about the database. Production (services/runs.py) restores a case, calls
one operation and persists `run.effects`; replay restores nothing but re-creates the case and feeds
the recorded inputs with the SINGLE_STEP strategy; the simulation keeps cases in memory on its own
clock with the SIMULATION strategy. See docs/architecture.md, "Engine contract".
"""
from contextlib import contextmanager
from copy import deepcopy
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.specs.mixins.exclusive_gateway import ExclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.inclusive_gateway import InclusiveGateway
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from ..bpmn import runtime
from ..bpmn.parser import is_human
from ..bpmn.specs import DecisionTask
from ..clock import SystemClock
from ..errors import Conflict, NotFound
from . import lean, lean_tree, walk
from . import state as stored_state
from .lean import copy_data  # a deep copy of JSON-like input data (what deepcopy gives, quicker)
from .effects import ClosedTask, Effects, SentMessage, TimerSet
from .prune import prune_history
from .strategies import RUN_TO_WAIT
from .task_meta import opened_task

lean.install()
lean_tree.install()

RUNNING, COMPLETED, CANCELLED, INCIDENT = "running", "completed", "cancelled", "incident"
_MAX_ROUNDS = 1000  # automatic steps per operation before we call it a loop without a wait state


class CaseRun:
    """One case's workflow with the operations a caller may apply. Each operation returns the
    Effects collected since the last hand-over (its own, plus those of any `step()` before it);
    `take_effects()` hands over what single steps collected."""

    def __init__(self, workflow, definition, clock=None, strategy=RUN_TO_WAIT):
        self.workflow = workflow
        self.definition = definition
        self.clock = clock or SystemClock()
        self.strategy = strategy
        self.effects = Effects()
        self._before = {}
        self._queue = []  # SINGLE_STEP: the current pass of ready automatic tasks
        self._completed_task = None  # the task a person just completed (closed as completed)
        self.incident = None  # the message of the error that stopped the case, until a retry
        self._walked = None  # (ready human tasks, waiting tasks, all it found) as the last walk of `_steps` saw them
        self._at_rest = None  # after an operation: its ready, waiting and failed tasks in walk order (case_data)
        walk.install(workflow)
        human, waiting, self._at_rest = self._human_and_waiting()
        self._open = self._open_of(human)
        self._timers = self._timer_dues(waiting)

    @classmethod
    def new(cls, definition, clock=None, strategy=RUN_TO_WAIT):
        """A new, not yet started case of a deployed version."""
        workflow = BpmnWorkflow(definition.spec, definition.subprocess_specs, script_engine=definition.script_engine)
        return cls(workflow, definition, clock, strategy)

    @classmethod
    def restore(cls, definition, stored, clock=None, strategy=RUN_TO_WAIT):
        """A case from its stored state (`engine.state.StoredState`), migrated if it is older."""
        return cls(stored_state.load(stored, definition), definition, clock, strategy)

    def stored_state(self):
        """The case's state for storage (current format)."""
        return stored_state.dump(self.workflow)

    def take_effects(self) -> Effects:
        """The effects collected so far; collecting starts afresh."""
        effects, self.effects = self.effects, Effects()
        return effects

    # -- operations -------------------------------------------------------------------------

    def start(self, data: dict, message: str | None = None):
        """Start the case: via its none start event, or by the message that starts it."""
        with self._operation():
            if message is None:
                self._cancel_message_starts()
                for task in walk.tasks(self.workflow, TaskState.READY):
                    task.data.update(copy_data(data))
                self._advance()
            else:
                self._open_start_events()
                self._cancel_none_starts()
                self._send_message(message, data)
        return self.take_effects()

    def complete_task(self, task_id, data: dict):
        """Complete a human task with validated form data and run on to the next wait state."""
        with self._operation():
            task = self._ready_human_task(task_id)
            task.data.update(copy_data(data))
            task.run()
            self._record(task, "task_completed", {"data": data})
            self._completed_task = str(task.id)
            self._advance()
        return self.take_effects()

    def deliver_message(self, name: str, payload: dict):
        """Deliver a message to a waiting receive task or message catch event."""
        with self._operation():
            self._send_message(name, payload)
        return self.take_effects()

    def fire_due_timers(self):
        """Let every timer whose due time (engine clock) has passed fire, then run on."""
        with self._operation():
            self._advance()
        return self.take_effects()

    def retry(self, data: dict | None = None):
        """Put tasks in ERROR back to READY, optionally with corrected data, and run again."""
        with self._operation():
            errored = walk.tasks(self.workflow, TaskState.ERROR)
            for task in errored:
                if data:
                    task.data.update(copy_data(data))
                task._set_state(TaskState.READY)
            self.incident = None
            self.effects.events.append({"type": "retried", "data": {"tasks": len(errored), "data": data or {}}})
            self._advance()
        return self.take_effects()

    def step(self) -> bool:
        """SINGLE_STEP: run the next automatic step; False when the case waits or is in incident."""
        with self._operation():
            if self.incident:
                return False
            task = self._next_automatic()
            if task is None:
                self._settle()
                return False
            try:
                self._will_complete(task)
                task.run()
                self._did_complete(task)
                if task.workflow is not self.workflow:  # a step inside a subprocess
                    parent = self.workflow.get_task_from_id(task.workflow.parent_task_id)
                    parent.task_spec._update(parent)
            except Exception as exc:  # engine, DMN or model errors: the case goes into an incident
                self._raise_incident(exc)
            self._collect_messages()
            self._settle()
        return True

    def run_to_wait(self):
        """SINGLE_STEP: step until the case waits; returns the number of steps."""
        count = 0
        while self.step():
            count += 1
        return count

    def release(self):
        """SIMULATION: the case is done and nobody asks it anything again. Its objects refer to each
        other (tasks to their workflow, the workflow to its tasks, its event manager and itself), so
        without help only the cycle collector could free them; dropping those references here lets
        them go at once. The run cannot be used afterwards."""
        workflows = [self.workflow, *self.workflow.subprocesses.values()]
        for workflow in workflows:
            for task in workflow.tasks.values():
                task.__dict__.clear()
        for workflow in workflows:
            workflow.__dict__.clear()
        self.__dict__.clear()

    @contextmanager
    def _operation(self):
        """Around every operation: the engine clock in force, and the tasks at rest forgotten until
        the operation settles again (`_settle`)."""
        self._at_rest = None
        with runtime.using_clock(self.clock):
            yield

    # -- queries ------------------------------------------------------------------------------

    def state(self) -> str:
        """running | completed | incident."""
        if self.incident or next(walk.iterate(self.workflow, TaskState.ERROR), None):
            return INCIDENT
        return COMPLETED if self._really_completed() else RUNNING

    def open_tasks(self):
        """The human tasks ready now, with their metadata evaluated at the engine clock's now."""
        with runtime.using_clock(self.clock):
            now = self.clock.now()
            return [opened_task(t, self.definition.form_shas, now) for t in self._human_tasks()]

    def waiting_timers(self):
        """TimerSet for every timer the case waits on."""
        return [TimerSet(tid, element, name, TimerEventDefinition.get_datetime(due))
                for tid, (element, name, due) in self._timer_dues().items()]

    def waiting_messages(self):
        """Names of the messages the case waits for (receive tasks, catch events, event gateways)."""
        names = []
        for pending in self.workflow.waiting_events():
            if pending.event_type == "MessageEventDefinition" or pending.event_type.endswith("MessageEventDefinition"):
                names.append(pending.name)
        return names

    def case_data(self) -> dict:
        """The data a person sees for the case: the latest data on the active path."""
        if self._really_completed():
            last = self.workflow.last_task
            return dict(self.workflow.data or {}) | (dict(last.data) if last is not None else {})
        merged = {}
        at_rest = self._at_rest  # the same walk, when the last operation's settling made it
        for task in walk.iterate(self.workflow, TaskState.READY | TaskState.WAITING | TaskState.ERROR) \
                if at_rest is None else at_rest:
            merged.update(task.data)
        if not merged and self.workflow.last_task is not None:
            merged = dict(self.workflow.last_task.data)
        return merged

    def active_elements(self):
        """(active element ids, element ids in error) for the diagram."""
        active, incident = set(), set()
        states = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
        for task in walk.iterate(self.workflow, states):
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

    # -- internals: driving ---------------------------------------------------------------------

    def _advance(self):
        self._walked = None
        if self.strategy.run_to_wait:
            self._steps()
        self._settle()

    def _steps(self):
        try:
            # do_engine_steps refreshes timers only at its end; a timer that came due is READY
            # then but not yet run, so go round until nothing automatic is left to do.
            for _ in range(_MAX_ROUNDS):
                self.workflow.refresh_timers()
                if self.strategy.follow_children and not self.workflow.subprocesses:
                    self._follow_children()
                else:
                    self._engine_steps()
                if self._waits():
                    break
        except Exception as exc:  # engine, DMN or model errors: the case goes into an incident
            self._raise_incident(exc)
        self._collect_messages()
        prune_history(self.workflow)

    def _waits(self):
        """True when no automatic task is ready. The walk that finds out also collects what
        `_settle` needs (ready human tasks, waiting tasks), kept for it in `_walked`: nothing
        between the last round and `_settle` changes those (pruning removes finished tasks only)."""
        found = walk.settled(self.workflow)
        if found is None:  # an automatic task is ready
            self._walked = None
            return False
        self._walked = self._human_and_waiting(found)
        return True

    def _engine_steps(self):
        """`BpmnWorkflow.do_engine_steps` with the lean task walks: the same passes over the same
        tasks in the same order (deepest active subprocesses first, each until it has nothing left)."""
        workflow = self.workflow
        while self._engine_pass(workflow):
            pass
        workflow.refresh_timers()

    def _engine_pass(self, workflow):
        active = workflow.get_active_subprocesses()
        for subprocess in sorted(active, key=lambda w: w.depth, reverse=True):
            while self._run_ready(subprocess):
                pass
            if subprocess.parent_task_id is not None:
                task = workflow.get_task_from_id(subprocess.parent_task_id)
                task.task_spec._update(task)
        count = self._run_ready(workflow)
        return count > 0 or len(workflow.get_active_subprocesses()) > len(active)

    def _run_ready(self, workflow):
        count = 0
        for task in walk.tasks(workflow, TaskState.READY, manual=False):
            self._will_complete(task)
            task.run()
            count += 1
            self._did_complete(task)
        return count

    def _follow_children(self):
        """SIMULATION: run the ready automatic tasks, then the ready children of each task run, so
        a chain of automatic steps costs one walk of the task tree instead of one per step; ends
        with the engine's timer refresh like do_engine_steps."""
        work = walk.tasks(self.workflow, TaskState.READY, manual=False)
        while work:
            task = work.pop(0)
            if task.state != TaskState.READY:
                continue
            self._will_complete(task)
            task.run()
            self._did_complete(task)
            work.extend(c for c in task.children if c.state == TaskState.READY and not c.task_spec.manual)
        self.workflow.refresh_timers()

    def _next_automatic(self):
        """The next ready automatic task in do_engine_steps' order (pass by pass), or None."""
        for _ in range(2):
            while self._queue:
                task = self._queue.pop(0)
                if task.state == TaskState.READY and not task.task_spec.manual:
                    return task
            self._queue = self._ready_automatic()
            if not self._queue:
                self.workflow.refresh_timers()
                self._queue = self._ready_automatic()
            if not self._queue:
                return None
        return None

    def _ready_automatic(self):
        workflows = sorted(self.workflow.get_active_subprocesses(), key=lambda w: w.depth, reverse=True)
        ready = []
        for wf in [*workflows, self.workflow]:
            ready.extend(walk.iterate(wf, TaskState.READY, manual=False))
        return ready

    def _send_message(self, name, payload):
        event = BpmnEvent(MessageEventDefinition(name), payload=copy_data(payload or {}))
        caught = self.workflow.event_manager.catch(event, internal=False)
        if caught == 0:
            raise Conflict(f"Der Vorgang wartet nicht auf die Nachricht '{name}'")
        self._advance()

    def _open_start_events(self):
        # Run only the engine's own start scaffolding so the start events exist and wait;
        # do_engine_steps would also run a none start event right away.
        for _ in range(3):
            for task in walk.tasks(self.workflow, TaskState.READY):
                if task.task_spec.name in ("Start", "StartEventSplit"):
                    task.run()
        for task in walk.tasks(self.workflow, TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE):
            if task.parent is not None and task.parent.task_spec.name == "StartEventSplit":
                task.task_spec._update(task)

    def _cancel_message_starts(self):
        for task in walk.tasks(self.workflow, TaskState.WAITING):
            if isinstance(task.task_spec, CatchingEvent) and task.parent is not None and \
                    task.parent.task_spec.name == "StartEventSplit":
                task.cancel()

    def _cancel_none_starts(self):
        for task in walk.tasks(self.workflow, TaskState.READY):
            spec = task.task_spec
            if task.parent is not None and task.parent.task_spec.name == "StartEventSplit" and \
                    type(getattr(spec, "event_definition", None)).__name__ == "NoneEventDefinition":
                task.cancel()

    def _ready_human_task(self, task_id):
        try:
            task = self.workflow.get_task_from_id(UUID(str(task_id)))
        except Exception:
            task = None
        if task is None or not is_human(task.task_spec):
            raise NotFound(f"Aufgabe {task_id} gibt es in diesem Vorgang nicht")
        if task.state != TaskState.READY:
            raise Conflict(f"Aufgabe '{task.task_spec.bpmn_name}' ist nicht mehr offen")
        return task

    def _really_completed(self) -> bool:
        # SpiffWorkflow's is_completed() stops looking at depth 1000; we prune history so the
        # tree stays shallow, and double-check that no unfinished task exists anywhere.
        return walk.all_finished(self.workflow)

    # -- internals: what changed ------------------------------------------------------------

    def _human_tasks(self):
        return [t for t in walk.iterate(self.workflow, TaskState.READY) if is_human(t.task_spec)]

    def _human_and_waiting(self, found=None):
        """(ready human tasks, waiting tasks, all ready, waiting and failed tasks in walk order): what
        `walk.settled` found (`found`), else one walk of the task tree now."""
        manual, waiting, in_order = found or walk.settled(self.workflow, stop_at_automatic=False)
        return [t for t in manual if is_human(t.task_spec)], waiting, in_order

    @staticmethod
    def _open_of(human):
        return {str(t.id): (t.task_spec.bpmn_id, t.task_spec.bpmn_name) for t in human}

    def _timer_dues(self, waiting=None):
        """timer task id -> (element id, name, due ISO string) for every timer the case waits on."""
        result = {}
        for task in walk.iterate(self.workflow, TaskState.WAITING) if waiting is None else waiting:
            definition = getattr(task.task_spec, "event_definition", None)
            # an event-based gateway waits with a MultipleEventDefinition holding its timer
            inner = getattr(definition, "event_definitions", None) or []
            if isinstance(definition, TimerEventDefinition) or any(isinstance(d, TimerEventDefinition) for d in inner):
                due = task._get_internal_data("event_value")
                if isinstance(due, str):
                    result[str(task.id)] = (task.task_spec.bpmn_id, task.task_spec.bpmn_name, due)
        return result

    def _settle(self):
        """Turn the difference of open tasks and timers since the last settle into effects."""
        completed, self._completed_task = self._completed_task, None
        walked, self._walked = self._walked, None
        human, waiting, self._at_rest = walked or self._human_and_waiting()  # one walk for all of it
        now_open = self._open_of(human)
        for task_id, (element_id, name) in self._open.items():
            if task_id in now_open:
                continue
            self.effects.tasks_closed.append(ClosedTask(task_id, element_id, name, completed=task_id == completed))
            if task_id != completed:
                self.effects.events.append({"type": "task_cancelled", "element_id": element_id,
                                            "element_name": name, "data": {"task_id": task_id}})
        now = self.clock.now()
        for task_id, task in zip(now_open, human):
            if task_id in self._open:
                continue
            opened = opened_task(task, self.definition.form_shas, now)
            self.effects.tasks_opened.append(opened)
            self.effects.events.append({
                "type": "task_created", "element_id": opened.element_id, "element_name": opened.name,
                "data": {"task_id": opened.task_id, "candidate_groups": opened.candidate_groups,
                         "assignee": opened.assignee, "due": opened.due_at.isoformat() if opened.due_at else None}})
        self._open = now_open
        timers = self._timer_dues(waiting)
        for timer_id, (_element, _name, due) in self._timers.items():
            if timers.get(timer_id, (None, None, None))[2] != due:
                self.effects.timers_cleared.append(timer_id)
        for timer_id, (element_id, name, due) in timers.items():
            if self._timers.get(timer_id, (None, None, None))[2] != due:
                self.effects.timers_set.append(TimerSet(timer_id, element_id, name,
                                                        TimerEventDefinition.get_datetime(due)))
        self._timers = timers

    def _collect_messages(self):
        for event in self.workflow.get_events():
            self.effects.messages.append(SentMessage(event.event_definition.name, event.payload))

    def _raise_incident(self, exc):
        task = getattr(exc, "task", None)
        where = f"'{task.task_spec.bpmn_name or task.task_spec.bpmn_id}'" if task is not None else "dem Prozess"
        message = f"Fehler in {where}: {getattr(exc, 'message', None) or exc}"
        notes = getattr(exc, "__notes__", None) or []
        if notes:
            message += " (" + "; ".join(str(n) for n in notes) + ")"
        self.incident = self.effects.incident = message
        self.effects.events.append({
            "type": "incident_raised",
            "element_id": getattr(task.task_spec, "bpmn_id", None) if task is not None else None,
            "element_name": getattr(task.task_spec, "bpmn_name", None) if task is not None else None,
            "data": {"message": message},
        })

    def _will_complete(self, task):
        if self.strategy.record_data_changes and isinstance(task.task_spec, ScriptTask):
            self._before[task.id] = deepcopy(task.data)

    def _did_complete(self, task):
        spec = task.task_spec
        if not isinstance(spec, _RECORDED):
            return  # a human task, plain flow node or engine-internal task: none of the tests below holds
        if isinstance(spec, ScriptTask):
            changed = {}
            if self.strategy.record_data_changes:
                before = self._before.pop(task.id, {})
                changed = {k: v for k, v in task.data.items() if k not in before or before[k] != v}
            self._record(task, "script_executed", {"changed": changed})
        elif isinstance(spec, DecisionTask):
            self._record(task, "decision_evaluated", task.internal_data.pop("zsa_decision", {}))
        elif isinstance(spec, (ExclusiveGateway, InclusiveGateway)):
            if len(spec.outputs) > 1:
                taken = [_element_of(c) for c in task.children
                         if c.has_state(TaskState.DEFINITE_MASK | TaskState.FINISHED_MASK)
                         and not c.has_state(TaskState.CANCELLED)]
                self._record(task, "gateway_taken", {"to": taken})
            else:  # a merge decides nothing
                self._record(task, "gateway_passed", {})
        elif isinstance(spec, CatchingEvent):
            self._record_caught(task, spec)
        if isinstance(spec, ThrowingEvent) and isinstance(getattr(spec, "event_definition", None),
                                                          MessageEventDefinition):
            self._record(task, "message_sent", {"message": spec.event_definition.name})
        if isinstance(spec, EndEvent) and spec.bpmn_id:
            self._record(task, "end_event", {})

    def _record_caught(self, task, spec):
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
            self._record(task, "message_received", {"message": definition.name,
                                                    "payload": task.internal_data.get(definition.name)})

    def _record(self, task, type_, data):
        spec = task.task_spec
        self.effects.events.append(
            {"type": type_, "element_id": spec.bpmn_id, "element_name": spec.bpmn_name, "data": data}
        )


_RECORDED = (ScriptTask, DecisionTask, ExclusiveGateway, InclusiveGateway, CatchingEvent, ThrowingEvent, EndEvent)
def _element_of(task):
    """The BPMN element a (possibly engine-internal) task stands for, e.g. behind a boundary split."""
    spec = task.task_spec
    if getattr(spec, "bpmn_id", None):
        return spec.bpmn_id
    for child_spec in spec.outputs:
        if getattr(child_spec, "bpmn_id", None) and not type(child_spec).__name__.startswith("Boundary"):
            return child_spec.bpmn_id
    return spec.name
