"""Read models: cases, task lists and history as plain dicts (indexed queries, no workflow loading)."""
from sqlalchemy import and_, bindparam, exists, func, literal, or_, select

from ..errors import NotFound
from ..storage.prepared import Prepared
from ..storage.tables import event, human_task, process_definition, task_candidate, timer, vorgang
from .crypto import case_cipher
from .history import readable_data
from .data_limits import summary
from .runs import get_case_row


def _iso(value):
    return value.isoformat() if value is not None else None


# Cases are always read together with their version's number and name: one joined query.
CASES = select(
    vorgang,
    process_definition.c.version.label("definition_version"),
    process_definition.c.name.label("definition_name"),
).join(process_definition, process_definition.c.id == vorgang.c.definition_id)


def case_dict(row):
    return {
        "number": row["number"],
        "process": row["process_id"],
        "process_name": row["definition_name"],
        "version": row["definition_version"],
        "kommune": row["kommune"],
        "business_key": row["business_key"],
        "title": row["title"],
        "state": row["state"],
        "incident": row["incident"],
        "data": row["data"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "ended_at": _iso(row["ended_at"]),
    }


def get_case(platform, number):
    """One case with its data, open tasks and waiting timers."""
    with platform.uow(readonly=True) as uow:
        return case_in(uow, number)


def case_in(uow, number):
    """get_case inside a unit of work the caller holds."""
    row = uow.execute(_CASE_BY_NUMBER, {"b_number": number}).mappings().first()
    if row is None:
        raise NotFound(f"Vorgang {number} nicht gefunden")
    result = case_dict(row)
    result["tasks"] = [task_dict(r) for r in uow.execute(_OPEN_TASKS_OF_CASE_ID, {"b_id": row["id"]}).mappings()]
    result["timers"] = [{"element_id": t["element_id"], "due": _iso(t["due_at"])}
                        for t in uow.execute(_TIMERS_OF_CASE, {"b_id": row["id"]})]
    return result


# the case page and API answers read these after every step: prebuilt statements
_CASE_BY_NUMBER = Prepared(CASES.where(vorgang.c.number == bindparam("b_number")))
# what task_dict shows (task lists never show drafts or completion details)
_TASK_COLUMNS = [human_task.c[name] for name in (
    "id", "case_number", "process_id", "name", "task_def", "candidate_groups", "candidate_users", "assignee",
    "kommune", "created_at", "due_at", "follow_up_at", "priority", "form_ref", "state")]
_OPEN_TASKS_OF_CASE_ID = Prepared(select(*_TASK_COLUMNS)
                                  .where(human_task.c.case_id == bindparam("b_id"), human_task.c.state == "open")
                                  .order_by(human_task.c.created_at))
_TIMERS_OF_CASE = Prepared(select(timer.c.element_id, timer.c.due_at).where(timer.c.case_id == bindparam("b_id"))
                           .order_by(timer.c.due_at))


def list_cases(platform, *, kommune=None, kommunen=None, process=None, state=None, search=None, limit=100, offset=0):
    """Cases, newest first, filtered; `data` is a summary (a few short values, see data_limits.summary)."""
    q = CASES
    if kommune:
        q = q.where(vorgang.c.kommune == kommune)
    if kommunen is not None:
        q = q.where(vorgang.c.kommune.in_(list(kommunen)))
    if process:
        q = q.where(vorgang.c.process_id == process)
    if state:
        q = q.where(vorgang.c.state == state)
    if search:
        like = f"%{search}%"
        q = q.where(or_(vorgang.c.number.ilike(like), vorgang.c.title.ilike(like), vorgang.c.business_key == search))
    with platform.uow(readonly=True) as uow:
        rows = uow.execute(q.order_by(vorgang.c.id.desc()).limit(limit).offset(offset)).mappings().all()
        return [{**case_dict(r), "data": summary(r["data"])} for r in rows]


def task_dict(row):
    return {
        "id": row["id"],
        "case": row["case_number"],
        "process": row["process_id"],
        "name": row["name"],
        "task_def": row["task_def"],
        "candidate_groups": row["candidate_groups"],
        "candidate_users": row["candidate_users"],
        "assignee": row["assignee"],
        "kommune": row["kommune"],
        "created": _iso(row["created_at"]),
        "due": _iso(row["due_at"]),
        "follow_up": _iso(row["follow_up_at"]),
        "priority": row["priority"],
        "form": row["form_ref"],
        "state": row["state"],
    }


def task_filter(*, case=None, group=None, groups=None, user=None, kommune=None, kommunen=None, assignee=None,
                unassigned=False, process=None, name=None, overdue_at=None, state="open"):
    """WHERE clauses for task lists; `groups`/`user` restrict to tasks the person is a candidate for."""
    cond = []
    if state:
        cond.append(human_task.c.state == state)
    if case:
        cond.append(human_task.c.case_number == case)
    if kommune:
        cond.append(human_task.c.kommune == kommune)
    if kommunen is not None:
        cond.append(human_task.c.kommune.in_(list(kommunen)))
    if process:
        cond.append(human_task.c.process_id == process)
    if name:
        cond.append(human_task.c.name.ilike(f"%{name}%"))
    if assignee:
        cond.append(human_task.c.assignee == assignee)
    if unassigned:
        cond.append(human_task.c.assignee.is_(None))
    if overdue_at is not None:
        cond.append(human_task.c.due_at < overdue_at)
    if group:
        groups = [group]
    if groups is not None or user is not None:
        cand = task_candidate.c
        options = []
        if groups:
            options.append(and_(cand.kind == "group", cand.value.in_(list(groups))))
        if user:
            options.append(and_(cand.kind == "user", cand.value == user))
        # OFFSET 0 keeps PostgreSQL from turning the EXISTS into a hashed subplan that reads every
        # candidate row first; then it is an index lookup per task row (as on SQLite), and a page of
        # 25 stops after a few dozen rows.
        visible = exists(select(literal(1)).where(cand.task_id == human_task.c.id, or_(*options)).offset(0)) \
            if options else False
        cond.append(or_(visible, human_task.c.assignee == user) if user else visible)
    return cond


ORDER = {  # and "due" (the default): by_due_date
    "priority": (human_task.c.priority.desc(), human_task.c.created_at, human_task.c.id),
    "created": (human_task.c.created_at, human_task.c.id),
}


_OPEN_TASKS_OF_CASE = Prepared(select(*_TASK_COLUMNS)
                               .where(human_task.c.case_number == bindparam("b_case"), human_task.c.state == "open")
                               .order_by(human_task.c.created_at, human_task.c.id))


def list_tasks(platform, *, sort="due", limit=100, offset=0, **filters):
    """Task list rows (see task_filter for the filters)."""
    if set(filters) == {"case"} and not offset:
        # the case page and API clients ask this after every step: one prebuilt statement
        with platform.uow(readonly=True) as uow:
            rows = uow.execute(_OPEN_TASKS_OF_CASE, {"b_case": filters["case"]}).mappings().all()
            return [task_dict(r) for r in rows[:limit]]
    stmt = select(*_TASK_COLUMNS).where(*task_filter(**filters))
    with platform.uow(readonly=True) as uow:
        if sort in ORDER:
            rows = uow.execute(stmt.order_by(*ORDER[sort]).limit(limit).offset(offset)).mappings().all()
        else:
            rows = by_due_date(uow, stmt, limit, offset)
        return [task_dict(r) for r in rows]


def by_due_date(uow, stmt, limit, offset):
    """Rows of `stmt` (a select of human_task rows) ordered by due date, dated tasks first, then the
    undated ones by creation — as two walks of the open-task indexes (state, [kommune,] due_at) and
    (state, created_at) that stop after `limit` rows, instead of sorting every matching row."""
    dated = uow.execute(stmt.where(human_task.c.due_at.is_not(None)).order_by(human_task.c.due_at, human_task.c.id)
                        .limit(limit).offset(offset)).mappings().all()
    if len(dated) == limit:
        return dated
    if dated or offset == 0:
        skip = 0
    else:  # the page starts among the undated tasks: skip what the dated ones already filled
        n_dated = uow.execute(select(func.count()).select_from(
            stmt.with_only_columns(literal(1)).where(human_task.c.due_at.is_not(None)).limit(offset).subquery())
        ).scalar_one()
        skip = offset - n_dated
    undated = uow.execute(stmt.where(human_task.c.due_at.is_(None)).order_by(human_task.c.created_at, human_task.c.id)
                          .limit(limit - len(dated)).offset(skip)).mappings().all()
    return list(dated) + list(undated)


def count_tasks(platform, **filters):
    with platform.uow(readonly=True) as uow:
        return uow.execute(select(func.count()).select_from(human_task).where(*task_filter(**filters))).scalar_one()


def get_task(platform, task_id):
    from .tasks import get_task_row

    with platform.uow(readonly=True) as uow:
        row = get_task_row(uow, task_id)
        return task_dict(row) | {"draft": row["draft"]}


def list_events(platform, number):
    """The case's history, oldest first; encrypted data (chain v3) is decrypted with the case
    key, and reads {"gelöscht": true} once the case was erased."""
    with platform.uow(readonly=True) as uow:
        row = get_case_row(uow, number=number)
        return event_dicts(uow, row)


def event_dicts(uow, case_row):
    """The events of a case row as dicts (data readable), oldest first."""
    cipher = case_cipher(uow, case_row["id"])
    erased = cipher is None
    return [{
        "seq": e.seq, "type": e.type, "element_id": e.element_id, "element_name": e.element_name,
        "actor": e.actor, "at": _iso(e.at), "data": readable_data(e._mapping, case_row["number"], cipher, erased),
        "hash": e.hash, "prev_hash": e.prev_hash, "chain_version": e.chain_version,
        "definition_hash": e.definition_hash,
    } for e in uow.execute(select(event).where(event.c.case_id == case_row["id"]).order_by(event.c.seq))]


def stored_events(platform, number):
    """The case's event rows as stored (encrypted data stays encrypted), for `history.verify_rows`."""
    with platform.uow(readonly=True) as uow:
        row = get_case_row(uow, number=number)
        return [dict(e, at=_iso(e["at"])) for e in uow.execute(
            select(event).where(event.c.case_id == row["id"]).order_by(event.c.seq)).mappings()]
