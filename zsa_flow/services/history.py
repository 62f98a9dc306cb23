"""Append-only case history with a per-case hash chain (tamper evidence for auditors).

The chain head (last seq and hash) sits on the case row, so appending needs no lookup and two
writers appending to the same case cannot both succeed (optimistic check on `last_seq`).

Chain versions (stored per row in `chain_version`, so old chains keep verifying):
- 1 (zsa-flow 0.1): sha256 over [prev_hash, case number, seq, type, element_id, actor, at, data].
- 2: sha256 over ["zsa-chain-2", prev_hash, case number, seq, type, element_id, element_name, actor,
  at, definition_hash, data] — every stored column of the row (the row id and case id are
  storage keys; the case number stands for the case) plus the content hash of the process
  version in force when the event was written.
"""
import hashlib
import json

from sqlalchemy import bindparam, update

from ..errors import Conflict
from ..storage.tables import event, vorgang

GENESIS = "0" * 64
CHAIN_VERSION = 2

_ADVANCE_HEAD = (
    update(vorgang)
    .where(vorgang.c.id == bindparam("b_id"), vorgang.c.last_seq == bindparam("b_seq"))
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)


def canonical(value) -> str:
    """Stable JSON used for hashing (sorted keys, no whitespace, ISO dates)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def event_hash(version, prev_hash, case_number, row) -> str:
    """The hash of one history row (`row`: the event's stored columns), chained to its predecessor."""
    if version == 1:
        body = [prev_hash, case_number, row["seq"], row["type"], row["element_id"], row["actor"], row["at"],
                row["data"]]
    elif version == 2:
        body = ["zsa-chain-2", prev_hash, case_number, row["seq"], row["type"], row["element_id"],
                row["element_name"], row["actor"], row["at"], row["definition_hash"], row["data"]]
    else:
        raise ValueError(f"unknown chain version {version}")
    return hashlib.sha256(canonical(body).encode()).hexdigest()


def chain(case_row, events, actor, at):
    """Event rows chained after the case's head; returns (rows, new_seq, new_hash).

    `case_row` carries `definition_hash`, the content hash of the process version in force."""
    seq, prev = case_row["last_seq"], case_row["last_hash"]
    rows, at_iso = [], at.isoformat()
    for item in events:
        seq += 1
        row = {"seq": seq, "type": item["type"], "element_id": item.get("element_id"),
               "element_name": item.get("element_name"), "actor": item.get("actor") or actor, "at": at_iso,
               "definition_hash": case_row["definition_hash"], "data": json.loads(canonical(item.get("data") or {}))}
        digest = event_hash(CHAIN_VERSION, prev, case_row["number"], row)
        rows.append(dict(row, case_id=case_row["id"], at=at, prev_hash=prev, hash=digest,
                         chain_version=CHAIN_VERSION))
        prev = digest
    return rows, seq, prev


def verify_rows(case_number, rows):
    """Recompute a case's chain from its stored rows (oldest first, `at` as ISO text);
    return (position, problem) findings — empty when the chain is intact."""
    findings, prev, expected_seq = [], GENESIS, 1
    for row in rows:
        if row["seq"] != expected_seq:
            findings.append((row["seq"], f"Lücke oder Umstellung: Position {expected_seq} erwartet"))
        if row["prev_hash"] != prev:
            findings.append((row["seq"], "Verkettung unterbrochen (prev_hash passt nicht zum Vorgänger)"))
        if event_hash(row["chain_version"], row["prev_hash"], case_number, row) != row["hash"]:
            findings.append((row["seq"], "Inhalt geändert (Hash stimmt nicht)"))
        prev, expected_seq = row["hash"], row["seq"] + 1
    return findings


_INSERT_EVENTS = event.insert().inline()  # no RETURNING of the new ids: fits a write batch


def insert_events(uow, rows):
    if rows:
        uow.execute(_INSERT_EVENTS, rows)


def append_events(uow, case_row, events, actor, at):
    """Chain and write events outside an engine run (claims, cancellation)."""
    rows, seq, digest = chain(case_row, events, actor, at)
    result = uow.execute(_ADVANCE_HEAD, {"b_id": case_row["id"], "b_seq": case_row["last_seq"],
                                         "new_seq": seq, "new_hash": digest})
    if result.rowcount != 1:
        raise Conflict(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte erneut versuchen.")
    insert_events(uow, rows)
