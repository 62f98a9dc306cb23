"""Helpers for web tests (an AuthActions-style module): app, accounts, login, CSRF tokens."""
import re

from zsa_flow.services import users
from zsa_flow.web import create_app

PASSWORD = "ein-langes-passwort-42"


def make_app(zsa, **config):
    return create_app({"TESTING": True, "PLATFORM": zsa, "SECRET_KEY": "test", **config})


def add_user(zsa, username, roles, groups=(), kommunen=(), name=None, password=PASSWORD):
    users.add_account(zsa, username, name or username.title(), roles, groups=groups, kommunen=kommunen,
                      password=password)


def form_csrf(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client, username, password=PASSWORD, next_url=None, ip="10.0.0.1"):
    """Log in through the form, as a browser does; returns the POST response."""
    page = client.get("/login", environ_base={"REMOTE_ADDR": ip})
    data = {"username": username, "password": password, "csrf_token": form_csrf(page.text)}
    if next_url:
        data["next"] = next_url
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip})


def session_csrf(client) -> str:
    with client.session_transaction() as session:
        return session["csrf"]


def api_post(client, path, json=None, csrf=True):
    """A session-authenticated API write (with the X-CSRF-Token header unless csrf=False)."""
    headers = {"X-CSRF-Token": session_csrf(client)} if csrf else {}
    return client.post(path, json=json or {}, headers=headers)
