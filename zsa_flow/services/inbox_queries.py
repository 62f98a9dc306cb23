"""Read models of the web inbox: the scoped task list with tabs, counts, search and paging.

Everything here is one indexed query per concern on `human_task` (joined with `vorgang` for the
applicant's name and with `kommune` for its name) — no workflow state is loaded, so the list stays
fast with 100,000 open tasks. Scope filters (from `services.scope.Scope.task_filters()`) are always
ANDed with what the user asked for; a user filter can narrow the scope, never widen it.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, String, any_, bindparam, case, exists, false, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY

from ..storage.tables import case_note, human_task, kommune, task_candidate, vorgang
from .queries import by_due_date, task_dict, task_filter

LOCAL_TZ = ZoneInfo("Europe/Berlin")
PAGE_SIZE = 25
TABS = ("mine", "group", "unassigned", "overdue", "all")
SORTS = ("due", "priority", "created")
COUNT_CAP = 500  # counts above are shown as "500+", and paging stops there (use filters or search)
# Orders matching the indexes of migration 7c1d2e3f4a5b (due: queries.by_due_date); newest first for "created".
ORDER = {"priority": (human_task.c.priority.desc(), human_task.c.created_at, human_task.c.id),
         "created": (human_task.c.created_at.desc(), human_task.c.id.desc())}
SAMPLE = 2 * COUNT_CAP  # rows of the one counting pass over the scope (see count_tabs; every row costs a candidate look-up)
SEARCH_IDS = 2000  # a search matching more cases than this is not selective: kept as a subquery
CASE_NUMBER = re.compile(r"^[A-Za-z]+-\d")


@dataclass
class TaskListQuery:
    """What the user asked for (already parsed and bounded by the web layer)."""

    tab: str | None = None  # None: "mine" when the user has tasks, else "group"
    process: str | None = None
    kommune: str | None = None
    name: str | None = None
    due_until: date | None = None
    search: str | None = None
    sort: str = "due"
    page: int = 1


@dataclass
class TaskListPage:
    tab: str
    rows: list
    counts: dict
    total: int
    page: int
    pages: int
    query: TaskListQuery = field(default_factory=TaskListQuery)


def _user_conditions(uow, q: TaskListQuery, kommunen):
    cond = task_filter(state=None, process=q.process or None, kommune=q.kommune or None, name=q.name or None)
    if q.due_until is not None:
        end = datetime.combine(q.due_until + timedelta(days=1), time(0), LOCAL_TZ)
        cond.append(human_task.c.due_at < end)
    if q.search:
        if q.kommune:
            kommunen = [q.kommune] if kommunen is None or q.kommune in kommunen else []
        cond.append(_search_condition(uow, q.search.strip(), kommunen))
    return cond


def _search_condition(uow, text, kommunen=None):
    """Tasks of cases found by number (prefix, index range) or applicant name (substring).

    A selective search becomes a literal list of task ids (primary key), so the task queries start
    from it instead of walking the scope; an unselective one stays a subquery.
    """
    if CASE_NUMBER.match(text):
        prefix = text.upper()
        cases = select(vorgang.c.id).where(vorgang.c.number >= prefix, vorgang.c.number < prefix + "\uffff")
    else:
        pattern = f"%{_escape_like(text)}%"
        # SQLite's LIKE ignores ASCII case already (and its lower() knows no umlauts): skip lower()
        # per row, which triples the cost of scanning 100,000 titles.
        by_name = vorgang.c.title.like if uow.conn.dialect.name == "sqlite" else vorgang.c.title.ilike
        cases = select(vorgang.c.id).where(by_name(pattern, escape="\\"))
    if kommunen is not None:  # only cases in scope: the (kommune, title) index keeps this a narrow scan
        cases = cases.where(vorgang.c.kommune.in_(list(kommunen)))
    ids = uow.execute(cases.limit(SEARCH_IDS + 1)).scalars().all()
    if len(ids) > SEARCH_IDS:
        return human_task.c.case_id.in_(cases)
    if uow.conn.dialect.name == "postgresql":  # one array parameter instead of one per id (rendered per query)
        task_ids = uow.execute(select(human_task.c.id).where(human_task.c.case_id == any_(
            bindparam("b_case_ids", ids, type_=ARRAY(Integer))))).scalars().all() if ids else []
        return human_task.c.id == any_(bindparam("b_task_ids", task_ids, type_=ARRAY(String)))
    task_ids = uow.execute(select(human_task.c.id).where(human_task.c.case_id.in_(ids))).scalars().all() if ids else []
    return human_task.c.id.in_(task_ids)


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _group_condition(groups):
    """Tasks with one of `groups` among their candidate groups (indexed EXISTS on task_candidate)."""
    return task_filter(state=None, groups=list(groups))[0] if groups else false()


def _tab_conditions(tab, user, groups, now):
    if tab == "mine":
        return [human_task.c.assignee == user]
    if tab == "group":
        return [_group_condition(groups)]
    if tab == "unassigned":
        return [human_task.c.assignee.is_(None)]
    if tab == "overdue":
        return [human_task.c.due_at < now]
    return []


def _flag(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def count_tabs(uow, base, user, groups, now):
    """Counts per tab, exact up to COUNT_CAP; larger counts come back as COUNT_CAP + 1 ("500+").

    One pass over the first SAMPLE scoped rows: if the scope is no larger, every count is exact;
    a tab with more than COUNT_CAP hits among them is "500+" without further work. Only the
    remaining (sparse) tabs are counted on their own, with LIMIT — no request scans 100,000 rows
    with a candidate lookup per row.
    """
    rows = select(human_task.c.id, human_task.c.assignee, human_task.c.due_at).where(*base).limit(SAMPLE + 1).subquery()
    in_group = (exists().where(task_candidate.c.task_id == rows.c.id, task_candidate.c.kind == "group",
                               task_candidate.c.value.in_(list(groups))) if groups else false())
    row = uow.execute(select(
        func.count().label("all"), _flag(rows.c.assignee == user).label("mine"), _flag(in_group).label("group"),
        _flag(rows.c.assignee.is_(None)).label("unassigned"), _flag(rows.c.due_at < now).label("overdue"),
    ).select_from(rows)).mappings().one()
    counts = {tab: min(int(row[tab]), COUNT_CAP + 1) for tab in TABS}
    if int(row["all"]) > SAMPLE:
        for tab in TABS[:-1]:
            if counts[tab] <= COUNT_CAP:
                capped = select(literal(1)).select_from(human_task) \
                    .where(*base, *_tab_conditions(tab, user, groups, now)).limit(COUNT_CAP + 1).subquery()
                counts[tab] = uow.execute(select(func.count()).select_from(capped)).scalar_one()
    return counts


def _page_rows(uow, where, sort, offset):
    """Task rows of one page (by due date: queries.by_due_date)."""
    stmt = select(human_task).where(*where)
    if sort != "due":
        return uow.execute(stmt.order_by(*ORDER[sort]).limit(PAGE_SIZE).offset(offset)).mappings().all()
    return by_due_date(uow, stmt, PAGE_SIZE, offset)


def _titles(uow, rows):
    """{case_id: title} and {ags: Kommune name} for the rows of one page (two small lookups)."""
    case_ids = {r["case_id"] for r in rows}
    ags = {r["kommune"] for r in rows}
    titles = dict(uow.execute(select(vorgang.c.id, vorgang.c.title).where(vorgang.c.id.in_(case_ids))).all()) \
        if case_ids else {}
    names = dict(uow.execute(select(kommune.c.ags, kommune.c.name).where(kommune.c.ags.in_(ags))).all()) if ags else {}
    return titles, names


def task_list(platform, scope_filters: dict, user: str, groups, query: TaskListQuery, now) -> TaskListPage:
    """One page of the user's task list, with the counts of every tab under the same filters."""
    with platform.uow(readonly=True) as uow:
        base = task_filter(**scope_filters) + _user_conditions(uow, query, scope_filters.get("kommunen"))
        counts = count_tabs(uow, base, user, groups, now)
        tab = query.tab if query.tab in TABS else ("mine" if counts["mine"] else "group")
        total = min(counts[tab], COUNT_CAP)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, query.page), pages)
        sort = query.sort if query.sort in SORTS else "due"
        rows = _page_rows(uow, base + _tab_conditions(tab, user, groups, now), sort, (page - 1) * PAGE_SIZE) \
            if counts[tab] else []
        titles, names = _titles(uow, rows)
    items = [_row(r, titles.get(r["case_id"]), names.get(r["kommune"]), now) for r in rows]
    return TaskListPage(tab=tab, rows=items, counts=counts, total=counts[tab], page=page, pages=pages, query=query)


def _row(r, title, kommune_name, now):
    item = task_dict(r)
    item.update(case_title=title, kommune_name=kommune_name or r["kommune"],
                overdue=r["due_at"] is not None and r["due_at"] < now,
                follow_up_due=r["follow_up_at"] is not None and r["follow_up_at"] <= now)
    return item


def visible_task(platform, task_id, scope_filters: dict):
    """The task (open or finished) if it lies in the user's scope, else None (no existence leak)."""
    filters = dict(scope_filters)
    filters["state"] = None
    stmt = (select(human_task, vorgang.c.title.label("case_title"), vorgang.c.state.label("case_state"))
            .select_from(human_task.join(vorgang, vorgang.c.id == human_task.c.case_id))
            .where(human_task.c.id == str(task_id), *task_filter(**filters)))
    with platform.uow(readonly=True) as uow:
        row = uow.execute(stmt).mappings().first()
    if row is None:
        return None
    return task_dict(row) | {"draft": row["draft"], "case_title": row["case_title"], "case_state": row["case_state"],
                             "completed_by": row["completed_by"], "completed_at": _iso(row["completed_at"])}


def kommune_names(platform, ags_list=None):
    """{ags: name} of the given Kommunen (all when None), sorted by name."""
    stmt = select(kommune.c.ags, kommune.c.name).order_by(kommune.c.name)
    if ags_list is not None:
        stmt = stmt.where(kommune.c.ags.in_(list(ags_list)))
    with platform.uow(readonly=True) as uow:
        return {r.ags: r.name for r in uow.execute(stmt)}


def _iso(value):
    return value.isoformat() if value is not None else None


def case_notes(platform, number):
    """The case's notes, newest first."""
    stmt = (select(case_note.c.id, case_note.c.author, case_note.c.text, case_note.c.created_at)
            .select_from(case_note.join(vorgang, vorgang.c.id == case_note.c.case_id))
            .where(vorgang.c.number == number).order_by(case_note.c.created_at.desc(), case_note.c.id.desc()))
    with platform.uow(readonly=True) as uow:
        return [{"id": r.id, "author": r.author, "text": r.text, "at": _iso(r.created_at)} for r in uow.execute(stmt)]
