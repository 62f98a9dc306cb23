"""Use cases behind the inbox pages: what a task, case or start page shows, notes, drafts.

Every function takes the user's `Scope` (services/scope.py) and raises `NotFound` for anything
outside it, with the same message as for something that does not exist (no existence leak).
"""
from sqlalchemy import insert

from ..errors import Conflict, NotFound, ValidationFailed
from ..storage.tables import case_note
from . import inbox_queries, users
from .scope import CASE_NOT_FOUND, TASK_NOT_FOUND, Scope
from .deployments import definition_row
from .history import append_events
from .process_texts import humanize
from .runs import get_case_row
from .tasks import get_task_row, task_form

MAX_NOTE = 4000
RESULT_TITLES = {"steuer": "Hundesteuer", "hundesteuer": "Hundesteuer", "wohngeld": "Wohngeld",
                 "wohngeld_ergebnis": "Wohngeld", "abrechnung": "Abrechnung der Hundesteuer"}


def visible_case(platform, number, scope):
    """The case as `Platform.case` returns it, if the user may see it."""
    try:
        case = platform.case(number)
    except NotFound:
        raise NotFound(CASE_NOT_FOUND) from None
    return scope.require_case(case)


def _visible_task(platform, task_id, scope):
    task = inbox_queries.visible_task(platform, task_id, scope.task_filters())
    if task is None:
        raise NotFound(TASK_NOT_FOUND)
    return task


def task_page(platform, task_id, scope):
    """The task, its case, its form and Rechenweg; `can_act` tells whether buttons are offered."""
    task = _visible_task(platform, task_id, scope)
    with platform.uow(readonly=True) as uow:
        row = get_task_row(uow, task_id)
        case_row = get_case_row(uow, case_id=row["case_id"])
        form = task_form(platform, uow, row)
        data = dict(case_row["data"] or {})
    return {
        "task": task,
        "case": {"number": case_row["number"], "title": case_row["title"], "kommune": case_row["kommune"],
                 "process": case_row["process_id"], "state": case_row["state"]},
        "data": data,
        "form": form,
        "rechenweg": rechenwege(data),
        "can_act": task["state"] == "open" and scope.can_act_on_task(task),
        "can_assign": task["state"] == "open" and scope.can_assign(task),
    }


def actionable_task(platform, task_id, scope):
    """The open task if the user may act on it; NotFound outside the scope, None when read-only."""
    task = _visible_task(platform, task_id, scope)
    return task if task["state"] == "open" and scope.can_act_on_task(task) else None


def draft_values(form, submitted):
    """The raw field values of an HTML submission worth keeping as a draft (no CSRF, no buttons)."""
    keep = {}
    for f in form.fields if form is not None else ():
        if f.multiple:
            values = submitted.getlist(f.name)
            if values:
                keep[f.name] = values
        elif f.name in submitted:
            keep[f.name] = submitted.get(f.name)
    return keep


def rechenwege(data):
    """Every Rechenweg in the case data: top-level `rechenweg` or one inside a result (`steuer`, …)."""
    found = []
    if _is_steps(data.get("rechenweg")):
        found.append({"title": "Rechenweg", "steps": _steps(data["rechenweg"])})
    for key, value in data.items():
        if isinstance(value, dict) and _is_steps(value.get("rechenweg")):
            title = RESULT_TITLES.get(key) or humanize(key)
            found.append({"title": f"Rechenweg {title}", "steps": _steps(value["rechenweg"])})
    return found


def _is_steps(value):
    return isinstance(value, list) and value and all(isinstance(step, dict) for step in value)


def _steps(items):
    return [{"label": str(s.get("label") or s.get("key") or ""), "value": s.get("value"),
             "ref": s.get("ref") or ""} for s in items]


def case_page(platform, number, scope):
    """Case data, open tasks (with whether the user may open them), notes and history."""
    case = visible_case(platform, number, scope)
    filters = scope.task_filters()
    for task in case["tasks"]:
        task["visible"] = inbox_queries.visible_task(platform, task["id"], filters) is not None
    case["events"] = platform.events(number)
    case["notes"] = inbox_queries.case_notes(platform, number)
    case["rechenweg"] = rechenwege(case["data"] or {})
    case["kommune_name"] = inbox_queries.kommune_names(platform, [case["kommune"]]).get(case["kommune"])
    return case


def add_note(platform, number, text, user, scope):
    """Add a note to a case the user may work on; it also enters the case history."""
    visible_case(platform, number, scope)
    scope.require(scope.can_work_tasks)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Bitte einen Text für die Notiz eingeben", details={"fields": {"text": "Pflichtfeld"}})
    if len(text) > MAX_NOTE:
        raise ValidationFailed(f"Die Notiz ist zu lang (höchstens {MAX_NOTE} Zeichen)",
                               details={"fields": {"text": f"Höchstens {MAX_NOTE} Zeichen"}})
    now = platform.clock.now()
    with platform.uow() as uow:
        row = get_case_row(uow, number=number)
        note_id = uow.execute(insert(case_note).values(case_id=row["id"], author=user, text=text,
                                                       created_at=now)).inserted_primary_key[0]
        append_events(uow, row, [{"type": "note_added", "data": {"note_id": note_id}}], user, now)
        uow.commit()
    return note_id


def start_options(platform, scope):
    """Processes with a start form the user may start, each with the Kommunen allowed for it."""
    kommunen = inbox_queries.kommune_names(platform)
    options = []
    for process in platform.processes():
        if not process["start_form"] or process["variant"] == "as-is":
            continue  # as-is variants are executable for simulation and comparison, not for casework
        allowed = [(ags, name) for ags, name in kommunen.items() if scope.can_start(process["process_id"], ags)]
        if allowed:
            options.append({**process, "kommunen": allowed})
    return options


def start_form(platform, process_id, scope):
    """(process, start Form) for the new-case page; NotFound when the user may start it nowhere."""
    for option in start_options(platform, scope):
        if option["process_id"] == process_id:
            with platform.uow(readonly=True) as uow:
                definition = platform.definition(uow, definition_row(uow, process_id)["id"])
            return option, definition.forms.get(definition.start_form)
    raise NotFound("Prozess nicht gefunden")


def start_case(platform, process_id, kommune, submitted, user, scope):
    """Validate the start form (HTML input) and start the case; returns its number."""
    option, form = start_form(platform, process_id, scope)
    if kommune not in {ags for ags, _ in option["kommunen"]}:
        raise ValidationFailed("Bitte eine Kommune auswählen", details={"fields": {"_kommune": "Pflichtfeld"}})
    data = {}
    if form is not None:
        data, errors = form.validate(submitted, from_html=True)
        if errors:
            raise ValidationFailed("Bitte die markierten Felder korrigieren", details={"fields": errors})
    return platform.start_case(process_id, kommune, data, actor=user)



def _own_open_task(platform, task_id, scope):
    """The open task the user may act on and has claimed; Forbidden/Conflict otherwise."""
    task = actionable_task(platform, task_id, scope)
    scope.require(task is not None)
    if task["assignee"] != scope.username:
        raise Conflict("Bitte übernehmen Sie die Aufgabe, bevor Sie sie bearbeiten.")
    return task


def save_task_draft(platform, task_id, submitted, scope):
    """Keep the HTML input of a claimed task as its draft."""
    _own_open_task(platform, task_id, scope)
    with platform.uow(readonly=True) as uow:
        form = task_form(platform, uow, get_task_row(uow, task_id))
    platform.save_draft(task_id, draft_values(form, submitted), scope.username)


def complete_task(platform, task_id, submitted, scope):
    """Complete a claimed task with HTML form input (ValidationFailed carries the field messages)."""
    task = _own_open_task(platform, task_id, scope)
    platform.complete(task_id, submitted, scope.username, from_html=True)
    return task


def claim_task(platform, task_id, scope):
    task = actionable_task(platform, task_id, scope)
    scope.require(task is not None)
    platform.claim(task_id, scope.username)
    return task


def unclaim_task(platform, task_id, scope):
    task = actionable_task(platform, task_id, scope)
    scope.require(task is not None)
    platform.unclaim(task_id, scope.username)
    return task


def assign_task(platform, task_id, assignee, scope):
    """A team lead hands a task to a named person who may work it (or back to the group: '')."""
    task = _visible_task(platform, task_id, scope)
    scope.require(task["state"] == "open" and scope.can_assign(task))
    assignee = (assignee or "").strip() or None
    if assignee is not None:
        person = users.get_user(platform, assignee)
        if person is None or not person["active"] or not Scope(person).can_act_on_task(task):
            raise ValidationFailed(f"„{assignee}“ kann diese Aufgabe nicht bearbeiten",
                                   details={"fields": {"bearbeitung": "Keine berechtigte Person"}})
    platform.assign(task_id, assignee, scope.username)
    return task
