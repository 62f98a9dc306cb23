"""Issue 13.5/13.6: sessions end server-side (logout, password change, deactivation, timeouts), HSTS
over TLS, and atomic login throttling (30 parallel wrong passwords → at most 5 password checks)."""
import threading
from datetime import timedelta

import pytest

from webauth import PASSWORD, add_user, login, make_app
from zsa_flow.services import users

MD = "15003000"


@pytest.fixture
def app(zsa):
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-team"], [MD])
    return make_app(zsa)


def _logged_in_with_copy(app):
    """A logged-in browser and a second client holding a copy of its session cookie."""
    browser = app.test_client()
    assert login(browser, "anna").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    assert thief.get("/api/v1/tasks").status_code == 200
    return browser, thief


def test_a_copied_cookie_stops_working_after_logout(app):
    browser, thief = _logged_in_with_copy(app)
    with browser.session_transaction() as session:
        csrf = session["csrf"]
    assert browser.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert thief.get("/api/v1/tasks").status_code == 401
    assert browser.get("/api/v1/tasks").status_code == 401


@pytest.mark.parametrize("change", ["password", "deactivate"])
def test_password_change_and_deactivation_end_sessions(zsa, app, change):
    _browser, thief = _logged_in_with_copy(app)
    if change == "password":
        users.set_password(zsa, "anna", "ein-neues-langes-passwort")
    else:
        users.set_active(zsa, "anna", False)
    assert thief.get("/api/v1/tasks").status_code == 401


def test_idle_and_absolute_timeouts(app, clock):
    browser = app.test_client()
    login(browser, "anna")
    clock.advance(timedelta(minutes=31))
    assert browser.get("/api/v1/tasks").status_code == 401  # idle 30 minutes
    login(browser, "anna")
    for _ in range(38):  # active every 20 minutes: never idle, but after 12 hours the session ends
        clock.advance(timedelta(minutes=20))
        browser.get("/api/v1/tasks")
    assert browser.get("/api/v1/tasks").status_code == 401


def test_hsts_only_over_tls_also_behind_a_proxy(zsa, monkeypatch):
    plain = make_app(zsa).test_client()
    assert "Strict-Transport-Security" not in plain.get("/login").headers
    tls = plain.get("/login", base_url="https://zsa.example")
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    monkeypatch.setenv("ZSA_PROXY_HOPS", "1")
    proxied = make_app(zsa).test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in proxied.headers["Strict-Transport-Security"]


def test_thirty_parallel_wrong_passwords_reach_at_most_five_password_checks(zsa, app):
    before = users.password_checks.value
    barrier, outcomes = threading.Barrier(30), []

    def guess(i):
        barrier.wait()
        try:
            users.authenticate(zsa, "anna", f"falsch-{i}-xxxxxxxx", "10.9.9.9")
        except (users.LoginFailed, users.LoginThrottled) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checks = users.password_checks.value - before
    assert len(outcomes) == 30
    assert checks <= 5 and outcomes.count("LoginFailed") == checks, (checks, outcomes)
    with pytest.raises(users.LoginThrottled):  # even the right password waits now
        users.authenticate(zsa, "anna", PASSWORD, "10.9.9.9")


def test_a_correct_login_resets_the_count(zsa, app):
    for i in range(4):
        with pytest.raises(users.LoginFailed):
            users.authenticate(zsa, "anna", f"falsch-{i}-xxxxxxxx", "10.1.1.1")
    assert users.authenticate(zsa, "anna", PASSWORD, "10.1.1.1")["username"] == "anna"
    for i in range(4):
        with pytest.raises(users.LoginFailed):
            users.authenticate(zsa, "anna", f"falsch-{i}-xxxxxxxx", "10.1.1.1")
