"""The `zsa-flow` command line, driven as an operator would (CliRunner, real database)."""
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from zsa_flow.cli import main
from zsa_flow.services import users


@pytest.fixture
def cli(zsa, db_url, monkeypatch):
    """Runs `zsa-flow` on the test database, where the caseworker account `anna` exists."""
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    users.add_account(zsa, "anna", "Anna", ["zsa-sachbearbeitung"], groups=["zsa-team"],
                      kommunen=["15003000", "15002000"])
    runner = CliRunner()

    def run(*args, ok=True, stdin=None):
        result = runner.invoke(main, list(args), input=stdin)
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr if result.stderr_bytes else "")
        return result

    return run


def test_deploy_start_tasks_claim_complete_case(cli, test_library):
    assert "antrag: Version 1 (neu)" in cli("deploy", *test_library).output
    assert "antrag: Version 1 (unverändert)" in cli("deploy", *test_library).output
    number = cli("start", "antrag", "--kommune", "15003000", "--data", '{"antragsteller_name": "Erika"}').output.strip()
    assert number == "TEST-2026-000001"

    tasks = json.loads(cli("tasks", "--group", "zsa-team", "--kommune", "15003000", "--json").output)
    assert len(tasks) == 1
    task = tasks[0]
    assert {"id", "case", "name", "task_def", "candidate_groups", "assignee", "kommune", "due", "form"} <= set(task)
    assert (task["case"], task["task_def"], task["candidate_groups"], task["form"]) == (
        number, "Pruefen", ["zsa-team"], "pruefen")
    assert json.loads(cli("tasks", "--group", "ordnungsamt", "--json").output) == []

    cli("claim", task["id"], "--user", "anna")
    cli("complete", task["id"], "--user", "anna", "--data", '{"ergebnis": "vollstaendig", "anzahl": 2}')
    case = json.loads(cli("case", number, "--json").output)
    assert {"number", "process", "version", "kommune", "state", "data"} <= set(case)
    assert (case["number"], case["process"], case["version"], case["kommune"], case["state"]) == (
        number, "antrag", 1, "15003000", "running")
    assert case["data"]["steuer"] == 144
    cases = json.loads(cli("cases", "--json").output)
    assert [c["number"] for c in cases] == [number]


def test_invalid_completion_prints_field_errors_and_exits_1(cli, test_library):
    cli("deploy", *test_library)
    number = cli("start", "antrag", "--kommune", "15003000", "--data", '{"antragsteller_name": "A"}').output.strip()
    task = json.loads(cli("tasks", "--case", number, "--json").output)[0]
    cli("claim", task["id"], "--user", "anna")
    result = cli("complete", task["id"], "--user", "anna", "--data", '{"ergebnis": "x", "foo": 1}', ok=False)
    assert result.exit_code == 1
    assert "ergebnis" in result.stderr and "foo" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    bad_json = cli("complete", task["id"], "--user", "anna", "--data", "{kaputt", ok=False)
    assert bad_json.exit_code == 1 and "kein gültiges JSON" in bad_json.stderr


def test_message_tick_and_start_message(cli, test_library):
    cli("deploy", *test_library)
    number = cli("message", "-", "antrag_eingegangen", "--kommune", "15002000",
                 "--data", '{"antragsteller_name": "Portal"}').output.strip()
    task = json.loads(cli("tasks", "--case", number, "--json").output)[0]
    cli("claim", task["id"], "--user", "anna")
    cli("complete", task["id"], "--user", "anna", "--data", '{"ergebnis": "unvollstaendig"}')
    out = cli("message", number, "unterlagen_eingegangen", "--data", '{"nachweis": "ok"}').output
    assert "zugestellt" in out
    assert json.loads(cli("case", number, "--json").output)["data"]["nachweis"] == "ok"
    assert cli("tick").output.strip() == "0 Vorgänge weitergeführt"
    result = cli("message", number, "falsche_nachricht", ok=False)
    assert result.exit_code == 1 and "wartet nicht" in result.stderr


def test_task_actions_need_an_existing_active_account(cli, zsa, test_library):
    cli("deploy", *test_library)
    number = cli("start", "antrag", "--kommune", "15003000", "--data", '{"antragsteller_name": "A"}').output.strip()
    task = json.loads(cli("tasks", "--case", number, "--json").output)[0]
    for args in (("claim", task["id"], "--user", "demo"), ("complete", task["id"], "--user", "demo"),
                 ("claim", task["id"], "--user", "system")):
        result = cli(*args, ok=False)
        assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert "Konto 'demo' gibt es nicht" in cli("claim", task["id"], "--user", "demo", ok=False).stderr
    users.set_active(zsa, "anna", False)
    assert "Konto 'anna' ist deaktiviert" in cli("claim", task["id"], "--user", "anna", ok=False).stderr
    assert zsa.task(task["id"])["assignee"] is None
    assert [e["actor"] for e in zsa.events(number)][:1] == ["system"]  # `start` acted as the operator


def test_unknown_things_are_clear_errors(cli):
    for args, text in [
        (("case", "TEST-2026-999999"), "nicht gefunden"),
        (("start", "antrag", "--kommune", "123"), "AGS"),
        (("deploy", "/nirgendwo"), "nicht gefunden"),
    ]:
        result = cli(*args, ok=False)
        assert result.exit_code == 1, args
        assert text in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_unmigrated_database_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", f"sqlite:///{tmp_path}/leer.db")
    result = CliRunner().invoke(main, ["tasks"])
    assert result.exit_code == 1
    assert "zsa-flow db upgrade" in result.stderr
    upgraded = CliRunner().invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0 and "Revision" in upgraded.output
    assert CliRunner().invoke(main, ["tasks"]).exit_code == 0


def test_unreachable_database_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nirgends")
    result = CliRunner().invoke(main, ["tasks"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Fehler: Datenbank nicht erreichbar")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_diff_versions_and_deployment_record_from_the_cli(cli, zsa, test_library, tmp_path):
    from sqlalchemy import select

    from zsa_flow.storage.tables import deployment

    users.add_account(zsa, "pia", "Pia", ["prozessverantwortung"], kommunen=["15003000"], password="Pia-Passwort-2026")
    cli("deploy", *test_library, "--user", "pia")
    changed = tmp_path / "antrag.bpmn"
    changed.write_text((Path(test_library[0]) / "antrag.bpmn").read_text(encoding="utf-8")
                       .replace(">P14D<", ">P21D<"), encoding="utf-8")
    assert "antrag: Version 2 (neu)" in cli("deploy", str(changed), "--user", "pia").output
    out = cli("diff", "antrag", "1", "2").output
    assert "antrag: Version 1 → 2: 1 Änderungen" in out and "[changed] Frist" in out and "Timer geändert" in out
    assert json.loads(cli("diff", "antrag", "1", "2", "--json").output)["markers"]["new"]["changed"] == ["Frist"]
    assert "v2" in cli("versions", "antrag").output
    with zsa.uow(readonly=True) as uow:
        records = uow.execute(select(deployment).order_by(deployment.c.id)).mappings().all()
    assert [(r["deployed_by"], r["source"]) for r in records] == [("pia", "zsa-flow deploy")] * 2
    assert [p["version"] for p in records[1]["processes"]] == [2]
    assert records[1]["files"] == [{"path": str(changed), "kind": "bpmn",
                                    "sha256": hashlib.sha256(changed.read_bytes()).hexdigest()}]
