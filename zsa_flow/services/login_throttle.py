"""Login throttling from the `login_attempt` table: failures per username+IP and per IP lock for a while.

Unknown usernames are counted like real ones, so the lockout reveals nothing about which accounts exist.
"""
import hashlib
from datetime import timedelta

from sqlalchemy import delete, select, text, update

from ..storage.tables import login_attempt

WINDOW = timedelta(minutes=15)  # failures within this window count together
LOCK = timedelta(minutes=15)  # how long a lock lasts after the failure that triggered it
MAX_PER_USER_IP = 5  # one person mistyping, or a guesser on one account from one address
MAX_PER_IP = 30  # password spraying: one address trying many usernames
KEEP = timedelta(days=90)  # attempts older than this are deleted (audit of logins for a quarter)


def _lock_end(times, limit):
    """When the lock from these failure times (ascending) ends, or None when there is none."""
    end = None
    for i in range(limit - 1, len(times)):
        if times[i] - times[i - limit + 1] <= WINDOW:
            end = times[i] + LOCK
    return end


def locked_until(uow, username, ip, now):
    """The end of the current lock for this username from this IP, or None when not locked."""
    since = now - WINDOW - LOCK
    last_success = uow.execute(
        select(login_attempt.c.id).where(login_attempt.c.username == username, login_attempt.c.ip == ip,
                                         login_attempt.c.success.is_(True), login_attempt.c.at >= since)
        .order_by(login_attempt.c.id.desc()).limit(1)).scalar()
    user_times = [r.at for r in uow.execute(
        select(login_attempt.c.at).where(login_attempt.c.username == username, login_attempt.c.ip == ip,
                                         login_attempt.c.success.is_(False), login_attempt.c.at >= since,
                                         login_attempt.c.id > (last_success or 0))
        .order_by(login_attempt.c.at))]
    ip_times = [r.at for r in uow.execute(
        select(login_attempt.c.at).where(login_attempt.c.ip == ip, login_attempt.c.success.is_(False),
                                         login_attempt.c.at >= since).order_by(login_attempt.c.at))]
    ends = [e for e in (_lock_end(user_times, MAX_PER_USER_IP), _lock_end(ip_times, MAX_PER_IP)) if e]
    end = max(ends) if ends else None
    return end if end is not None and end > now else None


def serialize(uow, username):
    """Hold a per-username lock until the transaction ends, so concurrent attempts count one after another.

    PostgreSQL: a transaction-level advisory lock; SQLite: write transactions begin IMMEDIATE and
    are serialized already."""
    if uow.conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(b"login:" + username.encode("utf-8")).digest()[:8], "big", signed=True)
        uow.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def record(uow, username, ip, now, success):
    """Store one attempt (its id) and forget attempts older than KEEP."""
    attempt = uow.execute(login_attempt.insert().values(username=username, ip=ip, at=now, success=success)
                          ).inserted_primary_key[0]
    uow.execute(delete(login_attempt).where(login_attempt.c.at < now - KEEP))
    return attempt


def mark_success(uow, attempt):
    """The attempt counted before the password check turned out right."""
    uow.execute(update(login_attempt).where(login_attempt.c.id == attempt).values(success=True))
