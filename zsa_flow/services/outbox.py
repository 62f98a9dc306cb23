"""Delivering the outbox: the messages cases throw (register entries, notices) leave the system.

Workers (`zsa-flow worker`) and the scheduler in `zsa-flow serve` call `deliver_due` each round.
A round claims due rows in a short transaction (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several
workers take different rows) and leases them (`next_attempt_at` = now + LEASE, attempt counted);
then it sends outside any transaction and records the outcome with an event in the case history:
`message_delivered`, `message_delivery_failed` (next attempt after exponential backoff) or, after
`max_attempts`, `message_dead_lettered` (state `dead`, listed by `zsa-flow outbox list`, sent again
after `zsa-flow outbox retry ID`). A worker killed while sending leaves the lease to expire and the
row is sent again with the same delivery id: delivery is at least once, and the receiver makes it
exactly once by dropping a delivery id it has seen. Messages without a configured route wait.
"""
import logging
from collections import Counter
from datetime import timedelta

from sqlalchemy import bindparam, func, or_, select, update

from ..errors import Conflict, NotFound
from ..storage.tables import outbox, vorgang
from .history import append_events
from .runs import CASE_QUERY
from .transports import DeliveryFailed

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)  # longer than any transport timeout
_CASE_LOCKED = CASE_QUERY.where(vorgang.c.id == bindparam("b_id")).with_for_update(of=vorgang)


def _due(names, now, limit):
    return (select(outbox.c.id, outbox.c.case_id, outbox.c.name, outbox.c.payload, outbox.c.created_at,
                   outbox.c.delivery_id, outbox.c.attempts, vorgang.c.number, vorgang.c.data)
            .join(vorgang, vorgang.c.id == outbox.c.case_id)
            .where(outbox.c.state == "pending", outbox.c.name.in_(names),
                   or_(outbox.c.next_attempt_at.is_(None), outbox.c.next_attempt_at <= now))
            .order_by(outbox.c.id).limit(limit)
            .with_for_update(skip_locked=True, of=outbox))


def deliver_due(platform, config, limit=50):
    """Send what is due now; a Counter of outcomes (delivered, failed, dead)."""
    outcome = Counter()
    if not config.routes:
        return outcome
    now = platform.clock.now()
    with platform.uow() as uow:
        rows = uow.execute(_due(sorted(config.routes), now, limit)).mappings().all()
        if not rows:
            return outcome
        uow.execute(update(outbox).where(outbox.c.id.in_([r["id"] for r in rows]))
                    .values(next_attempt_at=now + LEASE, attempts=outbox.c.attempts + 1))
        uow.commit()
    for row in rows:
        attempt = row["attempts"] + 1
        message = {"delivery_id": row["delivery_id"] or str(row["id"]), "name": row["name"], "case": row["number"],
                   "payload": row["payload"], "data": row["data"], "created_at": row["created_at"].isoformat()}
        try:
            transport = config.send(message)
        except DeliveryFailed as exc:
            dead = attempt >= config.max_attempts
            _record(platform, row, attempt, error=str(exc), dead=dead,
                    retry_in=None if dead else config.backoff(attempt))
            outcome["dead" if dead else "failed"] += 1
            continue
        _record(platform, row, attempt, transport=transport)
        outcome["delivered"] += 1
    return outcome


def _record(platform, row, attempt, transport=None, error=None, dead=False, retry_in=None):
    """The outcome of one attempt on the outbox row and as an event in the case history."""
    now = platform.clock.now()
    data = {"outbox_id": row["id"], "name": row["name"], "delivery_id": row["delivery_id"], "attempt": attempt}
    if transport:
        values, kind = {"state": "delivered", "sent_at": now, "last_error": None}, "message_delivered"
        data["transport"] = transport
    elif dead:
        values, kind = {"state": "dead", "last_error": error}, "message_dead_lettered"
        data["error"] = error
    else:
        values = {"next_attempt_at": now + timedelta(seconds=retry_in), "last_error": error}
        kind = "message_delivery_failed"
        data.update(error=error, next_attempt_at=values["next_attempt_at"].isoformat())
    for _ in range(3):  # the case may move on between our read and our append
        with platform.uow() as uow:
            case_row = uow.execute(_CASE_LOCKED, {"b_id": row["case_id"]}).mappings().one()
            result = uow.execute(update(outbox).where(outbox.c.id == row["id"], outbox.c.attempts == attempt,
                                                      outbox.c.state == "pending").values(**values))
            if result.rowcount != 1:
                return  # our lease ran out and another worker took the row over
            try:
                append_events(uow, case_row, [{"type": kind, "data": data}], "outbox", now)
            except Conflict:
                continue
            uow.commit()
            if kind != "message_delivered":
                log.warning("Nachricht %s (%s) an %s: %s", row["id"], row["name"], row["number"], error)
            return


def list_messages(platform, state=None, limit=200):
    """Outbox rows (newest first), optionally of one state: pending | delivered | dead."""
    query = (select(outbox, vorgang.c.number).join(vorgang, vorgang.c.id == outbox.c.case_id)
             .order_by(outbox.c.id.desc()).limit(limit))
    if state:
        query = query.where(outbox.c.state == state)
    with platform.uow(readonly=True) as uow:
        return [dict(r) for r in uow.execute(query).mappings()]


def retry_message(platform, message_id):
    """Send a dead-lettered (or waiting) message again from the next round on, with fresh attempts."""
    with platform.uow() as uow:
        result = uow.execute(update(outbox).where(outbox.c.id == message_id, outbox.c.state != "delivered")
                             .values(state="pending", attempts=0, next_attempt_at=None, last_error=None))
        if result.rowcount != 1:
            if uow.execute(select(outbox.c.id).where(outbox.c.id == message_id)).first() is None:
                raise NotFound(f"Nachricht {message_id} nicht im Postausgang")
            raise Conflict(f"Nachricht {message_id} ist bereits zugestellt")
        uow.commit()


def backlog(platform):
    """Undelivered messages by state (pending, dead), for metrics."""
    with platform.uow(readonly=True) as uow:
        rows = uow.execute(select(outbox.c.state, func.count()).where(outbox.c.state != "delivered")
                           .group_by(outbox.c.state)).all()
    return {state: n for state, n in rows}
