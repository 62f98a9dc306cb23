"""case_migration: a case's state before each migration to another process version

Revision ID: b3f5d7e9a1c2
Revises: 9d2e4f6a8b1c
Create Date: 2026-11-29 12:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
import zsa_flow.storage.tables


revision = 'b3f5d7e9a1c2'
down_revision = '9d2e4f6a8b1c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_migration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_definition_id', sa.Integer(), nullable=False),
    sa.Column('to_definition_id', sa.Integer(), nullable=False),
    sa.Column('lock_version_after', sa.Integer(), nullable=False),
    sa.Column('state_format', sa.String(length=20), nullable=False),
    sa.Column('state_before', sa.LargeBinary(), nullable=False),
    sa.Column('tasks_before', sa.JSON(), nullable=False),
    sa.Column('timers_before', sa.JSON(), nullable=False),
    sa.Column('migrated_at', zsa_flow.storage.tables.UtcDateTime(), nullable=False),
    sa.Column('migrated_by', sa.String(length=100), nullable=False),
    sa.Column('undone_at', zsa_flow.storage.tables.UtcDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['vorgang.id'], ),
    sa.ForeignKeyConstraint(['from_definition_id'], ['process_definition.id'], ),
    sa.ForeignKeyConstraint(['to_definition_id'], ['process_definition.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_case_migration_case', 'case_migration', ['case_id', 'id'], unique=False)


def downgrade():
    op.drop_index('ix_case_migration_case', table_name='case_migration')
    op.drop_table('case_migration')
