"""Camunda's own example `usertask/task-camunda-forms`, unchanged (tests/fixtures/camunda-examples):
its form keys `camunda-forms:app:start-form.form` name the forms by path and the forms carry no id.
It passes `zsa-flow check`, deploys through the CLI and through Camunda Modeler's /engine-rest
deployment, starts with the start form's data, runs its user task with the task form, and refuses
values that break the forms' patterns with German field errors."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from modeler_support import basic, modeler_body
from webauth import PASSWORD, add_user, make_app
from zsa_flow.cli import main
from zsa_flow.errors import ValidationFailed
from zsa_flow.library.check import check_paths
from zsa_flow.storage.tables import form_definition

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "camunda-examples" / "task-camunda-forms"
BPMN = EXAMPLE / "src" / "main" / "resources" / "invoiceApproval.bpmn"
START_FORM = EXAMPLE / "src" / "main" / "webapp" / "start-form.form"
TASK_FORM = EXAMPLE / "src" / "main" / "webapp" / "task-form.form"
PROCESS = "camundaFormsQuickstart"
MD = "15003000"
INVOICE = {"creditor": "Great Pizza for Everyone Inc.", "amount": "30", "invoiceNumber": "C-123"}


def test_the_example_passes_check_without_errors_or_warnings():
    assert check_paths([str(EXAMPLE)]) == []


@pytest.fixture
def cli(zsa, db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    runner = CliRunner()

    def run(*args, ok=True):
        result = runner.invoke(main, list(args))
        if ok:
            assert result.exit_code == 0, result.output + (result.stderr if result.stderr_bytes else "")
        return result

    return run


def test_cli_deploys_the_example_and_it_runs_with_its_forms(cli, zsa):
    assert f"{PROCESS}: Version 1 (neu)" in cli("deploy", str(EXAMPLE)).output
    assert f"{PROCESS}: Version 1 (unverändert)" in cli("deploy", str(EXAMPLE)).output
    with zsa.uow(readonly=True) as uow:
        ids = sorted(uow.execute(select(form_definition.c.form_id)).scalars())
    assert ids == [str(START_FORM).lstrip("/"), str(TASK_FORM).lstrip("/")]  # synthetic: the path

    bad = cli("start", PROCESS, "--kommune", MD, "--data", json.dumps({**INVOICE, "amount": "30,50"}), ok=False)
    assert bad.exit_code == 1 and "amount" in bad.stderr and "Ungültiges Format" in bad.stderr
    number = cli("start", PROCESS, "--kommune", MD, "--data", json.dumps(INVOICE)).output.strip()
    task, = json.loads(cli("tasks", "--case", number, "--json").output)
    assert (task["name"], task["assignee"], task["form"]) == (
        "Approve Invoice", "demo", "camunda-forms:app:task-form.form")
    _approve(zsa, task["id"], number)


def _approve(zsa, task_id, number):
    """The task form's patterns hold (German messages), and a valid approval ends the case."""
    with pytest.raises(ValidationFailed) as refused:
        zsa.complete(task_id, {**INVOICE, "invoiceNumber": "123", "approved": "true"}, "demo")
    assert refused.value.details["fields"] == {"invoiceNumber": "Ungültiges Format."}
    with pytest.raises(ValidationFailed) as missing:
        zsa.complete(task_id, INVOICE, "demo")
    assert set(missing.value.details["fields"]) == {"approved"}
    zsa.complete(task_id, {**INVOICE, "approved": "true", "approvedBy": "demo"}, "demo")
    case = zsa.case(number)
    assert case["state"] == "completed"
    assert {k: case["data"][k] for k in ("creditor", "amount", "invoiceNumber", "approved")} == {
        **INVOICE, "approved": "true"}


def test_start_form_patterns_are_enforced_with_german_field_errors(zsa):
    zsa.deploy([str(EXAMPLE)])
    with pytest.raises(ValidationFailed) as refused:
        zsa.start_case(PROCESS, MD, {"creditor": "", "amount": "dreißig", "invoiceNumber": "C-12a"})
    assert refused.value.details["fields"] == {"creditor": "Pflichtfeld: bitte ausfüllen.",
                                               "amount": "Ungültiges Format.", "invoiceNumber": "Ungültiges Format."}
    assert zsa.cases() == []


def test_modeler_deploys_the_example_as_it_sends_it_and_it_runs(zsa):
    """The Modeler sends the diagram and the attached forms by file name, without folders."""
    add_user(zsa, "pia", ["prozessverantwortung"], kommunen=[MD])
    client = make_app(zsa).test_client()
    body, ctype = modeler_body("invoiceApproval.bpmn", BPMN.read_bytes(),
                               [("start-form.form", START_FORM.read_bytes()),
                                ("task-form.form", TASK_FORM.read_bytes())], name="task-camunda-forms")
    response = client.post("/engine-rest/deployment/create", data=body, content_type=ctype,
                           headers=basic("pia", PASSWORD))
    assert response.status_code == 200, response.json
    (pd_id, pd), = response.json["deployedProcessDefinitions"].items()
    assert (pd["key"], pd["version"]) == (PROCESS, 1)
    with zsa.uow(readonly=True) as uow:
        assert sorted(uow.execute(select(form_definition.c.form_id)).scalars()) == [
            "start-form.form", "task-form.form"]

    number = zsa.start_case(PROCESS, MD, INVOICE)
    task, = zsa.tasks(case=number)
    _approve(zsa, task["id"], number)

    # the diagram alone, once its forms are deployed: they are found among the deployed files
    body, ctype = modeler_body("invoiceApproval.bpmn", BPMN.read_bytes(), name="task-camunda-forms")
    again = client.post("/engine-rest/deployment/create", data=body, content_type=ctype,
                        headers=basic("pia", PASSWORD))
    assert again.status_code == 200, again.json
    assert list(again.json["deployedProcessDefinitions"]) == [pd_id]


def test_a_key_matching_two_files_is_ambiguous_and_one_beside_the_bpmn_wins(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "start-form.form").write_bytes(START_FORM.read_bytes())
    (tmp_path / "task-form.form").write_bytes(TASK_FORM.read_bytes())
    (tmp_path / "invoice.bpmn").write_bytes(BPMN.read_bytes())
    problems = [p for p in check_paths([str(tmp_path)]) if p.is_error]
    assert len(problems) == 1 and problems[0].element_id == "StartEvent_1"
    assert "mehrdeutig" in problems[0].message and "a/start-form.form" in problems[0].message
    (tmp_path / "a" / "invoice.bpmn").write_bytes((tmp_path / "invoice.bpmn").read_bytes()
                                                  .replace(b"camundaFormsQuickstart", b"beside"))
    (tmp_path / "invoice.bpmn").unlink()
    assert [p for p in check_paths([str(tmp_path)]) if p.is_error] == []
