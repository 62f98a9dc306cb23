"""Load a case's workflow for an engine run and persist everything the run changed, atomically."""
import json
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from sqlalchemy import delete, insert, select, update

from ..bpmn import runtime
from ..bpmn.serializer import FORMAT, dump_state, load_state
from ..engine.runner import COMPLETED, CaseRun
from ..errors import Conflict, NotFound
from ..storage.tables import human_task, outbox, task_candidate, timer, vorgang, workflow_state
from .history import append_events
from .task_meta import task_row_values


def get_case_row(uow, number=None, case_id=None):
    """The case row by number or id, or NotFound."""
    cond = vorgang.c.number == number if number is not None else vorgang.c.id == case_id
    row = uow.execute(select(vorgang).where(cond)).mappings().first()
    if row is None:
        raise NotFound(f"Vorgang {number or case_id} nicht gefunden")
    return row


def open_run(platform, uow, case_row):
    """A CaseRun on the case's workflow (from the in-process cache when it is current)."""
    definition = platform.definition(uow, case_row["definition_id"])
    workflow = platform.workflows.take(case_row["id"], case_row["lock_version"])
    if workflow is None:
        blob = uow.execute(
            select(workflow_state.c.state).where(workflow_state.c.case_id == case_row["id"])
        ).scalar_one()
        workflow = load_state(blob, definition.spec, definition.subprocess_specs, definition.script_engine)
    return CaseRun(workflow), definition


def save_run(platform, uow, case_row, definition, run: CaseRun, actor, now, events_before=(), completed=None):
    """Persist the run: case row (optimistic lock), state, open tasks, timers, history, outbox."""
    state = run.state()
    new_version = case_row["lock_version"] + 1
    data = run.case_data()
    values = {
        "state": state,
        "data": _jsonable(data),
        "incident": run.effects.incident,
        "lock_version": new_version,
        "updated_at": now,
    }
    if state == COMPLETED and case_row["ended_at"] is None:
        values["ended_at"] = now
    if state != "incident":
        values["incident"] = None
    if case_row.get("title") is None and data.get("antragsteller_name"):
        values["title"] = str(data["antragsteller_name"])[:300]
    result = uow.execute(
        update(vorgang)
        .where(vorgang.c.id == case_row["id"], vorgang.c.lock_version == case_row["lock_version"])
        .values(**values)
    )
    if result.rowcount != 1:
        raise Conflict(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte neu laden.")

    blob = dump_state(run.workflow)
    uow.execute(update(workflow_state).where(workflow_state.c.case_id == case_row["id"]).values(state=blob, format=FORMAT))

    events = list(events_before) + run.effects.events
    events += _sync_tasks(uow, case_row, definition, run, now, completed)
    _sync_timers(uow, case_row, run)
    if state == COMPLETED and case_row["state"] != COMPLETED:
        events.append({"type": "case_completed", "data": {}})
    if state != "incident" and case_row["state"] == "incident":
        events.append({"type": "incident_resolved", "data": {}})
    append_events(uow, case_row["id"], case_row["number"], events, actor, now)
    for message in run.effects.outbox:
        uow.execute(insert(outbox).values(case_id=case_row["id"], name=message["name"],
                                          payload=_jsonable(message["payload"]), created_at=now))
    workflow = run.workflow
    uow.after_commit.append(lambda: platform.workflows.put(case_row["id"], new_version, workflow))
    return state


def _sync_tasks(uow, case_row, definition, run, now, completed):
    """Insert rows for new READY human tasks; close rows whose task is no longer READY."""
    events = []
    open_rows = {
        r.id: r for r in uow.execute(
            select(human_task.c.id, human_task.c.task_def, human_task.c.name)
            .where(human_task.c.case_id == case_row["id"], human_task.c.state == "open")
        )
    }
    ready = {str(t.id): t for t in run.human_tasks()}
    for task_id, row in open_rows.items():
        if task_id in ready:
            continue
        if completed and task_id == completed["task_id"]:
            uow.execute(update(human_task).where(human_task.c.id == task_id).values(
                state="completed", completed_at=now, completed_by=completed["user"], draft=None))
        else:
            uow.execute(update(human_task).where(human_task.c.id == task_id).values(state="cancelled", completed_at=now))
            events.append({"type": "task_cancelled", "element_id": row.task_def, "element_name": row.name,
                           "data": {"task_id": task_id}})
    with runtime.using_clock(_FixedClock(now)):
        for task_id, task in ready.items():
            if task_id in open_rows:
                continue
            values = task_row_values(task, definition, now)
            candidates = values.pop("_candidates")
            uow.execute(insert(human_task).values(
                id=task_id, case_id=case_row["id"], case_number=case_row["number"],
                process_id=case_row["process_id"], kommune=case_row["kommune"], state="open",
                created_at=now, **values))
            if candidates:
                uow.execute(insert(task_candidate), [{"task_id": task_id, **c} for c in candidates])
            events.append({"type": "task_created", "element_id": task.task_spec.bpmn_id,
                           "element_name": task.task_spec.bpmn_name,
                           "data": {"task_id": task_id, "candidate_groups": values["candidate_groups"],
                                    "assignee": values["assignee"], "due": _iso(values["due_at"])}})
    return events


def _sync_timers(uow, case_row, run):
    uow.execute(delete(timer).where(timer.c.case_id == case_row["id"]))
    rows = []
    for task, due in run.waiting_timers():
        rows.append({"id": str(task.id), "case_id": case_row["id"], "element_id": task.task_spec.bpmn_id,
                     "due_at": TimerEventDefinition.get_datetime(due)})
    if rows:
        uow.execute(insert(timer), rows)


class _FixedClock:
    def __init__(self, now):
        self._now = now

    def now(self):
        return self._now


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _jsonable(value):
    return json.loads(json.dumps(value, default=_iso))
