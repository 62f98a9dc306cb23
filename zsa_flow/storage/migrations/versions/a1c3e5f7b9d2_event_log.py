"""audit log in commit order: `event_log` (position -> event) defines the Merkle tree's leaves;
event ids no longer need to be assigned in commit order (no advisory lock per writer)

Revision ID: a1c3e5f7b9d2
Revises: f2b4d6e8a0c1
Create Date: 2026-11-29 18:40:00.000000

- `event.writer_xid`: on PostgreSQL the writing transaction's id (server default
  pg_current_xact_id(), 64 bit), indexed, so the sequencer (services/sequencer.py) finds events
  committed late; existing rows keep NULL (they are all in the log). Added without a default
  first and the default set afterwards: no rewrite of the table.
- `event_log`: every event once; filled here with all existing events in id order, so the tree
  over them — and every checkpoint written before — stays exactly as it was.
- `sequencer_state`: the sequencer's progress; starts above every existing event.
- PostgreSQL: the append-only trigger of `event` also guards `event_log`.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a1c3e5f7b9d2'
down_revision = 'f2b4d6e8a0c1'
branch_labels = None
depends_on = None


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    # On PostgreSQL this takes the ACCESS EXCLUSIVE lock on `event` until the migration commits:
    # no event is in flight while the log is filled below.
    op.add_column('event', sa.Column('writer_xid', sa.BigInteger(), nullable=True))
    if postgres:
        op.execute("ALTER TABLE event ALTER COLUMN writer_xid SET DEFAULT (pg_current_xact_id()::text::bigint)")
        op.create_index('ix_event_writer_xid', 'event', ['writer_xid'])
    key = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table(
        'event_log',
        sa.Column('position', key, primary_key=True, autoincrement=False),
        sa.Column('event_id', key, sa.ForeignKey('event.id'), nullable=False),
        sa.UniqueConstraint('event_id', name='uq_event_log_event'),
    )
    op.create_table(
        'sequencer_state',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('horizon', sa.BigInteger(), nullable=False),
        sa.Column('id_floor', sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO event_log (position, event_id) SELECT ROW_NUMBER() OVER (ORDER BY id), id FROM event")
    op.execute("INSERT INTO sequencer_state (id, horizon, id_floor) SELECT 1, 0, COALESCE(MAX(id), 0) FROM event")
    if postgres:
        op.execute("CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log "
                   "FOR EACH ROW EXECUTE FUNCTION zsa_append_only()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS event_log_append_only ON event_log")
        op.drop_index('ix_event_writer_xid', table_name='event')
    op.drop_table('sequencer_state')
    op.drop_table('event_log')
    with op.batch_alter_table('event') as batch:
        batch.drop_column('writer_xid')
