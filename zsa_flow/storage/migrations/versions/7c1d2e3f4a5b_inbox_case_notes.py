"""inbox: case notes, task list indexes

Revision ID: 7c1d2e3f4a5b
Revises: 3b4c661e2f2d
Create Date: 2026-11-25 10:30:00.000000
"""
from alembic import op
import sqlalchemy as sa
import zsa_flow.storage.tables


revision = '7c1d2e3f4a5b'
down_revision = '3b4c661e2f2d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', zsa_flow.storage.tables.UtcDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['vorgang.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_case_note_case', 'case_note', ['case_id', 'created_at'], unique=False)
    op.create_index('ix_task_open_due', 'human_task', ['state', 'due_at', 'created_at'], unique=False)
    op.create_index('ix_task_open_priority', 'human_task', ['state', sa.text('priority DESC'), 'created_at'],
                    unique=False)
    op.create_index('ix_task_open_created', 'human_task', ['state', 'created_at'], unique=False)
    op.create_index('ix_vorgang_kommune_title', 'vorgang', ['kommune', 'title'], unique=False)


def downgrade():
    op.drop_index('ix_vorgang_kommune_title', table_name='vorgang')
    op.drop_index('ix_task_open_created', table_name='human_task')
    op.drop_index('ix_task_open_priority', table_name='human_task')
    op.drop_index('ix_task_open_due', table_name='human_task')
    op.drop_index('ix_case_note_case', table_name='case_note')
    op.drop_table('case_note')
