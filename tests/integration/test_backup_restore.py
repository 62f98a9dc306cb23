"""`zsa-flow backup` / `restore` on SQLite (online backup API) and PostgreSQL (pg_dump/pg_restore)."""
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from zsa_flow.cli import main as cli
from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
DATABASE = "zsa_backup_test"


def _round_trip(url, library, tmp_path, monkeypatch):
    """Start a case, back up, change things, restore: the state at backup time is back."""
    monkeypatch.setenv("ZSA_DATABASE_URL", url)
    platform = Platform.connect(url)
    sync_kommunen(platform)
    platform.deploy(library)
    process = platform.processes()[0]["process_id"]
    kept = platform.start_case(process, "15003000")
    target = tmp_path / "sicherung.bak"
    result = CliRunner().invoke(cli, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    later = platform.start_case(process, "15003000")
    platform.engine.dispose()

    refused = CliRunner().invoke(cli, ["restore", str(target)], input="n\n")
    assert refused.exit_code != 0
    result = CliRunner().invoke(cli, ["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    platform = Platform.connect(url)
    assert [c["number"] for c in platform.cases()] == [kept]
    assert later != kept and platform.case(kept)["state"] == "running"
    platform.engine.dispose()


def test_sqlite_backup_and_restore(db_url, test_library, tmp_path, monkeypatch):
    if not db_url.startswith("sqlite"):
        db_url = f"sqlite:///{tmp_path / 'zsa.db'}"
        migrate.upgrade(make_engine(db_url))
    _round_trip(db_url, test_library, tmp_path, monkeypatch)


def test_restore_refuses_a_file_that_is_no_backup(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    junk = tmp_path / "junk.bak"
    junk.write_text("kein Backup")
    result = CliRunner().invoke(cli, ["restore", str(junk), "--yes"])
    assert result.exit_code == 1 and "keine SQLite-Sicherung" in result.output


@pytest.fixture
def pg_database():
    if shutil.which("pg_dump") is None:
        pytest.skip("PostgreSQL-Client-Programme fehlen")
    try:
        admin = make_engine(f"{PG_SERVER}/postgres").execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    except Exception:
        pytest.skip("kein PostgreSQL auf 127.0.0.1:5432")
    url = f"{PG_SERVER}/{DATABASE}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()


def test_postgresql_backup_and_restore(pg_database, test_library, tmp_path, monkeypatch):
    _round_trip(pg_database, test_library, tmp_path, monkeypatch)
