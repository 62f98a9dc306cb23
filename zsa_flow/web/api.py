"""JSON API /api/v1 for the inbox and the citizens' online portal. Views parse, call one service, reply."""
from flask import Blueprint, g, jsonify, request

from ..errors import ValidationFailed
from . import get_platform

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _body() -> dict:
    body = request.get_json(silent=True)
    if body is None and request.data:
        raise ValidationFailed("Der Anfragekörper ist kein gültiges JSON")
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise ValidationFailed("Der Anfragekörper muss ein JSON-Objekt sein")
    return body


def _actor(body) -> str:
    """The acting person: the logged-in user when there is one, else the declared client/user."""
    user = getattr(g, "user", None)
    if user is not None:
        return user["username"] if isinstance(user, dict) else str(user)
    actor = body.get("user") or request.args.get("user")
    if not actor:
        raise ValidationFailed("Wer handelt? Feld 'user' fehlt", details={"fields": {"user": "Pflichtfeld"}})
    return str(actor)


@bp.get("/processes")
def processes():
    """Deployed processes with their latest version."""
    return jsonify(get_platform().processes())


@bp.post("/cases")
def start_case():
    """Start a case (paper application keyed in, or a client starting a process directly)."""
    body = _body()
    number = get_platform().start_case(
        body.get("process"), body.get("kommune"), body.get("data") or {},
        version=body.get("version"), business_key=body.get("business_key"), actor=_actor(body))
    return jsonify(get_platform().case(number)), 201


@bp.get("/cases")
def cases():
    """Cases filtered by kommune, process, state and search text."""
    args = request.args
    return jsonify(get_platform().cases(kommune=args.get("kommune"), process=args.get("process"),
                                        state=args.get("state"), search=args.get("q"),
                                        limit=min(int(args.get("limit", 100)), 500),
                                        offset=int(args.get("offset", 0))))


@bp.get("/cases/<number>")
def case(number):
    return jsonify(get_platform().case(number))


@bp.get("/cases/<number>/events")
def case_events(number):
    return jsonify(get_platform().events(number))


@bp.post("/cases/<number>/messages")
def case_message(number):
    """Deliver a message (e.g. 'unterlagen_eingegangen') to a waiting case."""
    body = _body()
    get_platform().deliver_message(number, body.get("name"), body.get("data") or {}, actor=_actor(body))
    return jsonify(get_platform().case(number))


@bp.post("/messages")
def start_message():
    """A start message (the online portal's application) starts a new case."""
    body = _body()
    number = get_platform().deliver_message(None, body.get("name"), body.get("data") or {},
                                            kommune=body.get("kommune"), actor=_actor(body))
    return jsonify(get_platform().case(number)), 201


@bp.post("/cases/<number>/retry")
def case_retry(number):
    body = _body()
    get_platform().retry(number, actor=_actor(body))
    return jsonify(get_platform().case(number))


@bp.get("/tasks")
def tasks():
    """Open tasks, filtered like the CLI's `tasks`."""
    args = request.args
    return jsonify(get_platform().tasks(group=args.get("group"), kommune=args.get("kommune"),
                                        assignee=args.get("assignee"), case=args.get("case"),
                                        limit=min(int(args.get("limit", 100)), 500),
                                        offset=int(args.get("offset", 0))))


@bp.get("/tasks/<task_id>")
def task(task_id):
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/claim")
def claim(task_id):
    body = _body()
    get_platform().claim(task_id, _actor(body))
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/unclaim")
def unclaim(task_id):
    body = _body()
    get_platform().unclaim(task_id, _actor(body))
    return jsonify(get_platform().task(task_id))


@bp.post("/tasks/<task_id>/complete")
def complete(task_id):
    """Complete with form data; 422 with field errors when the form's rules are not met."""
    body = _body()
    data = body.get("data") or {}
    case_number = get_platform().task(task_id)["case"]
    get_platform().complete(task_id, data, _actor(body))
    return jsonify(get_platform().case(case_number))
