"""Bounded case data (issue 13): hostile scripts and decisions put their case into an incident with a
clear message, oversized input is refused before it is used, lists return summaries."""
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from webauth import add_user, login, make_app
from zsa_flow.errors import ValidationFailed, ZsaError

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SCRIPTS = json.loads((HOSTILE / "scripts.json").read_text())
TIMER_SCRIPT = (HOSTILE / "timer_script.bpmn").read_text()
MD = "15003000"
HUNDRED_MB = "x" * (100 * 1024 * 1024)


def _deploy_timer_script(zsa, tmp_path, script, process_id="feindlich"):
    path = tmp_path / f"{process_id}.bpmn"
    body = script.replace("&", "&amp;").replace("<", "&lt;")
    path.write_text(TIMER_SCRIPT.replace("@ID@", process_id).replace("@SCRIPT@", body))
    zsa.deploy([str(path)])


def _run_script_after_timer(zsa, clock, number):
    clock.advance(timedelta(seconds=2))
    zsa.tick()
    return zsa.case(number)


@pytest.mark.parametrize("payload", SCRIPTS, ids=[p["name"] for p in SCRIPTS])
def test_hostile_script_puts_its_case_into_an_incident_with_a_clear_message(zsa, clock, tmp_path, payload):
    _deploy_timer_script(zsa, tmp_path, payload["script"])
    number = zsa.start_case("feindlich", MD, {"name": "A"})
    case = _run_script_after_timer(zsa, clock, number)
    assert case["state"] == "incident"
    assert "Feindliches Skript" in case["incident"] and re.search(payload["message"], case["incident"]), case["incident"]
    assert len(json.dumps(case["data"])) < 1000 and zsa.tasks(case=number) == []


def test_script_results_adding_up_over_the_case_limit_are_not_stored(zsa, clock, tmp_path):
    script = "\n".join(f"feld_{i} = 'x' * 250000" for i in range(5))  # each value within 256 KB, 1.25 MB in all
    # refused in the worker (the case data it would hand back is over the limit)
    _deploy_timer_script(zsa, tmp_path, script)
    number = zsa.start_case("feindlich", MD, {"name": "A"})
    case = _run_script_after_timer(zsa, clock, number)
    assert case["state"] == "incident" and "Falldaten wären nach dem Skript zu groß" in case["incident"]
    assert case["data"] == {"name": "A", "kommune": MD}  # nothing of the run was stored
    assert [e["type"] for e in zsa.events(number)][-1] == "incident_raised"


def test_decision_outputs_are_bounded_in_bytes(zsa):
    zsa.deploy([str(HOSTILE / "huge_decision.bpmn"), str(HOSTILE / "huge_decision.dmn")])
    number = zsa.start_case("riesige_entscheidung", MD, {})
    case = zsa.case(number)
    assert case["data"]["zahl"] is None  # string(number("1E+100000000")): FEEL caps strings -> null
    assert case["state"] == "incident" and "riesiger_text" in case["incident"] and "zu groß" in case["incident"]
    assert "text" not in case["data"]


def test_a_100_mb_value_is_refused_on_every_input_path(zsa, test_library):
    zsa.deploy(test_library)
    with pytest.raises(ValidationFailed) as refused:
        zsa.start_case("antrag", MD, {"antragsteller_name": HUNDRED_MB})
    assert refused.value.details["fields"] == {"antragsteller_name": "Wert ist zu groß (über 262.144 Bytes)"}
    number = zsa.start_case("antrag", MD, {"antragsteller_name": "A"})
    task = zsa.tasks(case=number)[0]
    with pytest.raises(ValidationFailed):
        zsa.complete(task["id"], {"bemerkung": HUNDRED_MB}, "anna")
    with pytest.raises(ValidationFailed):
        zsa.save_draft(task["id"], {"bemerkung": HUNDRED_MB}, "anna")
    with pytest.raises(ValidationFailed):
        zsa.deliver_message(number, "unterlagen_eingegangen", {"anlage": HUNDRED_MB})
    many = {f"feld_{i}": "x" * 200_000 for i in range(6)}  # every value fits, the whole does not
    with pytest.raises(ValidationFailed) as refused:
        zsa.start_case("antrag", MD, many)
    assert "" in refused.value.details["fields"]
    assert len(json.dumps(zsa.case(number)["data"])) < 1000


def test_case_limits_are_configurable(zsa, test_library, monkeypatch):
    zsa.deploy(test_library)
    monkeypatch.setenv("ZSA_MAX_VALUE_BYTES", "10")
    with pytest.raises(ValidationFailed):
        zsa.start_case("antrag", MD, {"antragsteller_name": "Ein langer Name"})
    monkeypatch.setenv("ZSA_MAX_VALUE_BYTES", "1000")
    assert zsa.start_case("antrag", MD, {"antragsteller_name": "Ein langer Name"})


def test_case_lists_return_summaries_and_the_case_its_full_data(zsa, test_library):
    zsa.deploy(test_library)
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    long_text = "y" * 200_000
    data = {"antragsteller_name": "Anna", **{f"k{i}": long_text for i in range(4)}}
    number = zsa.deliver_message(None, "antrag_eingegangen", data, kommune=MD)  # the portal's start
    client = make_app(zsa).test_client()
    login(client, "anna")
    listed = client.get("/api/v1/cases?limit=5")
    assert listed.status_code == 200 and len(listed.data) < 5000
    summary = listed.get_json()[0]["data"]
    assert summary["antragsteller_name"] == "Anna" and summary["k0"].endswith("…") and len(summary["k0"]) < 100
    full = client.get(f"/api/v1/cases/{number}").get_json()["data"]
    assert full["k0"] == long_text


def test_decision_results_adding_up_over_the_case_limit_are_not_stored(zsa, monkeypatch):
    # each result within the value limit, the case over its limit: the service's last check before saving
    monkeypatch.setenv("ZSA_MAX_VALUE_BYTES", str(600_000))
    monkeypatch.setenv("ZSA_MAX_CASE_BYTES", str(400_000))
    zsa.deploy([str(HOSTILE / "huge_decision.bpmn"), str(HOSTILE / "huge_decision.dmn")])
    with pytest.raises(ZsaError) as refused:  # a new case: not created at all
        zsa.start_case("riesige_entscheidung", MD, {})
    assert refused.value.status == 422 and "Falldaten wären zu groß" in refused.value.message
    assert zsa.cases() == []


def test_a_run_over_the_case_limit_keeps_the_case_as_it_was_and_does_not_repeat_itself(zsa, monkeypatch):
    zsa.deploy([str(HOSTILE / "huge_decision.bpmn"), str(HOSTILE / "huge_decision.dmn")])
    number = zsa.start_case("riesige_entscheidung", MD, {})  # the 500 KB text is over the value limit
    assert zsa.case(number)["state"] == "incident"
    monkeypatch.setenv("ZSA_MAX_VALUE_BYTES", str(600_000))
    monkeypatch.setenv("ZSA_MAX_CASE_BYTES", str(400_000))
    events = len(zsa.events(number))
    for _ in range(2):  # the retry now gets the text, the case data would be over the case limit
        zsa.retry(number)
        case = zsa.case(number)
        assert case["state"] == "incident" and case["incident"].startswith("Falldaten wären zu groß: Grenze 600.000 Bytes je Wert, 400.000 Bytes")
        assert "text" not in case["data"] and zsa.tasks(case=number) == []
    types = [e["type"] for e in zsa.events(number)][events:]
    assert types == ["incident_raised"]  # the second, identical refusal wrote nothing
