"""Intake views of /api/v1 for the online portal: start cases and message starts with an
Idempotency-Key, follow-up messages, the coarse status by access code, the OpenAPI document.

A first request answers 201 with the case number, a status link and the case's access code; the
same request again with the same Idempotency-Key answers 200 with the same case; the same key with
another request answers 409. A token with only the scopes intake and status (the portal's) gets no
case data back, and may message and follow only the cases its account started.
"""
import threading
import time
from collections import deque

from flask import g, jsonify, request, url_for

from ..errors import NotFound, ZsaError
from ..services import actions, intake, tokens
from ..services.scope import CASE_NOT_FOUND
from . import get_platform
from .api import bp, needs, path_id, require_service, visible_case
from .api_input import body, query
from .api_models import CaseMessage, StartCase, StartMessage, StatusQuery
from .openapi import openapi_document

STATUS_PER_MINUTE = 60  # status look-ups per client address and minute (per app server process)


class RateLimited(ZsaError):
    code, status = "rate_limited", 429


class _Window:
    """A sliding one-minute window of request times per client address (in this process)."""

    def __init__(self, limit):
        self.limit, self.hits, self.lock = limit, {}, threading.Lock()

    def check(self, client):
        now = time.monotonic()
        with self.lock:
            if len(self.hits) > 10_000:  # forget idle clients instead of growing without bound
                self.hits = {k: v for k, v in self.hits.items() if v and now - v[-1] < 60}
            hits = self.hits.setdefault(client, deque())
            while hits and now - hits[0] >= 60:
                hits.popleft()
            if len(hits) >= self.limit:
                wait = int(60 - (now - hits[0])) + 1
                raise RateLimited("Zu viele Statusabfragen. Bitte später erneut versuchen.",
                                  details={"retry_after": wait})
            hits.append(now)


_status_window = _Window(STATUS_PER_MINUTE)


def _key():
    return intake.check_key(request.headers.get("Idempotency-Key"))


def _answer(number, created):
    """The intake answer: case data only for callers that may read it, always link and access code."""
    case, code = intake.case_with_code(get_platform(), number)
    if tokens.has_scope(g.user, "read") and g.scope.can_see_case(case):
        answer = dict(case)
    else:
        answer = {k: case[k] for k in ("number", "process", "kommune", "state", "created_at")}
    answer["status_url"] = url_for("api.status", number=number)
    answer["access_code"] = code
    return jsonify(answer), 201 if created else 200


@bp.post("/cases")
@needs("intake")
def start_case():
    """Start a case (paper application keyed in, or a client starting a process directly)."""
    start = body(StartCase)
    require_service(start.process)
    platform = get_platform()
    number, created = intake.start(
        platform, g.user, _key(), intake.fingerprint("cases", start.model_dump(mode="json")),
        lambda on_number: actions.start_case(
            platform, g.user, start.process, start.kommune, start.data, version=start.version,
            business_key=start.business_key, as_is_variant=start.as_is_variant, on_number=on_number))
    return _answer(number, created)


@bp.post("/messages")
@needs("intake")
def start_message():
    """A start message (the online portal's application) starts a new case."""
    message = body(StartMessage)
    platform = get_platform()
    require_service(actions.process_started_by(platform, message.name))
    number, created = intake.start(
        platform, g.user, _key(), intake.fingerprint("messages", message.model_dump(mode="json")),
        lambda on_number: actions.start_by_message(platform, g.user, message.name, message.kommune, message.data,
                                                   on_number=on_number))
    return _answer(number, created)


@bp.post("/cases/<number>/messages")
@needs("intake")
def case_message(number):
    """Deliver a message (e.g. 'unterlagen_eingegangen') to a waiting case; Idempotency-Key optional."""
    number = path_id(number, CASE_NOT_FOUND)
    message = body(CaseMessage)
    platform = get_platform()
    reader = tokens.has_scope(g.user, "read")
    if reader:
        visible_case(number)
    elif intake.started_by(platform, number) != g.user["id"]:
        raise NotFound(CASE_NOT_FOUND)  # intake-only tokens reach only the cases their account started
    intake.deliver(platform, g.user, number, _key(),
                   intake.fingerprint(["message", number], message.model_dump(mode="json")),
                   lambda on_number: actions.deliver_message(platform, g.user, number, message.name, message.data,
                                                             on_number=on_number))
    if reader:
        return jsonify(platform.case(number))
    return jsonify(intake.status(platform, number, user=g.user))


@bp.get("/status/<number>")
def status(number):
    """The coarse status of a case: access code as header X-Access-Code or ?code=, or the starting token."""
    _status_window.check(request.remote_addr or "?")
    number = path_id(number, intake.STATUS_NOT_FOUND)
    code = request.headers.get("X-Access-Code") or query(StatusQuery).code
    return jsonify(intake.status(get_platform(), number, code=code, user=g.get("user")))


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API (generated from the request/response models)."""
    return jsonify(openapi_document())
