"""JSON API /api/v1 for the inbox and the citizens' online portal. Views parse, call one service, reply.

Writes go through services/actions.py (the same checks as the inbox pages and the CLI); the acting
person is always the authenticated account. Bodies and query strings are validated by the declared
models in api_models.py (api_input.py: depth, NUL, finite numbers); unknown keys answer 422.

Authentication: the inbox session (writes then need the X-CSRF-Token header) or
`Authorization: Bearer <token>` (machine clients, `zsa-flow users token`). A token grants only its
scopes (services/tokens.py): each view names the scope it needs. Every view is scoped by
services.scope.Scope: foreign cases and tasks answer 404 exactly like missing ones.
Intake (starting cases, messages, the coarse status) lives in api_intake.py.
"""
import re

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from ..errors import Forbidden, NotFound, ZsaError
from ..services import actions, tokens
from ..services.audit import record_view_if_auditor
from ..services.scope import CASE_NOT_FOUND, READ_ONLY, TASK_NOT_FOUND, Scope
from . import get_platform
from .api_input import body, query
from .api_models import Assign, CaseQuery, Empty, Note, Retry, TaskData, TaskQuery
from .security import STATE_CHANGING

bp = Blueprint("api", __name__, url_prefix="/api/v1")
SCOPE_OF_VIEW = {}  # endpoint -> token scope it needs (services/tokens.SCOPES)
PUBLIC = {"api.status", "api.openapi"}  # access code or nothing: authentication optional
_PATH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")


def needs(scope):
    """Declare the token scope a view needs (sessions hold every scope their roles allow)."""
    def decorator(view):
        SCOPE_OF_VIEW[f"{bp.name}.{view.__name__}"] = scope
        return view
    return decorator


def _unauthorized(message):
    response = jsonify({"error": "unauthorized", "message": message, "details": {}})
    response.headers["WWW-Authenticate"] = 'Bearer realm="zsa-flow"'
    return response, 401


@bp.before_request
def _authenticate():
    """Bearer token or inbox session; nobody else gets in. Auditors may only read; tokens only their scopes."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.user = tokens.user_for_token(get_platform(), header[len("Bearer "):].strip())
        if g.user is None:
            return _unauthorized("Ungültiges oder widerrufenes API-Token")
    elif g.get("user") is None:
        if request.endpoint in PUBLIC:
            return None
        return _unauthorized("Anmeldung erforderlich")
    g.scope = Scope(g.user)
    if request.method in STATE_CHANGING and g.scope.read_only:
        return jsonify({"error": "forbidden", "message": READ_ONLY, "details": {}}), 403
    wanted = SCOPE_OF_VIEW.get(request.endpoint)
    if wanted and not tokens.has_scope(g.user, wanted):
        return jsonify({"error": "forbidden", "message": f"Dieses API-Token hat den Bereich „{wanted}“ nicht",
                        "details": {"scope": wanted}}), 403
    return None


@bp.errorhandler(Exception)
def _crash(exc):
    """An unexpected error inside an API view: logged with its traceback, answered as JSON 500."""
    from . import api_error, zsa_error

    if isinstance(exc, ZsaError):
        return zsa_error(exc)
    if isinstance(exc, HTTPException):
        return api_error(exc)
    current_app.logger.exception("Fehler in %s %s", request.method, request.path)
    return jsonify({"error": "internal_error", "message": "Interner Fehler; er wurde protokolliert.",
                    "details": {}}), 500


def path_id(value, message):
    """A path parameter as given, or NotFound for anything no id can look like (NUL, spaces, overlong)."""
    if not _PATH_ID.match(value):
        raise NotFound(message)
    return value


def visible_case(number):
    """The case if it exists, is in the caller's scope and its service in the token's; the same 404 otherwise."""
    number = path_id(number, CASE_NOT_FOUND)
    try:
        case = get_platform().case(number)
    except NotFound:
        raise NotFound(CASE_NOT_FOUND) from None
    if not tokens.allows_service(g.user, case["process"]):
        raise NotFound(CASE_NOT_FOUND)
    return g.scope.require_case(case)


def _task(task_id):
    task_id = path_id(task_id, TASK_NOT_FOUND)
    try:
        task = get_platform().task(task_id)
    except NotFound:
        raise NotFound(TASK_NOT_FOUND) from None
    return g.scope.require_task(task)


def require_service(process_id):
    if not tokens.allows_service(g.user, process_id):
        raise Forbidden(f"Dieses API-Token gilt nicht für den Prozess '{process_id}'")


@bp.get("/processes")
@needs("read")
def processes():
    """Deployed processes with their latest version."""
    return jsonify([p for p in get_platform().processes() if tokens.allows_service(g.user, p["process_id"])])


@bp.get("/cases")
@needs("read")
def cases():
    """Cases in the caller's Kommunen, filtered by kommune, process, state and search text."""
    args = query(CaseQuery)
    if args.process:
        require_service(args.process)
    found = get_platform().cases(**g.scope.case_filters(
        kommune=args.kommune, process=args.process, state=args.state, search=args.q,
        limit=args.limit, offset=args.offset))
    return jsonify([c for c in found if tokens.allows_service(g.user, c["process"])])


@bp.get("/cases/<number>")
@needs("read")
def case(number):
    found = visible_case(number)
    record_view_if_auditor(get_platform(), g.scope, number, "api")
    return jsonify(found)


@bp.get("/cases/<number>/events")
@needs("read")
def case_events(number):
    visible_case(number)
    events = get_platform().events(number)
    record_view_if_auditor(get_platform(), g.scope, number, "api")
    return jsonify(events)


@bp.post("/cases/<number>/retry")
@needs("work")
def case_retry(number):
    data = body(Retry).data
    actions.retry(get_platform(), g.user, path_id(number, CASE_NOT_FOUND), data)
    return jsonify(get_platform().case(number))


@bp.post("/cases/<number>/notes")
@needs("work")
def case_note(number):
    """Add a note to the case ({"text": …}); it enters the case history."""
    actions.add_note(get_platform(), g.user, path_id(number, CASE_NOT_FOUND), body(Note).text)
    return jsonify(get_platform().case(number)), 201


@bp.get("/tasks")
@needs("read")
def tasks():
    """Open tasks the caller may see, filtered like the CLI's `tasks`."""
    args = query(TaskQuery)
    return jsonify(get_platform().tasks(**g.scope.task_filters(
        group=args.group, kommune=args.kommune, assignee=args.assignee, case=args.case,
        limit=args.limit, offset=args.offset)))


@bp.get("/tasks/<task_id>")
@needs("read")
def task(task_id):
    return jsonify(_task(task_id))


@bp.post("/tasks/<task_id>/claim")
@needs("work")
def claim(task_id):
    body(Empty)
    actions.claim(get_platform(), g.user, path_id(task_id, TASK_NOT_FOUND))
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/unclaim")
@needs("work")
def unclaim(task_id):
    body(Empty)
    actions.unclaim(get_platform(), g.user, path_id(task_id, TASK_NOT_FOUND))
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/assign")
@needs("work")
def assign(task_id):
    """A team lead assigns a task to a person who may work it ({"assignee": null} makes it free)."""
    actions.assign(get_platform(), g.user, path_id(task_id, TASK_NOT_FOUND), body(Assign).assignee)
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/draft")
@needs("work")
def save_draft(task_id):
    """Keep unfinished input on one's own task ({"data": {field: raw value}})."""
    actions.save_draft(get_platform(), g.user, path_id(task_id, TASK_NOT_FOUND), body(TaskData).data)
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/complete")
@needs("work")
def complete(task_id):
    """Complete one's own (claimed) task with form data; 409 unclaimed, 422 with field errors."""
    done = actions.complete(get_platform(), g.user, path_id(task_id, TASK_NOT_FOUND), body(TaskData).data)
    return jsonify(get_platform().case(done["case"]))


from . import api_intake  # noqa: E402,F401  (intake views on the same blueprint)
from . import api_documents  # noqa: E402,F401  (document views on the same blueprint)
