"""services/actions.py: the checked actions — actors, the claim rule, form-less tasks, as-is variants."""
import shutil
from pathlib import Path

import pytest

from webauth import add_user, api_post, login, make_app
from zsa_flow.errors import ZsaError, Conflict, Forbidden, ValidationFailed
from zsa_flow.services import actions, users
from zsa_flow.services.actions import UnknownActor

MD = "15003000"
LIBRARY = Path(__file__).resolve().parent.parent / "fixtures" / "library"


@pytest.fixture
def lib(zsa, tmp_path):
    """The test library with 'Bescheid erlassen' as a task without a form, plus its as-is variant."""
    root = tmp_path / "lib"
    shutil.copytree(LIBRARY, root)
    bpmn = root / "antrag.bpmn"
    text = bpmn.read_text().replace(' camunda:formRef="entscheiden"', "")
    bpmn.write_text(text)
    (root / "antrag_asis.bpmn").write_text(
        text.replace('id="antrag" name="Testantrag"', 'id="antrag_asis" name="Ist-Ablauf"')
        .replace('processRef="antrag"', 'processRef="antrag_asis"')
        .replace('value="TEST"', 'value="ASIS"')
        .replace('<camunda:property name="zsa:service" value="test" />',
                 '<camunda:property name="zsa:service" value="test" /><camunda:property name="zsa:variant" value="as-is" />'
                 f'<camunda:property name="zsa:kommune" value="{MD}" />'))
    zsa.deploy([str(root)])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    add_user(zsa, "mia", ["kommune"], ["ordnungsamt"], [MD])
    return zsa


def _formless_task(zsa):
    number = zsa.start_case("antrag", MD, {"antragsteller_name": "Erika"})
    zsa.complete(zsa.tasks(case=number)[0]["id"], {"ergebnis": "vollstaendig", "anzahl": 1}, "anna")
    task = zsa.tasks(case=number)[0]
    assert task["task_def"] == "Entscheiden" and task["form"] is None
    return number, task


def test_a_task_without_a_form_takes_no_fields_on_any_channel(lib):
    number, task = _formless_task(lib)
    actions.claim(lib, "mia", task["id"])
    with pytest.raises(ValidationFailed) as refused:
        actions.complete(lib, "mia", task["id"], {"csrf_token": "x", "bemerkung": "ok"})
    assert refused.value.status == 422 and set(refused.value.details["fields"]) == {"csrf_token", "bemerkung"}
    assert refused.value.message == "Diese Aufgabe hat kein Formular und nimmt keine Felder an: bemerkung, csrf_token"
    client = make_app(lib).test_client()
    login(client, "mia")
    response = api_post(client, f"/api/v1/tasks/{task['id']}/complete", {"data": {"_aktion": "abschliessen"}})
    assert response.status_code == 422 and response.json["details"]["fields"] == {"_aktion": "Unbekanntes Feld."}
    assert lib.task(task["id"])["state"] == "open"
    assert api_post(client, f"/api/v1/tasks/{task['id']}/complete", {"data": {}}).status_code == 200
    completed = [e for e in lib.events(number) if e["type"] == "task_completed"][-1]
    assert completed["actor"] == "mia" and "csrf_token" not in str(completed["data"])
    assert "csrf_token" not in lib.case(number)["data"] and "_aktion" not in lib.case(number)["data"]


def test_drafts_need_the_claim_and_keep_only_form_fields(lib):
    number = lib.start_case("antrag", MD, {"antragsteller_name": "Erika"})
    task = lib.tasks(case=number)[0]
    with pytest.raises(Conflict, match="Bitte übernehmen Sie die Aufgabe zuerst"):
        actions.save_draft(lib, "anna", task["id"], {"anzahl": "2"})
    actions.claim(lib, "anna", task["id"])
    with pytest.raises(ValidationFailed) as refused:
        actions.save_draft(lib, "anna", task["id"], {"anzahl": "2", "csrf_token": "x"})
    assert set(refused.value.details["fields"]) == {"csrf_token"}
    client = make_app(lib).test_client()
    login(client, "anna")
    assert api_post(client, f"/api/v1/tasks/{task['id']}/draft", {"data": {"anzahl": "2"}}).status_code == 200
    assert lib.task(task["id"])["draft"] == {"anzahl": "2"}


def test_completing_needs_the_claim_then_works(lib):
    number = lib.start_case("antrag", MD, {"antragsteller_name": "Erika"})
    task = lib.tasks(case=number)[0]
    with pytest.raises(Conflict, match="Bitte übernehmen Sie die Aufgabe zuerst"):
        actions.complete(lib, "anna", task["id"], {"ergebnis": "abgelehnt"})
    actions.claim(lib, "anna", task["id"])
    done = actions.complete(lib, "anna", task["id"], {"ergebnis": "abgelehnt"})
    assert done["case_state"] == "completed" and done["case"] == number


def test_the_system_actor_operates_cases_but_works_no_tasks(lib):
    number = actions.start_case(lib, "system", "antrag", MD, {"antragsteller_name": "Erika"})
    assert lib.events(number)[0]["actor"] == "system"
    task = lib.tasks(case=number)[0]
    with pytest.raises(Forbidden, match="Konto"):
        actions.claim(lib, "system", task["id"])
    with pytest.raises(ValidationFailed):
        users.add_account(lib, "system", "Wer auch immer", ["admin"])


def test_unknown_and_disabled_actors_are_refused(lib):
    number = lib.start_case("antrag", MD, {"antragsteller_name": "Erika"})
    with pytest.raises(UnknownActor, match="Konto 'demo' gibt es nicht"):
        actions.start_case(lib, "demo", "antrag", MD, {})
    users.set_active(lib, "anna", False)
    with pytest.raises(UnknownActor, match="deaktiviert"):
        actions.add_note(lib, "anna", number, "Rückruf")
    assert [c["number"] for c in lib.cases()] == [number]


def test_as_is_variants_start_only_when_asked_for_explicitly(lib):
    with pytest.raises(ZsaError, match="Ist-Variante") as refused:
        actions.start_case(lib, "anna", "antrag_asis", MD, {"antragsteller_name": "Erika"})
    assert refused.value.status == 409
    client = make_app(lib).test_client()
    login(client, "anna")
    response = api_post(client, "/api/v1/cases", {"process": "antrag_asis", "kommune": MD, "data": {}})
    assert response.status_code == 409 and response.json["error"] == "as_is_variant" and not lib.cases()
    number = actions.start_case(lib, "anna", "antrag_asis", MD, {"antragsteller_name": "Erika"}, as_is_variant=True)
    assert number.startswith("ASIS-")


def test_notes_through_the_api(lib):
    number = lib.start_case("antrag", MD, {"antragsteller_name": "Erika"})
    client = make_app(lib).test_client()
    login(client, "anna")
    assert api_post(client, f"/api/v1/cases/{number}/notes", {"text": "  "}).status_code == 422
    assert api_post(client, f"/api/v1/cases/{number}/notes", {"text": "Rückruf vereinbart"}).status_code == 201
    assert [e["actor"] for e in lib.events(number) if e["type"] == "note_added"] == ["anna"]
