"""outbox delivery state (delivery id, attempts, backoff, dead letter) and timer attempts

Revision ID: c4e6a8b0d2f4
Revises: c4d6e8f0a2b3
Create Date: 2026-11-29 13:20:00.000000
"""
import uuid

from alembic import op
import sqlalchemy as sa
import zsa_flow.storage.tables


revision = 'c4e6a8b0d2f4'
down_revision = 'c4d6e8f0a2b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('delivery_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('state', sa.String(length=20), nullable=False, server_default='pending'))
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('next_attempt_at', zsa_flow.storage.tables.UtcDateTime(), nullable=True))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch.create_index('ix_outbox_due', ['state', 'next_attempt_at'])
    conn = op.get_bind()
    outbox = sa.table('outbox', sa.column('id', sa.Integer), sa.column('sent_at'), sa.column('state'),
                      sa.column('delivery_id'))
    for row in conn.execute(sa.select(outbox.c.id, outbox.c.sent_at)).all():
        conn.execute(outbox.update().where(outbox.c.id == row.id).values(
            delivery_id=str(uuid.uuid4()), state='delivered' if row.sent_at is not None else 'pending'))
    with op.batch_alter_table('timer') as batch:
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('timer') as batch:
        batch.drop_column('last_error')
        batch.drop_column('attempts')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_index('ix_outbox_due')
        for name in ('last_error', 'next_attempt_at', 'attempts', 'state', 'delivery_id'):
            batch.drop_column(name)
