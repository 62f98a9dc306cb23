"""Migrating running cases to a new process version: dry run, bulk, mapping, undo (real engine + DB)."""
import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from zsa_flow.errors import Conflict
from zsa_flow.services.replay import replay_case

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "tests" / "features"))
from hunde_steps import ANMELDUNG  # noqa: E402


def _copy(tmp_path, *parts):
    target = tmp_path / "v2"
    for part in parts:
        shutil.copytree(part, target / Path(part).name, dirs_exist_ok=True)
    return target


def _edit(folder, filename, *replacements):
    path = next(folder.rglob(filename))
    text = path.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def hunde(zsa):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung"), str(ROOT / "forms" / "hundehaltung")])
    return zsa


def _deploy_v2(zsa, tmp_path, *replacements):
    v2 = _copy(tmp_path, ROOT / "processes" / "hundehaltung", ROOT / "forms" / "hundehaltung")
    _edit(v2, "hundehaltung.bpmn", *replacements)
    result = {r["process_id"]: r for r in zsa.deploy([str(v2)])}
    assert result["hundehaltung"]["version"] == 2 and result["hundehaltung"]["created"]


def _online(zsa, **changes):
    return zsa.deliver_message(None, "antrag_hundehaltung", data=ANMELDUNG | changes, kommune="15003000")


RENAME_TASK = ('name="Bescheid entwerfen"', 'name="Bescheid entwerfen und prüfen"')


def test_user_task_and_receive_task_with_timer_move_in_bulk(hunde, tmp_path):
    zsa = hunde
    at_task = _online(zsa)
    waiting = _online(zsa, versicherung_personen_sach=500000, versicherung_vermoegen=0)
    [task] = zsa.tasks(case=at_task)
    zsa.claim(task["id"], "anna")
    zsa.save_draft(task["id"], {"bescheid_hinweise": "Entwurf"}, "anna")
    due_before = zsa.case(waiting)["timers"]
    _deploy_v2(zsa, tmp_path, RENAME_TASK)

    dry = zsa.migrate("hundehaltung", 1, 2, dry_run=True)
    assert dry["counts"] == {"migratable": 2}
    assert zsa.case(at_task)["version"] == 1  # a dry run changes nothing

    summary = zsa.migrate("hundehaltung", 1, 2, actor="pia")
    assert summary["counts"] == {"migrated": 2}
    [moved] = zsa.tasks(case=at_task)
    assert moved["id"] == task["id"] and moved["name"] == "Bescheid entwerfen und prüfen"
    assert moved["assignee"] == "anna" and moved["due"] == task["due"]
    assert zsa.task(task["id"])["draft"] == {"bescheid_hinweise": "Entwurf"}
    assert zsa.case(waiting)["timers"] == due_before and zsa.case(waiting)["version"] == 2
    event = [e for e in zsa.events(at_task) if e["type"] == "case_migrated"][-1]
    assert event["actor"] == "pia" and event["data"]["from_version"] == 1 and event["data"]["to_version"] == 2
    assert event["data"]["from_hash"] != event["data"]["to_hash"] == event["definition_hash"]
    assert zsa.migrate("hundehaltung", 1, 2)["counts"] == {}  # a second run does nothing

    # Both cases complete on the new version: the task, the documents, the deadline.
    zsa.complete(task["id"], {"entwurf_geprueft": True}, "anna")
    assert [t["name"] for t in zsa.tasks(case=at_task)] == ["Steuerbescheid prüfen und erlassen"]
    zsa.deliver_message(waiting, "unterlagen_eingegangen",
                        data={"versicherung_personen_sach": 1000000, "versicherung_vermoegen": 50000})
    assert [t["name"] for t in zsa.tasks(case=waiting)] == ["Bescheid entwerfen und prüfen"]
    # the audit replay starts on version 1 and moves at the recorded migration, as production did
    for number in (at_task, waiting):
        assert replay_case(zsa, number)["result"] == "replay consistent"


def test_a_case_waiting_at_a_removed_element_stays_and_is_reported(hunde, tmp_path):
    zsa = hunde
    at_task = _online(zsa)
    waiting = _online(zsa, versicherung_personen_sach=500000, versicherung_vermoegen=0)
    _deploy_v2(zsa, tmp_path, ('<bpmn:receiveTask id="Activity_Warten"', '<bpmn:receiveTask id="Activity_Warten2"'),
               ('bpmnElement="Activity_Warten"', 'bpmnElement="Activity_Warten2"'),
               ('targetRef="Activity_Warten"', 'targetRef="Activity_Warten2"'),
               ('sourceRef="Activity_Warten"', 'sourceRef="Activity_Warten2"'),
               ('attachedToRef="Activity_Warten"', 'attachedToRef="Activity_Warten2"'))
    summary = zsa.migrate("hundehaltung", 1, 2)
    by_case = {r["number"]: r for r in summary["cases"]}
    assert by_case[at_task]["status"] == "migrated"
    assert by_case[waiting]["status"] == "not_migratable" and "wartet" in by_case[waiting]["reason"]
    assert zsa.case(waiting)["version"] == 1
    # With a mapping for the renamed element it moves, keeping its deadline.
    due = zsa.case(waiting)["timers"]
    again = zsa.migrate("hundehaltung", 1, 2, numbers=[waiting], mapping={"Activity_Warten": "Activity_Warten2"})
    assert again["counts"] == {"migrated": 1} and zsa.case(waiting)["timers"] == due
    zsa.clock.advance(timedelta(days=14, minutes=1))
    zsa.tick()
    assert any(e["type"] == "timer_fired" for e in zsa.events(waiting))


def test_event_based_gateway_and_renamed_task_via_mapping_file(zsa, tmp_path):
    source = FIXTURES / "engine" / "wartegateway"
    zsa.deploy([str(source)])
    number = zsa.start_case("antrag", "15003000", {"antragsteller_name": "A"})
    [task] = zsa.tasks(case=number)
    zsa.claim(task["id"], "anna")
    zsa.complete(task["id"], {"ergebnis": "unvollstaendig"}, "anna")
    assert zsa.case(number)["timers"]
    waiting_number = number
    second = zsa.start_case("antrag", "15003000", {"antragsteller_name": "B"})
    v2 = tmp_path / "v2"
    shutil.copytree(source, v2)
    _edit(v2, "antrag_gateway.bpmn", ('id="Pruefen"', 'id="Antrag_pruefen"'),
          ('bpmnElement="Pruefen"', 'bpmnElement="Antrag_pruefen"'),
          ('targetRef="Pruefen"', 'targetRef="Antrag_pruefen"'), ('sourceRef="Pruefen"', 'sourceRef="Antrag_pruefen"'),
          ('name="Antrag prüfen"', 'name="Antrag sichten"'))
    zsa.deploy([str(v2)])
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Pruefen": "Antrag_pruefen"}))
    cli = Path(sys.executable).parent / "zsa-flow"
    # the command line runs on the real clock: it migrates the case without timers
    result = subprocess.run([str(cli), "migrate", "antrag", "--from", "1", "--to", "2", "--case", second,
                             "--mapping", str(mapping)], capture_output=True, text=True, timeout=120,
                            env={"ZSA_DATABASE_URL": str(zsa.engine.url.render_as_string(hide_password=False)),
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "1 migriert" in result.stdout
    assert zsa.migrate("antrag", 1, 2, mapping={"Pruefen": "Antrag_pruefen"})["counts"] == {"migrated": 1}
    [renamed] = zsa.tasks(case=second)
    assert renamed["task_def"] == "Antrag_pruefen" and renamed["name"] == "Antrag sichten"
    # the gateway case still waits for message or deadline, now on version 2
    zsa.deliver_message(waiting_number, "unterlagen_eingegangen", data={"nachweis": "da"})
    [back] = zsa.tasks(case=waiting_number)
    assert back["task_def"] == "Antrag_pruefen"


def test_undo_restores_the_previous_version_until_the_case_moves_on(hunde, tmp_path):
    zsa = hunde
    number = _online(zsa)
    [task] = zsa.tasks(case=number)
    _deploy_v2(zsa, tmp_path, RENAME_TASK)
    zsa.migrate("hundehaltung", 1, 2)
    zsa.undo_migration(number, actor="pia")
    assert zsa.case(number)["version"] == 1
    [restored] = zsa.tasks(case=number)
    assert restored["id"] == task["id"] and restored["name"] == "Bescheid entwerfen"
    zsa.migrate("hundehaltung", 1, 2)
    assert replay_case(zsa, number)["result"] == "replay consistent"  # migrated, undone, migrated again
    zsa.claim(task["id"], "anna")
    zsa.complete(task["id"], {"entwurf_geprueft": True}, "anna")
    with pytest.raises(Conflict, match="weitergeführt"):
        zsa.undo_migration(number)
