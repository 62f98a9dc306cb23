"""Versioned stored state of a case: what is written, which format it is, and how older formats
are brought up to date on load.

A stored state is `StoredState(format, blob)`. The format tag is stored beside the blob (column
`workflow_state.format`) and read on every load. Every change of what is stored — our own layout
or the SpiffWorkflow serializer version that wrote the task tree — gets a new tag, a migration
function in `MIGRATIONS` (old tag -> function(dict) -> dict in the next format) and a frozen
fixture from the previous release that a test loads and runs to completion
(tests/fixtures/state/, tests/integration/test_stored_state_upgrade.py).

Formats:
- `zsa-state-1` (zsa-flow 0.1): SpiffWorkflow 3.2 task tree without specs, no version inside.
- `zsa-state-2`: the same tree plus `serializer_version`, the SpiffWorkflow serializer version that
  wrote it. A state written by another serializer version than the installed one is refused with a
  clear error until a migration for that pair is added here — never silently misread.
"""
import json
from dataclasses import dataclass

from ..bpmn.serializer import SERIALIZER_VERSION, dump_dict, restore_dict
from ..errors import ZsaError

CURRENT = "zsa-state-2"


class StateFormatError(ZsaError):
    """A stored state this release cannot read."""

    code = "state_format"
    status = 409


@dataclass(frozen=True)
class StoredState:
    format: str
    blob: bytes


def dump(workflow) -> StoredState:
    """The workflow's run state in the current format."""
    dct = dump_dict(workflow)
    dct["serializer_version"] = SERIALIZER_VERSION
    return StoredState(CURRENT, json.dumps(dct, separators=(",", ":"), default=_json_default).encode())


def load(stored: StoredState, definition):
    """Rebuild the workflow of a stored state (any known format) on its deployed version's spec."""
    dct = upgrade_dict(stored.format, json.loads(stored.blob))
    written_by = dct.pop("serializer_version")
    if written_by != SERIALIZER_VERSION:
        raise StateFormatError(
            f"Gespeicherter Zustand wurde mit SpiffWorkflow-Serializer {written_by} geschrieben, installiert ist "
            f"{SERIALIZER_VERSION}: es fehlt eine Migration in zsa_flow/engine/state.py")
    return restore_dict(dct, definition.spec, definition.subprocess_specs, definition.script_engine)


def upgrade_dict(format_, dct) -> dict:
    """Apply the migrations from `format_` up to the current format."""
    while format_ != CURRENT:
        step = MIGRATIONS.get(format_)
        if step is None:
            raise StateFormatError(f"Unbekanntes Format des gespeicherten Zustands: '{format_}'")
        format_, dct = step(dct)
    return dct


def upgrade(stored: StoredState) -> StoredState:
    """The same state in the current format (no engine run; used by `zsa-flow db upgrade`)."""
    if stored.format == CURRENT:
        return stored
    dct = upgrade_dict(stored.format, json.loads(stored.blob))
    return StoredState(CURRENT, json.dumps(dct, separators=(",", ":")).encode())


def _from_state_1(dct):
    """zsa-state-1 -> zsa-state-2: record the serializer version that wrote the tree.

    zsa-flow 0.1 pinned SpiffWorkflow 3.2.*, whose serializer writes version 1.5 (unchanged
    throughout 3.2.x); the task tree itself is unchanged.
    """
    dct["serializer_version"] = "1.5"
    return "zsa-state-2", dct


MIGRATIONS = {"zsa-state-1": _from_state_1}


def _json_default(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
