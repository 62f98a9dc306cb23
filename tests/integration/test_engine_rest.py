"""Camunda Modeler 5 against /engine-rest: its exact requests (CamundaAPI.js) through the Flask test
client and through a real HTTP server; authentication and the process-owner rule; check refusals."""
import json
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from modeler_support import LIBRARY, antrag_request, basic, start_body
from webauth import PASSWORD, add_user, make_app
from zsa_flow.services import tokens
from zsa_flow.storage.tables import deployment

MD = "15003000"
ANTRAG = {"antragsteller_name": "Erika Mustermann"}  # what the test library's start form requires


@pytest.fixture
def app(zsa):
    add_user(zsa, "pia", ["prozessverantwortung"], kommunen=[MD])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], groups=["zsa-team"], kommunen=[MD])
    add_user(zsa, "paula", ["pruefung"], kommunen=[MD])
    return make_app(zsa)


@pytest.fixture
def client(app):
    return app.test_client()


PIA = basic("pia", PASSWORD)


def _deploy(client, headers=PIA, **kwargs):
    body, ctype = antrag_request(**kwargs)
    return client.post("/engine-rest/deployment/create", data=body, content_type=ctype, headers=headers)


def test_modeler_sequence_version_connection_deploy_with_attachments_start(client, zsa):
    assert client.get("/engine-rest/version", headers=PIA).json["version"].startswith("7.")
    check = client.get("/engine-rest/deployment?maxResults=0", headers=PIA)
    assert check.status_code == 200 and check.json == []

    response = _deploy(client)
    assert response.status_code == 200, response.json
    body = response.json
    assert {"id", "name", "source", "deploymentTime", "deployedProcessDefinitions",
            "deployedDecisionDefinitions"} <= set(body)
    assert (body["name"], body["source"]) == ("antrag", "Camunda Modeler")
    (pd_id, pd), = body["deployedProcessDefinitions"].items()
    assert pd_id == pd["id"] and pd_id.startswith("antrag:1:")
    assert (pd["key"], pd["version"], pd["name"], pd["deploymentId"], pd["resource"]) == (
        "antrag", 1, "Testantrag", body["id"], "antrag.bpmn")
    (dd_id, dd), = body["deployedDecisionDefinitions"].items()
    assert (dd["key"], dd["version"], dd["resource"]) == ("steuersatz", 1, "steuersatz.dmn")

    with zsa.uow(readonly=True) as uow:
        record = uow.execute(select(deployment)).mappings().one()
    assert (record["deployed_by"], record["source"], record["name"]) == ("pia", "Camunda Modeler", "antrag")
    assert {f["path"] for f in record["files"]} == {"antrag.bpmn", "antrag_start.form", "pruefen.form",
                                                    "entscheiden.form", "steuersatz.dmn"}
    assert all(len(f["sha256"]) == 64 for f in record["files"])

    started = client.post(f"/engine-rest/process-definition/{pd_id}/start", headers=PIA,
                          json=start_body(business_key="AZ-4711", **ANTRAG))
    assert started.status_code == 200, started.json
    instance = started.json
    assert (instance["definitionId"], instance["businessKey"], instance["ended"], instance["suspended"]) == (
        pd_id, "AZ-4711", False, False)
    assert instance["links"][0]["rel"] == "self"
    case = zsa.case(instance["id"])
    assert (case["kommune"], case["process"], case["version"]) == (MD, "antrag", 1)


def test_duplicate_filtering_keeps_the_version_and_a_change_makes_the_next(client, zsa):
    first = _deploy(client).json
    again = _deploy(client).json
    assert list(again["deployedProcessDefinitions"]) == list(first["deployedProcessDefinitions"])
    assert [p["version"] for p in zsa.processes()] == [1]
    changed = (LIBRARY / "antrag.bpmn").read_bytes().replace(b'name="Antrag pr\xc3\xbcfen"', b'name="Antrag sichten"')
    third = _deploy(client, diagram=changed).json
    (pd_id, pd), = third["deployedProcessDefinitions"].items()
    assert pd["version"] == 2 and pd_id.startswith("antrag:2:")
    by_key = client.post("/engine-rest/process-definition/key/antrag/start", headers=PIA, json=start_body(**ANTRAG))
    assert by_key.json["definitionId"] == pd_id


def test_only_the_diagram_with_one_form_may_be_sent_once_the_rest_is_deployed(client, zsa):
    _deploy(client)
    from modeler_support import modeler_body

    diagram = (LIBRARY / "antrag.bpmn").read_bytes().replace(b"P14D", b"P21D")
    body, ctype = modeler_body("antrag.bpmn", diagram, [("pruefen.form", (LIBRARY / "pruefen.form").read_bytes())])
    response = client.post("/engine-rest/deployment/create", data=body, content_type=ctype, headers=PIA)
    assert response.status_code == 200, response.json
    assert list(response.json["deployedProcessDefinitions"].values())[0]["version"] == 2


def test_a_model_with_errors_is_refused_with_its_problems(client, zsa):
    broken = (LIBRARY / "antrag.bpmn").read_bytes().replace(b'camunda:formRef="entscheiden"',
                                                            b'camunda:formRef="gibtsnicht"')
    response = _deploy(client, diagram=broken)
    assert response.status_code == 400
    assert response.json["type"] == "ParseException"
    message = response.json["message"]
    assert message.startswith("Bereitstellung abgelehnt: 1 Fehler")
    assert "antrag.bpmn:71: Entscheiden: camunda:formRef 'gibtsnicht'" in message
    assert zsa.processes() == []


@pytest.mark.parametrize("headers, status", [
    ({}, 401), (basic("pia", "falsch-falsch-falsch"), 401), (basic("anna", PASSWORD), 403),
    (basic("paula", PASSWORD), 403), ({"Authorization": "Bearer zsa_ungueltig"}, 401), (PIA, 200)])
def test_auth_matrix_for_deploying(client, headers, status):
    response = _deploy(client, headers=headers)
    assert response.status_code == status, response.json
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
        assert response.json["type"] == "AuthenticationException"
    if status == 403:
        assert response.json["type"] == "AuthorizationException"
        assert response.json["message"] in ("Nur die Prozessverantwortung darf Prozesse bereitstellen",
                                            "Prüfzugänge können nur lesen, nichts ändern")


def test_bearer_token_of_a_process_owner_deploys_and_a_session_cookie_does_not_count(client, zsa):
    token = tokens.issue_token(zsa, "pia")
    assert _deploy(client, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/engine-rest/version").status_code == 401


def test_tenant_id_is_recorded_and_must_be_a_kommune_of_the_deployer(client, zsa):
    assert _deploy(client, tenant_id=MD).json["tenantId"] == MD
    refused = _deploy(client, tenant_id="15002000")
    assert refused.status_code == 422 and "tenant-id" in refused.json["message"]


def test_start_needs_the_kommune_variable_and_a_kommune_of_the_caller(client):
    pd_id = next(iter(_deploy(client).json["deployedProcessDefinitions"]))
    missing = client.post(f"/engine-rest/process-definition/{pd_id}/start", headers=PIA,
                          json={"businessKey": "x", "variables": {}})
    assert missing.status_code == 422 and "kommune" in missing.json["message"]
    foreign = client.post(f"/engine-rest/process-definition/{pd_id}/start", headers=PIA, json=start_body("15002000"))
    assert foreign.status_code == 403
    unknown = client.post("/engine-rest/process-definition/antrag:9:99/start", headers=PIA, json=start_body(**ANTRAG))
    assert unknown.status_code == 404 and unknown.json["type"] == "InvalidRequestException"


def test_start_variables_must_satisfy_the_start_form_and_no_case_is_left(client, zsa):
    pd_id = next(iter(_deploy(client).json["deployedProcessDefinitions"]))
    url = f"/engine-rest/process-definition/{pd_id}/start"
    bare = client.post(url, headers=PIA, json=start_body())
    assert bare.status_code == 422 and bare.json["type"] == "InvalidRequestException"
    assert "antragsteller_name" in bare.json["message"]
    too_many = client.post(url, headers=PIA, json=start_body(anzahl=11, **ANTRAG))
    assert too_many.status_code == 422 and "anzahl" in too_many.json["message"]
    unknown = client.post(url, headers=PIA, json=start_body(fremd="x", **ANTRAG))
    assert unknown.status_code == 422 and "fremd" in unknown.json["message"]
    assert zsa.cases() == []
    ok = client.post(url, headers=PIA, json=start_body(anzahl=3, **ANTRAG))
    assert ok.status_code == 200
    assert zsa.case(ok.json["id"])["data"]["antragsteller_name"] == "Erika Mustermann"


def test_a_suspended_version_refuses_starts(client, zsa):
    from zsa_flow.services import versions

    pd_id = next(iter(_deploy(client).json["deployedProcessDefinitions"]))
    versions.set_suspended(zsa, "antrag", 1, True, "pia")
    refused = client.post(f"/engine-rest/process-definition/{pd_id}/start", headers=PIA, json=start_body(**ANTRAG))
    assert refused.status_code == 409 and "ausgesetzt" in refused.json["message"]
    versions.set_suspended(zsa, "antrag", 1, False, "pia")
    assert client.post(f"/engine-rest/process-definition/{pd_id}/start", headers=PIA, json=start_body(**ANTRAG)).status_code == 200


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/engine-rest"
    httpd.shutdown()
    thread.join(5)


def _http(method, url, body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method, headers={**PIA, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_modeler_sequence_over_real_http(server, zsa):
    assert _http("GET", f"{server}/version")[0] == 200
    assert _http("GET", f"{server}/deployment?maxResults=0") == (200, [])
    body, ctype = antrag_request()
    status, deployed = _http("POST", f"{server}/deployment/create", body, {"Content-Type": ctype})
    assert status == 200, deployed
    pd_id = next(iter(deployed["deployedProcessDefinitions"]))
    assert deployed["deployedProcessDefinitions"][pd_id]["key"] == "antrag"
    status, instance = _http("POST", f"{server}/process-definition/{pd_id}/start",
                             json.dumps(start_body(**ANTRAG)).encode(), {"Content-Type": "application/json"})
    assert status == 200 and zsa.case(instance["id"])["state"] == "running"
    status, error = _http("GET", f"{server}/gibtsnicht")
    assert status == 404 and error["type"]


def test_basic_auth_is_throttled_like_the_login_form(client):
    wrong = basic("pia", "falsch-falsch-falsch")
    statuses = [client.get("/engine-rest/version", headers=wrong).status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429
    locked = client.get("/engine-rest/version", headers=PIA)  # even the right password waits now
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_readme_curl_sequence_deploys_hundehaltung_and_starts_with_the_example_variables(client, zsa):
    """README "Camunda Modeler": the same files and docs/examples/hundehaltung_start.json."""
    from pathlib import Path

    from modeler_support import modeler_body

    root = Path(__file__).resolve().parents[2]
    zsa.deploy([root / "processes", root / "forms"])  # what `make run` has deployed before
    body, ctype = modeler_body(
        "hundehaltung.bpmn", (root / "processes/hundehaltung/to-be/hundehaltung.bpmn").read_bytes(),
        [("hundehaltung_antrag.form", (root / "forms/hundehaltung/hundehaltung_antrag.form").read_bytes()),
         ("gefaehrliche_rassen.dmn", (root / "processes/hundehaltung/decisions/gefaehrliche_rassen.dmn").read_bytes())],
        name="hundehaltung", tenant_id=MD)
    deployed = client.post("/engine-rest/deployment/create", data=body, content_type=ctype, headers=PIA)
    assert deployed.status_code == 200, deployed.json
    url = "/engine-rest/process-definition/key/hundehaltung/start"
    only_kommune = client.post(url, headers=PIA, json=start_body(MD, "AZ-1"))
    assert only_kommune.status_code == 422 and "halter_nachname" in only_kommune.json["message"]
    example = json.loads((root / "docs/examples/hundehaltung_start.json").read_text(encoding="utf-8"))
    started = client.post(url, headers=PIA, json=example)
    assert started.status_code == 200, started.json
    case = zsa.case(started.json["id"])
    assert (case["process"], case["kommune"], case["state"]) == ("hundehaltung", MD, "running")
    assert case["data"]["hund_name"] == "Bello"
