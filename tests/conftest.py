"""Shared fixtures: a migrated database per test (SQLite file, or PostgreSQL when
ZSA_DATABASE_URL points there), a FakeClock and the `zsa` Platform on top."""
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from zsa_flow.clock import FakeClock
from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine
from zsa_flow.storage.tables import metadata

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_URL = os.environ.get("ZSA_DATABASE_URL", "")
USE_PG = PG_URL.startswith("postgres")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory):
    """Migrate once per session: a template SQLite file, or the PostgreSQL test database."""
    if USE_PG:
        engine = make_engine(PG_URL)
        migrate.upgrade(engine)
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "zsa.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def db_url(_template_db, tmp_path):
    """A fresh, migrated database for this test."""
    if USE_PG:
        engine = make_engine(PG_URL)
        names = ", ".join(t.name for t in metadata.sorted_tables)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return PG_URL
    path = tmp_path / "zsa.db"
    shutil.copy(_template_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def zsa(db_url, clock):
    """The platform on a fresh database with the reference Kommunen."""
    platform = Platform.connect(db_url, clock=clock)
    sync_kommunen(platform)
    yield platform
    platform.engine.dispose()


@pytest.fixture
def test_library():
    """The small engine test library (tests/fixtures/library)."""
    return [str(FIXTURES / "library")]
