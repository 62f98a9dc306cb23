"""Scope rules on plain dicts (no database, no Flask)."""
import pytest

from zsa_flow.errors import Forbidden, NotFound
from zsa_flow.services.scope import Scope

MD, HA = "15003000", "15002000"


def person(roles, groups=(), kommunen=(MD,), username="p", active=True):
    return {"username": username, "roles": set(roles), "groups": list(groups), "kommunen": list(kommunen),
            "active": active}


def task(kommune=MD, groups=("zsa-team",), users=(), assignee=None):
    return {"kommune": kommune, "candidate_groups": list(groups), "candidate_users": list(users),
            "assignee": assignee}


def test_anonymous_sees_nothing():
    scope = Scope(None)
    assert scope.task_filters()["kommunen"] == [] and scope.case_filters()["kommunen"] == []
    assert not scope.can_see_case({"kommune": MD}) and not scope.can_act_on_task(task())


def test_caseworker_filters_restrict_to_groups_user_and_kommunen():
    scope = Scope(person(["zsa-sachbearbeitung"], ["zsa-team"], [MD, HA], username="anna"))
    assert scope.task_filters(limit=5) == {"limit": 5, "kommunen": [MD, HA], "groups": ["zsa-team"], "user": "anna"}
    assert scope.task_filters(kommune=HA) == {"kommunen": [HA], "groups": ["zsa-team"], "user": "anna"}
    assert scope.task_filters(kommune="15001000")["kommunen"] == []
    assert scope.task_filters(group="ordnungsamt")["kommunen"] == []


def test_candidate_user_and_assignee_count_like_a_group():
    scope = Scope(person(["kommune"], [], username="mia"))
    assert scope.can_act_on_task(task(groups=(), users=("mia",)))
    assert scope.can_act_on_task(task(groups=(), assignee="mia"))
    assert not scope.can_act_on_task(task(groups=("kasse",)))


def test_team_lead_works_all_tasks_of_own_kommunen_only():
    scope = Scope(person(["zsa-teamleitung"]))
    assert scope.task_filters() == {"kommunen": [MD]}
    assert scope.can_act_on_task(task(groups=("ordnungsamt",))) and scope.can_assign(task())
    assert not scope.can_act_on_task(task(kommune=HA)) and not scope.can_assign(task(kommune=HA))


def test_auditor_reads_but_never_acts_even_with_other_roles():
    scope = Scope(person(["pruefung", "zsa-teamleitung"], ["zsa-team"]))
    assert scope.read_only and scope.can_see_task(task()) and scope.can_see_case({"kommune": MD})
    assert not (scope.can_act_on_task(task()) or scope.can_assign(task()) or scope.can_start("antrag", MD)
                or scope.can_message({"kommune": MD}) or scope.can_deploy or scope.can_manage_accounts)
    with pytest.raises(Forbidden, match="nur lesen"):
        scope.require(scope.can_act_on_task(task()))


def test_foreign_case_raises_the_same_not_found_as_a_missing_one():
    scope = Scope(person(["kommune"], ["ordnungsamt"], [HA]))
    with pytest.raises(NotFound) as foreign:
        scope.require_case({"kommune": MD, "number": "X"})
    assert foreign.value.to_dict() == {"error": "not_found", "message": "Vorgang nicht gefunden",
                                         "details": {}}


def test_disabled_user_has_no_rights():
    scope = Scope(person(["zsa-teamleitung"], active=False))
    assert not scope.can_see_case({"kommune": MD}) and not scope.can_act_on_task(task())


def test_admin_and_process_owner_capabilities():
    admin, owner = Scope(person(["admin"], kommunen=())), Scope(person(["prozessverantwortung"]))
    assert admin.can_manage_accounts and not admin.sees_cases and not admin.can_start_cases
    assert owner.can_deploy and owner.can_see_task(task(groups=("kasse",))) and not owner.can_act_on_task(task())
    assert not owner.can_start("antrag", MD)


def test_portal_client_starts_and_messages_but_does_not_see_tasks():
    scope = Scope(person(["schnittstelle"]))
    assert scope.can_start("antrag", MD) and not scope.can_start("antrag", HA)
    assert scope.can_message({"kommune": MD}) and scope.task_filters()["kommunen"] == []


def test_system_operator_runs_cases_everywhere_but_works_no_tasks():
    from zsa_flow.services.scope import SystemScope

    system = SystemScope()
    case = {"kommune": HA}
    assert system.can_deploy and system.can_start("antrag", HA) and system.can_message(case) and system.can_retry(case)
    assert system.can_see_task(task(HA)) and not system.can_act_on_task(task(HA)) and not system.can_assign(task(HA))
    with pytest.raises(Forbidden, match="Konto"):
        system.require(system.can_act_on_task(task(HA)))
