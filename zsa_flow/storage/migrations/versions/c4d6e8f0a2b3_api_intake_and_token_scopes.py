"""api intake: token scopes and restrictions, per-case access codes, idempotency keys

Existing tokens of accounts with the role "schnittstelle" (the online portal) get the scopes
intake and status; every other existing token keeps NULL scopes (all scopes its account's roles
allow), so nothing that works today stops working except the portal reading beyond its intake.

Revision ID: c4d6e8f0a2b3
Revises: c5d7e9f1a3b5
Create Date: 2026-11-29 13:10:00.000000
"""
from alembic import op
import sqlalchemy as sa
import zsa_flow.storage.tables


revision = 'c4d6e8f0a2b3'
down_revision = 'c5d7e9f1a3b5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('api_token') as batch:
        batch.add_column(sa.Column('scopes', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('kommunen', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('services', sa.JSON(), nullable=True))
    op.create_table('case_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('created_at', zsa_flow.storage.tables.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_number')
    )
    op.create_table('idempotency_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('case_number', sa.String(length=60), nullable=False),
    sa.Column('created_at', zsa_flow.storage.tables.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('account_id', 'key', name='uq_idempotency_account_key')
    )
    conn = op.get_bind()
    account = sa.table('account', sa.column('id', sa.Integer), sa.column('roles', sa.JSON))
    token = sa.table('api_token', sa.column('account_id', sa.Integer), sa.column('scopes', sa.JSON))
    for account_id, roles in conn.execute(sa.select(account.c.id, account.c.roles)).all():
        if "schnittstelle" in (roles or []):
            conn.execute(token.update().where(token.c.account_id == account_id).values(scopes=["intake", "status"]))


def downgrade():
    op.drop_table('idempotency_key')
    op.drop_table('case_access')
    with op.batch_alter_table('api_token') as batch:
        batch.drop_column('services')
        batch.drop_column('kommunen')
        batch.drop_column('scopes')
