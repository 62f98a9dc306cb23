"""documents: content-addressed bodies (dokument) and the documents of each case (vorgang_dokument)

Revision ID: e7f9a1b3c5d7
Revises: d6e8f0a2b4c6
Create Date: 2026-11-29 15:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = 'e7f9a1b3c5d7'
down_revision = 'd6e8f0a2b4c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dokument',
        sa.Column('sha256', sa.String(64), primary_key=True),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('media_type', sa.String(100), nullable=False),
        sa.Column('store', sa.String(20), nullable=False, server_default='db'),
        sa.Column('content', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'vorgang_dokument',
        sa.Column('id', sa.String(36), primary_key=True),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('vorgang.id'), nullable=False),
        sa.Column('sha256', sa.String(64), sa.ForeignKey('dokument.sha256'), nullable=False),
        sa.Column('file_name', sa.String(255), nullable=False),
        sa.Column('media_type', sa.String(100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('source', sa.String(20), nullable=False),
        sa.Column('field', sa.String(200), nullable=True),
        sa.Column('task_id', sa.String(36), nullable=True),
        sa.Column('uploaded_by', sa.String(100), nullable=False),
        sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('case_id', 'sha256', 'file_name', name='uq_vorgang_dokument_content_name'),
    )
    op.create_index('ix_vorgang_dokument_case', 'vorgang_dokument', ['case_id', 'uploaded_at'])
    op.create_index('ix_vorgang_dokument_sha256', 'vorgang_dokument', ['sha256'])


def downgrade():
    op.drop_index('ix_vorgang_dokument_sha256', table_name='vorgang_dokument')
    op.drop_index('ix_vorgang_dokument_case', table_name='vorgang_dokument')
    op.drop_table('vorgang_dokument')
    op.drop_table('dokument')
