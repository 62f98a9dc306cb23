"""SQLite: a unit of work that writes holds the write lock from its BEGIN (two read-modify-write
transactions serialize instead of failing with SQLITE_BUSY); a read-only one does not take it."""
import os
import sqlite3

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("ZSA_DATABASE_URL", "").startswith("postgres"),
                                reason="SQLite's BEGIN modes")


def _other_writer_can_begin(db_url):
    other = sqlite3.connect(db_url.split("///", 1)[1], timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_a_writing_unit_of_work_takes_the_write_lock_at_begin_a_reading_one_does_not(zsa, db_url):
    with zsa.uow() as uow:
        assert uow.conn.connection.driver_connection.in_transaction
        assert not _other_writer_can_begin(db_url)
    with zsa.uow(readonly=True) as uow:
        assert uow.conn.connection.driver_connection.in_transaction
        assert _other_writer_can_begin(db_url)
    with zsa.uow() as uow:  # the same pooled connection, writing again
        assert not _other_writer_can_begin(db_url)
    with zsa.engine.begin():  # any other transaction on the engine writes as well
        assert not _other_writer_can_begin(db_url)
