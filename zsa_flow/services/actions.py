"""Every action people and clients take, checked once for all channels (browser, JSON API, CLI).

Each function takes the platform, the actor (a username, or the user dict the web layer loaded for
this request), ids and plain values — never a request object. It resolves the actor's account,
builds its Scope (services/scope.py decides who may do what), checks, then calls the unchecked use
case of the Platform. Views and CLI commands only translate input and output.

Rules that hold on every channel:
- Cases and tasks outside the actor's scope answer like missing ones (NotFound, the same message).
- Only the person a task is assigned to saves its draft or completes it: an unassigned task must be
  claimed first (Conflict 409 "Bitte übernehmen Sie die Aufgabe zuerst"), checked in the completing
  transaction. A task accepts only its form's fields; a task without a form accepts none (422).
- The actor is an existing, active account — or, for the operator at the command line, `system`
  (scope.SYSTEM): it deploys, starts cases, delivers messages and retries, but works no tasks.
- As-is process variants are run by simulation and tests (Platform), never started as cases here.
"""
from ..errors import Conflict, NotFound, ValidationFailed, ZsaError
from . import cases, documents, users
from .deployments import definition_row
from .inbox import start_form_of
from .runs import get_case_row
from .scope import CASE_NOT_FOUND, SYSTEM, TASK_NOT_FOUND, Scope, SystemScope


class UnknownActor(ZsaError):
    """The acting account does not exist or is disabled."""

    code, status = "unauthorized", 401


def scope_of(platform, actor) -> Scope:
    """The Scope of a username or user dict; UnknownActor for a missing or disabled account."""
    if actor == SYSTEM:
        return SystemScope()
    user = actor if isinstance(actor, dict) else users.get_user(platform, str(actor or ""))
    if user is None:
        raise UnknownActor(f"Konto '{actor}' gibt es nicht")
    if not user.get("active", False):
        raise UnknownActor(f"Konto '{user['username']}' ist deaktiviert")
    return Scope(user)


def _task(platform, task_id, scope):
    try:
        task = platform.task(task_id)
    except NotFound:
        raise NotFound(TASK_NOT_FOUND) from None
    return scope.require_task(task)


def _case(platform, number, scope):
    try:
        case = platform.case(number)
    except NotFound:
        raise NotFound(CASE_NOT_FOUND) from None
    return scope.require_case(case)


def _worker_task(platform, actor, task_id):
    """(scope, task) when the actor may work on the task at all (not whether it is free)."""
    scope = scope_of(platform, actor)
    task = _task(platform, task_id, scope)
    scope.require(scope.can_act_on_task(task))
    return scope, task


# ---- tasks
def claim(platform, actor, task_id):
    """Take an open, unassigned task; returns the task as it was."""
    scope, task = _worker_task(platform, actor, task_id)
    platform.claim(task_id, scope.username)
    return task


def unclaim(platform, actor, task_id):
    """Give one's own task back to the group."""
    scope, task = _worker_task(platform, actor, task_id)
    platform.unclaim(task_id, scope.username)
    return task


def save_draft(platform, actor, task_id, data):
    """Keep unfinished input (raw values of the form's fields) on one's own task."""
    scope, task = _worker_task(platform, actor, task_id)
    platform.save_draft(task_id, data, scope.username, require_claim=True)
    return task


def complete(platform, actor, task_id, data, *, from_html=False):
    """Complete one's own task with form data (`from_html`: values are form strings); returns the task
    with the case state after the run under "case_state"."""
    scope, task = _worker_task(platform, actor, task_id)
    data = documents.resolve(platform, task["case"], _task_form(platform, task_id), data, from_html=from_html)
    state = platform.complete(task_id, data, scope.username, from_html=from_html, require_claim=True,
                              form_fields_only=True)
    return {**task, "case_state": state}


def _task_form(platform, task_id):
    from .tasks import get_task_row, task_form

    with platform.uow(readonly=True) as uow:
        return task_form(platform, uow, get_task_row(uow, task_id))


def task_uploads(platform, actor, task_id, fields, uploads):
    """Files sent with one's own task form become documents of the case at once; returns the
    submitted fields with each filepicker's value as references (the ones kept and the new ones),
    so a form refused for another field loses no file. Refused files: ValidationFailed naming the
    field and the file (the other files of the submission are not stored either)."""
    scope, task = _worker_task(platform, actor, task_id)
    if task["state"] != "open" or task.get("assignee") != scope.username:
        raise Conflict("Bitte übernehmen Sie die Aufgabe zuerst")
    form = _task_form(platform, task_id)
    pickers = {f.name: f for f in (form.fields if form is not None else ()) if isinstance(f, documents.FileField)}
    if not pickers:
        return fields
    uploads = [u for u in uploads if u.field in pickers]
    if len(uploads) > documents.MAX_FILES:
        raise ValidationFailed(f"Höchstens {documents.MAX_FILES} Dateien auf einmal")
    with platform.uow(readonly=True) as uow:
        context = dict(get_case_row(uow, number=task["case"])["data"] or {})
    for name, f in pickers.items():
        new = [u for u in uploads if u.field == name]
        if len(new) > 1 and not f.allows_many(context):
            raise ValidationFailed(f"{name}: Bitte nur eine Datei auswählen.",
                                   details={"fields": {name: "Bitte nur eine Datei auswählen."}})
    accept = {name: f.accept_entries(context) for name, f in pickers.items()}
    out = documents.resolve(platform, task["case"], form, dict(fields), from_html=True)
    try:
        refs = documents.attach(platform, task["case"], uploads, scope.username, "formular", task_id=task_id,
                                accept=accept) if uploads else []
    except ValidationFailed as exc:  # the page shows the files kept so far again, with the refusal
        exc.details["submitted"] = out
        raise
    for upload, ref in zip(uploads, refs):
        chosen = out.setdefault(upload.field, [])
        if pickers[upload.field].allows_many(context):
            if ref not in chosen:
                chosen.append(ref)
        else:
            out[upload.field] = [ref]  # a new file replaces the one kept in a single-file field
    return out


def assign(platform, actor, task_id, assignee):
    """A team lead hands an open task to a person who may work it, or back to the group (None or '')."""
    scope = scope_of(platform, actor)
    task = _task(platform, task_id, scope)
    scope.require(scope.can_assign(task), "Nur die Teamleitung kann Aufgaben zuweisen")
    if assignee is not None and not isinstance(assignee, str):
        raise ValidationFailed("Die bearbeitende Person ist als Benutzername anzugeben",
                               details={"fields": {"assignee": "Benutzername erwartet"}})
    assignee = (assignee or "").strip() or None
    if assignee is not None and task["state"] == "open":
        person = users.get_user(platform, assignee)
        if person is None or not person["active"] or not Scope(person).can_act_on_task(task):
            raise ValidationFailed(f"„{assignee}“ kann diese Aufgabe nicht bearbeiten",
                                   details={"fields": {"assignee": "Keine berechtigte Person"}})
    platform.assign(task_id, assignee, scope.username)  # Conflict when the task is no longer open
    return task


# ---- cases
def start_case(platform, actor, process_id, kommune, data=None, *, from_html=False, version=None,
               business_key=None, as_is_variant=False, on_number=None, from_modeler=False):
    """Start a case for a Kommune the actor serves; `from_html`: data are the start form's strings.
    `from_modeler`: Camunda Modeler's "Start instance", which process owners may use too.
    The data must satisfy the version's start form before a case exists (422 with details.fields).
    As-is variants start only when asked for explicitly, for their own Kommune (cases.check_startable).
    `on_number(uow, number)` runs inside the starting transaction (idempotency keys, access codes)."""
    scope = scope_of(platform, actor)
    _require_start(scope, kommune, from_modeler)
    with platform.uow(readonly=True) as uow:  # refusals of the Kommune and version come before field errors
        cases.check_kommune(platform, uow, kommune)
        row = definition_row(uow, process_id, version)
        cases.check_startable(row, kommune, as_is_variant)
        definition = platform.definition(uow, row["id"])
    form = definition.forms.get(definition.start_form) if definition.start_form else None
    data = _clean_start_data(form, data, from_html)
    return platform.start_case(process_id, kommune, data, version=version, business_key=business_key,
                               actor=scope.username, as_is_variant=as_is_variant, on_number=on_number)


def _require_start(scope, kommune, from_modeler=False):
    if not from_modeler:
        scope.require(scope.can_start_cases, "Sie dürfen keine Vorgänge anlegen")
    if not kommune:
        raise ValidationFailed("Bitte eine Kommune angeben", details={"fields": {"kommune": "Pflichtfeld"}})
    allowed = scope.can_start_from_modeler(kommune) if from_modeler else scope.can_start(None, kommune)
    scope.require(allowed, f"Für die Kommune {kommune} dürfen Sie keine Vorgänge anlegen")


def validate_start_data(platform, process_id, version, data, *, from_html=False):
    """The start data cleaned by the process's start form; ValidationFailed with field errors otherwise.

    A process without a start form accepts no fields. Every channel (web form, API, portal message,
    CLI) starts through here, so no case exists whose start data the form would refuse."""
    return _clean_start_data(start_form_of(platform, process_id, version), data, from_html)


def _clean_start_data(form, data, from_html):
    data = dict(data or {})
    pickers = [f.name for f in (form.fields if form is not None else ()) if isinstance(f, documents.FileField)]
    if any(data.get(name) for name in pickers):  # documents belong to a case, which does not exist yet
        raise ValidationFailed("Dokumente können erst dem angelegten Vorgang beigefügt werden",
                               details={"fields": {name: "Dokumente erst nach dem Anlegen beifügen (API: "
                                                         "POST /api/v1/cases/<nr>/documents)"
                                                   for name in pickers if data.get(name)}})
    if form is None:
        if data:
            raise ValidationFailed("Dieser Prozess hat kein Startformular und nimmt keine Felder an",
                                   details={"fields": {key: "unbekanntes Feld" for key in data}})
        return {}
    clean, errors = form.validate(data, from_html=from_html)
    if errors:
        raise ValidationFailed("Bitte die markierten Felder korrigieren", details={"fields": errors})
    return clean


def start_by_message(platform, actor, name, kommune, data=None, *, on_number=None):
    """A start message (e.g. the online portal's application) starts a case; returns its number.
    Its data must satisfy the start form of the process the message starts (422 otherwise)."""
    scope = scope_of(platform, actor)
    _require_start(scope, kommune)
    data = validate_start_data(platform, process_started_by(platform, name), None, data)
    return platform.deliver_message(None, name, data, kommune=kommune, actor=scope.username, on_number=on_number)


def process_started_by(platform, message):
    """The process id a start message starts (NotFound when none does)."""
    return cases.process_started_by(platform, message)


def deliver_message(platform, actor, number, name, data=None, *, on_number=None):
    """Deliver a message (e.g. documents received) to a waiting case; returns the case state.
    `on_number(uow, number)` runs inside the delivering transaction (idempotency keys)."""
    scope = scope_of(platform, actor)
    scope.require(scope.can_message(_case(platform, number, scope)))
    return platform.deliver_message(number, name, data or {}, actor=scope.username, on_number=on_number)


def retry(platform, actor, number, data=None):
    """Run a case in incident again (team leads, process owners, the operator)."""
    scope = scope_of(platform, actor)
    scope.require(scope.can_retry(_case(platform, number, scope)))
    return platform.retry(number, actor=scope.username, data=data)


def attach_documents(platform, actor, number, uploads, *, on_number=None):
    """Attach files to a case (API, portal follow-ups); returns their references."""
    scope = scope_of(platform, actor)
    case = _case(platform, number, scope)
    scope.require(scope.can_attach_documents(case), "Sie dürfen diesem Vorgang keine Dokumente beifügen")
    if not uploads:
        raise ValidationFailed("Bitte mindestens eine Datei senden", details={"fields": {"file": "Pflichtfeld"}})
    if len(uploads) > documents.MAX_FILES:
        raise ValidationFailed(f"Höchstens {documents.MAX_FILES} Dateien auf einmal",
                               details={"fields": {"file": f"höchstens {documents.MAX_FILES} Dateien"}})
    source = "portal" if scope.roles == {"schnittstelle"} else "api"
    return documents.attach(platform, number, uploads, scope.username, source, on_number=on_number)


def case_documents(platform, actor, number):
    """The documents of a case the actor may see."""
    scope = scope_of(platform, actor)
    _case(platform, number, scope)
    return documents.case_documents(platform, number)


def document(platform, actor, document_id):
    """(document row, bytes, media type) of a document of a case the actor may see; NotFound otherwise."""
    scope = scope_of(platform, actor)
    row, number = documents.document_row(platform, document_id)
    try:
        _case(platform, number, scope)
    except NotFound:
        raise NotFound(documents.DOCUMENT_NOT_FOUND) from None
    body, media = documents.content(platform, row)
    return {**row, "case": number}, body, media


def add_note(platform, actor, number, text):
    """Add a note to a case the actor may work on; it enters the case history."""
    scope = scope_of(platform, actor)
    _case(platform, number, scope)
    scope.require(scope.can_work_tasks)
    return platform.add_note(number, text, scope.username)


# ---- operator
def deploy(platform, actor, paths):
    """Deploy process library paths (process owners, administrators, the operator)."""
    scope = scope_of(platform, actor)
    scope.require(scope.can_deploy, "Nur die Prozessverantwortung kann bereitstellen")
    return platform.deploy(paths, actor=scope.username)


def tick(platform):
    """Fire every due timer; the timers act as the system actor 'timer'."""
    return platform.tick()
