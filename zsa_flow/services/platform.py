"""The one entry point web, CLI, tests and simulation use: `Platform.connect(url, clock)`."""
from sqlalchemy import select

from ..clock import SystemClock
from ..engine.cache import WorkflowCache
from ..engine.definitions import DefinitionCache, build_definition
from ..storage.db import make_engine
from ..storage.migrate import ensure_migrated
from ..storage.tables import process_definition
from ..storage.uow import UnitOfWork
from . import cases, deployments, inbox, queries, tasks, timers
from .crypto import DataKeys


class Platform:
    """Holds the database engine, the clock and the caches; methods are the use cases.

    They do not check permissions: tests, simulation and demo seeding call them directly, while
    views, API and CLI go through services/actions.py, which checks and then calls these.
    """

    def __init__(self, engine, clock=None):
        self.engine = engine
        self.clock = clock or SystemClock()
        self.workflows = WorkflowCache()
        self.definitions = DefinitionCache()
        self.forms = DefinitionCache()  # parsed forms by sha256 (immutable)
        self.known_kommunen = set()  # AGS seen to exist (reference data is never deleted)
        self.keys = DataKeys(engine.url.render_as_string(hide_password=False))

    @classmethod
    def connect(cls, url=None, clock=None, check_migrated=True):
        """Open the configured database; refuses an unmigrated one with a clear message."""
        engine = make_engine(url)
        if check_migrated:
            ensure_migrated(engine)
        return cls(engine, clock)

    def uow(self, readonly=False):
        return UnitOfWork(self.engine, readonly=readonly, keys=self.keys)

    def definition(self, uow, definition_id):
        """The parsed, runnable process version (cached)."""
        def load():
            row = uow.execute(select(process_definition).where(process_definition.c.id == definition_id)).mappings().one()
            return build_definition(row, deployments.load_contents(uow, row))

        return self.definitions.get(definition_id, load)

    # deployments
    def deploy(self, paths, actor="system", **kwargs):
        return deployments.deploy(self, paths, actor, **kwargs)

    def deploy_contents(self, contents, **kwargs):
        """Deploy `{file name: bytes}` (upload, Camunda Modeler); returns the deployment record."""
        return deployments.deploy_contents(self, contents, **kwargs)

    def processes(self):
        return deployments.list_processes(self)

    # cases
    def start_case(self, process_id, kommune, data=None, **kwargs):
        return cases.start_case(self, process_id, kommune, data, **kwargs)

    def deliver_message(self, number, name, data=None, **kwargs):
        return cases.deliver_message(self, number, name, data, **kwargs)

    def tick(self):
        return timers.tick(self)

    def retry(self, number, actor="system", data=None):
        return cases.retry(self, number, actor, data)

    def cancel(self, number, reason, actor):
        return cases.cancel_case(self, number, reason, actor)

    def add_note(self, number, text, author):
        return inbox.add_note(self, number, text, author)

    def case(self, number):
        return queries.get_case(self, number)

    def cases(self, **filters):
        return queries.list_cases(self, **filters)

    def events(self, number):
        return queries.list_events(self, number)

    # audit
    def verify(self, case=None, checkpoints=(), trusted_key=None):
        from .audit_verify import verify

        return verify(self, case, checkpoints, trusted_key)

    def record_access(self, actor, what, case_number=None, process_id=None, details=None):
        from .audit import record_access

        return record_access(self, actor, what, case_number, process_id, details)

    # migration between versions
    def migrate(self, process_id, from_version, to_version, **kwargs):
        from . import migration

        return migration.migrate_cases(self, process_id, from_version, to_version, **kwargs)

    def undo_migration(self, number, actor="system"):
        from . import migration

        return migration.undo_migration(self, number, actor)

    # tasks
    def tasks(self, **filters):
        return queries.list_tasks(self, **filters)

    def task(self, task_id):
        return queries.get_task(self, task_id)

    def claim(self, task_id, user):
        return tasks.claim(self, task_id, user)

    def unclaim(self, task_id, user):
        return tasks.unclaim(self, task_id, user)

    def assign(self, task_id, assignee, actor):
        return tasks.assign(self, task_id, assignee, actor)

    def save_draft(self, task_id, data, user, **kwargs):
        return tasks.save_draft(self, task_id, data, user, **kwargs)

    def complete(self, task_id, data, user, **kwargs):
        return tasks.complete(self, task_id, data, user, **kwargs)
