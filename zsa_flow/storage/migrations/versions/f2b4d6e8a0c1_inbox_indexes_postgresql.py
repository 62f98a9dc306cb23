"""PostgreSQL indexes for the inbox at 100,000 open tasks: a covering scope index for the tab counts
(index-only, no heap visit per task) and a trigram index for the applicant-name search (ILIKE
'%…%' without reading every case title)

SQLite keeps its own plan (the narrow (kommune, title) index and the task indexes of 7c1d2e3f4a5b).
The trigram index needs the pg_trgm extension (shipped with PostgreSQL, trusted since version 13:
the database owner may create it); where it cannot be created the search stays a scan and the
migration says so.

Revision ID: f2b4d6e8a0c1
Revises: e7f9a1b3c5d7
Create Date: 2026-11-29 15:30:00.000000
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = 'f2b4d6e8a0c1'
down_revision = 'e7f9a1b3c5d7'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index('ix_task_scope', 'human_task', ['state', 'kommune', 'process_id'],
                    postgresql_include=['id', 'assignee', 'due_at'])
    conn = op.get_bind()
    available = conn.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
    if available is None:
        log.warning("pg_trgm ist nicht verfügbar: die Suche nach Namen bleibt ohne Trigramm-Index")
        return
    conn.execute(sa.text("SAVEPOINT zsa_trgm"))
    try:
        conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        conn.execute(sa.text("ROLLBACK TO SAVEPOINT zsa_trgm"))
        log.warning("pg_trgm konnte nicht angelegt werden (Rechte): die Suche nach Namen bleibt ohne Trigramm-Index")
        return
    conn.execute(sa.text("RELEASE SAVEPOINT zsa_trgm"))
    op.create_index('ix_vorgang_title_trgm', 'vorgang', ['title'], postgresql_using='gin',
                    postgresql_ops={'title': 'gin_trgm_ops'})


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_vorgang_title_trgm")
    op.drop_index('ix_task_scope', table_name='human_task')
