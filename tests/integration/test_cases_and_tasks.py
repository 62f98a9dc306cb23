"""Cases per Kommune, Camunda task metadata, form validation, history, timers and messages."""
from datetime import timedelta

import pytest

from zsa_flow.errors import Conflict, NotFound, ValidationFailed
from zsa_flow.services.history import GENESIS, event_hash, verify_rows


@pytest.fixture
def lib(zsa, test_library):
    zsa.deploy(test_library)
    return zsa


def _only_task(zsa, number):
    tasks = zsa.tasks(case=number)
    assert len(tasks) == 1, tasks
    return tasks[0]


def test_case_numbers_are_readable_and_sequential_per_prefix(lib):
    first = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"}, business_key="ONL-1")
    second = lib.start_case("antrag", "15002000", {"antragsteller_name": "B"})
    assert (first, second) == ("TEST-2026-000001", "TEST-2026-000002")
    case = lib.case(first)
    assert case["kommune"] == "15003000" and case["business_key"] == "ONL-1"
    assert case["state"] == "running" and case["data"]["antragsteller_name"] == "A"


@pytest.mark.parametrize("ags, error", [("1500300", ValidationFailed), ("99999999", NotFound)])
def test_a_case_needs_a_known_eight_digit_ags(lib, ags, error):
    with pytest.raises(error):
        lib.start_case("antrag", ags, {"antragsteller_name": "A"})


def test_camunda_task_metadata_lands_in_the_task_row(lib, clock):
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    task = _only_task(lib, number)
    assert task["candidate_groups"] == ["zsa-team"]
    assert task["priority"] == 60 and task["form"] == "pruefen"
    assert task["due"] == (clock.now() + timedelta(days=5)).isoformat()
    assert task["follow_up"] == (clock.now() + timedelta(days=2)).isoformat()
    assert task["task_def"] == "Pruefen" and task["kommune"] == "15003000"


def test_lane_is_the_group_and_due_date_can_be_an_expression(lib):
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    lib.complete(_only_task(lib, number)["id"], {"ergebnis": "vollstaendig", "anzahl": 1}, "anna")
    entscheiden = _only_task(lib, number)
    assert entscheiden["candidate_groups"] == ["ordnungsamt"]  # no candidateGroups: the lane's name
    assert entscheiden["due"] is None  # dueDate="frist_bescheid" but the case has no such data

    # the portal's message carries frist_bescheid; the expression is evaluated over case data
    other = lib.deliver_message(None, "antrag_eingegangen", {"antragsteller_name": "B", "frist_bescheid": "2026-04-01"},
                                kommune="15003000")
    lib.complete(_only_task(lib, other)["id"], {"ergebnis": "vollstaendig", "anzahl": 1}, "anna")
    assert _only_task(lib, other)["due"] == "2026-04-01T00:00:00+00:00"


def test_invalid_form_data_gives_field_errors_and_changes_nothing(lib):
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    task = _only_task(lib, number)
    events_before = lib.events(number)
    with pytest.raises(ValidationFailed) as err:
        lib.complete(task["id"], {"ergebnis": "vielleicht", "transponder_nr": "12345", "hacker": 1}, "anna")
    fields = err.value.details["fields"]
    assert set(fields) == {"ergebnis", "transponder_nr", "hacker"}
    assert _only_task(lib, number)["id"] == task["id"]
    assert lib.events(number) == events_before
    lib.complete(task["id"], {"ergebnis": "abgelehnt"}, "anna")
    assert lib.case(number)["state"] == "completed"


def test_decision_table_result_and_history_with_hash_chain(lib):
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"}, actor="portal")
    lib.claim(_only_task(lib, number)["id"], "anna")
    lib.complete(_only_task(lib, number)["id"], {"ergebnis": "vollstaendig", "anzahl": 2}, "anna")
    assert lib.case(number)["data"]["steuer"] == 144
    events = lib.events(number)
    types = [e["type"] for e in events]
    assert types == ["case_started", "task_created", "task_claimed", "task_completed", "gateway_taken",
                     "decision_evaluated", "task_created"]
    decision = events[5]
    assert decision["data"]["matched_rules"] == ["Rule_1"] and decision["data"]["result"] == 144
    assert events[4]["data"]["to"] == ["Steuer"]
    assert events[0]["actor"] == "portal" and events[2]["actor"] == "anna"
    assert verify_rows(number, events) == []
    prev = GENESIS
    for e in events:  # version 2 hashes every column, the element name and the version's content hash too
        assert e["prev_hash"] == prev and e["chain_version"] == 2 and len(e["definition_hash"]) == 64
        assert e["hash"] == event_hash(2, prev, number, e)
        prev = e["hash"]
    edited = [dict(e) for e in events]
    edited[3]["element_name"] = "Anders benannt"
    assert verify_rows(number, edited) == [(4, "Inhalt geändert (Hash stimmt nicht)")]


def test_claim_rules(lib):
    number = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    task = _only_task(lib, number)
    lib.claim(task["id"], "anna")
    with pytest.raises(Conflict, match="anna"):
        lib.claim(task["id"], "bernd")
    with pytest.raises(Conflict):
        lib.complete(task["id"], {"ergebnis": "abgelehnt"}, "bernd")
    lib.unclaim(task["id"], "anna")
    lib.claim(task["id"], "bernd")
    assert lib.task(task["id"])["assignee"] == "bernd"
    lib.complete(task["id"], {"ergebnis": "abgelehnt"}, "bernd")
    with pytest.raises(Conflict, match="bereits erledigt"):
        lib.complete(task["id"], {"ergebnis": "abgelehnt"}, "bernd")


def test_message_then_timer_deadline(lib, clock):
    waiting = lib.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    lib.complete(_only_task(lib, waiting)["id"], {"ergebnis": "unvollstaendig"}, "anna")
    timers = lib.case(waiting)["timers"]
    assert [t["element_id"] for t in timers] == ["Frist"]
    assert timers[0]["due"] == (clock.now() + timedelta(days=14)).isoformat()

    clock.advance(timedelta(days=13))
    assert lib.tick() == 0 and lib.case(waiting)["state"] == "running"
    lib.deliver_message(waiting, "unterlagen_eingegangen", {"nachweis": "Versicherung"})
    case = lib.case(waiting)
    assert case["timers"] == [] and case["data"]["nachweis"] == "Versicherung"
    assert _only_task(lib, waiting)["task_def"] == "Pruefen"

    late = lib.start_case("antrag", "15003000", {"antragsteller_name": "B"})
    lib.complete(_only_task(lib, late)["id"], {"ergebnis": "unvollstaendig"}, "anna")
    clock.advance(timedelta(days=14, seconds=1))
    assert lib.tick() == 1
    assert lib.case(late)["state"] == "completed"
    assert [e["type"] for e in lib.events(late)][-3:] == ["timer_fired", "end_event", "case_completed"]
    with pytest.raises(Conflict):
        lib.deliver_message(late, "unterlagen_eingegangen", {})


def test_message_start_event_starts_a_case_for_the_kommune(lib):
    number = lib.deliver_message(None, "antrag_eingegangen", {"antragsteller_name": "Portal"}, kommune="15002000")
    case = lib.case(number)
    assert case["kommune"] == "15002000" and case["data"]["antragsteller_name"] == "Portal"
    assert _only_task(lib, number)["task_def"] == "Pruefen"
    assert lib.events(number)[1]["type"] == "message_received"
    with pytest.raises(NotFound):
        lib.deliver_message(None, "gibt_es_nicht", {}, kommune="15002000")


@pytest.mark.parametrize("path", ["message", "timer"])
def test_event_based_gateway_waits_for_message_or_timer(zsa, clock, path):
    from pathlib import Path

    zsa.deploy([str(Path(__file__).resolve().parent.parent / "fixtures" / "engine" / "wartegateway")])
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    zsa.complete(_only_task(zsa, number)["id"], {"ergebnis": "unvollstaendig"}, "anna")
    assert [t["element_id"] for t in zsa.case(number)["timers"]] == ["Warten"]
    if path == "message":
        zsa.deliver_message(number, "unterlagen_eingegangen", {"nachweis": "da"})
        assert zsa.case(number)["timers"] == [] and _only_task(zsa, number)["task_def"] == "Pruefen"
        assert "message_received" in [e["type"] for e in zsa.events(number)]
    else:
        clock.advance(timedelta(days=14, minutes=1))
        assert zsa.tick() == 1
        assert zsa.case(number)["state"] == "completed"
        assert "timer_fired" in [e["type"] for e in zsa.events(number)]
