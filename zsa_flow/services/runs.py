"""Load a case's workflow for an engine run and persist everything the run changed, atomically.

This is the hot path of every engine operation; statements are built once with bind parameters
and only what changed is written (the rows mirror the workflow state before the run).
"""
import json
import uuid
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update

from ..engine.runner import COMPLETED, INCIDENT, CaseRun
from ..engine.state import StoredState
from ..errors import Conflict, NotFound, StaleCase, ZsaError
from ..storage.prepared import Prepared
from ..storage.tables import case_key, human_task, outbox, process_definition, task_candidate, timer, vorgang, \
    workflow_state
from .crypto import CaseCipher, insert_keys, new_raw_key
from .data_limits import oversized_result
from .history import chain, cipher_for, insert_events

# The case row carries the content hash of the process version in force (every event hashes it) and
# the case's key row (`key_case_id` NULL: no key yet; `wrapped_key` NULL: erased), so writing its
# events needs no further look-up.
CASE_COLUMNS = (vorgang, process_definition.c.content_hash.label("definition_hash"),
                case_key.c.case_id.label("key_case_id"), case_key.c.wrapped_key)
CASE_QUERY = _CASE = (select(*CASE_COLUMNS)
                      .join(process_definition, process_definition.c.id == vorgang.c.definition_id)
                      .outerjoin(case_key, case_key.c.case_id == vorgang.c.id))
# the statements of every engine operation run prepared (storage/prepared.py)
_CASE_BY_ID = Prepared(_CASE.where(vorgang.c.id == bindparam("b_id")))
_CASE_BY_NUMBER = Prepared(_CASE.where(vorgang.c.number == bindparam("b_number")))
_STATE = Prepared(select(workflow_state.c.format, workflow_state.c.state)
                  .where(workflow_state.c.case_id == bindparam("b_id")))
_SAVE_CASE = Prepared(
    update(vorgang)
    .where(vorgang.c.id == bindparam("b_id"), vorgang.c.lock_version == bindparam("b_version"),
           vorgang.c.last_seq == bindparam("b_seq"))
    .values(state=bindparam("state"), data=bindparam("data"), incident=bindparam("incident"),
            lock_version=bindparam("new_version"), updated_at=bindparam("now"), ended_at=bindparam("ended_at"),
            title=bindparam("title"), last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)
_SAVE_STATE = Prepared(update(workflow_state).where(workflow_state.c.case_id == bindparam("b_id")).values(
    state=bindparam("state"), format=bindparam("format")))
_CLOSE_TASK = Prepared(update(human_task).where(human_task.c.id == bindparam("b_id")).values(
    state=bindparam("state"), completed_at=bindparam("completed_at"), completed_by=bindparam("completed_by"),
    draft=None))
_DROP_TIMER = Prepared(delete(timer).where(timer.c.id == bindparam("b_id")))


def get_case_row(uow, number=None, case_id=None):
    """The case row by number or id, or NotFound."""
    if number is not None:
        row = uow.execute(_CASE_BY_NUMBER, {"b_number": number}).mappings().first()
    else:
        row = uow.execute(_CASE_BY_ID, {"b_id": case_id}).mappings().first()
    if row is None:
        raise NotFound(f"Vorgang {number or case_id} nicht gefunden")
    return row


def on_current_head(platform, operation, attempts=3):
    """Run `operation()` (one unit of work on a case); when it lost only because events were appended
    to the case's history meanwhile — a delivery receipt of the outbox, an auditor's access record:
    the case's state version is still the one the operation read — run it again on the new head. A
    change of the case's state (another completion, a timer) stays a Conflict for the caller."""
    for attempt in range(attempts):
        try:
            return operation()
        except StaleCase as stale:
            if attempt == attempts - 1:
                raise
            with platform.uow(readonly=True) as uow:
                version = uow.execute(_STATE_VERSION, {"b_id": stale.case_id}).scalar()
            if version != stale.lock_version:
                raise


_STATE_VERSION = select(vorgang.c.lock_version).where(vorgang.c.id == bindparam("b_id"))


def open_run(platform, uow, case_row):
    """A CaseRun on the case's workflow (from the in-process cache when it is current)."""
    definition = platform.definition(uow, case_row["definition_id"])
    workflow = platform.workflows.take(case_row["id"], case_row["lock_version"])
    if workflow is not None:
        return CaseRun(workflow, definition, platform.clock), definition
    row = uow.execute(_STATE, {"b_id": case_row["id"]}).one()
    return CaseRun.restore(definition, StoredState(row["format"], row["state"]), platform.clock), definition


def save_run(platform, uow, case_row, definition, run: CaseRun, effects, actor, now, events_before=(),
             completed=None, on_insert=None, stored=None, new_case_id=None):
    """Persist an operation's effects: case row (optimistic lock), state, tasks, timers, history, outbox.

    A new case (`case_row["id"]` None) is inserted with its final values; `on_insert(uow, case_id)`
    then runs with the other writes. The case row's version check and every other write go to the
    database together (one round trip on PostgreSQL); a lost race answers Conflict as before.
    `stored`: the run's stored state when the caller serialized it already (before taking a lock);
    `new_case_id`: the id drawn for a new case beforehand (PostgreSQL), so its row goes with the rest."""
    state = run.state()
    data = run.case_data()  # task data is JSON by construction (the script engine enforces it)
    too_large = oversized_result(data)
    new_case = case_row["id"] is None
    if too_large and new_case:  # a new case: refuse to create it at all
        raise ZsaError(f"Vorgang wurde nicht angelegt: {too_large}", code="data_too_large", status=422)
    if too_large:
        return _save_oversized(uow, case_row, too_large, actor, now, events_before)
    events = list(events_before) + effects.events
    if state == COMPLETED and case_row["state"] != COMPLETED:
        events.append({"type": "case_completed", "data": {}})
    if state != INCIDENT and case_row["state"] == INCIDENT:
        events.append({"type": "incident_resolved", "data": {}})

    title = case_row["title"] or case_title(definition, data)
    values = {"state": state, "data": data, "incident": (run.incident or case_row["incident"]) if state == INCIDENT
              else None, "updated_at": now, "ended_at": case_row["ended_at"] or (now if state == COMPLETED else None),
              "title": title}
    new_keys = []
    if new_case:
        cipher = CaseCipher(new_raw_key())  # a new case gets its key; its row is written below
        rows, new_seq, new_hash = chain(case_row, events, actor, now, cipher)
        case_values = _case_values(case_row, values, new_seq, new_hash)
        if new_case_id is None:
            case_row = dict(case_row, id=uow.execute(_INSERT_CASE, case_values).scalar_one())
        else:
            case_row = dict(case_row, id=new_case_id)
        uow.case_ciphers[case_row["id"]] = cipher
        for row in rows:
            row["case_id"] = case_row["id"]
        new_keys.append({"case_id": case_row["id"], "wrapped_key": uow.keys.wrap(case_row["id"], cipher.raw),
                         "created_at": now})
    else:
        rows, new_seq, new_hash = chain(case_row, events, actor, now, cipher_for(uow, case_row, now, new_keys))
    new_version = case_row["lock_version"] + 1

    stored = stored or run.stored_state()
    with uow.batch():  # one round trip on PostgreSQL; the version check is read once it is through
        if new_case:
            if new_case_id is not None:
                uow.execute(_INSERT_CASE_WITH_ID, dict(case_values, id=new_case_id))
            if on_insert is not None:
                on_insert(uow, case_row["id"])
            uow.execute(_INSERT_STATE, {"case_id": case_row["id"], "state": stored.blob, "format": stored.format})
        else:
            uow.expect_one(uow.execute(_SAVE_CASE, {
                "b_id": case_row["id"], "b_version": case_row["lock_version"], "b_seq": case_row["last_seq"],
                "new_version": new_version, "now": now, "new_seq": new_seq, "new_hash": new_hash, **values}),
                StaleCase(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte neu laden.",
                          case_id=case_row["id"], lock_version=case_row["lock_version"]))
            uow.execute(_SAVE_STATE, {"b_id": case_row["id"], "state": stored.blob, "format": stored.format})
        insert_keys(uow, new_keys)
        _save_tasks(uow, case_row, effects, now, completed)
        _save_timers(uow, case_row, effects)
        insert_events(uow, rows)
        if effects.messages:
            uow.execute(_INSERT_OUTBOX, [{"case_id": case_row["id"], "name": m["name"],
                                          "payload": _jsonable(m["payload"]), "created_at": now,
                                          "delivery_id": str(uuid.uuid4()), "state": "pending", "attempts": 0}
                                         for m in effects.outbox])
    workflow = run.workflow
    case_id = case_row["id"]
    uow.after_commit.append(lambda: platform.workflows.put(case_id, new_version, workflow))
    return state


_INSERT_CASE = Prepared(insert(vorgang).returning(vorgang.c.id))
_INSERT_CASE_WITH_ID = Prepared(insert(vorgang).inline())
_INSERT_STATE = Prepared(insert(workflow_state).inline())
_INSERT_OUTBOX = Prepared(insert(outbox).inline())


def _case_values(case_row, values, new_seq, new_hash):
    """The column values of a new case row."""
    row = {k: case_row.get(k) for k in ("number", "definition_id", "process_id", "kommune", "business_key",
                                        "created_at")}
    row.update(values, lock_version=1, last_seq=new_seq, last_hash=new_hash)
    return row


def _save_oversized(uow, case_row, message, actor, now, events_before):
    """The run produced case data over the limits: keep the case as it was before the run (data, state,
    tasks, timers) and put it into an incident with the message; nothing of the run is stored. A case
    already in this incident (a timer that fires again) is left as it is."""
    if case_row["state"] == INCIDENT and case_row["incident"] == message:
        return INCIDENT
    events = list(events_before) + [{"type": "incident_raised", "element_id": None, "element_name": None,
                                     "data": {"message": message}}]
    rows, new_seq, new_hash = chain(case_row, events, actor, now)
    result = uow.execute(_SAVE_CASE, {
        "b_id": case_row["id"], "b_version": case_row["lock_version"], "b_seq": case_row["last_seq"],
        "state": INCIDENT, "data": case_row["data"], "incident": message,
        "new_version": case_row["lock_version"] + 1, "now": now, "ended_at": case_row["ended_at"],
        "title": case_row["title"], "new_seq": new_seq, "new_hash": new_hash,
    })
    if result.rowcount != 1:
        raise Conflict(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte neu laden.")
    insert_events(uow, rows)
    return INCIDENT


def case_title(definition, data):
    """The searchable case title: the data fields named by the process property `zsa:case-title`
    (comma-separated, e.g. "halter_vorname,halter_nachname"), else `antragsteller_name`."""
    keys = (definition.properties.get("zsa:case-title") or "antragsteller_name").split(",")
    parts = [str(data[k.strip()]) for k in keys if data.get(k.strip()) not in (None, "")]
    return " ".join(parts)[:300] or None


def _save_tasks(uow, case_row, effects, now, completed):
    """Close the task rows of closed tasks and insert rows (with candidates) for opened ones."""
    user = completed["user"] if completed else None
    closed = [{"b_id": t.task_id, "state": "completed" if t.completed else "cancelled", "completed_at": now,
               "completed_by": user if t.completed else None} for t in effects.tasks_closed]
    if closed:
        uow.execute(_CLOSE_TASK, _one_or_many(closed))
    for t in effects.tasks_updated:  # migration: the element changed, assignee, due date and draft stay
        uow.execute(update(human_task).where(human_task.c.id == t.task_id).values(
            task_def=t.element_id, name=t.name, candidate_groups=t.candidate_groups,
            candidate_users=t.candidate_users, form_ref=t.form_ref, form_sha256=t.form_sha256))
        replace_candidates(uow, t.task_id, t.candidate_groups, t.candidate_users)
    if not effects.tasks_opened:
        return
    uow.execute(_INSERT_TASK, _one_or_many([{
        "id": t.task_id, "case_id": case_row["id"], "case_number": case_row["number"],
        "process_id": case_row["process_id"], "kommune": case_row["kommune"], "state": "open", "created_at": now,
        "task_def": t.element_id, "name": t.name, "candidate_groups": t.candidate_groups,
        "candidate_users": t.candidate_users, "assignee": t.assignee, "form_ref": t.form_ref,
        "form_sha256": t.form_sha256, "priority": t.priority, "due_at": t.due_at, "follow_up_at": t.follow_up_at,
    } for t in effects.tasks_opened]))
    candidates = [{"task_id": t.task_id, "kind": kind, "value": value}
                  for t in effects.tasks_opened
                  for kind, values in (("group", t.candidate_groups), ("user", t.candidate_users))
                  for value in dict.fromkeys(values)]
    if candidates:
        uow.execute(_INSERT_CANDIDATE, _one_or_many(candidates))


_INSERT_TASK = Prepared(insert(human_task).inline())
_INSERT_TIMER = Prepared(insert(timer).inline())
_INSERT_CANDIDATE = Prepared(insert(task_candidate).inline())


def _one_or_many(rows):
    """One row as one statement execution (cheaper than a batch of one), several as a batch."""
    return rows[0] if len(rows) == 1 else rows


def replace_candidates(uow, task_id, groups, users):
    """The task's candidate rows (indexed group/user lookups) anew."""
    uow.execute(delete(task_candidate).where(task_candidate.c.task_id == task_id))
    rows = [{"task_id": task_id, "kind": kind, "value": value}
            for kind, values in (("group", groups), ("user", users)) for value in dict.fromkeys(values)]
    if rows:
        uow.execute(insert(task_candidate), rows)


def _save_timers(uow, case_row, effects):
    if effects.timers_cleared:
        uow.execute(_DROP_TIMER, _one_or_many([{"b_id": tid} for tid in effects.timers_cleared]))
    if effects.timers_set:
        uow.execute(_INSERT_TIMER, _one_or_many([{"id": t.timer_id, "case_id": case_row["id"],
                                                  "element_id": t.element_id, "due_at": t.due_at}
                                                 for t in effects.timers_set]))


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _jsonable(value):
    return json.loads(json.dumps(value, default=_iso))
