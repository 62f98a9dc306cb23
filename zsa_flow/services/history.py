"""Append-only case history with a per-case hash chain (tamper evidence for auditors).

The chain head (last seq and hash) sits on the case row, so appending needs no lookup and two
writers appending to the same case cannot both succeed (optimistic check on `last_seq`).
"""
import hashlib
import json

from sqlalchemy import bindparam, update

from ..errors import Conflict
from ..storage.tables import event, vorgang

GENESIS = "0" * 64

_ADVANCE_HEAD = (
    update(vorgang)
    .where(vorgang.c.id == bindparam("b_id"), vorgang.c.last_seq == bindparam("b_seq"))
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)


def canonical(value) -> str:
    """Stable JSON used for hashing (sorted keys, no whitespace, ISO dates)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(prev_hash, case_number, seq, type_, element_id, actor, at_iso, data) -> str:
    """The hash of one history row, chained to the previous row of the same case."""
    body = canonical([prev_hash, case_number, seq, type_, element_id, actor, at_iso, data])
    return hashlib.sha256(body.encode()).hexdigest()


def chain(case_row, events, actor, at):
    """Event rows chained after the case's head; returns (rows, new_seq, new_hash)."""
    seq, prev = case_row["last_seq"], case_row["last_hash"]
    rows, at_iso = [], at.isoformat()
    for item in events:
        seq += 1
        data = json.loads(canonical(item.get("data") or {}))
        who = item.get("actor") or actor
        digest = event_hash(prev, case_row["number"], seq, item["type"], item.get("element_id"), who, at_iso, data)
        rows.append({
            "case_id": case_row["id"], "seq": seq, "type": item["type"], "element_id": item.get("element_id"),
            "element_name": item.get("element_name"), "actor": who, "at": at, "data": data,
            "prev_hash": prev, "hash": digest,
        })
        prev = digest
    return rows, seq, prev


def insert_events(uow, rows):
    if rows:
        uow.execute(event.insert(), rows)


def append_events(uow, case_row, events, actor, at):
    """Chain and write events outside an engine run (claims, cancellation)."""
    rows, seq, digest = chain(case_row, events, actor, at)
    result = uow.execute(_ADVANCE_HEAD, {"b_id": case_row["id"], "b_seq": case_row["last_seq"],
                                         "new_seq": seq, "new_hash": digest})
    if result.rowcount != 1:
        raise Conflict(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte erneut versuchen.")
    insert_events(uow, rows)
