"""Backup and restore of the whole database (`zsa-flow backup` / `zsa-flow restore`).

- SQLite: the online backup API (a consistent copy while the server runs); restore copies the
  backup back over the database file, page by page, with the same API.
- PostgreSQL: `pg_dump --format=custom` (consistent snapshot while the servers run) and
  `pg_restore --clean --if-exists --single-transaction` into the configured database.
Restore replaces everything: stop app servers and workers first.
"""
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from ..errors import ZsaError
from .db import database_url


def _sqlite_path(url):
    path = make_url(url).database
    if not path or path == ":memory:":
        raise ZsaError("Eine SQLite-Datenbank im Arbeitsspeicher lässt sich nicht sichern")
    return path


def _libpq_url(url):
    """The URL as libpq tools take it (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_copy(source_path, dest_path):
    """SQLite's online backup of one database file into another (consistent while the app writes)."""
    source, dest = sqlite3.connect(source_path), sqlite3.connect(dest_path)
    try:
        with dest:
            source.backup(dest)
    finally:
        dest.close()
        source.close()


def backup(target, url=None):
    """Write a backup of the configured database to `target`; returns the backend name."""
    url = database_url(url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        _sqlite_copy(_sqlite_path(url), str(target))
        return "sqlite"
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)], "pg_dump")
    return "postgresql"


def restore(source, url=None):
    """Replace the configured database's content with the backup at `source`."""
    url = database_url(url)
    source = Path(source)
    if not source.is_file():
        raise ZsaError(f"Sicherung {source} nicht gefunden")
    if url.startswith("sqlite"):
        with open(source, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise ZsaError(f"{source} ist keine SQLite-Sicherung")
        _sqlite_copy(str(source), _sqlite_path(url))
        return "sqlite"
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
          f"--dbname={_libpq_url(url)}", str(source)], "pg_restore")
    return "postgresql"


def _run(command, tool):
    if shutil.which(tool) is None:
        raise ZsaError(f"{tool} nicht gefunden (PostgreSQL-Client-Programme installieren)")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise ZsaError(f"{tool} fehlgeschlagen: {lines[-1] if lines else result.returncode}")
