"""audit: encrypted event data (chain v3), per-case keys, audit log chain head, signed checkpoints,
append-only triggers on PostgreSQL

Revision ID: c5d7e9f1a3b5
Revises: b3f5d7e9a1c2
Create Date: 2026-11-29 12:40:00.000000

- `event.ciphertext`: the event data encrypted under the case's key (chain version 3 hashes it);
  existing rows keep their plaintext `data` and their chain version.
- `event.case_id` becomes nullable: rows without a case form the audit log's own chain (process
  exports and other accesses that belong to no case); its head is the single `audit_head` row.
- `case_key`: one data key per case, wrapped with the master key (ZSA_DATA_KEY_FILE); erasure
  sets it to NULL (crypto-shredding).
- `audit_checkpoint`: signed Merkle tree heads written by the worker.
- PostgreSQL only: triggers reject UPDATE and DELETE on `event`, `artifact` and `audit_checkpoint`.
  SQLite has no such protection; there the database file's permissions protect the record.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c5d7e9f1a3b5'
down_revision = 'b3f5d7e9a1c2'
branch_labels = None
depends_on = None

APPEND_ONLY = ("event", "artifact", "audit_checkpoint")


def upgrade():
    with op.batch_alter_table('event') as batch:
        batch.add_column(sa.Column('ciphertext', sa.LargeBinary(), nullable=True))
        batch.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
    op.create_table(
        'case_key',
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('vorgang.id'), primary_key=True),
        sa.Column('wrapped_key', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        'audit_head',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('last_seq', sa.Integer(), nullable=False),
        sa.Column('last_hash', sa.String(length=64), nullable=False),
    )
    op.execute("INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '" + "0" * 64 + "')")
    op.create_table(
        'audit_checkpoint',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('tree_size', sa.BigInteger(), nullable=False),
        sa.Column('root_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('key_id', sa.String(length=64), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION zsa_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'zsa-flow: % auf % ist nicht erlaubt (Protokoll nur anhängbar)', TG_OP, TG_TABLE_NAME;
            END $$""")
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION zsa_append_only()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS zsa_append_only()")
    op.drop_table('audit_checkpoint')
    op.drop_table('audit_head')
    op.drop_table('case_key')
    with op.batch_alter_table('event') as batch:
        batch.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch.drop_column('ciphertext')
