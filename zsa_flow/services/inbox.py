"""Read models behind the inbox pages (what a task, case or start page shows) and case notes.

Every page function takes the user's `Scope` (services/scope.py) and raises `NotFound` for anything
outside it, with the same message as for something that does not exist (no existence leak).
Actions (claim, complete, notes, …) are decided in services/actions.py.
"""
from sqlalchemy import insert

from ..errors import NotFound, ValidationFailed
from ..storage.tables import case_note
from . import documents, inbox_queries, users
from .scope import CASE_NOT_FOUND, TASK_NOT_FOUND
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
        "documents": documents.case_documents(platform, case_row["number"]),
        "can_act": task["state"] == "open" and scope.can_act_on_task(task),
        "can_assign": task["state"] == "open" and scope.can_assign(task),
        "assignee_name": users.display_name(platform, task["assignee"]),
        "assignees": users.eligible_for_task(platform, task) if task["state"] == "open" and scope.can_assign(task)
        else [],
    }


def task_form_for(platform, task_id, scope):
    """The Form of a task the user may see (None for a task without a form); NotFound otherwise."""
    _visible_task(platform, task_id, scope)
    with platform.uow(readonly=True) as uow:
        return task_form(platform, uow, get_task_row(uow, task_id))


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


STEP_KINDS = ("money", "number", "date", "datetime", "text")  # how a step's value reads (rules/rechenweg.py)


def _steps(items):
    return [{"label": str(s.get("label") or s.get("key") or ""), "value": s.get("value"),
             "ref": s.get("ref") or "", "kind": s.get("kind") if s.get("kind") in STEP_KINDS else None}
            for s in items]


def case_page(platform, number, scope):
    """Case data, open tasks (with whether the user may open them), notes and history."""
    case = visible_case(platform, number, scope)
    filters = scope.task_filters()
    for task in case["tasks"]:
        task["visible"] = inbox_queries.visible_task(platform, task["id"], filters) is not None
    case["events"] = platform.events(number)
    case["notes"] = inbox_queries.case_notes(platform, number)
    case["rechenweg"] = rechenwege(case["data"] or {})
    case["documents"] = documents.case_documents(platform, number)
    case["kommune_name"] = inbox_queries.kommune_names(platform, [case["kommune"]]).get(case["kommune"])
    return case


def add_note(platform, number, text, author):
    """Add a note to a case; it also enters the case history (unchecked: see actions.add_note)."""
    text = (text or "").strip() if isinstance(text, str) or text is None else None
    if text is None:
        raise ValidationFailed("Die Notiz muss ein Text sein", details={"fields": {"text": "Text erwartet"}})
    if not text:
        raise ValidationFailed("Bitte einen Text für die Notiz eingeben", details={"fields": {"text": "Pflichtfeld"}})
    if len(text) > MAX_NOTE:
        raise ValidationFailed(f"Die Notiz ist zu lang (höchstens {MAX_NOTE} Zeichen)",
                               details={"fields": {"text": f"Höchstens {MAX_NOTE} Zeichen"}})
    now = platform.clock.now()
    with platform.uow() as uow:
        row = get_case_row(uow, number=number)
        note_id = uow.execute(insert(case_note).values(case_id=row["id"], author=author, text=text,
                                                       created_at=now)).inserted_primary_key[0]
        append_events(uow, row, [{"type": "note_added", "data": {"note_id": note_id}}], author, now)
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


def start_form_of(platform, process_id, version=None):
    """The start Form of the deployed process (None without one); NotFound for an unknown process."""
    with platform.uow(readonly=True) as uow:
        definition = platform.definition(uow, definition_row(uow, process_id, version)["id"])
    return definition.forms.get(definition.start_form) if definition.start_form else None
