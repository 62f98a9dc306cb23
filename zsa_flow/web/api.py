"""JSON API /api/v1 for the inbox and the citizens' online portal. Views parse, call one service, reply.

Writes go through services/actions.py (the same checks as the inbox pages and the CLI); the acting
person is always the authenticated account (a "user" field in a body is ignored).

Authentication: the inbox session (writes then need the X-CSRF-Token header) or
`Authorization: Bearer <token>` (machine clients, `zsa-flow users token`). Every view is scoped by
services.scope.Scope: foreign cases and tasks answer 404 exactly like missing ones.
"""
from flask import Blueprint, g, jsonify, request

from ..errors import NotFound, ValidationFailed
from ..services import actions, users
from ..services.scope import CASE_NOT_FOUND, READ_ONLY, TASK_NOT_FOUND, Scope
from . import get_platform
from .security import STATE_CHANGING

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _unauthorized(message):
    response = jsonify({"error": "unauthorized", "message": message})
    response.headers["WWW-Authenticate"] = 'Bearer realm="zsa-flow"'
    return response, 401


@bp.before_request
def _authenticate():
    """Bearer token or inbox session; nobody else gets in. Auditors may only read."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user = users.user_for_token(get_platform(), header[len("Bearer "):].strip())
        if g.user is None:
            return _unauthorized("Ungültiges oder widerrufenes API-Token")
    elif g.get("user") is None:
        return _unauthorized("Anmeldung erforderlich")
    g.scope = Scope(g.user)
    if request.method in STATE_CHANGING and g.scope.read_only:
        return jsonify({"error": "forbidden", "message": READ_ONLY}), 403
    return None


def _case(number):
    """The case if it exists and is in the caller's scope; the same 404 otherwise."""
    try:
        case = get_platform().case(number)
    except NotFound:
        raise NotFound(CASE_NOT_FOUND) from None
    return g.scope.require_case(case)


def _task(task_id):
    try:
        task = get_platform().task(task_id)
    except NotFound:
        raise NotFound(TASK_NOT_FOUND) from None
    return g.scope.require_task(task)


def _int_arg(name, default, maximum=None):
    try:
        value = max(0, int(request.args.get(name, default)))
    except ValueError:
        raise ValidationFailed(f"Parameter '{name}' muss eine Zahl sein") from None
    return min(value, maximum) if maximum else value


def _body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.data:
        raise ValidationFailed("Der Anfragekörper ist kein gültiges JSON")
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ValidationFailed("Der Anfragekörper muss ein JSON-Objekt sein")
    return body


@bp.get("/processes")
def processes():
    """Deployed processes with their latest version."""
    return jsonify(get_platform().processes())


@bp.post("/cases")
def start_case():
    """Start a case (paper application keyed in, or a client starting a process directly)."""
    body = _body()
    number = actions.start_case(get_platform(), g.user, body.get("process"), body.get("kommune"),
                                body.get("data") or {}, version=body.get("version"),
                                business_key=body.get("business_key"), as_is_variant=body.get("as_is_variant") is True)
    return jsonify(get_platform().case(number)), 201


@bp.get("/cases")
def cases():
    """Cases in the caller's Kommunen, filtered by kommune, process, state and search text."""
    args = request.args
    return jsonify(get_platform().cases(**g.scope.case_filters(
        kommune=args.get("kommune"), process=args.get("process"), state=args.get("state"), search=args.get("q"),
        limit=_int_arg("limit", 100, 500), offset=_int_arg("offset", 0))))


@bp.get("/cases/<number>")
def case(number):
    return jsonify(_case(number))


@bp.get("/cases/<number>/events")
def case_events(number):
    _case(number)
    return jsonify(get_platform().events(number))


@bp.post("/cases/<number>/messages")
def case_message(number):
    """Deliver a message (e.g. 'unterlagen_eingegangen') to a waiting case."""
    body = _body()
    actions.deliver_message(get_platform(), g.user, number, body.get("name"), body.get("data") or {})
    return jsonify(get_platform().case(number))


@bp.post("/messages")
def start_message():
    """A start message (the online portal's application) starts a new case."""
    body = _body()
    number = actions.start_by_message(get_platform(), g.user, body.get("name"), body.get("kommune"),
                                      body.get("data") or {})
    return jsonify(get_platform().case(number)), 201


@bp.post("/cases/<number>/retry")
def case_retry(number):
    body = _body()
    actions.retry(get_platform(), g.user, number, body.get("data"))
    return jsonify(get_platform().case(number))


@bp.post("/cases/<number>/notes")
def case_note(number):
    """Add a note to the case ({"text": …}); it enters the case history."""
    actions.add_note(get_platform(), g.user, number, _body().get("text"))
    return jsonify(get_platform().case(number)), 201


@bp.get("/tasks")
def tasks():
    """Open tasks the caller may see, filtered like the CLI's `tasks`."""
    args = request.args
    return jsonify(get_platform().tasks(**g.scope.task_filters(
        group=args.get("group"), kommune=args.get("kommune"), assignee=args.get("assignee"),
        case=args.get("case"), limit=_int_arg("limit", 100, 500), offset=_int_arg("offset", 0))))


@bp.get("/tasks/<task_id>")
def task(task_id):
    return jsonify(_task(task_id))


@bp.post("/tasks/<task_id>/claim")
def claim(task_id):
    actions.claim(get_platform(), g.user, task_id)
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/unclaim")
def unclaim(task_id):
    actions.unclaim(get_platform(), g.user, task_id)
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/assign")
def assign(task_id):
    """A team lead assigns a task to a person who may work it ({"assignee": null} makes it free)."""
    actions.assign(get_platform(), g.user, task_id, _body().get("assignee"))
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/draft")
def save_draft(task_id):
    """Keep unfinished input on one's own task ({"data": {field: raw value}})."""
    actions.save_draft(get_platform(), g.user, task_id, _body().get("data") or {})
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/complete")
def complete(task_id):
    """Complete one's own (claimed) task with form data; 409 unclaimed, 422 with field errors."""
    done = actions.complete(get_platform(), g.user, task_id, _body().get("data") or {})
    return jsonify(get_platform().case(done["case"]))
