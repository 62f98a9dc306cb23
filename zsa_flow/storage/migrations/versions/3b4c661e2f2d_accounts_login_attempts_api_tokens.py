"""accounts, login attempts, api tokens

Accounts with roles/groups/Kommunen for scoping, login attempts for throttling, and hashed
Bearer tokens for machine clients (issue 5). Purely additive: no existing table changes.

Revision ID: 3b4c661e2f2d
Revises: e49efd70b5b6
Create Date: 2026-11-25 09:42:11.687785
"""
from alembic import op
import sqlalchemy as sa
import zsa_flow.storage.tables


revision = '3b4c661e2f2d'
down_revision = 'e49efd70b5b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('kommunen', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', zsa_flow.storage.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', zsa_flow.storage.tables.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('login_attempt',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', zsa_flow.storage.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempt_ip', ['ip', 'at'], unique=False)
        batch_op.create_index('ix_login_attempt_user_ip', ['username', 'ip', 'at'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', zsa_flow.storage.tables.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', zsa_flow.storage.tables.UtcDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', zsa_flow.storage.tables.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index('ix_api_token_account', ['account_id'], unique=False)



def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index('ix_api_token_account')

    op.drop_table('api_token')
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_user_ip')
        batch_op.drop_index('ix_login_attempt_ip')

    op.drop_table('login_attempt')
    op.drop_table('account')
