"""Erasure after the retention period (`zsa-flow audit erase`): crypto-shredding.

A case is due when it ended (completed or cancelled) longer ago than its retention period: the
process property `zsa:retention` (ISO 8601 duration, e.g. "P6Y"), else the default of its
service below (legal assumptions: processes/<service>/README.md, "Aufbewahrung und Löschung").
Erasing a case destroys its data key — the encrypted event data (chain version 3) can no longer
be read, while hashes, chain, checkpoints and verification stay intact — and blanks the personal
data kept in clear: the case's data, title and incident text, its workflow state (deleted), task
drafts, note texts, outbox payloads and its documents (a body goes when no other case holds it).
A `case_erased` event records the erasure (with the number of documents, never their content).

Events written before chain version 3 (zsa-flow 0.1 and the first releases) hold their data in
clear; their hash covers it, so erasing it would break the chain. They are reported and kept.
On SQLite the file is vacuumed afterwards so no old page keeps the erased values.
"""
import re
from datetime import timedelta

from sqlalchemy import bindparam, delete, func, select, update

from ..storage.tables import case_key, case_note, event, human_task, outbox, process_definition, vorgang, workflow_state
from .documents import erase_case_documents
from .history import append_events
from .runs import get_case_row

# Retention after the case ended, per service (see the service's README for the legal basis).
DEFAULT_RETENTION = {
    # § 25 WoGG Bewilligungszeitraum bis 24 Monate, dann § 50 Abs. 4 SGB X: Erstattung verjährt
    # 4 Jahre nach Ablauf des Kalenderjahres der Unanfechtbarkeit (+ Jahresrest + 1 Jahr Reserve)
    "wohngeld": "P8Y",
    # §§ 169 Abs. 2, 170 Abs. 1 AO über § 13 KAG LSA: Festsetzungsfrist 4 Jahre ab Ende des
    # Entstehungsjahres (+ Jahresrest + 1 Jahr Reserve)
    "hundehaltung": "P6Y",
}
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")

_ENDED = (select(vorgang.c.id, vorgang.c.number, vorgang.c.ended_at, process_definition.c.properties,
                 process_definition.c.service, process_definition.c.process_id, case_key.c.erased_at)
          .join(process_definition, process_definition.c.id == vorgang.c.definition_id)
          .outerjoin(case_key, case_key.c.case_id == vorgang.c.id)
          .where(vorgang.c.state.in_(["completed", "cancelled"]), vorgang.c.ended_at.is_not(None),
                 case_key.c.erased_at.is_(None))
          .order_by(vorgang.c.id))
_PLAINTEXT = select(func.count()).select_from(event).where(event.c.case_id == bindparam("b_case"),
                                                           event.c.ciphertext.is_(None), event.c.type != "case_erased")


def add_duration(moment, text):
    """`moment` plus an ISO 8601 date duration (years, months, weeks, days)."""
    match = _DURATION.match(text or "")
    if not match or not any(match.groups()):
        raise ValueError(f"keine ISO-8601-Dauer: {text!r}")
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = moment.month - 1 + months + 12 * years
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                           31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return moment.replace(year=year, month=month, day=day) + timedelta(weeks=weeks, days=days)


def retention_of(properties, service, process_id):
    return (properties or {}).get("zsa:retention") or DEFAULT_RETENTION.get(service or "") \
        or DEFAULT_RETENTION.get(process_id)


def erase_due(platform, actor="system", dry_run=False):
    """Erase every case past its retention period; {"cases": [...], "skipped": [German lines]}."""
    now = platform.clock.now()
    due, skipped = [], []
    with platform.uow(readonly=True) as uow:
        for row in uow.execute(_ENDED).mappings():
            retention = retention_of(row["properties"], row["service"], row["process_id"])
            if not retention:
                skipped.append(f"{row['number']}: keine Aufbewahrungsfrist für Prozess {row['process_id']} festgelegt "
                               "(zsa:retention) – nicht gelöscht")
                continue
            try:
                if add_duration(row["ended_at"], retention) > now:
                    continue
            except ValueError:
                skipped.append(f"{row['number']}: zsa:retention {retention!r} ist keine ISO-8601-Dauer – nicht gelöscht")
                continue
            plaintext = uow.execute(_PLAINTEXT, {"b_case": row["id"]}).scalar_one()
            due.append({"number": row["number"], "id": row["id"], "ended_at": row["ended_at"].isoformat(),
                        "retention": retention, "plaintext_events": plaintext})
    if not dry_run:
        for item in due:
            erase_case(platform, item["id"], item["retention"], actor)
        if due:
            compact(platform)
    return {"cases": [{k: v for k, v in item.items() if k != "id"} for item in due], "skipped": skipped}


def erase_case(platform, case_id, retention, actor):
    """Destroy the case key, blank the personal data kept in clear, record `case_erased`."""
    now = platform.clock.now()
    with platform.uow() as uow:
        if uow.conn.dialect.name == "sqlite":  # overwrite freed space with zeros
            uow.conn.exec_driver_sql("PRAGMA secure_delete=ON")
        row = get_case_row(uow, case_id=case_id)
        destroyed = uow.execute(update(case_key).where(case_key.c.case_id == case_id)
                                .values(wrapped_key=None, erased_at=now)).rowcount
        if not destroyed:  # a case from before chain version 3 has no key row
            uow.execute(case_key.insert(), {"case_id": case_id, "wrapped_key": None, "created_at": now, "erased_at": now})
        uow.case_ciphers[case_id] = None
        uow.execute(update(vorgang).where(vorgang.c.id == case_id).values(
            data={}, title=None, incident=None, lock_version=row["lock_version"] + 1, updated_at=now))
        uow.execute(delete(workflow_state).where(workflow_state.c.case_id == case_id))
        uow.execute(update(human_task).where(human_task.c.case_id == case_id).values(draft=None))
        uow.execute(update(case_note).where(case_note.c.case_id == case_id).values(text=""))
        uow.execute(update(outbox).where(outbox.c.case_id == case_id).values(payload={}))
        erased = {"retention": retention, "ended_at": row["ended_at"].isoformat()}
        removed = erase_case_documents(uow, case_id)
        if removed:
            erased["documents"] = removed  # how many, never names or content
        append_events(uow, row, [{"type": "case_erased", "data": erased}], actor, now)
        uow.commit()  # the new lock version retires any cached workflow of the case


def compact(platform):
    """SQLite: rewrite the file and empty the write-ahead log, so freed pages keep no erased values."""
    if platform.engine.dialect.name != "sqlite":
        return
    raw = platform.engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM")
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
