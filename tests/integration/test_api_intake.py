"""Intake API for the online portal: validated starts on every path, Idempotency-Key (also racing on
two platforms), access code and coarse status, follow-up messages (issue 13.4, 14.1)."""
import threading

import pytest
from click.testing import CliRunner

from api_support import APPLICATION, MD, ROOT, ANMELDUNG, bearer, deploy_dogs, portal_setup
from webauth import make_app
from zsa_flow.cli import main
from zsa_flow.services import actions, tokens, users
from zsa_flow.services.platform import Platform
from zsa_flow.web import api_intake


@pytest.fixture
def portal(zsa):
    app, portal_token, anna_token = portal_setup(zsa)
    return app.test_client(), portal_token, anna_token


def test_portal_message_start_with_unknown_keys_and_wrong_types_creates_no_case(zsa, portal):
    client, token, _ = portal
    data = {**ANMELDUNG, "anzahl_hunde_bereits": "viele", "lieblingsfarbe": "blau"}
    response = client.post("/api/v1/messages", headers=bearer(token), json={**APPLICATION, "data": data})
    assert response.status_code == 422
    fields = response.json["details"]["fields"]
    assert set(fields) == {"anzahl_hunde_bereits", "lieblingsfarbe"}
    assert zsa.cases() == []


def test_start_case_with_empty_data_is_refused_with_field_errors_not_an_incident(zsa, portal):
    client, _, anna = portal
    response = client.post("/api/v1/cases", headers=bearer(anna), json={"process": "hundehaltung", "kommune": MD,
                                                                        "data": {}})
    assert response.status_code == 422
    assert {"halter_vorname", "hund_name", "transponder_nr"} <= set(response.json["details"]["fields"])
    assert zsa.cases() == []


def test_cli_start_and_message_validate_against_the_start_form(zsa, db_url, tmp_path):
    deploy_dogs(zsa)
    runner = CliRunner()
    env = {"ZSA_DATABASE_URL": db_url}
    started = runner.invoke(main, ["start", "hundehaltung", "--kommune", MD, "--data", "{}", "--user", "system"], env=env)
    assert started.exit_code != 0 and "halter_vorname" in started.output
    message = runner.invoke(main, ["message", "-", "antrag_hundehaltung", "--kommune", MD, "--user", "system",
                                   "--data", '{"anzahl_hunde_bereits": "viele"}'], env=env)
    assert message.exit_code != 0 and "anzahl_hunde_bereits" in message.output
    assert zsa.cases() == []
    with pytest.raises(Exception) as refused:
        actions.start_by_message(zsa, "system", "antrag_hundehaltung", MD, {"anzahl_hunde_bereits": "viele"})
    assert refused.value.status == 422


def test_valid_application_answers_case_number_status_link_and_access_code(zsa, portal):
    client, token, _ = portal
    response = client.post("/api/v1/messages", headers=bearer(token, **{"Idempotency-Key": "antrag-1"}),
                           json=APPLICATION)
    assert response.status_code == 201
    answer = response.json
    assert answer["number"].startswith("HUND-") and answer["status_url"] == f"/api/v1/status/{answer['number']}"
    assert "data" not in answer and "halter_nachname" not in response.text  # the intake-only token reads no data
    # anybody with the access code reads the coarse status, without personal data
    status = client.get(answer["status_url"], headers={"X-Access-Code": answer["access_code"]})
    assert status.status_code == 200 and status.json["status"] == "in_bearbeitung"
    assert set(status.json) == {"number", "status", "label", "received_at", "updated_at"}
    assert client.get(f"{answer['status_url']}?code={answer['access_code']}").status_code == 200
    assert client.get(answer["status_url"], headers={"X-Access-Code": "falsch"}).status_code == 404
    assert client.get(answer["status_url"]).status_code == 404


def test_same_idempotency_key_and_body_returns_the_same_case_different_body_is_409(zsa, portal):
    client, token, _ = portal
    headers = bearer(token, **{"Idempotency-Key": "c0ffee-42"})
    first = client.post("/api/v1/messages", headers=headers, json=APPLICATION)
    again = client.post("/api/v1/messages", headers=headers, json=APPLICATION)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["number"] == first.json["number"] and again.json["access_code"] == first.json["access_code"]
    other = client.post("/api/v1/messages", headers=headers, json={**APPLICATION, "data": {**ANMELDUNG, "hund_name": "Rex"}})
    assert other.status_code == 409 and other.json["error"] == "idempotency_conflict"
    assert len(zsa.cases()) == 1
    # the same for POST /cases, and a key is per account: a key of the portal does not bind anna
    case_headers = bearer(token, **{"Idempotency-Key": "papier-7"})
    body = {"process": "hundehaltung", "kommune": MD, "data": ANMELDUNG}
    assert client.post("/api/v1/cases", headers=case_headers, json=body).status_code == 201
    assert client.post("/api/v1/cases", headers=case_headers, json=body).status_code == 200
    assert len(zsa.cases()) == 2
    bad_key = client.post("/api/v1/cases", headers=bearer(token, **{"Idempotency-Key": "ä" * 3}), json=body)
    assert bad_key.status_code == 422


def test_racing_duplicates_on_two_app_servers_start_one_case(zsa, db_url, clock):
    """Two Platforms (as two app servers would hold) and 8 threads send the same keyed application."""
    deploy_dogs(zsa)
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD])
    token = tokens.issue_token(zsa, "portal")
    servers = [make_app(Platform.connect(db_url, clock=clock)) for _ in range(2)]
    barrier, results = threading.Barrier(8), []

    def send(i):
        client = servers[i % 2].test_client()
        barrier.wait()
        response = client.post("/api/v1/messages", headers=bearer(token, **{"Idempotency-Key": "race-1"}),
                               json=APPLICATION)
        results.append((response.status_code, response.json.get("number")))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for app in servers:
        app.extensions["zsa"].engine.dispose()
    assert sorted(code for code, _ in results) == [200] * 7 + [201], results
    assert len({number for _, number in results}) == 1 and len(zsa.cases()) == 1


def test_follow_up_messages_are_idempotent_and_only_for_own_cases(zsa, portal):
    client, token, anna = portal
    started = client.post("/api/v1/messages", headers=bearer(token), json=APPLICATION).json
    number = started["number"]
    before = len(zsa.events(number))
    headers = bearer(token, **{"Idempotency-Key": "nachricht-1"})
    message = {"name": "gibt_es_nicht", "data": {}}
    # an unknown message changes nothing, and its key is not used up
    assert client.post(f"/api/v1/cases/{number}/messages", headers=headers, json=message).status_code >= 400
    assert len(zsa.events(number)) == before
    # a case the portal did not start is invisible to its intake-only token
    other = zsa.start_case("hundehaltung", MD, ANMELDUNG)
    assert client.post(f"/api/v1/cases/{other}/messages", headers=headers, json=message).status_code == 404
    assert client.get(f"/api/v1/status/{other}", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/status/{number}", headers=bearer(token)).status_code == 200


def test_follow_up_message_with_key_is_delivered_once(zsa, test_library):
    zsa.deploy(test_library)
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD])
    token = tokens.issue_token(zsa, "portal")
    client = make_app(zsa).test_client()
    number = client.post("/api/v1/messages", headers=bearer(token),
                         json={"name": "antrag_eingegangen", "kommune": MD, "data": {"antragsteller_name": "B"}}).json["number"]
    zsa.complete(zsa.tasks(case=number)[0]["id"], {"ergebnis": "unvollstaendig"}, "anna")  # now waits for documents
    headers = bearer(token, **{"Idempotency-Key": "unterlagen-1"})
    body = {"name": "unterlagen_eingegangen", "data": {}}
    first = client.post(f"/api/v1/cases/{number}/messages", headers=headers, json=body)
    assert first.status_code == 200 and first.json["status"] == "in_bearbeitung" and "data" not in first.json
    delivered = len(zsa.events(number))
    again = client.post(f"/api/v1/cases/{number}/messages", headers=headers, json=body)
    assert again.status_code == 200 and len(zsa.events(number)) == delivered
    assert [t["task_def"] for t in zsa.tasks(case=number)] == ["Pruefen"]
    other = client.post(f"/api/v1/cases/{number}/messages", headers=headers, json={**body, "data": {"x": 1}})
    assert other.status_code == 409


def test_status_is_rate_limited(zsa, portal, monkeypatch):
    client, token, _ = portal
    monkeypatch.setattr(api_intake, "_status_window", api_intake._Window(3))
    answers = [client.get("/api/v1/status/HUND-2026-000001", headers={"X-Access-Code": "x"}).status_code
               for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    limited = client.get("/api/v1/status/HUND-2026-000001")
    assert limited.json["error"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1


def test_web_start_form_validates_before_a_case_exists(zsa):
    deploy_dogs(zsa)
    with pytest.raises(Exception) as refused:
        actions.start_case(zsa, "system", "hundehaltung", MD, {"halter_vorname": "Anna"}, from_html=True)
    assert refused.value.status == 422 and "hund_name" in refused.value.details["fields"]
    assert zsa.cases() == []
    assert (ROOT / "forms" / "hundehaltung" / "hundehaltung_antrag.form").exists()
