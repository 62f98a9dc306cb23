"""The schema. Task lists and timers are plain indexed rows; workflow state is one blob per case.

Changing a table here needs an Alembic migration in storage/migrations/versions.
"""
from datetime import timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)



class UtcDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        tz = value.tzinfo
        if tz is timezone.utc:
            return value
        return value.replace(tzinfo=timezone.utc) if tz is None else value.astimezone(timezone.utc)


metadata = MetaData()

kommune = Table(
    "kommune",
    metadata,
    Column("ags", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("demo", Boolean, nullable=False, default=False),
)

# Content-addressed store of every deployed file (BPMN, DMN, form); immutable.
artifact = Table(
    "artifact",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),  # bpmn | dmn | form
    Column("content", LargeBinary, nullable=False),
)

process_definition = Table(
    "process_definition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("process_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(300)),
    Column("content_hash", String(64), nullable=False),
    Column("case_prefix", String(20), nullable=False),
    Column("service", String(100)),
    Column("properties", JSON, nullable=False, default=dict),
    Column("files", JSON, nullable=False),  # [{"path", "kind", "sha256"}]
    Column("start_form", String(200)),
    Column("message_starts", JSON, nullable=False, default=list),  # message names that start a case
    Column("deployed_at", UtcDateTime(), nullable=False),
    Column("deployed_by", String(100)),
    Column("deployment_id", Integer),  # the deployment that created this version (NULL before 0.2)
    Column("suspended_at", UtcDateTime()),  # set: no new cases of this version (running ones go on)
    Column("suspended_by", String(100)),
    UniqueConstraint("process_id", "version", name="uq_process_version"),
    UniqueConstraint("process_id", "content_hash", name="uq_process_hash"),
)

# Every deployment (CLI, console upload, Camunda Modeler via /engine-rest): who, when, from where,
# which files (path and sha256) and which process versions and decisions it created or confirmed.
deployment = Table(
    "deployment",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(300)),
    Column("source", String(100)),
    Column("tenant_id", String(64)),
    Column("deployed_by", String(100), nullable=False),
    Column("deployed_at", UtcDateTime(), nullable=False),
    Column("files", JSON, nullable=False, default=list),  # [{"path", "kind", "sha256"}]
    Column("processes", JSON, nullable=False, default=list),  # [{"process_id", "version", "created", "name"}]
    Column("decisions", JSON, nullable=False, default=list),  # [{"decision_id", "name", "version", "file"}]
    Index("ix_deployment_at", "deployed_at"),
)

# Every deployed version of a Camunda Form, for formRefBinding="latest".
form_definition = Table(
    "form_definition",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("form_id", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("sha256", String(64), ForeignKey("artifact.sha256"), nullable=False),
    Column("deployed_at", UtcDateTime(), nullable=False),
    UniqueConstraint("form_id", "version", name="uq_form_version"),
    UniqueConstraint("form_id", "sha256", name="uq_form_hash"),
)

case_number_seq = Table(
    "case_number_seq",
    metadata,
    Column("prefix", String(20), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

vorgang = Table(  # a case ("Vorgang"): one process instance for one Kommune
    "vorgang",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("definition_id", Integer, ForeignKey("process_definition.id"), nullable=False),
    Column("process_id", String(200), nullable=False),
    Column("kommune", String(8), ForeignKey("kommune.ags"), nullable=False),
    Column("business_key", String(200)),
    Column("title", String(300)),  # e.g. applicant's name, for search
    Column("state", String(20), nullable=False),  # running | completed | cancelled | incident
    Column("incident", Text),
    Column("data", JSON, nullable=False, default=dict),  # current case data (read model)
    Column("lock_version", Integer, nullable=False, default=1),
    # head of the case's history hash chain; updated with every appended event
    Column("last_seq", Integer, nullable=False, default=0),
    Column("last_hash", String(64), nullable=False, default="0" * 64),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("ended_at", UtcDateTime()),
    Index("ix_vorgang_kommune_state", "kommune", "state"),
    Index("ix_vorgang_process", "process_id"),
    Index("ix_vorgang_business_key", "business_key"),
)

workflow_state = Table(  # serialized SpiffWorkflow state, kept out of list queries
    "workflow_state",
    metadata,
    Column("case_id", Integer, ForeignKey("vorgang.id"), primary_key=True),
    Column("format", String(20), nullable=False),
    Column("state", LargeBinary, nullable=False),
)

human_task = Table(
    "human_task",
    metadata,
    Column("id", String(36), primary_key=True),  # the SpiffWorkflow task id
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=False),
    Column("case_number", String(40), nullable=False),
    Column("process_id", String(200), nullable=False),
    Column("kommune", String(8), nullable=False),
    Column("task_def", String(200), nullable=False),
    Column("name", String(300), nullable=False),
    Column("candidate_groups", JSON, nullable=False, default=list),
    Column("candidate_users", JSON, nullable=False, default=list),
    Column("assignee", String(100)),
    Column("form_ref", String(200)),
    Column("form_sha256", String(64)),
    Column("priority", Integer, nullable=False, default=50),
    Column("state", String(20), nullable=False),  # open | completed | cancelled
    Column("created_at", UtcDateTime(), nullable=False),
    Column("due_at", UtcDateTime()),
    Column("follow_up_at", UtcDateTime()),
    Column("completed_at", UtcDateTime()),
    Column("completed_by", String(100)),
    Column("draft", JSON),
    Column("lock_version", Integer, nullable=False, default=1),
    Index("ix_task_open_kommune", "state", "kommune", "due_at"),
    Index("ix_task_assignee", "assignee", "state"),
    Index("ix_task_case", "case_id"),
)

# One row per candidate group/user of an open task, so "tasks for my groups" is an indexed join.
task_candidate = Table(
    "task_candidate",
    metadata,
    Column("task_id", String(36), ForeignKey("human_task.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(5), primary_key=True),  # group | user
    Column("value", String(100), primary_key=True),
    Index("ix_candidate_value", "kind", "value", "task_id"),
)

# A case's state before each migration to another process version (for `zsa-flow migrate --undo`).
case_migration = Table(
    "case_migration",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=False),
    Column("from_definition_id", Integer, ForeignKey("process_definition.id"), nullable=False),
    Column("to_definition_id", Integer, ForeignKey("process_definition.id"), nullable=False),
    Column("lock_version_after", Integer, nullable=False),
    Column("state_format", String(20), nullable=False),
    Column("state_before", LargeBinary, nullable=False),
    Column("tasks_before", JSON, nullable=False),  # open task rows' element-derived columns
    Column("timers_before", JSON, nullable=False),
    Column("migrated_at", UtcDateTime(), nullable=False),
    Column("migrated_by", String(100), nullable=False),
    Column("undone_at", UtcDateTime()),
    Index("ix_case_migration_case", "case_id", "id"),
)

timer = Table(
    "timer",
    metadata,
    Column("id", String(36), primary_key=True),  # the SpiffWorkflow task id of the waiting event
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=False),
    Column("element_id", String(200), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    # failed firing attempts (an error other than a lost race); at MAX the case shows an incident
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("last_error", Text),
    Index("ix_timer_due", "due_at"),
)

# Append-only history; each row chains the hash of the case's previous row (tamper evidence).
# Rows without a case form the audit log's own chain (head: `audit_head`). Chain version 3 rows
# keep their data encrypted under the case key in `ciphertext` (`data` is then {}).
event = Table(
    "event",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=True),
    Column("seq", Integer, nullable=False),
    Column("type", String(40), nullable=False),
    Column("element_id", String(200)),
    Column("element_name", String(300)),
    Column("actor", String(100), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("data", JSON, nullable=False, default=dict),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("chain_version", SmallInteger, nullable=False, server_default="1"),
    Column("definition_hash", String(64)),  # content hash of the process version in force
    Column("ciphertext", LargeBinary),  # chain v3: nonce + AES-GCM of the data under the case key
    # PostgreSQL: the writing transaction's id (server default pg_current_xact_id()), so the audit
    # log's sequencer finds events committed late (services/sequencer.py); NULL on SQLite and for
    # events older than the audit log. Not part of the hash chain.
    Column("writer_xid", BigInteger),
    UniqueConstraint("case_id", "seq", name="uq_event_case_seq"),
)

# The audit log: every committed event once, in the order the sequencer appended it
# (services/sequencer.py). Its order defines the Merkle tree's leaves (services/checkpoints.py);
# append-only (a trigger on PostgreSQL rejects UPDATE and DELETE).
event_log = Table(
    "event_log",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("event_id", BigInteger().with_variant(Integer, "sqlite"), ForeignKey("event.id"), nullable=False),
    UniqueConstraint("event_id", name="uq_event_log_event"),
)

# The sequencer's progress (one row, id 1): events with id <= id_floor are all in the log, and on
# PostgreSQL every event whose writer_xid is below `horizon` (a snapshot's xmin) too.
sequencer_state = Table(
    "sequencer_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("horizon", BigInteger, nullable=False),
    Column("id_floor", BigInteger, nullable=False),
)

# One data key per case, wrapped with the master key; erasure sets it to NULL (crypto-shredding).
case_key = Table(
    "case_key",
    metadata,
    Column("case_id", Integer, ForeignKey("vorgang.id"), primary_key=True),
    Column("wrapped_key", LargeBinary),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("erased_at", UtcDateTime()),
)

# Head of the audit log chain (event rows without a case): one row, id 1.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

# Signed tree heads over all events (services/checkpoints.py); the auditor keeps copies outside.
audit_checkpoint = Table(
    "audit_checkpoint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("document", Text, nullable=False),
)

# Messages a case throws to the outside (register entries, notices to the applicant).
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("payload", JSON, nullable=False, default=dict),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime()),  # delivered (acknowledged by the receiver)
    # delivery (services/outbox.py): pending -> delivered | dead (dead letter, `zsa-flow outbox retry`)
    Column("delivery_id", String(36)),  # sent as Idempotency-Key / X-ZSA-Delivery-Id; receivers dedupe on it
    Column("state", String(20), nullable=False, default="pending", server_default="pending"),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UtcDateTime()),  # NULL: now; also the lease of a delivery in progress
    Column("last_error", Text),
    Index("ix_outbox_unsent", "sent_at"),
    Index("ix_outbox_due", "state", "next_attempt_at"),
)

# People and machine clients that may log in. Roles, groups and Kommunen (AGS) drive scoping
# (services/scope.py); `session_epoch` grows on password change/disable and ends older sessions.
account = Table(
    "account",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(200)),  # argon2id; NULL = no password login (machine client)
    Column("roles", JSON, nullable=False, default=list),
    Column("groups", JSON, nullable=False, default=list),
    Column("kommunen", JSON, nullable=False, default=list),
    Column("active", Boolean, nullable=False, default=True),
    Column("demo", Boolean, nullable=False, default=False),
    Column("session_epoch", Integer, nullable=False, default=1),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_login_at", UtcDateTime()),
)

# Every login attempt, for throttling (username+IP and per IP) and the audit of who logged in.
login_attempt = Table(
    "login_attempt",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("success", Boolean, nullable=False),
    Index("ix_login_attempt_user_ip", "username", "ip", "at"),
    Index("ix_login_attempt_ip", "ip", "at"),
)

# Bearer tokens of machine clients (the online portal); only the SHA-256 of a token is stored.
api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime()),
    Column("revoked_at", UtcDateTime()),
    # Least privilege (services/tokens.py): granted scopes (NULL = every scope, tokens issued before
    # scopes existed) and optional restrictions to Kommunen (AGS) and services (process ids).
    Column("scopes", JSON),
    Column("kommunen", JSON),
    Column("services", JSON),
    Index("ix_api_token_account", "account_id"),
)

# Per-case access code for the coarse status (GET /api/v1/status/<nr>) and who started the case
# through the API (a token with scope "status" reads the status of the cases its account started).
case_access = Table(
    "case_access",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_number", String(60), nullable=False, unique=True),
    Column("account_id", Integer, ForeignKey("account.id")),
    Column("code", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

# Idempotency keys of API writes: one row per (account, key), inserted in the same transaction as
# the case start or message delivery, so a retried or racing duplicate cannot start a second case.
idempotency_key = Table(
    "idempotency_key",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("account.id"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("case_number", String(60), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("account_id", "key", name="uq_idempotency_account_key"),
)

# Notes caseworkers add to a case (the inbox's case page); each also enters the case history.
case_note = Table(
    "case_note",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=False),
    Column("author", String(100), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Index("ix_case_note_case", "case_id", "created_at"),
)

# Task list orders of the inbox walk these indexes and stop after one page (services/inbox_queries.py);
# the applicant-name search scans the narrow title index instead of the case rows.
# Indexes only PostgreSQL has, made by migrations for its planner: the inbox's covering index
# (f2b4d6e8a0c1), the title search's trigram index (same) and the sequencer's writer_xid index
# (a1c3e5f7b9d2). SQLite has none of them, so they are not declared here; Alembic's autogenerate leaves
# them alone (storage/migrate.py include_object) instead of proposing to drop them.
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_task_scope", "ix_vorgang_title_trgm", "ix_event_writer_xid"})

Index("ix_task_open_due", human_task.c.state, human_task.c.due_at, human_task.c.created_at)
Index("ix_task_open_priority", human_task.c.state, human_task.c.priority.desc(), human_task.c.created_at)
Index("ix_task_open_created", human_task.c.state, human_task.c.created_at)
Index("ix_vorgang_kommune_title", vorgang.c.kommune, vorgang.c.title)
# PostgreSQL only (migration f2b4d6e8a0c1): ix_task_scope (state, kommune, process_id) INCLUDE (id, assignee,
# due_at) for index-only tab counts, and the trigram index ix_vorgang_title_trgm for the name search.

# Simulation runs started in the browser (services/simulations.py): progress while a background thread
# runs, then the result document and the stored HTML report.
simulation_run = Table(
    "simulation_run",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("service", String(100), nullable=False),
    Column("scenario", String(200), nullable=False),  # file name inside processes/<service>/
    Column("options", JSON, nullable=False, default=dict),
    Column("state", String(20), nullable=False),  # wartet | läuft | fertig | fehler
    Column("stage", String(100)),
    Column("done", Integer, nullable=False, default=0),
    Column("total", Integer, nullable=False, default=0),
    Column("started_by", String(100), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Column("error", Text),
    Column("result", JSON),
    Column("report_html", Text),
    Index("ix_simulation_run_service", "service", "created_at"),
)

# Documents (services/documents.py): bodies content-addressed by SHA-256, one row per distinct
# content, shared by every case that holds the same file. `store` names where the body is: "db"
# keeps it in `content`; another store (object storage) leaves `content` NULL and keeps the body
# under the sha256 there (docs/documents.md).
dokument = Table(
    "dokument",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(100), nullable=False),  # from the magic bytes, never from the client
    Column("store", String(20), nullable=False, default="db", server_default="db"),
    Column("content", LargeBinary),
    Column("created_at", UtcDateTime(), nullable=False),
)

# A document of a case: which content, under which file name, from where, by whom and when.
# The same content uploaded again to the same case under the same name is the same document.
vorgang_dokument = Table(
    "vorgang_dokument",
    metadata,
    Column("id", String(36), primary_key=True),  # the documentId in case data (random, not guessable)
    Column("case_id", Integer, ForeignKey("vorgang.id"), nullable=False),
    Column("sha256", String(64), ForeignKey("dokument.sha256"), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("source", String(20), nullable=False),  # formular | api | portal
    Column("field", String(200)),  # the form field (filepicker key) it was uploaded through
    Column("task_id", String(36)),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", UtcDateTime(), nullable=False),
    UniqueConstraint("case_id", "sha256", "file_name", name="uq_vorgang_dokument_content_name"),
    Index("ix_vorgang_dokument_case", "case_id", "uploaded_at"),
    Index("ix_vorgang_dokument_sha256", "sha256"),
)
