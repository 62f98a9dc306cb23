"""Errors in German: the browser gets a page in the site layout, the API keeps its JSON body."""
import pytest
from flask import abort

from zsa_flow.services import tokens, users
from zsa_flow.web import create_app


@pytest.fixture
def client(zsa, tmp_path):
    app = create_app({"PLATFORM": zsa, "SECRET_KEY": "x", "PROPAGATE_EXCEPTIONS": False},
                     instance_path=str(tmp_path))

    def broken():
        raise RuntimeError("kaputt")

    app.add_url_rule("/_kaputt", "broken", broken)
    app.add_url_rule("/api/v1/_kaputt", "api_broken", broken)
    app.add_url_rule("/_abgelehnt", "bad", lambda: abort(400))
    return app.test_client()


@pytest.mark.parametrize("method, path, status, title", [
    ("get", "/gibt-es-nicht", 404, "Nicht gefunden"),
    ("get", "/logout", 405, "Aktion nicht möglich"),
    ("get", "/_abgelehnt", 400, "Anfrage nicht möglich"),
    ("get", "/_kaputt", 500, "Interner Fehler"),
])
def test_browser_errors_are_german_pages_in_the_layout(client, method, path, status, title):
    response = getattr(client, method)(path)
    html = response.get_data(as_text=True)
    assert response.status_code == status and response.mimetype == "text/html"
    assert f"<h1>{title}</h1>" in html and '<html lang="de">' in html and 'class="site-header"' in html
    assert "Zur Anmeldung" in html  # nobody is logged in: the way back is the login
    assert "Not Found" not in html and "Method Not Allowed" not in html and "kaputt" not in html
    if status == 405:
        assert response.headers["Allow"]


@pytest.mark.parametrize("path, status, code", [
    ("/api/v1/gibt-es-nicht", 404, "not_found"),
    ("/api/v1/_kaputt", 500, "internal_error"),
])
def test_api_errors_stay_json(client, path, status, code):
    response = client.get(path)
    assert response.status_code == status and response.json["error"] == code and response.json["message"]


def test_api_wrong_method_is_json_with_allow_header(zsa, client):
    users.add_account(zsa, "portal", "Portal", ["schnittstelle"], kommunen=["15003000"])
    token = tokens.issue_token(zsa, "portal")
    response = client.delete("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
