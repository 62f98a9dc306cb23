"""Intake through the API: idempotency keys, per-case access codes and the coarse status.

Idempotency: the key row (account, key, request hash, case number) is inserted inside the very
transaction that starts the case or delivers the message, before the engine runs. A retry finds the
row and gets the same case; a racing duplicate (another app server) fails on the unique constraint
(account_id, key) — PostgreSQL makes it wait for the first transaction — and then finds the row.
The same key with a different request is a Conflict (409).

The access code (random, 128 bits) lets a citizen or the portal read the coarse status of one case.
It is stored in clear text so that a retried intake can answer with the same code: it guards only
the coarse status, and whoever can read this table can read the cases themselves.
"""
import hashlib
import hmac
import json
import re
import secrets

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from ..errors import NotFound, ValidationFailed, ZsaError
from ..storage.tables import case_access, idempotency_key, vorgang
from .tokens import has_scope

KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, e.g. a UUID
COARSE = {
    "running": ("in_bearbeitung", "In Bearbeitung"),
    "incident": ("in_bearbeitung", "In Bearbeitung"),  # a technical fault is not the applicant's business
    "completed": ("abgeschlossen", "Abgeschlossen"),
    "cancelled": ("eingestellt", "Eingestellt"),
}
STATUS_NOT_FOUND = "Vorgang nicht gefunden oder Zugangscode falsch"


class IdempotencyConflict(ZsaError):
    code, status = "idempotency_conflict", 409


def check_key(key):
    """The Idempotency-Key header value, or None; ValidationFailed for a malformed one."""
    if key is None:
        return None
    if not KEY.match(key):
        raise ValidationFailed("Idempotency-Key: 1–200 druckbare ASCII-Zeichen (z. B. eine UUID)",
                               details={"fields": {"Idempotency-Key": "ungültig"}})
    return key


def fingerprint(operation, payload) -> str:
    """A stable hash of what a request asks for (the same key must come with the same request)."""
    text = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replay(platform, account_id, key, request_hash):
    """The case number stored for this key, or None; IdempotencyConflict for a different request."""
    with platform.uow(readonly=True) as uow:
        row = uow.execute(select(idempotency_key.c.request_hash, idempotency_key.c.case_number).where(
            idempotency_key.c.account_id == account_id, idempotency_key.c.key == key)).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise IdempotencyConflict("Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet")
    return row.case_number


# no RETURNING: these go with the case's other writes (services/runs.py, one round trip on PostgreSQL)
_INSERT_KEY = idempotency_key.insert().inline()
_INSERT_ACCESS = case_access.insert().inline()


def _once(platform, user, key, request_hash, run, access=False):
    """(case number, True) after `run(on_number)`; (number, False) when the key was used before."""
    account_id = user["id"]
    if key and (number := _replay(platform, account_id, key, request_hash)) is not None:
        return number, False
    code = secrets.token_urlsafe(16)

    def on_number(uow, number):
        now = platform.clock.now()
        if key:
            uow.execute(_INSERT_KEY, {"account_id": account_id, "key": key, "request_hash": request_hash,
                                      "case_number": number, "created_at": now})
        if access:
            uow.execute(_INSERT_ACCESS, {"case_number": number, "account_id": account_id, "code": code,
                                         "created_at": now})

    try:
        number = run(on_number if key or access else None)
    except IntegrityError:
        if not key or (number := _replay(platform, account_id, key, request_hash)) is None:
            raise
        return number, False
    return number, True


def start(platform, user, key, request_hash, starter):
    """Start a case at most once per key: `starter(on_number)` returns the case number.
    Returns (number, created); the case gets an access code and remembers who started it."""
    return _once(platform, user, key, request_hash, starter, access=True)


def deliver(platform, user, number, key, request_hash, deliverer):
    """Deliver a message at most once per key: `deliverer(on_number)`; returns True when delivered now."""
    def run(on_number):
        deliverer(on_number)
        return number
    return _once(platform, user, key, request_hash, run)[1]


def case_with_code(platform, number):
    """(the case as Platform.case gives it, its access code) in one read."""
    from .queries import case_in

    with platform.uow(readonly=True) as uow:
        return case_in(uow, number), uow.execute(_ACCESS_CODE, {"b_number": number}).scalar()


_ACCESS_CODE = select(case_access.c.code).where(case_access.c.case_number == bindparam("b_number"))


def access_code(platform, number):
    with platform.uow(readonly=True) as uow:
        return uow.execute(select(case_access.c.code).where(case_access.c.case_number == number)).scalar()


def started_by(platform, number):
    """The account id that started the case through the API, or None."""
    with platform.uow(readonly=True) as uow:
        return uow.execute(select(case_access.c.account_id).where(case_access.c.case_number == number)).scalar()


def status(platform, number, *, code=None, user=None):
    """The coarse status of a case (no personal data) for its access code, or for a token with scope
    "status" whose account started it; NotFound (one message for both) otherwise."""
    with platform.uow(readonly=True) as uow:
        access = uow.execute(select(case_access).where(case_access.c.case_number == number)).mappings().first()
        row = uow.execute(select(vorgang.c.state, vorgang.c.created_at, vorgang.c.updated_at)
                          .where(vorgang.c.number == number)).first()
    by_code = bool(access and code and hmac.compare_digest(access["code"].encode(), code.encode("utf-8")))
    by_token = bool(access and user and user.get("id") == access["account_id"] and has_scope(user, "status"))
    if row is None or not (by_code or by_token):
        raise NotFound(STATUS_NOT_FOUND)
    status_code, label = COARSE.get(row.state, ("in_bearbeitung", "In Bearbeitung"))
    return {"number": number, "status": status_code, "label": label, "received_at": row.created_at.isoformat(),
            "updated_at": row.updated_at.isoformat()}
