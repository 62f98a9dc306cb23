"""Use cases on human tasks: claim, unclaim, assign, save a draft, complete with form validation.

These are the unchecked use cases: who may act, and that a task without a form takes no data from
a channel, is decided in services/actions.py. Trusted callers (tests, simulation, benchmarks) may
still hand a form-less task data for the case; a task with a form always validates against it.
"""
from collections.abc import Mapping

from sqlalchemy import bindparam, select, update

from ..errors import Conflict, NotFound, ValidationFailed
from ..forms import parse_form
from ..forms.messages import UNKNOWN
from ..storage.prepared import Prepared
from ..storage.tables import artifact, case_key, form_definition, human_task, process_definition, vorgang
from .data_limits import check_input
from .history import append_events
from .runs import CASE_COLUMNS, get_case_row, on_current_head, open_run, save_run


CLAIM_FIRST = "Bitte übernehmen Sie die Aufgabe zuerst"
_TASK = Prepared(select(human_task).where(human_task.c.id == bindparam("b_id")))
_LATEST_FORM = (select(form_definition.c.sha256).where(form_definition.c.form_id == human_task.c.form_ref)
                .order_by(form_definition.c.version.desc()).limit(1).scalar_subquery())
# Completing and claiming read the task, its case (with the version's content hash and the case's
# key row, see runs.CASE_QUERY) and the newest form of the task in one statement.
_TASK_AND_CASE = Prepared(
    select(*[c.label("t_" + c.name) for c in human_task.c], *CASE_COLUMNS, _LATEST_FORM.label("latest_form_sha"))
    .join(vorgang, vorgang.c.id == human_task.c.case_id)
    .join(process_definition, process_definition.c.id == vorgang.c.definition_id)
    .outerjoin(case_key, case_key.c.case_id == vorgang.c.id)
    .where(human_task.c.id == bindparam("b_id"))
)


def _assign_statement(free, versioned):
    """The UPDATE of a claim or assignment: only while the task is open and held as expected
    (free: by nobody, else by `b_expected`), with `versioned` also at lock version `b_version`."""
    cond = [human_task.c.id == bindparam("b_id"), human_task.c.state == "open",
            human_task.c.assignee.is_(None) if free else human_task.c.assignee == bindparam("b_expected")]
    if versioned:
        cond.append(human_task.c.lock_version == bindparam("b_version"))
    return Prepared(update(human_task).where(*cond).values(assignee=bindparam("b_assignee"),
                                                           lock_version=human_task.c.lock_version + 1))


_ASSIGN = {(free, versioned): _assign_statement(free, versioned) for free in (True, False) for versioned in (True, False)}
_TASK_KEYS = [("t_" + c.name, c.name) for c in human_task.c]
_UNSET = object()


def get_task_and_case(uow, task_id):
    """(task row, case row, newest form sha of the task's form) in one round trip, or NotFound."""
    found = uow.execute(_TASK_AND_CASE, {"b_id": str(task_id)}).mappings().first()
    if found is None:
        raise NotFound(f"Aufgabe {task_id} nicht gefunden")
    latest = found.pop("latest_form_sha")
    return {name: found.pop(key) for key, name in _TASK_KEYS}, found, latest


def get_task_row(uow, task_id):
    row = uow.execute(_TASK, {"b_id": str(task_id)}).mappings().first()
    if row is None:
        raise NotFound(f"Aufgabe {task_id} nicht gefunden")
    return row


def claim(platform, task_id, user):
    """Take an open, unassigned task. Exactly one of two concurrent claims wins."""
    _set_assignee(platform, task_id, user, actor=user, expect_free=True, event_type="task_claimed")


def unclaim(platform, task_id, user):
    """Give a task back to the group."""
    with platform.uow(readonly=True) as uow:
        row = get_task_row(uow, task_id)
    if row["assignee"] != user:
        raise Conflict("Nur die bearbeitende Person kann die Aufgabe zurückgeben")
    _set_assignee(platform, task_id, None, actor=user, expect_free=False, event_type="task_unclaimed",
                  expected_assignee=user)


def assign(platform, task_id, assignee, actor):
    """A team lead assigns or reassigns a task to a named person (or to nobody)."""
    with platform.uow(readonly=True) as uow:
        row = get_task_row(uow, task_id)
    _set_assignee(platform, task_id, assignee, actor=actor, expect_free=False, event_type="task_assigned",
                  expected_assignee=row["assignee"], expected_version=row["lock_version"])


def _set_assignee(platform, task_id, assignee, actor, expect_free, event_type, expected_assignee=None,
                  expected_version=None):
    on_current_head(platform, lambda: _assign_once(platform, task_id, assignee, actor, expect_free, event_type,
                                                   expected_assignee, expected_version))


def _assign_once(platform, task_id, assignee, actor, expect_free, event_type, expected_assignee, expected_version):
    with platform.uow() as uow:
        row, case_row, _ = get_task_and_case(uow, task_id)
        if row["state"] != "open":
            raise Conflict(f"Aufgabe '{row['name']}' ist nicht mehr offen")
        if expect_free and row["assignee"] == assignee:
            return
        free = expect_free or expected_assignee is None
        params = {"b_id": row["id"], "b_assignee": assignee}
        if not free:
            params["b_expected"] = expected_assignee
        if expected_version is not None:
            params["b_version"] = expected_version
        # the task update, the case's history head and the event go together (one round trip on
        # PostgreSQL); whether the task was still as expected is read once they are through
        with uow.batch():
            uow.expect_one(uow.execute(_ASSIGN[free, expected_version is not None], params),
                           lambda: _lost(platform, task_id, row))
            append_events(uow, case_row, [{
                "type": event_type, "element_id": row["task_def"], "element_name": row["name"],
                "data": {"task_id": row["id"], "assignee": assignee}}], actor, platform.clock.now())
        uow.commit()


def _lost(platform, task_id, row):
    """Conflict naming who holds the task now (another transaction changed it first)."""
    with platform.uow(readonly=True) as uow:
        current = get_task_row(uow, task_id)["assignee"]
    raise Conflict(f"Aufgabe '{row['name']}' wird bereits von {current} bearbeitet" if current
                   else f"Aufgabe '{row['name']}' wurde gleichzeitig geändert")


def save_draft(platform, task_id, data, user, *, require_claim=False):
    """Keep unfinished form input (raw values of the form's fields) on the task without completing it."""
    check_input(data, "Entwurfsdaten")
    with platform.uow() as uow:
        row = get_task_row(uow, task_id)
        _check_worker(row, user, require_claim, done="nicht mehr offen")
        form = task_form(platform, uow, row)
        fields = {f.name for f in form.fields} if form is not None else set()
        if form is not None and isinstance(data, Mapping):  # dynamic-list entries are kept as typed
            fields |= {key for key in data if isinstance(key, str) and form.owns(key)}
        refuse_unexpected(data, fields)
        uow.execute(update(human_task).where(human_task.c.id == row["id"]).values(draft=dict(data or {})))
        uow.commit()


def _check_worker(row, user, require_claim, done):
    """Conflict unless the task is open and free or held by `user` (with require_claim: held by `user`)."""
    if row["state"] != "open":
        raise Conflict(f"Aufgabe '{row['name']}' ist {done}")
    if row["assignee"] not in (None, user):
        raise Conflict(f"Aufgabe '{row['name']}' wird von {row['assignee']} bearbeitet")
    if require_claim and row["assignee"] is None:
        raise Conflict(CLAIM_FIRST)


def refuse_unexpected(data, fields):
    """ValidationFailed naming every submitted key that is not a field of the task's form."""
    if data is not None and not isinstance(data, Mapping):
        raise ValidationFailed("Die Formulardaten müssen ein Objekt mit Feldern sein.")
    unexpected = sorted(str(key) for key in (data or {}) if key not in fields)
    if unexpected:
        message = ("Diese Aufgabe hat kein Formular und nimmt keine Felder an" if not fields
                   else "Die Daten enthalten Felder, die das Formular nicht kennt")
        raise ValidationFailed(f"{message}: {', '.join(unexpected)}",
                               details={"fields": {key: UNKNOWN for key in unexpected}})


def task_form(platform, uow, row, definition=None, latest_sha=_UNSET):
    """The Camunda Form of a task: the newest deployed one (binding latest) or the version's own.
    `latest_sha`: the newest form's sha256 when the caller read it already."""
    if not row["form_ref"]:
        return None
    if definition is None:
        case_row = get_case_row(uow, case_id=row["case_id"])
        definition = platform.definition(uow, case_row["definition_id"])
    task_spec = definition.spec.task_specs.get(row["task_def"])
    binding = getattr(getattr(task_spec, "human", None), "form_binding", "latest")
    if binding == "latest":
        sha = latest_sha if latest_sha is not _UNSET else uow.execute(
            select(form_definition.c.sha256).where(form_definition.c.form_id == row["form_ref"])
            .order_by(form_definition.c.version.desc()).limit(1)).scalar()
        if sha:
            return platform.forms.get(sha, lambda: parse_form(
                uow.execute(select(artifact.c.content).where(artifact.c.sha256 == sha)).scalar_one(),
                row["form_ref"] + ".form"))
    return definition.forms.get(row["form_ref"])


def complete(platform, task_id, data, user, *, from_html=False, require_claim=False, form_fields_only=False):
    """Validate `data` against the task's form and complete it; the case runs to its next wait state.

    With `require_claim` the task must be assigned to `user` (checked in the completing transaction);
    with `form_fields_only` a task without a form takes no data (ValidationFailed names the keys).
    """
    check_input(data, "Formulardaten")
    return on_current_head(platform, lambda: _complete(platform, task_id, data, user, from_html, require_claim,
                                                       form_fields_only))


def _complete(platform, task_id, data, user, from_html, require_claim, form_fields_only):
    with platform.uow() as uow:
        row, case_row, latest_sha = get_task_and_case(uow, task_id)
        _check_worker(row, user, require_claim, done="bereits erledigt")
        if form_fields_only and not row["form_ref"]:
            refuse_unexpected(data, set())
        run, definition = open_run(platform, uow, case_row)
        form = task_form(platform, uow, row, definition, latest_sha)
        if form is not None:
            clean, errors = form.validate(data, from_html=from_html, context=run.case_data())
            if errors:
                platform.workflows.put(case_row["id"], case_row["lock_version"], run.workflow)
                raise ValidationFailed("Bitte die markierten Felder korrigieren", details={"fields": errors})
        else:
            if form_fields_only:
                refuse_unexpected(data, set())  # its form is no longer deployed: take nothing
            clean = dict(data or {})
        effects = run.complete_task(row["id"], clean)
        completed = {"task_id": row["id"], "user": user}
        state = save_run(platform, uow, case_row, definition, run, effects, user, platform.clock.now(),
                         completed=completed)
        uow.commit()
    return state
