"""Append-only case history with a per-case hash chain (tamper evidence for auditors)."""
import hashlib
import json

from sqlalchemy import select

from ..storage.tables import event

GENESIS = "0" * 64


def canonical(value) -> str:
    """Stable JSON used for hashing (sorted keys, no whitespace, ISO dates)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(prev_hash, case_number, seq, type_, element_id, actor, at_iso, data) -> str:
    """The hash of one history row, chained to the previous row of the same case."""
    body = canonical([prev_hash, case_number, seq, type_, element_id, actor, at_iso, data])
    return hashlib.sha256(body.encode()).hexdigest()


def append_events(uow, case_id, case_number, events, actor, at):
    """Write events after the case's last one, each chained to its predecessor."""
    if not events:
        return
    last = uow.execute(
        select(event.c.seq, event.c.hash).where(event.c.case_id == case_id).order_by(event.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    rows = []
    at_iso = at.isoformat()
    for item in events:
        seq += 1
        data = json.loads(canonical(item.get("data") or {}))
        who = item.get("actor") or actor
        digest = event_hash(prev, case_number, seq, item["type"], item.get("element_id"), who, at_iso, data)
        rows.append(
            {
                "case_id": case_id,
                "seq": seq,
                "type": item["type"],
                "element_id": item.get("element_id"),
                "element_name": item.get("element_name"),
                "actor": who,
                "at": at,
                "data": data,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    uow.execute(event.insert(), rows)
