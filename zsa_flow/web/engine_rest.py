"""The part of Camunda 7's REST API that Camunda Modeler 5 uses, under /engine-rest.

Answered: GET /version, GET /deployment (connection check: ?maxResults=0), POST /deployment/create,
GET /deployment/{id}, GET /process-definition/{id}, GET /process-definition/key/{key},
POST /process-definition/{id}/start and POST /process-definition/key/{key}/start.

Authentication on every request (never the browser session): HTTP Basic with an account's password
(login throttling applies) or `Authorization: Bearer <API token>`. Deploying needs the process-owner
role (services decide: Forbidden -> 403). Errors look like Camunda's: {"type", "message"}.
Views only translate between Camunda's shapes and the services.
"""
import base64
import binascii
import json
from pathlib import PurePosixPath

from flask import Blueprint, g, jsonify, request, url_for

from ..errors import Forbidden, ValidationFailed, ZsaError
from ..services import actions, deployments, tokens, users, versions
from ..services.scope import Scope
from . import get_platform

bp = Blueprint("engine_rest", __name__, url_prefix="/engine-rest")

API_VERSION = "7.22.0"  # the Camunda 7 REST API level answered (what Modeler checks features against)
CHALLENGE = 'Basic realm="zsa-flow", charset="UTF-8", Bearer realm="zsa-flow"'
TYPES = {400: "InvalidRequestException", 401: "AuthenticationException", 403: "AuthorizationException",
         404: "InvalidRequestException", 409: "InvalidRequestException", 422: "InvalidRequestException",
         429: "AuthenticationException"}
AS_IS_FLAG = "zsaAsIsVariant"  # Boolean variable: start an as-is variant on purpose (its own Kommune only)


class Unauthorized(ZsaError):
    code, status = "unauthorized", 401


@bp.errorhandler(ZsaError)
def _camunda_error(exc):
    """Camunda's error body; the check's problems and field errors are part of the message."""
    message = exc.message
    fields = exc.details.get("fields") if isinstance(exc.details, dict) else None
    if fields:
        message += "\n" + "\n".join(f"{key}: {text}" for key, text in fields.items())
    response = jsonify({"type": "ParseException" if isinstance(exc, deployments.DeploymentRefused)
                        else TYPES.get(exc.status, "RestException"), "message": message})
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = CHALLENGE
    if exc.status == 429 and exc.details.get("retry_after"):
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response, exc.status


@bp.before_request
def _authenticate():
    """Basic (account password) or Bearer (API token) on every request."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    platform = get_platform()
    if scheme.lower() == "basic":
        try:
            username, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized("Ungültige Basic-Anmeldedaten") from None
        try:
            user = users.authenticate(platform, username, password, request.remote_addr)
        except users.LoginFailed as exc:
            raise Unauthorized(exc.message) from None
    elif scheme.lower() == "bearer":
        user = tokens.user_for_token(platform, value.strip())
        if user is None:
            raise Unauthorized("Ungültiges oder widerrufenes API-Token")
        if not tokens.has_scope(user, "deploy"):
            raise Forbidden("Dieses API-Token hat den Bereich „deploy“ nicht")
    else:
        raise Unauthorized("Anmeldung erforderlich (HTTP Basic mit Benutzername und Passwort oder Bearer-Token)")
    g.user, g.scope = user, Scope(user)


def _time(value) -> str:
    """Camunda's date format: 2026-11-29T12:16:00.000+0000."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}" + value.strftime("%z")


def _definition_id(process_id, version, definition_id):
    return f"{process_id}:{version}:{definition_id}"


@bp.get("/version")
def version():
    """The REST API level (Modeler reads `version`)."""
    from importlib.metadata import version as package_version

    return jsonify({"version": API_VERSION, "zsaFlowVersion": package_version("zsa-flow")})


def _deployment_dto(d):
    return {"links": [{"method": "GET", "href": url_for("engine_rest.deployment", deployment_id=d["id"],
                                                        _external=True), "rel": "self"}],
            "id": str(d["id"]), "name": d["name"], "source": d["source"], "tenantId": d["tenant_id"],
            "deploymentTime": _time(d["deployed_at"])}


@bp.get("/deployment")
def deployment_list():
    """Deployments, newest first (Modeler's connection check asks for ?maxResults=0)."""
    try:
        first, count = int(request.args.get("firstResult", 0)), int(request.args.get("maxResults", 100))
    except ValueError:
        raise ValidationFailed("firstResult und maxResults müssen Zahlen sein") from None
    if count <= 0:
        return jsonify([])
    rows = versions.deployments(get_platform(), limit=first + min(count, 500))[first:]
    return jsonify([_deployment_dto(d) for d in rows])


@bp.get("/deployment/<int:deployment_id>")
def deployment(deployment_id):
    return jsonify(_deployment_dto(versions.deployment_record(get_platform(), deployment_id)))


def _files():
    """File parts by their file name (Modeler names each part after its file); directories are cut off."""
    contents = {}
    for key, storage in request.files.items(multi=True):
        name = PurePosixPath((storage.filename or key).replace("\\", "/")).name
        if not name:
            raise ValidationFailed("Dateiteil ohne Dateinamen")
        contents[name] = storage.read()
    return contents


@bp.post("/deployment/create")
def deployment_create():
    """Check and deploy the diagram and its attachments; Camunda's DeploymentWithDefinitions."""
    form = request.form
    record = deployments.deploy_contents(
        get_platform(), _files(), actor=g.user["username"], scope=g.scope,
        source=(form.get("deployment-source") or "engine-rest")[:100], name=(form.get("deployment-name") or None),
        tenant_id=(form.get("tenant-id") or None))
    body = {**_deployment_dto(record),
            "deployedProcessDefinitions": {}, "deployedCaseDefinitions": None, "deployedDecisionDefinitions": {},
            "deployedDecisionRequirementsDefinitions": None}
    for p in record["processes"]:
        body["deployedProcessDefinitions"][_definition_id(p["process_id"], p["version"], p["definition_id"])] = \
            _process_dto(p, record)
    for d in record["decisions"]:
        did = f"{d['decision_id']}:{d['version']}:{record['id']}"
        body["deployedDecisionDefinitions"][did] = {
            "id": did, "key": d["decision_id"], "category": None, "name": d["name"], "version": d["version"],
            "resource": d["file"], "deploymentId": str(record["id"]), "tenantId": record["tenant_id"],
            "decisionRequirementsDefinitionId": None, "decisionRequirementsDefinitionKey": None,
            "historyTimeToLive": None, "versionTag": None}
    return jsonify(body)


def _process_dto(p, record=None):
    return {"id": _definition_id(p["process_id"], p["version"], p["definition_id"]), "key": p["process_id"],
            "category": None, "description": None, "name": p["name"], "version": p["version"],
            "resource": p.get("resource"), "deploymentId": str(p["deployment_id"]) if p.get("deployment_id") else None,
            "diagram": None, "suspended": bool(p.get("suspended")),
            "tenantId": record["tenant_id"] if record else None, "versionTag": None, "historyTimeToLive": None,
            "startableInTasklist": p.get("variant", "to-be") != "as-is"}


@bp.get("/process-definition/<definition_id>")
def process_definition(definition_id):
    return jsonify(_process_dto(versions.definition_by_camunda_id(get_platform(), definition_id)))


@bp.get("/process-definition/key/<key>")
def process_definition_by_key(key):
    return jsonify(_process_dto(versions.definition_by_camunda_id(get_platform(), key)))


@bp.post("/process-definition/<definition_id>/start")
def start(definition_id):
    """Start a case; the Kommune comes as variable `kommune` (AGS), the rest becomes case data."""
    return _start(versions.definition_by_camunda_id(get_platform(), definition_id))


@bp.post("/process-definition/key/<key>/start")
def start_by_key(key):
    """Start a case of the latest version of a process."""
    return _start(versions.definition_by_camunda_id(get_platform(), key))


def _start(definition):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {} if not request.data else None
    if body is None:
        raise ValidationFailed("Der Anfragekörper muss ein JSON-Objekt sein")
    data = {name: _value(name, spec) for name, spec in (body.get("variables") or {}).items()}
    kommune = data.pop("kommune", None)
    as_is = data.pop(AS_IS_FLAG, False) is True
    if not kommune:
        raise ValidationFailed("Variable 'kommune' fehlt: AGS der Kommune (8 Ziffern, Typ String), "
                               "für die der Vorgang angelegt wird")
    platform = get_platform()
    number = actions.start_case(platform, g.user, definition["process_id"], str(kommune), data,
                                version=definition["version"], business_key=body.get("businessKey"),
                                as_is_variant=as_is, from_modeler=True)
    case = platform.case(number)
    return jsonify({"links": [{"method": "GET", "href": url_for("api.case", number=number, _external=True),
                               "rel": "self"}],
                    "id": number, "definitionId": definition["id"], "businessKey": body.get("businessKey"),
                    "caseInstanceId": None, "ended": case["state"] in ("completed", "cancelled"),
                    "suspended": False, "tenantId": None})


def _value(name, spec):
    """A Camunda typed variable {"value", "type"} as plain JSON data."""
    if not isinstance(spec, dict):
        raise ValidationFailed(f"Variable '{name}': erwartet {{\"value\": …, \"type\": …}}")
    kind, value = (spec.get("type") or "").lower(), spec.get("value")
    try:
        if kind == "json" and isinstance(value, str):
            return json.loads(value)
        if kind in ("integer", "long", "short") and value is not None:
            return int(value)
        if kind == "double" and value is not None:
            return float(value)
        if kind == "boolean" and isinstance(value, str):
            return value.strip().lower() == "true"
    except ValueError:
        raise ValidationFailed(f"Variable '{name}': Wert passt nicht zum Typ {spec.get('type')}") from None
    if kind in ("object", "file", "bytes"):
        raise ValidationFailed(f"Variable '{name}': Typ {spec.get('type')} wird nicht unterstützt")
    return value
