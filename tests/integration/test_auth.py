"""Login, logout, throttling, disabled accounts, session lifetime and cookie flags, decorators."""
from datetime import timedelta

import pytest
from flask import g
from sqlalchemy import select

from webauth import PASSWORD, add_user, form_csrf, login, make_app, session_csrf
from zsa_flow.services import users
from zsa_flow.storage.tables import account
from zsa_flow.web.auth import login_required, role_required


@pytest.fixture
def app(zsa):
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], ["15003000"], name="Anna Schulz")
    app = make_app(zsa)

    @app.get("/probe")
    @login_required
    def probe():
        return f"hallo {g.user['username']}"

    @app.get("/nur-admin")
    @role_required("admin")
    def admin_only():
        return "geheim"

    return app


@pytest.fixture
def client(app):
    return app.test_client()


def _logged_in_as(client):
    response = client.get("/probe")
    return response.text.removeprefix("hallo ") if response.status_code == 200 else None


def test_password_is_stored_as_argon2id(zsa, app):
    with zsa.uow(readonly=True) as uow:
        stored = uow.execute(select(account.c.password_hash).where(account.c.username == "anna")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_ok_starts_a_session_and_redirects(client):
    response = login(client, "anna", next_url="/probe")
    assert response.status_code == 302 and response.headers["Location"] == "/probe"
    assert _logged_in_as(client) == "anna"
    assert "Anna Schulz" in client.get("/login").text


def test_login_ignores_foreign_next_urls(client):
    for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = login(client, "anna", next_url=evil)
        assert "evil" not in response.headers["Location"]


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    wrong = login(client, "anna", "falsches-passwort-1")
    unknown = login(client, "niemand", "falsches-passwort-1")
    assert wrong.status_code == unknown.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in wrong.text
    assert "Benutzername oder Passwort ist falsch." in unknown.text
    assert _logged_in_as(client) is None


def test_five_failures_lock_the_login_for_fifteen_minutes(client, clock):
    for _ in range(5):
        assert login(client, "anna", "falsches-passwort-1").status_code == 401
    locked = login(client, "anna")  # even the right password is refused while locked
    assert locked.status_code == 429 and "Zu viele Fehlversuche" in locked.text
    assert _logged_in_as(client) is None
    assert login(client, "anna", ip="10.0.0.2").status_code == 302  # another address is not locked
    client.post("/logout", data={"csrf_token": session_csrf(client)})
    clock.advance(timedelta(minutes=14))
    assert login(client, "anna").status_code == 429
    clock.advance(timedelta(minutes=2))
    assert login(client, "anna").status_code == 302


def test_unknown_usernames_are_throttled_too(client):
    for _ in range(5):
        login(client, "niemand", "falsches-passwort-1")
    assert login(client, "niemand", "falsches-passwort-1").status_code == 429


def test_success_resets_the_failure_count(client):
    for _ in range(4):
        login(client, "anna", "falsches-passwort-1")
    assert login(client, "anna").status_code == 302
    client.post("/logout", data={"csrf_token": session_csrf(client)})
    for _ in range(4):
        login(client, "anna", "falsches-passwort-1")
    assert login(client, "anna").status_code == 302


def test_disabled_account_cannot_log_in_and_its_session_ends(zsa, client):
    login(client, "anna")
    assert _logged_in_as(client) == "anna"
    users.set_active(zsa, "anna", False)
    assert _logged_in_as(client) is None
    response = login(client, "anna")
    assert response.status_code == 401 and "deaktiviert" in response.text


def test_password_change_ends_other_sessions(zsa, app):
    first, second = app.test_client(), app.test_client()
    login(first, "anna")
    users.set_password(zsa, "anna", "ganz-neues-passwort-7")
    assert _logged_in_as(first) is None
    assert login(second, "anna").status_code == 401
    assert login(second, "anna", "ganz-neues-passwort-7").status_code == 302


def test_logout_ends_the_session(client):
    login(client, "anna")
    response = client.post("/logout", data={"csrf_token": session_csrf(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert _logged_in_as(client) is None
    assert client.get("/api/v1/tasks").status_code == 401


def test_logout_is_post_only(client):
    login(client, "anna")
    assert client.get("/logout").status_code == 405
    assert _logged_in_as(client) == "anna"


def test_login_rotates_the_session_and_csrf_token(client):
    page = client.get("/login")
    before_token = form_csrf(page.text)
    before_cookie = client.get_cookie("session").value
    login(client, "anna")
    assert session_csrf(client) != before_token
    assert client.get_cookie("session").value != before_cookie


def test_idle_session_expires(client, clock):
    login(client, "anna")
    clock.advance(timedelta(minutes=29))
    assert _logged_in_as(client) == "anna"  # activity refreshes the idle timer
    clock.advance(timedelta(minutes=29))
    assert _logged_in_as(client) == "anna"
    clock.advance(timedelta(minutes=31))
    assert _logged_in_as(client) is None
    assert "Sitzung ist abgelaufen" in client.get("/login").text


def test_session_ends_after_a_working_day_even_when_active(client, clock):
    login(client, "anna")
    for _ in range(12):
        clock.advance(timedelta(minutes=25))
        assert _logged_in_as(client) == "anna"
    for _ in range(20):
        clock.advance(timedelta(minutes=25))
        if _logged_in_as(client) is None:
            break
    else:
        pytest.fail("session outlived the 12 hour limit")


def test_login_required_redirects_to_login_with_next(client):
    response = client.get("/probe?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/probe?x%3D1"


def test_role_required_refuses_other_roles(client):
    login(client, "anna")
    response = client.get("/nur-admin")
    assert response.status_code == 403 and "Keine Berechtigung" in response.text


def test_session_cookie_flags(zsa):
    production = make_app(zsa, TESTING=False)
    for base_url in ("https://zsa.example", "http://zsa.example", "https://localhost"):
        cookie = production.test_client().get("/login", base_url=base_url).headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie, base_url
    # plain HTTP on the loopback interface (make run) must still work in the browser
    local = production.test_client().get("/login", base_url="http://127.0.0.1:5000").headers["Set-Cookie"]
    assert "HttpOnly" in local and "Secure" not in local
    testing = make_app(zsa).test_client().get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in testing and "SameSite=Lax" in testing and "Secure" not in testing


def test_password_in_query_string_does_not_log_in(client):
    response = client.get(f"/login?username=anna&password={PASSWORD}")
    assert response.status_code == 200
    assert _logged_in_as(client) is None
    assert 'method="post"' in response.text
