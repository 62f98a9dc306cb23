"""event chain v2: chain format version and the process version's content hash on every event

Revision ID: a8e1c0d2b4f6
Revises: 7c1d2e3f4a5b
Create Date: 2026-11-29 12:30:00.000000

Existing rows keep chain version 1 (their hash covers what version 1 covered) and verify as
before; rows written from now on use version 2, whose hash covers every stored column.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a8e1c0d2b4f6'
down_revision = '7c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event') as batch:
        batch.add_column(sa.Column('chain_version', sa.SmallInteger(), nullable=False, server_default='1'))
        batch.add_column(sa.Column('definition_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('event') as batch:
        batch.drop_column('definition_hash')
        batch.drop_column('chain_version')
