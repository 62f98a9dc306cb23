"""simulation runs started in the browser: progress, result document and stored HTML report

Revision ID: d6e8f0a2b4c6
Revises: c4e6a8b0d2f4
Create Date: 2026-11-29 14:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'd6e8f0a2b4c6'
down_revision = 'c4e6a8b0d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'simulation_run',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('service', sa.String(100), nullable=False),
        sa.Column('scenario', sa.String(200), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(20), nullable=False),
        sa.Column('stage', sa.String(100), nullable=True),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('started_by', sa.String(100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('report_html', sa.Text(), nullable=True),
    )
    op.create_index('ix_simulation_run_service', 'simulation_run', ['service', 'created_at'])


def downgrade():
    op.drop_index('ix_simulation_run_service', table_name='simulation_run')
    op.drop_table('simulation_run')
