"""Auditor access enters the verifiable record: case views in the case's chain, process-level
access in the audit log chain; other roles' views are not recorded."""
import pytest

from inbox_support import MAGDEBURG, login, seed_people
from zsa_flow.services.audit import audit_log, record_access
from zsa_flow.services.sequencer import sequence
from zsa_flow.web import create_app


@pytest.fixture
def app(zsa, test_library):
    zsa.deploy(test_library)
    seed_people(zsa)
    return create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "test"})


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_an_auditors_views_of_a_case_are_events_in_its_chain(app, zsa):
    number = zsa.start_case("antrag", MAGDEBURG, {"antragsteller_name": "Erika Mustermann"}, actor="anna")
    before = len(zsa.events(number))
    _client(app, "anna").get(f"/vorgaenge/{number}")  # a caseworker's view is not recorded
    assert len(zsa.events(number)) == before
    paula = _client(app, "paula")
    assert paula.get(f"/vorgaenge/{number}").status_code == 200
    assert paula.get(f"/api/v1/cases/{number}").status_code == 200
    assert paula.get(f"/api/v1/cases/{number}/events").status_code == 200
    views = zsa.events(number)[before:]
    assert [(e["type"], e["actor"], e["data"]) for e in views] == [
        ("case_viewed", "paula", {"via": "web"}), ("case_viewed", "paula", {"via": "api"}),
        ("case_viewed", "paula", {"via": "api"})]
    assert paula.get("/vorgaenge/TEST-2026-999999").status_code == 404  # nothing recorded for a missing case
    assert zsa.verify().findings == []


def test_replays_and_exports_are_recorded_for_cases_and_processes(zsa, test_library):
    zsa.deploy(test_library)
    number = zsa.start_case("antrag", MAGDEBURG, {"antragsteller_name": "A"})
    record_access(zsa, "paula", "replayed", case_number=number)
    record_access(zsa, "paula", "exported", process_id="antrag", details={"format": "xes", "version": 1})
    record_access(zsa, "paula", "exported", process_id="antrag", details={"format": "csv"})
    assert zsa.events(number)[-1]["type"] == "case_replayed" and zsa.events(number)[-1]["actor"] == "paula"
    log = audit_log(zsa)
    assert [(e["seq"], e["type"], e["process_id"], e["actor"]) for e in log] == [
        (1, "process_exported", "antrag", "paula"), (2, "process_exported", "antrag", "paula")]
    assert log[0]["data"] == {"format": "xes", "version": 1, "process_id": "antrag"}
    assert sequence(zsa) == len(zsa.events(number)) + 2  # the audit log's entries join the tree as well
    report = zsa.verify()
    assert report.findings == [] and report.tree_size == len(zsa.events(number)) + 2


def test_the_worker_stores_a_signed_checkpoint_when_a_key_is_configured(zsa, tmp_path, monkeypatch):
    from zsa_flow.services import checkpoints
    from zsa_flow.services.timers import TimerScheduler

    assert TimerScheduler(zsa).checkpoint_if_due() is None  # no key: no checkpoints
    checkpoints.keygen(tmp_path / "k.pem")
    monkeypatch.setenv("ZSA_AUDIT_SIGNING_KEY_FILE", str(tmp_path / "k.pem"))
    scheduler = TimerScheduler(zsa)
    assert scheduler.checkpoint_interval == 3600
    first = scheduler.checkpoint_if_due()
    assert first["tree_size"] == 0 and scheduler.checkpoint_if_due() is None  # not due again yet
    assert checkpoints.latest_stored(zsa) == first and checkpoints.check_signature(first) == []
