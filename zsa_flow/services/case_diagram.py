"""The data behind the case diagram: the deployed BPMN XML and which elements are done or active.

The engine decides the element states (engine/diagram.py) from the case history and, for a
running case, its stored workflow state (read for this one case, never on a list page).
"""
from sqlalchemy import select

from ..engine.diagram import element_states
from ..engine.runner import CaseRun
from ..engine.state import StoredState
from ..storage.tables import process_definition, workflow_state
from .deployments import load_contents
from .runs import get_case_row


def case_diagram(platform, number, events):
    """{"xml", "completed", "active", "incident"} for a case (visibility is checked by the caller)."""
    with platform.uow(readonly=True) as uow:
        case_row = get_case_row(uow, number=number)
        row = uow.execute(select(process_definition).where(
            process_definition.c.id == case_row["definition_id"])).mappings().one()
        contents = load_contents(uow, row)
        definition = platform.definition(uow, row["id"])
        stored = uow.execute(select(workflow_state.c.format, workflow_state.c.state).where(
            workflow_state.c.case_id == case_row["id"])).one()
    run = None
    if case_row["state"] not in ("completed", "cancelled"):
        run = CaseRun.restore(definition, StoredState(stored.format, stored.state), platform.clock)
    return {"xml": process_xml(row, contents), **element_states(definition, events, run)}


def process_xml(row, contents):
    """The BPMN file of the version that defines the case's process (the first one otherwise)."""
    bpmn = [contents[f["sha256"]] for f in row["files"] if f["kind"] == "bpmn"]
    marker = f'id="{row["process_id"]}"'.encode()
    chosen = next((data for data in bpmn if marker in data), bpmn[0] if bpmn else b"")
    return chosen.decode("utf-8")
