"""Bring every stored case state to the current format (run by `zsa-flow db upgrade`).

Loading migrates older formats anyway (engine/state.py); doing it once at upgrade time means a
release can later drop a migration that no stored state needs any more.
"""
from sqlalchemy import bindparam, select, update

from ..engine.state import CURRENT, StoredState, upgrade
from ..storage.tables import workflow_state

_OLD = select(workflow_state.c.case_id, workflow_state.c.format, workflow_state.c.state).where(
    workflow_state.c.format != CURRENT).limit(500)
_WRITE = update(workflow_state).where(workflow_state.c.case_id == bindparam("b_id"),
                                      workflow_state.c.format == bindparam("b_format")).values(
    state=bindparam("state"), format=bindparam("format"))


def upgrade_stored_states(platform) -> int:
    """Migrate stored states in batches; return how many were rewritten."""
    total = 0
    while True:
        with platform.uow() as uow:
            rows = uow.execute(_OLD).all()
            if not rows:
                return total
            params = []
            for row in rows:
                new = upgrade(StoredState(row.format, row.state))
                params.append({"b_id": row.case_id, "b_format": row.format, "state": new.blob, "format": new.format})
            uow.execute(_WRITE, params)
            uow.commit()
        total += len(rows)
