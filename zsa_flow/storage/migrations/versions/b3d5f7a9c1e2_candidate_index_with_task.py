"""The candidate index carries the task id: (kind, value, task_id) instead of (kind, value)

The visibility check of every task list is an EXISTS on task_candidate per task row. With the old
index a planner working from stale statistics (a young database, a table that just grew) chose a
bitmap scan of *all* candidate rows of the group for every task row — quadratic: 73 ms for 1,500
open tasks on PostgreSQL. With the task id in the index each probe is one exact lookup, whatever
plan is chosen; finding the tasks of a group still walks the same index prefix.

Revision ID: b3d5f7a9c1e2
Revises: a1c3e5f7b9d2
Create Date: 2026-11-29 18:45:00.000000
"""
from alembic import op


revision = 'b3d5f7a9c1e2'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task_candidate') as batch:
        batch.drop_index('ix_candidate_value')
        batch.create_index('ix_candidate_value', ['kind', 'value', 'task_id'])


def downgrade():
    with op.batch_alter_table('task_candidate') as batch:
        batch.drop_index('ix_candidate_value')
        batch.create_index('ix_candidate_value', ['kind', 'value'])
