"""Load a case's workflow for an engine run and persist everything the run changed, atomically.

This is the hot path of every engine operation; statements are built once with bind parameters
and only what changed is written (the rows mirror the workflow state before the run).
"""
import json
from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from sqlalchemy import bindparam, delete, insert, select, update

from ..bpmn import runtime
from ..bpmn.serializer import FORMAT, dump_state, load_state
from ..engine.runner import COMPLETED, INCIDENT, CaseRun
from ..errors import Conflict, NotFound
from ..storage.tables import human_task, outbox, task_candidate, timer, vorgang, workflow_state
from .history import chain, insert_events
from .task_meta import task_row_values

_CASE_BY_ID = select(vorgang).where(vorgang.c.id == bindparam("b_id"))
_CASE_BY_NUMBER = select(vorgang).where(vorgang.c.number == bindparam("b_number"))
_STATE = select(workflow_state.c.state).where(workflow_state.c.case_id == bindparam("b_id"))
_SAVE_CASE = (
    update(vorgang)
    .where(vorgang.c.id == bindparam("b_id"), vorgang.c.lock_version == bindparam("b_version"),
           vorgang.c.last_seq == bindparam("b_seq"))
    .values(state=bindparam("state"), data=bindparam("data"), incident=bindparam("incident"),
            lock_version=bindparam("new_version"), updated_at=bindparam("now"), ended_at=bindparam("ended_at"),
            title=bindparam("title"), last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)
_SAVE_STATE = update(workflow_state).where(workflow_state.c.case_id == bindparam("b_id")).values(
    state=bindparam("state"), format=bindparam("format"))
_CLOSE_TASK = update(human_task).where(human_task.c.id == bindparam("b_id")).values(
    state=bindparam("state"), completed_at=bindparam("completed_at"), completed_by=bindparam("completed_by"),
    draft=None)
_DROP_TIMER = delete(timer).where(timer.c.id == bindparam("b_id"))


def get_case_row(uow, number=None, case_id=None):
    """The case row by number or id, or NotFound."""
    if number is not None:
        row = uow.execute(_CASE_BY_NUMBER, {"b_number": number}).mappings().first()
    else:
        row = uow.execute(_CASE_BY_ID, {"b_id": case_id}).mappings().first()
    if row is None:
        raise NotFound(f"Vorgang {number or case_id} nicht gefunden")
    return row


def open_run(platform, uow, case_row):
    """A CaseRun on the case's workflow (from the in-process cache when it is current)."""
    definition = platform.definition(uow, case_row["definition_id"])
    workflow = platform.workflows.take(case_row["id"], case_row["lock_version"])
    if workflow is None:
        blob = uow.execute(_STATE, {"b_id": case_row["id"]}).scalar_one()
        workflow = load_state(blob, definition.spec, definition.subprocess_specs, definition.script_engine)
    return CaseRun(workflow), definition


def save_run(platform, uow, case_row, definition, run: CaseRun, actor, now, events_before=(), completed=None):
    """Persist the run: case row (optimistic lock), state, open tasks, timers, history, outbox."""
    state = run.state()
    data = run.case_data()  # task data is JSON by construction (the script engine enforces it)
    new_tasks, closed, task_events = _task_changes(run, definition, now, completed)
    events = list(events_before) + run.effects.events + task_events
    if state == COMPLETED and case_row["state"] != COMPLETED:
        events.append({"type": "case_completed", "data": {}})
    if state != INCIDENT and case_row["state"] == INCIDENT:
        events.append({"type": "incident_resolved", "data": {}})
    rows, new_seq, new_hash = chain(case_row, events, actor, now)

    new_version = case_row["lock_version"] + 1
    title = case_row["title"] or case_title(definition, data)
    result = uow.execute(_SAVE_CASE, {
        "b_id": case_row["id"], "b_version": case_row["lock_version"], "b_seq": case_row["last_seq"],
        "state": state, "data": data, "incident": run.effects.incident if state == INCIDENT else None,
        "new_version": new_version, "now": now,
        "ended_at": case_row["ended_at"] or (now if state == COMPLETED else None),
        "title": title, "new_seq": new_seq, "new_hash": new_hash,
    })
    if result.rowcount != 1:
        raise Conflict(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte neu laden.")

    uow.execute(_SAVE_STATE, {"b_id": case_row["id"], "state": dump_state(run.workflow), "format": FORMAT})
    if closed:
        uow.execute(_CLOSE_TASK, closed)
    if new_tasks:
        candidates = [c for t in new_tasks for c in t.pop("_candidates")]
        uow.execute(insert(human_task), [dict(t, case_id=case_row["id"], case_number=case_row["number"],
                                              process_id=case_row["process_id"], kommune=case_row["kommune"],
                                              state="open", created_at=now) for t in new_tasks])
        if candidates:
            uow.execute(insert(task_candidate), candidates)
    _timer_changes(uow, case_row, run)
    insert_events(uow, rows)
    if run.effects.outbox:
        uow.execute(insert(outbox), [{"case_id": case_row["id"], "name": m["name"],
                                      "payload": _jsonable(m["payload"]), "created_at": now}
                                     for m in run.effects.outbox])
    workflow = run.workflow
    uow.after_commit.append(lambda: platform.workflows.put(case_row["id"], new_version, workflow))
    return state


def case_title(definition, data):
    """The searchable case title: the data fields named by the process property `zsa:case-title`
    (comma-separated, e.g. "halter_vorname,halter_nachname"), else `antragsteller_name`."""
    keys = (definition.properties.get("zsa:case-title") or "antragsteller_name").split(",")
    parts = [str(data[k.strip()]) for k in keys if data.get(k.strip()) not in (None, "")]
    return " ".join(parts)[:300] or None


def _task_changes(run, definition, now, completed):
    """(new task rows, close parameters, events) from the READY human tasks before and after."""
    ready = {str(t.id): t for t in run.human_tasks()}
    closed, events, new = [], [], []
    for task_id, (bpmn_id, name) in run.open_before.items():
        if task_id in ready:
            continue
        if completed and task_id == completed["task_id"]:
            closed.append({"b_id": task_id, "state": "completed", "completed_at": now, "completed_by": completed["user"]})
        else:
            closed.append({"b_id": task_id, "state": "cancelled", "completed_at": now, "completed_by": None})
            events.append({"type": "task_cancelled", "element_id": bpmn_id, "element_name": name,
                           "data": {"task_id": task_id}})
    with runtime.using_clock(_FixedClock(now)):
        for task_id, task in ready.items():
            if task_id in run.open_before:
                continue
            values = task_row_values(task, definition, now)
            values["_candidates"] = [dict(c, task_id=task_id) for c in values["_candidates"]]
            new.append(dict(values, id=task_id))
            events.append({"type": "task_created", "element_id": task.task_spec.bpmn_id,
                           "element_name": task.task_spec.bpmn_name,
                           "data": {"task_id": task_id, "candidate_groups": values["candidate_groups"],
                                    "assignee": values["assignee"], "due": _iso(values["due_at"])}})
    return new, closed, events


def _timer_changes(uow, case_row, run):
    after = {str(t.id): (t.task_spec.bpmn_id, due) for t, due in run.waiting_timers()}
    gone = [{"b_id": tid} for tid, due in run.timers_before.items() if tid not in after or after[tid][1] != due]
    if gone:
        uow.execute(_DROP_TIMER, gone)
    added = [{"id": tid, "case_id": case_row["id"], "element_id": element, "due_at": TimerEventDefinition.get_datetime(due)}
             for tid, (element, due) in after.items() if run.timers_before.get(tid) != due]
    if added:
        uow.execute(insert(timer), added)


class _FixedClock:
    def __init__(self, now):
        self._now = now

    def now(self):
        return self._now


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _jsonable(value):
    return json.loads(json.dumps(value, default=_iso))
