"""Who may see and do what: the one place for scoping rules (domain code, no Flask, no SQL).

A person serves a set of Kommunen (AGS). Everything of another Kommune is invisible. Within their
Kommunen:
- ZSA caseworkers and municipal clerks see and work tasks whose candidate groups/users include them
  (or that are assigned to them); they see all cases and may start cases.
- Team leads see and work every task of their Kommunen and assign/reassign tasks.
- Auditors ("pruefung") see every task and case but never change anything, whatever other roles
  they hold. Process owners see tasks and cases, deploy, suspend and resume process versions and may
  start trial cases from Camunda Modeler; admins manage accounts.
- Machine clients ("schnittstelle", the online portal) start cases, deliver messages, read cases.
- The operator at the command line may act as `system` (SystemScope): deploy, start cases, deliver
  messages and retry in every Kommune, but never work tasks (task work needs a person's account).

Views call `require_*` and let the raised NotFound/Forbidden become the response, so a foreign
case answers exactly like a case that does not exist.
"""
from ..errors import Forbidden, NotFound

CASEWORK = frozenset({"zsa-sachbearbeitung", "kommune", "zsa-teamleitung"})
READ_ALL_TASKS = frozenset({"zsa-teamleitung", "pruefung", "prozessverantwortung"})
SEE_CASES = CASEWORK | READ_ALL_TASKS | {"schnittstelle"}
START = CASEWORK | {"schnittstelle"}
RETRY = frozenset({"zsa-teamleitung", "prozessverantwortung"})
AUDIT = frozenset({"pruefung", "prozessverantwortung"})  # replay and conformance of their Kommunen' cases

SYSTEM = "system"  # the operator's actor for CLI commands (no account; see SystemScope)

CASE_NOT_FOUND = "Vorgang nicht gefunden"
TASK_NOT_FOUND = "Aufgabe nicht gefunden"
READ_ONLY = "Prüfzugänge können nur lesen, nichts ändern"


class Scope:
    """The visibility and permissions of one user dict (None = anonymous: sees nothing)."""

    def __init__(self, user):
        user = user or {}
        self.username = user.get("username")
        self.roles = set(user.get("roles") or ()) if user.get("active", True) else set()
        self.groups = list(user.get("groups") or ())
        self.kommunen = list(user.get("kommunen") or ())

    # ---- roles
    @property
    def read_only(self) -> bool:
        """Auditors never change anything, even if they hold another role too."""
        return "pruefung" in self.roles

    def _writer(self, roles) -> bool:
        return not self.read_only and bool(self.roles & roles)

    @property
    def can_manage_accounts(self) -> bool:
        return self._writer({"admin"})

    @property
    def can_deploy(self) -> bool:
        return self._writer({"prozessverantwortung"})

    @property
    def can_work_tasks(self) -> bool:
        return self._writer(CASEWORK)

    @property
    def can_start_cases(self) -> bool:
        return self._writer(START)

    @property
    def sees_cases(self) -> bool:
        return bool(self.roles & SEE_CASES)

    @property
    def can_audit(self) -> bool:
        """Replay cases and read conformance reports: auditors, and process owners (who answer for
        the models and must see where cases depart from them)."""
        return bool(self.roles & AUDIT)

    @property
    def can_export_logs(self) -> bool:
        """Export event logs (XES/CSV): auditors only, since the file leaves the system."""
        return "pruefung" in self.roles

    @property
    def sees_all_tasks(self) -> bool:
        """Team leads, auditors, process owners see every task of their Kommunen, not only their groups'."""
        return bool(self.roles & READ_ALL_TASKS)

    # ---- list filters (kwargs for Platform.tasks / Platform.cases)
    def task_filters(self, *, kommune=None, group=None, **wanted) -> dict:
        """Filters for Platform.tasks restricted to this scope, combined with the wanted filters."""
        nothing = {**wanted, "kommunen": []}
        if not (self.roles & (CASEWORK | READ_ALL_TASKS)):
            return nothing
        kommunen = self.kommunen
        if kommune:
            if kommune not in kommunen:
                return nothing
            kommunen = [kommune]
        filters = {**wanted, "kommunen": list(kommunen)}
        if self.sees_all_tasks:
            if group:
                filters["group"] = group
            return filters
        if group:
            if group not in self.groups:
                return nothing
            return {**filters, "groups": [group]}
        return {**filters, "groups": list(self.groups), "user": self.username}

    def case_filters(self, *, kommune=None, **wanted) -> dict:
        """Filters for Platform.cases restricted to this scope."""
        if not self.sees_cases or (kommune and kommune not in self.kommunen):
            return {**wanted, "kommunen": []}
        return {**wanted, "kommunen": [kommune] if kommune else list(self.kommunen)}

    # ---- single objects
    def can_see_case(self, case: dict) -> bool:
        return self.sees_cases and case.get("kommune") in self.kommunen

    def _candidate(self, task: dict) -> bool:
        return (bool(set(task.get("candidate_groups") or ()) & set(self.groups))
                or (self.username is not None and (self.username in (task.get("candidate_users") or ())
                                                   or task.get("assignee") == self.username)))

    def can_see_task(self, task: dict) -> bool:
        if task.get("kommune") not in self.kommunen:
            return False
        if self.sees_all_tasks:
            return True
        return bool(self.roles & CASEWORK) and self._candidate(task)

    def can_act_on_task(self, task: dict) -> bool:
        """Claim, unclaim, save a draft, complete (whether it is free is the service's business)."""
        if not self.can_work_tasks or task.get("kommune") not in self.kommunen:
            return False
        return "zsa-teamleitung" in self.roles or self._candidate(task)

    def can_assign(self, task: dict) -> bool:
        return self._writer({"zsa-teamleitung"}) and task.get("kommune") in self.kommunen

    def can_start(self, process, kommune) -> bool:
        """Start a case (or a message start) of `process` for `kommune`."""
        return self.can_start_cases and kommune in self.kommunen

    def can_start_from_modeler(self, kommune) -> bool:
        """Camunda Modeler's "Start instance": who may start cases, and process owners trying out a model."""
        return (self.can_start_cases or self._writer({"prozessverantwortung"})) and kommune in self.kommunen

    def can_message(self, case: dict) -> bool:
        """Deliver a message (e.g. documents received) to a waiting case."""
        return self.can_start_cases and case.get("kommune") in self.kommunen

    def can_retry(self, case: dict) -> bool:
        return self._writer(RETRY) and case.get("kommune") in self.kommunen

    def can_attach_documents(self, case: dict) -> bool:
        """Attach documents to a case (API, portal): who may start cases or deliver messages there."""
        return self.can_start_cases and case.get("kommune") in self.kommunen

    # ---- guards raising the domain errors
    def require_case(self, case: dict) -> dict:
        """The case when visible; NotFound (same as a missing case) otherwise."""
        if not self.can_see_case(case):
            raise NotFound(CASE_NOT_FOUND)
        return case

    def require_task(self, task: dict) -> dict:
        if not self.can_see_task(task):
            raise NotFound(TASK_NOT_FOUND)
        return task

    def require(self, allowed: bool, message="Dafür fehlt Ihnen die Berechtigung") -> None:
        """Forbidden unless allowed; auditors get the read-only message."""
        if not allowed:
            raise Forbidden(READ_ONLY if self.read_only else message)


class SystemScope(Scope):
    """The operator with database access (`zsa-flow … --user system`): case operations everywhere, no task work."""

    def __init__(self):
        super().__init__({"username": SYSTEM, "roles": set()})

    can_deploy = can_start_cases = sees_cases = sees_all_tasks = property(lambda self: True)

    def can_see_case(self, case: dict) -> bool:
        return True

    def can_see_task(self, task: dict) -> bool:
        return True

    def can_start(self, process, kommune) -> bool:
        return True

    def can_message(self, case: dict) -> bool:
        return True

    def can_retry(self, case: dict) -> bool:
        return True

    def can_attach_documents(self, case: dict) -> bool:
        return True

    def require(self, allowed: bool, message=None) -> None:
        """The system actor is refused only task work."""
        if not allowed:
            raise Forbidden(f"Als '{SYSTEM}' lassen sich keine Aufgaben bearbeiten; bitte ein Konto angeben")
