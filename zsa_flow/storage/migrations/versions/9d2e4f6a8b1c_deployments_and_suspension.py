"""deployments: a record per deployment, suspension of process versions

Revision ID: 9d2e4f6a8b1c
Revises: a8e1c0d2b4f6
Create Date: 2026-11-29 12:30:00.000000
"""
from alembic import op
import sqlalchemy as sa
import zsa_flow.storage.tables


revision = '9d2e4f6a8b1c'
down_revision = 'a8e1c0d2b4f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('deployment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('tenant_id', sa.String(length=64), nullable=True),
    sa.Column('deployed_by', sa.String(length=100), nullable=False),
    sa.Column('deployed_at', zsa_flow.storage.tables.UtcDateTime(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('processes', sa.JSON(), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_deployment_at', 'deployment', ['deployed_at'], unique=False)
    with op.batch_alter_table('process_definition') as batch:
        batch.add_column(sa.Column('deployment_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('suspended_at', zsa_flow.storage.tables.UtcDateTime(), nullable=True))
        batch.add_column(sa.Column('suspended_by', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('process_definition') as batch:
        batch.drop_column('suspended_by')
        batch.drop_column('suspended_at')
        batch.drop_column('deployment_id')
    op.drop_index('ix_deployment_at', table_name='deployment')
    op.drop_table('deployment')
