"""Audit benchmark: `audit verify` and `audit checkpoint` over many events, SQLite and PostgreSQL side by side.

    python -m bench.audit [--events N] [--pg URL]

Generates N events (default 1,000,000) quickly: cases of 40 events each, inserted in bulk with
valid version-3 chains (data encrypted under per-case keys, as the platform writes them), then
appends them to the audit log in one sequencer run, then times verify (every chain, the Merkle
tree, the deployed files) and a checkpoint (Merkle tree over all events, signed). PostgreSQL runs when --pg or ZSA_DATABASE_URL names a database; that
database is EMPTIED first (use a dedicated one). Targets: both under 30 s for 1,000,000 events.
The last lines add the replay figures of bench/audit_replay.py (a typical Wohngeld case).
"""
import argparse
import json
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text

from zsa_flow.clock import FakeClock
from zsa_flow.services import checkpoints
from zsa_flow.services.crypto import CaseCipher
from zsa_flow.services.history import GENESIS, chain
from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.services.sequencer import sequence
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine
from zsa_flow.storage.tables import metadata, process_definition, vorgang

MODELS = Path(__file__).resolve().parent / "models"
PER_CASE = 40
BATCH = 25_000
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
EVENT_COLUMNS = ("case_id", "seq", "type", "element_id", "element_name", "actor", "at", "data", "prev_hash", "hash",
                 "chain_version", "definition_hash", "ciphertext")


def prepare(url, reset):
    engine = make_engine(url)
    migrate.upgrade(engine)
    if reset:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    platform = Platform.connect(url, clock=FakeClock(T0))
    sync_kommunen(platform)
    platform.deploy([str(MODELS / "drei_aufgaben.bpmn")])
    return platform


def generate(platform, n_events):
    """Bulk-insert cases with PER_CASE chained, encrypted events each; the number of events written."""
    with platform.uow() as uow:
        definition = uow.execute(select(process_definition.c.id, process_definition.c.content_hash)).first()
        first_id = (uow.execute(select(func.max(vorgang.c.id))).scalar() or 0) + 1
    n_cases = max(1, n_events // PER_CASE)
    written, pending = 0, []
    sqlite = platform.engine.dialect.name == "sqlite"
    for i in range(n_cases):
        case_id, number = first_id + i, f"BENCH-{first_id + i:07d}"
        at = T0 + timedelta(minutes=i)
        raw, wrapped = platform.keys.new_case_key(case_id)
        case_row = {"id": case_id, "number": number, "last_seq": 0, "last_hash": GENESIS,
                    "definition_hash": definition.content_hash}
        events = [{"type": "task_completed", "element_id": f"Aufgabe_{k % 3}", "element_name": "Betrag prüfen",
                   "data": {"betrag": 100 + k, "antragsteller_name": f"Person {i}", "geprueft": True}}
                  for k in range(PER_CASE)]
        rows, last_seq, last_hash = chain(case_row, events, "bench", at, CaseCipher(raw))
        pending.append(({"id": case_id, "number": number, "definition_id": definition.id,
                         "process_id": "bench_drei_aufgaben", "kommune": "15003000", "state": "completed", "data": {},
                         "lock_version": 1, "last_seq": last_seq, "last_hash": last_hash, "created_at": at,
                         "updated_at": at, "ended_at": at},
                        {"case_id": case_id, "wrapped_key": wrapped, "created_at": at}, rows))
        written += len(rows)
        if len(pending) * PER_CASE >= BATCH or i == n_cases - 1:
            _flush(platform, pending, sqlite)
            pending = []
    return written


def _flush(platform, pending, sqlite):
    from zsa_flow.storage.tables import case_key

    with platform.engine.begin() as conn:
        conn.execute(vorgang.insert(), [p[0] for p in pending])
        conn.execute(case_key.insert(), [p[1] for p in pending])
        rows = [tuple(_value(r, c, sqlite) for c in EVENT_COLUMNS) for p in pending for r in p[2]]
        cursor = conn.connection.driver_connection.cursor()
        if sqlite:
            cursor.executemany(f"INSERT INTO event ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
                               rows)
        else:
            with cursor.copy(f"COPY event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def _value(row, column, sqlite):
    value = row[column]
    if column == "data":
        return json.dumps(value)
    if column == "at" and sqlite:
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def timed(function):
    """(wall seconds, result); the CPU seconds of this process go to CPU[-1]."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    CPU.append(time.process_time() - cpu)
    return time.perf_counter() - start, result


CPU = []


def run(label, url, n_events, reset):
    platform = prepare(url, reset)
    seconds, written = timed(lambda: generate(platform, n_events))
    print(f"{label}: {written:,} Ereignisse erzeugt in {seconds:.1f} s".replace(",", "."))
    sequence_s, appended = timed(lambda: sequence(platform))  # all at once into the audit log
    print(f"{label}: {appended:,} Ereignisse in {sequence_s:.1f} s in den Merkle-Baum aufgenommen".replace(",", "."))
    verify_s, report = timed(platform.verify)
    verify_cpu = CPU[-1]
    key = Ed25519PrivateKey.generate()
    checkpoint_s, document = timed(lambda: checkpoints.write_checkpoint(platform, key))
    checkpoint_cpu = CPU[-1]
    assert report.clean, report.findings[:5]
    assert document["tree_size"] == report.tree_size == report.events
    platform.engine.dispose()
    return {"events": report.events, "verify": verify_s, "checkpoint": checkpoint_s,
            "verify_cpu": verify_cpu, "checkpoint_cpu": checkpoint_cpu}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--pg", help="PostgreSQL URL (the database is emptied); default ZSA_DATABASE_URL")
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        own_key = "ZSA_DATA_KEY_FILE" not in os.environ
        if own_key:  # a master key for this run only
            os.environ["ZSA_DATA_KEY_FILE"] = str(Path(tmp) / "data_key")
            Path(os.environ["ZSA_DATA_KEY_FILE"]).write_text(os.urandom(32).hex())
        results["SQLite"] = run("SQLite", f"sqlite:///{tmp}/audit.db", args.events, reset=False)
        pg_url = args.pg or os.environ.get("ZSA_DATABASE_URL", "")
        if pg_url.startswith("postgres"):
            results["PostgreSQL"] = run("PostgreSQL", pg_url, args.events, reset=True)
        if own_key:
            del os.environ["ZSA_DATA_KEY_FILE"]
    print(f"{'':22}" + "".join(f"{name:>36}" for name in results))
    for what in ("verify", "checkpoint"):
        cells = "".join(f"{r[what]:>8.1f} s {r['events'] / r[what]:>10,.0f}/s (CPU {r[what + '_cpu']:.1f} s)"
                        .replace(",", ".") for r in results.values())
        print(f"audit {what:<16}{cells}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall times grow with the load)")
    from .audit_replay import replay_figures

    f = replay_figures(rounds=20)
    print(f"replay typical Wohngeld case ({f['events']} events, {f['backend']}): median {f['median_ms']} ms "
          f"(CPU {f['cpu_ms']} ms), with snapshots {f['median_ms_snapshots']} ms (target < {f['target_ms']:.0f} ms)")
    worst = max(r[w] / r["events"] * 1_000_000 for r in results.values() for w in ("verify", "checkpoint"))
    print(f"worst {worst:.1f} s per 1.000.000 events (target < 30 s)")


if __name__ == "__main__":
    main()
