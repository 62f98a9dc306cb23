"""Errors as people and clients see them: German pages in the site layout, JSON under /api/.

One place for HTTP errors (400, 401, 403, 404, 405, 413, 500, …) and `ZsaError`s that no
blueprint handled: the browser gets `error.html` with a German title and explanation, the API
keeps its `{"error", "message"}` body.
"""
import logging

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..errors import ZsaError

log = logging.getLogger(__name__)

PAGES = {  # status -> (title, explanation, API error code)
    400: ("Anfrage nicht möglich", "Die Anfrage war unvollständig oder fehlerhaft. Bitte die Seite neu laden "
          "und erneut versuchen.", "bad_request"),
    401: ("Anmeldung erforderlich", "Bitte melden Sie sich an.", "unauthorized"),
    403: ("Keine Berechtigung", "Dafür fehlt Ihnen die Berechtigung.", "forbidden"),
    404: ("Nicht gefunden", "Die Seite gibt es nicht. Bitte prüfen Sie die Adresse.", "not_found"),
    405: ("Aktion nicht möglich", "Diese Seite kann so nicht aufgerufen werden. Bitte nutzen Sie die "
          "Schaltflächen und Links der Anwendung.", "method_not_allowed"),
    409: ("Konflikt", "Jemand anderes hat dasselbe gerade geändert. Bitte die Seite neu laden.", "conflict"),
    413: ("Zu groß", "Die gesendeten Daten sind zu groß.", "too_large"),
    422: ("Eingaben unvollständig", "Bitte die Eingaben prüfen.", "validation_failed"),
    500: ("Interner Fehler", "Bei der Verarbeitung ist ein Fehler aufgetreten. Bitte versuchen Sie es später "
          "erneut; besteht der Fehler fort, wenden Sie sich an die Administration.", "internal_error"),
}


def is_api() -> bool:
    """Machine clients: zsa-flow's API and the Camunda-compatible REST API of the Modeler."""
    return request.path.startswith(("/api/", "/engine-rest/"))


def _json(status, code, message):
    """The JSON error body: Camunda's {"type", "message"} under /engine-rest/, ours elsewhere."""
    if request.path.startswith("/engine-rest/"):
        if status == 404:
            return jsonify({"type": "NotFoundException", "message": f"{request.path} wird nicht angeboten"})
        return jsonify({"type": "InvalidRequestException" if status < 500 else "RestException", "message": message})
    return jsonify({"error": code, "message": message})


def page(status, message=None, title=None):
    """The German error page for `status` (the site layout, a link back to work)."""
    default_title, explanation, _code = PAGES.get(status, PAGES[400] if status < 500 else PAGES[500])
    return render_template("error.html", title=title or default_title, message=message or explanation,
                           status=status, task_list_link=True), status


def _http_error(exc: HTTPException):
    status = exc.code or 500
    if request.path.startswith("/api/"):
        from . import api_error

        return api_error(exc)  # {"error", "message", "details"} as every API answer
    if is_api():
        _title, explanation, code = PAGES.get(status, ("", exc.description, "error"))
        response = _json(status, code, explanation)
        if status == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status
    response, status = page(status)
    return response, status, ({"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else {})


def _zsa_error(exc: ZsaError):
    if request.path.startswith("/api/"):
        from . import zsa_error

        return zsa_error(exc)  # with Retry-After where the error says when
    if is_api():
        return jsonify(exc.to_dict()), exc.status
    return page(exc.status, exc.message)


def _internal_error(exc):
    original = getattr(exc, "original_exception", None)
    if original is not None:
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    if request.path.startswith("/api/"):
        return jsonify({"error": "internal_error", "message": PAGES[500][1], "details": {}}), 500
    if is_api():
        return _json(500, "internal_error", PAGES[500][1]), 500
    return page(500)


def init_app(app):
    """Install the handlers (blueprints may still handle their own errors first)."""
    app.register_error_handler(ZsaError, _zsa_error)
    app.register_error_handler(InternalServerError, _internal_error)
    app.register_error_handler(HTTPException, _http_error)
