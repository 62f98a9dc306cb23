"""Append-only case history with a per-case hash chain (tamper evidence for auditors).

The chain head (last seq and hash) sits on the case row, so appending needs no lookup and two
writers appending to the same case cannot both succeed (optimistic check on `last_seq`).

Chain versions (stored per row in `chain_version`, so old chains keep verifying):
- 1 (zsa-flow 0.1): sha256 over [prev_hash, case number, seq, type, element_id, actor, at, data].
- 2: sha256 over ["zsa-chain-2", prev_hash, case number, seq, type, element_id, element_name, actor,
  at, definition_hash, data] — every stored column of the row (the row id and case id are
  storage keys; the case number stands for the case) plus the content hash of the process
  version in force when the event was written.
- 3: as 2 with "zsa-chain-3" and, last, the SHA-256 of the `ciphertext` column: the event data is
  stored encrypted under the case's key (services/crypto.py) and `data` holds {}. The hash covers
  the ciphertext, so destroying the key (erasure) leaves the chain verifiable. Rows of a case
  whose key is already erased, and audit log rows, keep `data` in clear and `ciphertext` NULL.

Rows without a case (`case_id` NULL) form the audit log chain (process exports and other
accesses that belong to no case) under the name AUDIT_LOG; its head is the `audit_head` row.

Writers take no global lock: on PostgreSQL event ids are therefore not in commit order (a
transaction holding a lower id may commit later). The Merkle tree the signed checkpoints cover
runs over the audit log `event_log` instead, whose order the sequencer (services/sequencer.py)
assigns after commit; each row records its writing transaction's id (`writer_xid`, a server
default) so the sequencer finds late commits. Within one case the hash chain fixes the order.
"""
import hashlib
import json

from sqlalchemy import bindparam, select, update

from ..errors import Conflict, StaleCase
from ..storage.prepared import Prepared
from ..storage.tables import audit_head, event, vorgang
from .crypto import ERASED, case_cipher, insert_keys

GENESIS = "0" * 64
CHAIN_VERSION = 3
AUDIT_LOG = "PRUEFPROTOKOLL"  # the chain name of the audit log (rows without a case)

_ADVANCE_HEAD = Prepared(
    update(vorgang)
    .where(vorgang.c.id == bindparam("b_id"), vorgang.c.last_seq == bindparam("b_seq"))
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)
_AUDIT_HEAD = select(audit_head.c.last_seq, audit_head.c.last_hash).where(audit_head.c.id == 1)
_ADVANCE_AUDIT_HEAD = (
    update(audit_head)
    .where(audit_head.c.id == 1, audit_head.c.last_seq == bindparam("b_seq"))
    .values(last_seq=bindparam("new_seq"), last_hash=bindparam("new_hash"))
)


def canonical(value) -> str:
    """Stable JSON used for hashing (sorted keys, no whitespace, ISO dates)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def ciphertext_digest(ciphertext):
    return hashlib.sha256(ciphertext).hexdigest() if ciphertext is not None else None


def event_hash(version, prev_hash, case_number, row) -> str:
    """The hash of one history row (`row`: the event's stored columns), chained to its predecessor."""
    if version == 1:
        body = [prev_hash, case_number, row["seq"], row["type"], row["element_id"], row["actor"], row["at"],
                row["data"]]
    elif version == 2:
        body = ["zsa-chain-2", prev_hash, case_number, row["seq"], row["type"], row["element_id"],
                row["element_name"], row["actor"], row["at"], row["definition_hash"], row["data"]]
    elif version == 3:
        body = ["zsa-chain-3", prev_hash, case_number, row["seq"], row["type"], row["element_id"],
                row["element_name"], row["actor"], row["at"], row["definition_hash"], row["data"],
                ciphertext_digest(row.get("ciphertext"))]
    else:
        raise ValueError(f"unknown chain version {version}")
    return hashlib.sha256(canonical(body).encode()).hexdigest()


def chain(case_row, events, actor, at, cipher=None):
    """Event rows chained after the case's head; returns (rows, new_seq, new_hash).

    `case_row` carries `definition_hash`, the content hash of the process version in force;
    with a `cipher` (the case's key) the data is stored encrypted."""
    seq, prev, number = case_row["last_seq"], case_row["last_hash"], case_row["number"]
    rows, at_iso = [], at.isoformat()
    for item in events:
        seq += 1
        text = canonical(item.get("data") or {})
        row = {"seq": seq, "type": item["type"], "element_id": item.get("element_id"),
               "element_name": item.get("element_name"), "actor": item.get("actor") or actor, "at": at_iso,
               "definition_hash": case_row.get("definition_hash")}
        if cipher is not None:
            row["data"], row["ciphertext"] = {}, cipher.encrypt(number, seq, text.encode())
        else:
            row["data"], row["ciphertext"] = json.loads(text), None
        digest = event_hash(CHAIN_VERSION, prev, number, row)
        rows.append(dict(row, case_id=case_row["id"], at=at, prev_hash=prev, hash=digest,
                         chain_version=CHAIN_VERSION))
        prev = digest
    return rows, seq, prev


def verify_rows(case_number, rows):
    """Recompute a case's chain from its stored rows (oldest first, `at` as ISO text, v3 rows with
    their `ciphertext`); return (position, problem) findings — empty when the chain is intact.
    The whole database is verified by services/audit_verify.py."""
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


_INSERT_EVENTS = Prepared(event.insert().inline())  # no RETURNING of the new ids: fits a write batch


def insert_events(uow, rows):
    if rows:
        uow.execute(_INSERT_EVENTS, rows[0] if len(rows) == 1 else rows)


def cipher_for(uow, case_row, at, pending=None):
    """The case's cipher for writing (a key is made for a case without one); None after erasure.
    A case row read with its key columns (runs.CASE_QUERY) needs no look-up of the key; with
    `pending` a new key row is left there for the caller to insert with its other writes."""
    stored = (case_row["key_case_id"] is not None, case_row["wrapped_key"]) if "key_case_id" in case_row else None
    return case_cipher(uow, case_row["id"], now=at, stored=stored, pending=pending)


def append_events(uow, case_row, events, actor, at):
    """Chain and write events outside an engine run (claims, cancellation, auditor access)."""
    pending = []
    rows, seq, digest = chain(case_row, events, actor, at, cipher_for(uow, case_row, at, pending))
    with uow.batch():  # one round trip on PostgreSQL; the head check is read once it is through
        uow.expect_one(uow.execute(_ADVANCE_HEAD, {"b_id": case_row["id"], "b_seq": case_row["last_seq"],
                                                   "new_seq": seq, "new_hash": digest}),
                       StaleCase(f"Vorgang {case_row['number']} wurde gleichzeitig geändert. Bitte erneut versuchen.",
                                 case_id=case_row["id"], lock_version=case_row["lock_version"]))
        insert_keys(uow, pending)
        insert_events(uow, rows)


def append_audit_log(uow, events, actor, at):
    """Chain and write entries of the audit log (no case; data in clear, no personal data)."""
    head = uow.execute(_AUDIT_HEAD).first()
    if head is None:  # a database emptied by TRUNCATE (tests) lost the seeded head row
        uow.execute(audit_head.insert(), {"id": 1, "last_seq": 0, "last_hash": GENESIS})
        head = (0, GENESIS)
    pseudo_case = {"id": None, "number": AUDIT_LOG, "last_seq": head[0], "last_hash": head[1],
                   "definition_hash": None}
    rows, seq, digest = chain(pseudo_case, events, actor, at)
    result = uow.execute(_ADVANCE_AUDIT_HEAD, {"b_seq": head[0], "new_seq": seq, "new_hash": digest})
    if result.rowcount != 1:
        raise Conflict("Das Prüfprotokoll wurde gleichzeitig geändert. Bitte erneut versuchen.")
    insert_events(uow, rows)


def readable_data(row, number, cipher, erased=False):
    """An event's data for reading (`row`: a stored event row or its mapping): decrypted
    (chain v3), {"gelöscht": true} after erasure (`cipher` None)."""
    blob = row["ciphertext"]
    if blob is None:
        return row["data"]
    if erased or cipher is None:
        return dict(ERASED)
    return json.loads(cipher.decrypt(number, row["seq"], blob))
