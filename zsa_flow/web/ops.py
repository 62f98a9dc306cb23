"""Operations endpoints and request bookkeeping: /health, /ready, /metrics, request ids, access log.

- `/health`: the process answers (liveness).
- `/ready`: the database is reachable and on the newest migration (readiness; 503 otherwise).
- `/metrics`: Prometheus text format (web/metrics.py); with `ZSA_METRICS_TOKEN` set only with
  `Authorization: Bearer <token>`.
Every response carries `X-Request-Id` (the proxy's, else a new one); each request is logged once
(logger `zsa_flow.access`) with method, path, status, duration, request id and case number.
"""
import hmac
import logging
import os
import re
import time
import uuid

from flask import Blueprint, Response, g, jsonify, request

from ..storage.migrate import ensure_migrated

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("zsa_flow.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_CASE_NUMBER = re.compile(r"^[A-Z][A-Z0-9]*-\d{4}-\d{6}$")


def _platform():
    from . import get_platform

    return get_platform()


@bp.get("/health")
def health():
    return jsonify({"status": "ok"})


@bp.get("/ready")
def ready():
    try:
        ensure_migrated(_platform().engine)
    except Exception as exc:  # unreachable or not migrated: not ready, say why in one line
        reason = str(getattr(exc, "orig", None) or getattr(exc, "message", None) or exc).strip().splitlines()[0]
        return jsonify({"status": "not_ready", "reason": reason}), 503
    return jsonify({"status": "ready"})


@bp.get("/metrics")
def metrics():
    token = os.environ.get("ZSA_METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return jsonify({"error": "unauthorized", "message": "Anmeldung erforderlich"}), 401
    from .metrics import render

    body, content_type = render(_platform())
    return Response(body, content_type=content_type)


def install(app):
    """Register the blueprint and the per-request hooks."""
    app.register_blueprint(bp)
    app.before_request(_begin)
    app.after_request(_finish)


def _begin():
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()
    number = (request.view_args or {}).get("number")
    if number:
        g.case_number = number


def _finish(response):
    response.headers["X-Request-Id"] = g.get("request_id", "")
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    if "case_number" not in g and response.status_code == 201 and response.is_json:
        number = (response.get_json(silent=True) or {}).get("number")
        if isinstance(number, str) and _CASE_NUMBER.match(number):
            g.case_number = number
    endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
    try:
        from .metrics import REQUEST_SECONDS

        REQUEST_SECONDS.labels(request.method, endpoint, str(response.status_code)).observe(seconds)
    except Exception:  # metrics must never break a response
        pass
    if request.endpoint not in ("ops.health", "ops.metrics", "static"):
        access_log.info("%s %s %s", request.method, request.path, response.status_code,
                        extra={"method": request.method, "path": request.path, "status": response.status_code,
                               "duration_ms": round(seconds * 1000, 1), "request_id": g.get("request_id"),
                               "case": g.get("case_number")})
    return response
