"""Use cases on cases: start (form or message), deliver a message, retry, cancel (timers: timers.py)."""
import re

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..engine.runner import CaseRun
from ..errors import Conflict, NotFound, ValidationFailed, ZsaError
from ..storage.prepared import Prepared
from ..storage.tables import case_number_seq, human_task, kommune as kommune_table, process_definition, timer, vorgang
from .data_limits import check_input
from .deployments import definition_row
from .history import GENESIS, append_events
from .runs import get_case_row, on_current_head, open_run, save_run

AGS = re.compile(r"^\d{8}$")


def start_case(platform, process_id, kommune, data=None, *, version=None, business_key=None,
               actor="system", message=None, as_is_variant=False, on_number=None):
    """Start a case of `process_id` for a Kommune; return its case number.
    `on_number(uow, number)` runs in the same transaction once the number is drawn (insert-first
    idempotency keys: a racing duplicate fails on their unique constraint and nothing is started)."""
    check_input(data, "Nachrichtendaten" if message else "Startdaten")
    data = dict(data or {})
    with platform.uow() as uow:
        check_kommune(platform, uow, kommune)
        row = definition_row(uow, process_id, version)
        check_startable(row, kommune, as_is_variant)
        definition = platform.definition(uow, row["id"])
        if message is not None and message not in definition.message_starts:
            raise NotFound(f"Prozess '{process_id}' wird nicht durch die Nachricht '{message}' gestartet")
        if message is None and definition.start_form and data:
            form = definition.forms.get(definition.start_form)
            if form is not None:
                clean, errors = form.validate(data)
                if errors:
                    raise ValidationFailed("Die Angaben sind unvollständig oder fehlerhaft", details={"fields": errors})
                data = clean
        now = platform.clock.now()
        data["kommune"] = kommune
        run = CaseRun.new(definition, platform.clock)
        effects = run.start(data, message=message)
        # the counter row is locked until commit (every start of this service waits for it): serialize
        # the workflow before, take the number (on PostgreSQL with the case row's id) after the engine
        # run, then send the case row and everything else in one round trip
        stored = run.stored_state()
        number, case_id = _next_number(uow, definition.case_prefix, now.year)
        case_row = {
            "id": None, "number": number, "definition_id": row["id"], "process_id": process_id, "kommune": kommune,
            "business_key": business_key, "title": None, "state": "running", "data": {}, "incident": None,
            "lock_version": 0, "last_seq": 0, "last_hash": GENESIS, "created_at": now, "ended_at": None,
            "definition_hash": row["content_hash"],
        }
        started = {"type": "case_started", "data": {"process": process_id, "version": row["version"],
                                                     "kommune": kommune, "message": message, "data": data}}
        save_run(platform, uow, case_row, definition, run, effects, actor, now, events_before=[started],
                 on_insert=None if on_number is None else (lambda uow_, _case_id: on_number(uow_, number)),
                 stored=stored, new_case_id=case_id)
        uow.commit()
    return number


def check_startable(row, kommune, as_is_variant=False):
    """Refuse a suspended version, and an as-is variant unless asked for explicitly for its own Kommune.

    As-is models describe how one Kommune works today; they serve comparison and simulation, not
    casework. An operator may still run one for real (`as_is_variant=True`), only for that Kommune.
    """
    name = f"Version {row['version']} von '{row['process_id']}'"
    if row.get("suspended_at") is not None:
        raise ZsaError(f"{name} ist ausgesetzt: keine neuen Vorgänge", code="version_suspended", status=409)
    properties = row.get("properties") or {}
    if properties.get("zsa:variant") != "as-is":
        return
    if not as_is_variant:
        raise ZsaError(f"'{row['process_id']}' ist eine Ist-Variante (Vergleich und Simulation), kein Prozess "
                       "für die Fallbearbeitung; nur ausdrücklich als Ist-Variante startbar", code="as_is_variant",
                       status=409)
    if properties.get("zsa:kommune") != kommune:
        raise ZsaError(f"Die Ist-Variante '{row['process_id']}' gilt nur für die Kommune "
                       f"{properties.get('zsa:kommune') or '(keine angegeben)'}, nicht für {kommune}",
                       code="as_is_variant", status=409)


def deliver_message(platform, number, name, data=None, *, kommune=None, actor="system", on_number=None):
    """Deliver a message to a waiting case, or start a case whose start event awaits it.
    `on_number(uow, number)` runs inside the transaction before the engine (see start_case)."""
    if number is None:
        if not kommune:
            raise ValidationFailed("Für eine Startnachricht ist die Kommune (AGS) anzugeben",
                                   details={"fields": {"kommune": "Pflichtfeld"}})
        return start_case(platform, process_started_by(platform, name), kommune, data, actor=actor, message=name,
                          on_number=on_number)
    check_input(data, "Nachrichtendaten")
    only_if = None if on_number is None else (lambda uow, case_row: on_number(uow, number) or True)
    return run_on_case(platform, number, actor, lambda run: run.deliver_message(name, data or {}), only_if=only_if)


def retry(platform, number, actor="system", data=None):
    """Run a case in incident again, optionally with corrected data for the failed step."""
    check_input(data, "Korrekturdaten")
    with platform.uow(readonly=True) as uow:
        case_row = get_case_row(uow, number=number)
        if case_row["state"] != "incident":
            raise Conflict(f"Vorgang {number} hat keine Störung")
    with platform.uow() as uow:  # timers that failed repeatedly get their attempts anew
        uow.execute(update(timer).where(timer.c.case_id == case_row["id"]).values(attempts=0, last_error=None))
        uow.commit()
    return run_on_case(platform, number, actor, lambda run: run.retry(data))


def cancel_case(platform, number, reason, actor):
    """Cancel a running case: open tasks are withdrawn, timers dropped."""
    with platform.uow() as uow:
        row = get_case_row(uow, number=number)
        if row["state"] in ("completed", "cancelled"):
            raise Conflict(f"Vorgang {number} ist bereits beendet")
        now = platform.clock.now()
        result = uow.execute(update(vorgang).where(vorgang.c.id == row["id"], vorgang.c.lock_version == row["lock_version"])
                             .values(state="cancelled", lock_version=row["lock_version"] + 1, updated_at=now, ended_at=now))
        if result.rowcount != 1:
            raise Conflict(f"Vorgang {number} wurde gleichzeitig geändert")
        uow.execute(update(human_task).where(human_task.c.case_id == row["id"], human_task.c.state == "open")
                    .values(state="cancelled", completed_at=now))
        uow.execute(timer.delete().where(timer.c.case_id == row["id"]))
        append_events(uow, get_case_row(uow, case_id=row["id"]), [{"type": "case_cancelled", "data": {"reason": reason}}],
                      actor, now)
        platform.workflows.take(row["id"], row["lock_version"])
        uow.commit()


def run_on_case(platform, number, actor, operation, only_if=None):
    """Run `operation` on the case and save; with `only_if(uow, case_row)` false: no run, None.
    Lost only to history appended meanwhile, it runs again on the new head (runs.on_current_head)."""
    return on_current_head(platform, lambda: _run_once(platform, number, actor, operation, only_if))


def _run_once(platform, number, actor, operation, only_if):
    with platform.uow() as uow:
        case_row = get_case_row(uow, number=number)
        if case_row["state"] in ("completed", "cancelled"):
            raise Conflict(f"Vorgang {number} ist bereits beendet")
        if only_if is not None and not only_if(uow, case_row):
            return None
        run, definition = open_run(platform, uow, case_row)
        effects = operation(run)
        state = save_run(platform, uow, case_row, definition, run, effects, actor, platform.clock.now())
        uow.commit()
    return state


def process_started_by(platform, message):
    """The one process whose start event awaits `message`."""
    with platform.uow(readonly=True) as uow:
        rows = uow.execute(select(process_definition.c.process_id, process_definition.c.message_starts)
                           .order_by(process_definition.c.version.desc())).all()
    matches = sorted({r.process_id for r in rows if message in (r.message_starts or [])})
    if not matches:
        raise NotFound(f"Kein Prozess wird durch die Nachricht '{message}' gestartet")
    if len(matches) > 1:
        raise ZsaError(f"Die Nachricht '{message}' startet mehrere Prozesse: {', '.join(matches)}")
    return matches[0]


def check_kommune(platform, uow, ags):
    if not isinstance(ags, str) or not AGS.match(ags):
        raise ValidationFailed(f"Kommune: '{ags}' ist kein 8-stelliger Amtlicher Gemeindeschlüssel",
                               details={"fields": {"kommune": "8-stelliger AGS erwartet"}})
    if ags in platform.known_kommunen:
        return
    if uow.execute(_KOMMUNE, {"b_ags": ags}).first() is None:
        raise NotFound(f"Kommune {ags} ist nicht angelegt")
    platform.known_kommunen.add(ags)  # Kommunen are never deleted


_KOMMUNE = select(kommune_table.c.ags).where(kommune_table.c.ags == bindparam("b_ags"))
_SEQ_UPDATE = (update(case_number_seq)
               .where(case_number_seq.c.prefix == bindparam("b_prefix"), case_number_seq.c.year == bindparam("b_year"))
               .values(last=case_number_seq.c.last + 1))
_SEQ_NEXT = {  # PostgreSQL: the new case row's id comes along (drawn from its sequence, see runs.save_run)
    "postgresql": Prepared(_SEQ_UPDATE.returning(case_number_seq.c.last,
                                                 func.nextval("vorgang_id_seq").label("case_id"))),
    "sqlite": Prepared(_SEQ_UPDATE.returning(case_number_seq.c.last)),
}
_SEQ_ENSURE = {  # the first case of a year creates the counter; concurrent servers may race here
    "postgresql": pg_insert(case_number_seq).on_conflict_do_nothing(),
    "sqlite": sqlite_insert(case_number_seq).on_conflict_do_nothing(),
}


def _next_number(uow, prefix, year):
    """(case number, id for the new case row) — the number readable, gap-free per prefix and year:
    HUND-2026-000123 (race-free across app servers); the id on PostgreSQL, None on SQLite (where
    inserting the row returns it at no cost)."""
    dialect = uow.conn.dialect.name
    params = {"b_prefix": prefix, "b_year": year}
    row = uow.execute(_SEQ_NEXT[dialect], params).first()
    if row is None:  # the first case of the year for this prefix
        uow.execute(_SEQ_ENSURE[dialect], {"prefix": prefix, "year": year, "last": 0})
        row = uow.execute(_SEQ_NEXT[dialect], params).one()
    return f"{prefix}-{year}-{row['last']:06d}", row.get("case_id")
