"""Auditor access recorded in the verifiable log, and the audit use cases' entry points.

Who is recorded: accounts with the role `pruefung` (auditors). Their views of a case (case page,
API GET of a case or its events), replays and exports become events in the case's own chain
(`case_viewed`, `case_replayed`, `case_exported`, actor = the auditor). Access that belongs to no
case (a process-level export, a conformance report) goes into the audit log chain (event rows
without a case, see services/history.py), which the Merkle tree and `audit verify` cover too.
Views by caseworkers and other roles are not recorded: looking at cases is their daily work,
their changes are in the chain anyway, and a write per page view would slow every case page.
"""
from ..errors import Conflict
from .history import append_audit_log, append_events
from .runs import get_case_row

AUDITOR = "pruefung"
# `what` (first word; the rest, e.g. "xes" in "export xes", is kept as the format) -> event type suffix
KINDS = {"viewed": "viewed", "view": "viewed", "replayed": "replayed", "replay": "replayed",
         "exported": "exported", "export": "exported", "conformance": "conformance_checked"}
ATTEMPTS = 5


def is_auditor(scope_or_roles) -> bool:
    roles = getattr(scope_or_roles, "roles", scope_or_roles) or ()
    return AUDITOR in roles


def record_access(platform, actor, what, case_number=None, process_id=None, details=None):
    """Record that `actor` viewed/replayed/exported/checked the conformance of (`what`: "viewed",
    "replay", "export xes", "conformance", ...) a case or a process.

    With `case_number` the event enters that case's chain (`case_viewed`, `case_replayed`, ...);
    otherwise the audit log chain gets a `process_<kind>` entry (e.g. `process_exported`) naming
    `process_id`. `details` (filters, format) must not hold personal data. Retries when a case
    moves on at the same moment."""
    word, _, rest = what.partition(" ")
    if word not in KINDS:
        raise ValueError(f"unknown access kind {what!r}")
    kind, data = KINDS[word], dict(details or {})
    if rest:
        data["format"] = rest
    if process_id is not None:
        data["process_id"] = process_id
    for attempt in range(ATTEMPTS):
        try:
            with platform.uow() as uow:
                now = platform.clock.now()
                if case_number is not None:
                    row = get_case_row(uow, number=case_number)
                    append_events(uow, row, [{"type": f"case_{kind}", "data": data}], actor, now)
                else:
                    append_audit_log(uow, [{"type": f"process_{kind}", "element_id": process_id, "data": data}],
                                     actor, now)
                uow.commit()
                return
        except Conflict:
            if attempt == ATTEMPTS - 1:
                raise


def record_view_if_auditor(platform, scope, case_number, via):
    """The case views call this: an auditor's view is recorded (`via`: "web" or "api")."""
    if is_auditor(scope):
        record_access(platform, scope.username, "viewed", case_number=case_number, details={"via": via})


def audit_log(platform):
    """The audit log chain's entries, oldest first."""
    from sqlalchemy import select

    from ..storage.tables import event

    with platform.uow(readonly=True) as uow:
        rows = uow.execute(select(event).where(event.c.case_id.is_(None)).order_by(event.c.seq)).mappings()
        return [{"seq": r["seq"], "type": r["type"], "process_id": r["element_id"], "actor": r["actor"],
                 "at": r["at"].isoformat(), "data": r["data"]} for r in rows]
