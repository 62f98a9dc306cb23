"""Checkpoints written before the audit log existed (Merkle tree over events in id order) still
verify after the upgrade that introduced `event_log`, and the log extends them.

tests/fixtures/checkpoint/ was written by the release before the log (commit 81f7791, alembic
head f2b4d6e8a0c1) with make_before_event_log.py: a SQLite database with three cases, an audit
log entry and a stored checkpoint, the checkpoint document and its public key. The upgrade runs
the real `zsa-flow db upgrade` command on a copy. The second test does the same round on the
test database (PostgreSQL with ZSA_DATABASE_URL): back to the schema before the log, a
checkpoint computed as that release did, upgrade.
"""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from click.testing import CliRunner
from sqlalchemy import inspect, text

from zsa_flow.cli import main
from zsa_flow.clock import FakeClock
from zsa_flow.services import checkpoints, merkle
from zsa_flow.services.platform import Platform
from zsa_flow.services.sequencer import sequence
from zsa_flow.storage import migrate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "checkpoint"
BEFORE_LOG = "f2b4d6e8a0c1"


def _zsa_flow(*args, env):
    return subprocess.run([str(Path(sys.executable).parent / "zsa-flow"), *args], env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def upgraded(tmp_path, monkeypatch):
    for name in ("zsa.db", "data_key"):
        shutil.copy(FIXTURE / name, tmp_path / name)
    url = f"sqlite:///{tmp_path / 'zsa.db'}"
    env = dict(os.environ, ZSA_DATABASE_URL=url)
    env.pop("ZSA_DATA_KEY_FILE", None)  # the fixture's key lies next to its database
    result = _zsa_flow("db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    platform = Platform.connect(url, clock=FakeClock())
    yield platform, env
    platform.engine.dispose()


def test_fixture_is_what_the_release_before_the_log_wrote():
    with sqlite3.connect(FIXTURE / "zsa.db") as db:
        assert db.execute("select version_num from alembic_version").fetchone()[0] == BEFORE_LOG
        assert db.execute("select count(*) from sqlite_master where name = 'event_log'").fetchone()[0] == 0
        assert db.execute("select count(*) from event").fetchone()[0] == 19
        stored = json.loads(db.execute("select document from audit_checkpoint").fetchone()[0])
    assert stored == json.loads((FIXTURE / "checkpoint.json").read_text())


def test_an_old_checkpoint_verifies_after_the_upgrade_and_the_log_extends_it(upgraded):
    zsa, env = upgraded
    old = json.loads((FIXTURE / "checkpoint.json").read_text())
    with zsa.engine.connect() as conn:
        logged = conn.execute(text("select event_id from event_log order by position")).scalars().all()
        ids = conn.execute(text("select id from event order by id")).scalars().all()
        size, root = checkpoints.tree_head(conn)
    assert logged == ids and len(ids) == 19  # the backfill: every older event, in id order
    assert (size, root.hex()) == (old["tree_size"], old["root_hash"])
    args = ["audit", "verify", "--checkpoint", str(FIXTURE / "checkpoint.json"), "--public-key",
            str(FIXTURE / "audit.pub")]
    result = _zsa_flow(*args, env=env)
    assert result.returncode == 0 and "1 Prüfpunkt(e) fortgesetzt" in result.stdout, result.stdout + result.stderr

    # the record grows after the upgrade: work the waiting case on, a new case, an auditor's view
    task = zsa.tasks(case="TEST-2026-000002")[0]  # claimed by anna before the upgrade
    zsa.complete(task["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": "D"})
    zsa.record_access("pruefer", "viewed", case_number=number)
    assert sequence(zsa) > 0
    public = checkpoints.trusted_public_key(FIXTURE / "audit.pub")
    report = zsa.verify(checkpoints=[old], trusted_key=public)
    assert report.clean, report.findings
    assert report.tree_size == report.events > 19 and report.unsequenced == 0
    result = _zsa_flow(*args, env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def _old_tree_head(conn):
    """The tree head as the release before the log computed it: over all events in id order."""
    hashes = conn.execute(text("select hash from event order by id")).scalars().all()
    return len(hashes), merkle.root_of([checkpoints.leaf_data(h) for h in hashes])


def test_the_migration_fills_the_log_in_id_order_on_this_database(zsa, test_library, tmp_path):
    """On the test database (PostgreSQL with ZSA_DATABASE_URL): events written, the schema taken
    back to before the log, a checkpoint as that release computed it, upgraded again."""
    zsa.deploy(test_library)
    for name in ("A", "B"):
        number = zsa.start_case("antrag", "15003000", {"antragsteller_name": name})
        task = zsa.tasks(case=number)[0]
        zsa.claim(task["id"], "anna")
    zsa.record_access("pruefer", "export xes", process_id="antrag")
    key_path = tmp_path / "audit.pem"
    checkpoints.keygen(key_path)
    key = checkpoints.signing_key(key_path)
    engine = zsa.engine
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("COMMIT")
                conn.exec_driver_sql("BEGIN")
            command.downgrade(migrate._config(conn), BEFORE_LOG)
        with engine.connect() as conn:
            assert "event_log" not in inspect(conn).get_table_names()
            size, root = _old_tree_head(conn)
        old = checkpoints.sign(key, size, root, zsa.clock.now())
    finally:
        migrate.upgrade(engine)
    with engine.connect() as conn:
        logged = conn.execute(text("select event_id from event_log order by position")).scalars().all()
        ids = conn.execute(text("select id from event order by id")).scalars().all()
        state = conn.execute(text("select horizon, id_floor from sequencer_state")).one()
    assert logged == ids and size == len(ids) == 7 and tuple(state) == (0, ids[-1])
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": "C"})
    zsa.record_access("pruefer", "viewed", case_number=number)
    assert sequence(zsa) == 3
    new = checkpoints.write_checkpoint(zsa, key)
    report = zsa.verify(checkpoints=[old, new], trusted_key=key.public_key())
    assert report.clean, report.findings
    assert (report.tree_size, new["tree_size"]) == (10, 10)


def test_the_cli_checkpoint_sequences_before_signing(zsa, test_library, db_url, tmp_path, monkeypatch):
    zsa.deploy(test_library)
    zsa.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    key_path = tmp_path / "audit.pem"
    checkpoints.keygen(key_path)
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    monkeypatch.setenv("ZSA_AUDIT_SIGNING_KEY_FILE", str(key_path))
    result = CliRunner().invoke(main, ["audit", "checkpoint", "--output", str(tmp_path / "cp.json")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "cp.json").read_text())["tree_size"] == 2
    with zsa.engine.connect() as conn:
        assert conn.execute(text("select count(*) from event_log")).scalar() == 2
