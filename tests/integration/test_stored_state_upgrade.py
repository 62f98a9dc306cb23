"""A database written by zsa-flow 0.1 (frozen fixture) upgrades and its waiting cases run on.

tests/fixtures/state/release-0.1.sqlite was written by release 0.1 (commit 5ac755c) with
make_release_0_1.py: cases wait at user tasks (one claimed, with a draft), at receive tasks with
boundary timers and at Wohngeld tasks; its states have format zsa-state-1 and its events chain
version 1. The upgrade runs the real `zsa-flow db upgrade` command on a copy.
"""
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from zsa_flow.clock import FakeClock
from zsa_flow.engine.state import CURRENT
from zsa_flow.services.history import verify_rows
from zsa_flow.services.platform import Platform
from zsa_flow.services.queries import stored_events

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "state" / "release-0.1.sqlite"
WRITTEN_AT = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def upgraded(tmp_path):
    path = tmp_path / "zsa.db"
    shutil.copy(FIXTURE, path)
    env = dict(os.environ, ZSA_DATABASE_URL=f"sqlite:///{path}")
    result = subprocess.run([str(Path(sys.executable).parent / "zsa-flow"), "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "5 gespeicherte Vorgangszustände" in result.stdout
    platform = Platform.connect(f"sqlite:///{path}", clock=FakeClock(WRITTEN_AT + timedelta(hours=1)))
    yield platform, path
    platform.engine.dispose()


def _task(zsa, number):
    tasks = zsa.tasks(case=number)
    assert len(tasks) == 1, tasks
    return tasks[0]


def _work(zsa, number, data, user="anna"):
    task = _task(zsa, number)
    if task["assignee"] != user:
        zsa.claim(task["id"], user)
    zsa.complete(task["id"], data, user)


def test_fixture_is_what_release_0_1_wrote():
    with sqlite3.connect(FIXTURE) as db:
        assert {f for (f,) in db.execute("select distinct format from workflow_state")} == {"zsa-state-1"}
        assert db.execute("select count(*) from timer").fetchone()[0] == 2
        assert db.execute("select version_num from alembic_version").fetchone()[0] == "7c1d2e3f4a5b"


def test_stored_states_are_migrated_and_old_chains_still_verify(upgraded):
    zsa, path = upgraded
    with sqlite3.connect(path) as db:
        assert {f for (f,) in db.execute("select distinct format from workflow_state")} == {CURRENT}
    for case in zsa.cases():
        events = stored_events(zsa, case["number"])
        assert {e["chain_version"] for e in events} == {1}
        assert verify_rows(case["number"], events) == []
    assert zsa.verify().clean


def test_waiting_cases_run_on_after_the_upgrade(upgraded):
    zsa, _ = upgraded
    # Hundehaltung at "Bescheid entwerfen" (user task) -> the tax office's task.
    _work(zsa, "HUND-2026-000001", {"entwurf_geprueft": True}, user="anna")
    assert _task(zsa, "HUND-2026-000001")["name"] == "Steuerbescheid prüfen und erlassen"
    # Hundehaltung waiting for documents at a receive task with a boundary timer: the documents come.
    assert zsa.case("HUND-2026-000002")["state"] == "running" and zsa.tasks(case="HUND-2026-000002") == []
    zsa.deliver_message("HUND-2026-000002", "unterlagen_eingegangen",
                        data={"versicherung_personen_sach": 1000000, "versicherung_vermoegen": 50000})
    assert _task(zsa, "HUND-2026-000002")["name"] == "Bescheid entwerfen"
    # Wohngeld, claimed by anna with a draft: the claim and the draft survived.
    task = _task(zsa, "WOGG-2026-000001")
    assert task["assignee"] == "anna"
    _work(zsa, "WOGG-2026-000001", {"unterlagen_vollstaendig": True}, user="anna")
    assert _task(zsa, "WOGG-2026-000001")["name"] == "Plausibilität und Vorrang prüfen (SGB II/XII)"
    # Wohngeld waiting for documents: the boundary timer (deadline 2026-03-16) fires.
    zsa.clock.set(datetime(2026, 3, 16, 9, 0, tzinfo=timezone.utc))
    assert zsa.tick() >= 1
    events = zsa.events("WOGG-2026-000002")
    assert any(e["type"] == "timer_fired" for e in events)
    assert _task(zsa, "WOGG-2026-000002")["name"] == "Bescheidentwurf erstellen"  # Versagung proposed
    # Wohngeld at the plausibility check: runs on to the decision draft, with the calculation.
    _work(zsa, "WOGG-2026-000003", {"transferleistung_bezug": False, "rueckfrage_noetig": False}, user="ben")
    assert zsa.case("WOGG-2026-000003")["data"]["wohngeld_m"] == 253
    assert _task(zsa, "WOGG-2026-000003")["name"] == "Bescheidentwurf erstellen"
    # Chains now hold plaintext version-1 rows followed by encrypted version-3 rows, and both verify.
    for number in ("HUND-2026-000001", "HUND-2026-000002", "WOGG-2026-000001", "WOGG-2026-000002"):
        events = stored_events(zsa, number)
        assert [e["chain_version"] for e in events][-1] == 3 and events[0]["chain_version"] == 1
        assert events[-1]["ciphertext"] and not events[0]["ciphertext"]
        assert verify_rows(number, events) == []
    assert zsa.verify().findings == []


def test_wohngeld_cases_of_the_flat_form_finish_on_their_version_after_the_household_form_is_deployed(upgraded):
    """Deploying the household list (form version 2) makes new versions; the waiting cases of
    release 0.1 keep their version's script, decisions and forms and still compute 253 €."""
    zsa, _ = upgraded
    root = Path(__file__).resolve().parents[2]
    deployed = {d["process_id"]: d["version"] for d in zsa.deploy([str(root / "processes"), str(root / "forms")])}
    assert deployed["wohngeld"] == 2
    assert "haushaltsmitglieder" not in zsa.case("WOGG-2026-000003")["data"]
    _work(zsa, "WOGG-2026-000003", {"transferleistung_bezug": False, "rueckfrage_noetig": False}, user="ben")
    assert zsa.case("WOGG-2026-000003")["data"]["wohngeld_m"] == 253
    _work(zsa, "WOGG-2026-000001", {"unterlagen_vollstaendig": True}, user="anna")  # the version-1 form
    assert _task(zsa, "WOGG-2026-000001")["name"] == "Plausibilität und Vorrang prüfen (SGB II/XII)"
    sys.path.insert(0, str(root / "tests" / "features"))
    from wohngeld_steps import HOUSEHOLDS

    number = zsa.start_case("wohngeld", kommune="15002000", data=HOUSEHOLDS["beispiel_3"] | {"antragsdatum": "2026-03-02"},
                            actor="anna")
    assert zsa.case(number)["version"] == 2
    _work(zsa, number, {"unterlagen_vollstaendig": True})
    _work(zsa, number, {"transferleistung_bezug": False, "rueckfrage_noetig": False})
    assert zsa.case(number)["data"]["wohngeld_m"] == 253
