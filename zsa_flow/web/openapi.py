"""The OpenAPI 3.1 document of /api/v1, generated from the pydantic models the views validate with.

ROUTES lists every endpoint once: method, path, scope, summary, request body model, query model,
success status and response model. tests/integration/test_api_openapi.py checks that ROUTES and the
Flask URL map agree and drives every operation with schemathesis.
"""
import functools

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import api_models as m

NUMBER = {"name": "number", "in": "path", "required": True,
          "schema": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$"},
          "description": "Vorgangsnummer, z. B. HUND-2026-000001"}
TASK_ID = {"name": "task_id", "in": "path", "required": True,
           "schema": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"}}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "pattern": r"^[\x21-\x7e]{1,200}$"},
               "description": "Gleicher Schlüssel und gleiche Anfrage: derselbe Vorgang (200); "
                              "gleicher Schlüssel, andere Anfrage: 409"}
ACCESS_CODE = {"name": "X-Access-Code", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 100}}
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"}}
LIST = "list"
BINARY = {"type": "string", "format": "binary"}
# multipart bodies and binary answers are written out here (no pydantic model describes them)
DOCUMENT_UPLOAD = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "additionalProperties": False,
    "properties": {
        "file": {"type": "array", "items": BINARY, "minItems": 1, "maxItems": 10,
                 "description": "PDF, JPEG oder PNG (am Inhalt erkannt), je Datei höchstens ZSA_MAX_DOCUMENT_BYTES"},
        "message": {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,100}$",
                    "description": "danach zuzustellende Nachricht, z. B. unterlagen_eingegangen"},
        "key": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_-]{0,99}$",
                "description": "Schlüssel der Verweise in den Nachrichtendaten (Standard: unterlagen)"},
    }}}}
DOCUMENT_BODY = {media: {"schema": BINARY} for media in ("application/pdf", "image/jpeg", "image/png")}

# (method, path, scope, summary, body model, query model, success status, response model, extra parameters)
ROUTES = [
    ("get", "/processes", "read", "Bereitgestellte Prozesse", None, None, 200, LIST, []),
    ("post", "/cases", "intake", "Vorgang starten", m.StartCase, None, 201, m.Intake, [IDEMPOTENCY]),
    ("get", "/cases", "read", "Vorgänge suchen", None, m.CaseQuery, 200, LIST, []),
    ("get", "/cases/{number}", "read", "Ein Vorgang", None, None, 200, m.Case, [NUMBER]),
    ("get", "/cases/{number}/events", "read", "Verlauf eines Vorgangs", None, None, 200, LIST, [NUMBER]),
    ("post", "/cases/{number}/messages", "intake", "Nachricht an einen wartenden Vorgang", m.CaseMessage, None,
     200, m.Case, [NUMBER, IDEMPOTENCY]),
    ("post", "/messages", "intake", "Startnachricht (Antrag des Online-Portals)", m.StartMessage, None, 201,
     m.Intake, [IDEMPOTENCY]),
    ("post", "/cases/{number}/retry", "work", "Störung erneut ausführen", m.Retry, None, 200, m.Case, [NUMBER]),
    ("post", "/cases/{number}/notes", "work", "Notiz zum Vorgang", m.Note, None, 201, m.Case, [NUMBER]),
    ("get", "/status/{number}", None, "Grobstatus mit Zugangscode", None, m.StatusQuery, 200, m.Status,
     [NUMBER, ACCESS_CODE]),
    ("post", "/cases/{number}/documents", "intake", "Dokumente beifügen (optional mit Nachricht)", DOCUMENT_UPLOAD,
     None, 201, m.DocumentsAttached, [NUMBER, IDEMPOTENCY]),
    ("get", "/cases/{number}/documents", "read", "Dokumente eines Vorgangs", None, None, 200, LIST, [NUMBER]),
    ("get", "/cases/{number}/documents/{document_id}", "read", "Ein Dokument (Inhalt)", None, m.DocumentQuery, 200,
     DOCUMENT_BODY, [NUMBER, DOCUMENT_ID]),
    ("get", "/tasks", "read", "Offene Aufgaben", None, m.TaskQuery, 200, LIST, []),
    ("get", "/tasks/{task_id}", "read", "Eine Aufgabe", None, None, 200, m.Task, [TASK_ID]),
    ("post", "/tasks/{task_id}/claim", "work", "Aufgabe übernehmen", m.Empty, None, 200, m.Task, [TASK_ID]),
    ("post", "/tasks/{task_id}/unclaim", "work", "Aufgabe zurückgeben", m.Empty, None, 200, m.Task, [TASK_ID]),
    ("post", "/tasks/{task_id}/assign", "work", "Aufgabe zuweisen", m.Assign, None, 200, m.Task, [TASK_ID]),
    ("post", "/tasks/{task_id}/draft", "work", "Entwurf speichern", m.TaskData, None, 200, m.Task, [TASK_ID]),
    ("post", "/tasks/{task_id}/complete", "work", "Aufgabe abschließen", m.TaskData, None, 200, m.Case, [TASK_ID]),
]


def _query_parameters(model: type[BaseModel]):
    schema = model.model_json_schema()
    return [{"name": name, "in": "query", "required": name in schema.get("required", ()), "schema": prop}
            for name, prop in schema["properties"].items()]


def _content(model):
    """{media type: {"schema"}} of a body or answer: JSON of a model, or as written out (dict)."""
    if isinstance(model, dict):
        return model
    return {"application/json": {"schema": _ref(model)}}


def _ref(model):
    if model is LIST:
        return {"type": "array", "items": {"type": "object"}}
    return {"$ref": f"#/components/schemas/{model.__name__}"}


@functools.cache
def openapi_document() -> dict:
    models = ({r[4] for r in ROUTES if r[4] and not isinstance(r[4], dict)}
              | {r[7] for r in ROUTES if r[7] is not LIST and not isinstance(r[7], dict)} | {m.Error})
    _, defs = models_json_schema([(model, "validation") for model in sorted(models, key=lambda x: x.__name__)],
                                 ref_template="#/components/schemas/{model}")
    paths = {}
    for method, path, scope, summary, body, query, status, response, extra in ROUTES:
        operation = {
            "summary": summary, "operationId": f"{method}_{path.strip('/').replace('/', '_').replace('{', '').replace('}', '')}",
            "parameters": list(extra) + (_query_parameters(query) if query else []),
            "responses": {
                str(status): {"description": "Erfolg", "content": _content(response)},
                "default": {"description": "Fehler {error, message, details}",
                            "content": {"application/json": {"schema": _ref(m.Error)}}},
            },
        }
        if scope:
            operation["description"] = f"Token-Bereich: {scope}"
        else:
            operation["security"] = [{}, {"bearer": []}]
        if body:
            operation["requestBody"] = {"required": isinstance(body, dict), "content": _content(body)}
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "zsa-flow API", "version": "1",
                 "description": "Vorgänge, Aufgaben und Antragseingang der Zentralen Service-Angebote (ZSA)."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
