"""CSRF on state-changing requests, security headers, Bearer token API auth, escaping, no secrets in URLs."""
import pytest

from webauth import add_user, api_post, login, make_app, session_csrf
from zsa_flow.services import tokens, users

MD = "15003000"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


@pytest.fixture
def setup(zsa, test_library):
    zsa.deploy(test_library)
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD])
    number = zsa.start_case("antrag", MD, {"antragsteller_name": "A"})
    return make_app(zsa), zsa.tasks(case=number)[0]


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_security_headers_on_every_kind_of_response(setup):
    app, _task = setup
    client = app.test_client()
    login(client, "anna")
    for path in ("/login", "/api/v1/tasks", "/api/v1/cases/TEST-2026-999999", "/gibt-es-nicht",
                 "/static/zsa.css"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"] == CSP, path
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert client.get("/api/v1/tasks").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_or_style(setup):
    app, _task = setup
    client = app.test_client()
    login(client, "anna")
    for html in (client.get("/login").text, app.test_client().get("/login").text):
        assert "<script" not in html and "<style" not in html and " style=" not in html
        assert " on" + "click=" not in html


@pytest.mark.parametrize("token", [None, "", "falsch"])
def test_html_post_without_valid_csrf_token_is_refused(setup, token):
    app, _task = setup
    client = app.test_client()
    login(client, "anna")
    data = {} if token is None else {"csrf_token": token}
    response = client.post("/logout", data=data)
    assert response.status_code == 400
    assert "CSRF" in response.text
    assert client.get("/api/v1/tasks").status_code == 200  # still logged in: nothing changed


def test_login_form_needs_csrf_token(setup):
    app, _task = setup
    client = app.test_client()
    response = client.post("/login", data={"username": "anna", "password": "ein-langes-passwort-42"})
    assert response.status_code == 400
    assert client.get("/api/v1/tasks").status_code == 401


@pytest.mark.parametrize("header", [None, "falsch"])
def test_session_api_write_without_csrf_header_changes_nothing(zsa, setup, header):
    app, task = setup
    client = app.test_client()
    login(client, "anna")
    headers = {"X-CSRF-Token": header} if header else {}
    response = client.post(f"/api/v1/tasks/{task['id']}/claim", json={}, headers=headers)
    assert response.status_code == 400 and response.json["error"] == "csrf_failed"
    assert zsa.task(task["id"])["assignee"] is None
    assert api_post(client, f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    assert zsa.task(task["id"])["assignee"] == "anna"


def test_csrf_token_of_another_session_is_refused(zsa, setup):
    app, task = setup
    mallory, victim = app.test_client(), app.test_client()
    login(mallory, "anna")
    stolen = session_csrf(mallory)
    login(victim, "anna")
    response = victim.post(f"/api/v1/tasks/{task['id']}/claim", json={}, headers={"X-CSRF-Token": stolen})
    assert response.status_code == 400
    assert zsa.task(task["id"])["assignee"] is None


def test_api_without_authentication_is_401_json(setup):
    app, task = setup
    client = app.test_client()
    for response in (client.get("/api/v1/tasks"), client.get("/api/v1/processes"),
                     client.post(f"/api/v1/tasks/{task['id']}/claim", json={})):
        assert response.status_code == 401
        assert response.json["error"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_bearer_token_authenticates_machine_clients_without_csrf(zsa, setup):
    app, _task = setup
    token = tokens.issue_token(zsa, "portal")
    client = app.test_client()
    response = client.post("/api/v1/messages", headers=_bearer(token),
                           json={"name": "antrag_eingegangen", "kommune": MD, "data": {"antragsteller_name": "B"}})
    assert response.status_code == 201
    number = response.json["number"]
    assert zsa.events(number)[0]["actor"] == "portal"
    # the portal's token (scopes intake, status) follows the coarse status, and reads nothing else
    assert client.get(response.json["status_url"], headers=_bearer(token)).json["status"] == "in_bearbeitung"
    assert client.get(f"/api/v1/cases/{number}", headers=_bearer(token)).status_code == 403
    # the portal may start cases only for the Kommunen it serves
    foreign = client.post("/api/v1/messages", headers=_bearer(token),
                          json={"name": "antrag_eingegangen", "kommune": "15002000", "data": {}})
    assert foreign.status_code == 403


def test_actor_comes_from_authentication_not_from_the_body(zsa, setup):
    app, task = setup
    client = app.test_client()
    login(client, "anna")
    refused = api_post(client, f"/api/v1/tasks/{task['id']}/claim", {"user": "tom"})
    assert refused.status_code == 422 and refused.json["details"]["fields"] == {"user": "unbekanntes Feld"}
    assert zsa.task(task["id"])["assignee"] is None
    api_post(client, f"/api/v1/tasks/{task['id']}/claim", {})
    assert zsa.task(task["id"])["assignee"] == "anna"


def test_wrong_revoked_or_disabled_tokens_are_refused(zsa, setup):
    app, _task = setup
    client = app.test_client()
    token = tokens.issue_token(zsa, "portal", ["intake", "status", "read"])
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    assert client.get("/api/v1/cases", headers=_bearer(token[:-2] + "xx")).status_code == 401
    assert client.get("/api/v1/cases", headers={"Authorization": token}).status_code == 401
    users.set_active(zsa, "portal", False)
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401
    users.set_active(zsa, "portal", True)
    assert tokens.revoke_tokens(zsa, "portal") == 1
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401


def test_token_in_the_url_is_not_accepted(zsa, setup):
    app, _task = setup
    token = tokens.issue_token(zsa, "portal")
    client = app.test_client()
    for name in ("token", "access_token", "api_key"):
        assert client.get(f"/api/v1/cases?{name}={token}").status_code == 401


def test_script_in_display_name_is_escaped(zsa, setup):
    app, _task = setup
    add_user(zsa, "eve", ["zsa-sachbearbeitung"], ["zsa-team"], [MD], name='<script>alert("x")</script>')
    client = app.test_client()
    login(client, "eve")
    html = client.get("/login").text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def test_auditor_cannot_change_anything_even_with_valid_csrf(zsa, setup):
    app, task = setup
    add_user(zsa, "paula", ["pruefung"], [], [MD])
    client = app.test_client()
    login(client, "paula")
    assert client.get(f"/api/v1/tasks/{task['id']}").status_code == 200
    for path in (f"/api/v1/tasks/{task['id']}/claim", "/api/v1/cases", "/irgendwas"):
        response = api_post(client, path, {"process": "antrag", "kommune": MD})
        assert response.status_code == 403, path
    assert zsa.task(task["id"])["assignee"] is None
    assert len(zsa.cases()) == 1
    # logging out is allowed
    assert client.post("/logout", data={"csrf_token": session_csrf(client)}).status_code == 302
