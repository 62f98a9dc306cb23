"""Use cases on human tasks: claim, unclaim, assign, save a draft, complete with form validation."""
from sqlalchemy import bindparam, select, update

from ..errors import Conflict, NotFound, ValidationFailed
from ..forms import parse_form
from ..storage.tables import artifact, form_definition, human_task
from .data_limits import check_input
from .history import append_events
from .runs import get_case_row, open_run, save_run


_TASK = select(human_task).where(human_task.c.id == bindparam("b_id"))


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
    with platform.uow() as uow:
        row = get_task_row(uow, task_id)
        if row["state"] != "open":
            raise Conflict(f"Aufgabe '{row['name']}' ist nicht mehr offen")
        cond = [human_task.c.id == row["id"], human_task.c.state == "open"]
        if expect_free:
            if row["assignee"] == assignee:
                return
            cond.append(human_task.c.assignee.is_(None))
        else:
            cond.append(human_task.c.assignee.is_(None) if expected_assignee is None
                        else human_task.c.assignee == expected_assignee)
        if expected_version is not None:
            cond.append(human_task.c.lock_version == expected_version)
        result = uow.execute(update(human_task).where(*cond).values(
            assignee=assignee, lock_version=human_task.c.lock_version + 1))
        if result.rowcount != 1:
            current = get_task_row(uow, task_id)["assignee"]
            raise Conflict(f"Aufgabe '{row['name']}' wird bereits von {current} bearbeitet" if current
                           else f"Aufgabe '{row['name']}' wurde gleichzeitig geändert")
        case_row = get_case_row(uow, case_id=row["case_id"])
        append_events(uow, case_row, [{
            "type": event_type, "element_id": row["task_def"], "element_name": row["name"],
            "data": {"task_id": row["id"], "assignee": assignee}}], actor, platform.clock.now())
        uow.commit()


def save_draft(platform, task_id, data, user):
    """Keep unfinished form input on the task without completing it."""
    check_input(data, "Entwurfsdaten")
    with platform.uow() as uow:
        row = get_task_row(uow, task_id)
        if row["state"] != "open":
            raise Conflict(f"Aufgabe '{row['name']}' ist nicht mehr offen")
        if row["assignee"] not in (None, user):
            raise Conflict(f"Aufgabe '{row['name']}' wird von {row['assignee']} bearbeitet")
        uow.execute(update(human_task).where(human_task.c.id == row["id"]).values(draft=dict(data)))
        uow.commit()


def task_form(platform, uow, row, definition=None):
    """The Camunda Form of a task: the newest deployed one (binding latest) or the version's own."""
    if not row["form_ref"]:
        return None
    if definition is None:
        case_row = get_case_row(uow, case_id=row["case_id"])
        definition = platform.definition(uow, case_row["definition_id"])
    task_spec = definition.spec.task_specs.get(row["task_def"])
    binding = getattr(getattr(task_spec, "human", None), "form_binding", "latest")
    if binding == "latest":
        sha = uow.execute(select(form_definition.c.sha256).where(form_definition.c.form_id == row["form_ref"])
                          .order_by(form_definition.c.version.desc()).limit(1)).scalar()
        if sha:
            return platform.forms.get(sha, lambda: parse_form(
                uow.execute(select(artifact.c.content).where(artifact.c.sha256 == sha)).scalar_one(),
                row["form_ref"] + ".form"))
    return definition.forms.get(row["form_ref"])


def complete(platform, task_id, data, user, *, from_html=False):
    """Validate `data` against the task's form and complete it; the case runs to its next wait state."""
    check_input(data, "Formulardaten")
    with platform.uow() as uow:
        row = get_task_row(uow, task_id)
        if row["state"] != "open":
            raise Conflict(f"Aufgabe '{row['name']}' ist bereits erledigt")
        if row["assignee"] not in (None, user):
            raise Conflict(f"Aufgabe '{row['name']}' wird von {row['assignee']} bearbeitet")
        case_row = get_case_row(uow, case_id=row["case_id"])
        run, definition = open_run(platform, uow, case_row)
        form = task_form(platform, uow, row, definition)
        if form is not None:
            clean, errors = form.validate(data, from_html=from_html, context=run.case_data())
            if errors:
                platform.workflows.put(case_row["id"], case_row["lock_version"], run.workflow)
                raise ValidationFailed("Bitte die markierten Felder korrigieren", details={"fields": errors})
        else:
            clean = dict(data or {})
        effects = run.complete_task(row["id"], clean)
        completed = {"task_id": row["id"], "user": user}
        state = save_run(platform, uow, case_row, definition, run, effects, user, platform.clock.now(),
                         completed=completed)
        uow.commit()
    return state
