"""Alembic environment: runs on the connection zsa-flow hands over (see storage/migrate.py)."""
from alembic import context

from zsa_flow.storage.migrate import include_object
from zsa_flow.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                  include_object=include_object)
with context.begin_transaction():
    context.run_migrations()
