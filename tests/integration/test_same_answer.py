"""The same forbidden action gets the same answer through the JSON API, the inbox pages and the CLI.

All three channels call services/actions.py; this drives each channel as its users do (API with a
session and X-CSRF-Token, HTML form posts, `zsa-flow` commands) and compares the outcome: the error
code (HTTP status or the CLI's exit status), the German message, and that nothing changed.
"""
import html
import json
import re

import pytest
from click.testing import CliRunner

from webauth import add_user, api_post, login, make_app, session_csrf
from zsa_flow.cli import main
from zsa_flow.services import tokens, users
from zsa_flow.services.scope import READ_ONLY

MD, HA = "15003000", "15002000"
PEOPLE = {  # username: (roles, groups, kommunen)
    "anna": (["zsa-sachbearbeitung"], ["zsa-team"], [MD]),
    "tom": (["zsa-teamleitung"], ["zsa-team"], [MD]),
    "hans": (["kommune"], ["ordnungsamt"], [HA]),
    "paula": (["pruefung"], [], [MD]),
}
DATA = {"ergebnis": "abgelehnt"}

# case: (actor, action, task ('pruefen' = zsa-team, 'entscheiden' = ordnungsamt), argument,
#        expected HTTP status, API error code, message)
FORBIDDEN = {
    "completing an unclaimed task": (
        "anna", "complete", "pruefen", DATA, 409, "conflict", "Bitte übernehmen Sie die Aufgabe zuerst"),
    "a clerk of another Kommune claiming": (
        "hans", "claim", "entscheiden", None, 404, "not_found", "Aufgabe nicht gefunden"),
    "an auditor completing": (
        "paula", "complete", "pruefen", DATA, 403, "forbidden", READ_ONLY),
    "a caseworker assigning": (
        "anna", "assign", "pruefen", "anna", 403, "forbidden", "Nur die Teamleitung kann Aufgaben zuweisen"),
    "assigning to someone ineligible": (
        "tom", "assign", "pruefen", "hans", 422, "validation_failed", "„hans“ kann diese Aufgabe nicht bearbeiten"),
    "completing another person's task": (
        "anna", "complete", "claimed", DATA, 409, "conflict", "Aufgabe 'Antrag prüfen' wird von tom bearbeitet"),
}


@pytest.fixture
def world(zsa, test_library):
    """Magdeburg cases at 'Antrag prüfen' (one free, one claimed by tom) and at 'Bescheid erlassen'."""
    zsa.deploy(test_library)
    for username, (roles, groups, kommunen) in PEOPLE.items():
        add_user(zsa, username, roles, groups, kommunen)
    pruefen = zsa.start_case("antrag", MD, {"antragsteller_name": "Frei"})
    claimed = zsa.start_case("antrag", MD, {"antragsteller_name": "Tom hat sie"})
    zsa.claim(zsa.tasks(case=claimed)[0]["id"], "tom")
    entscheiden = zsa.start_case("antrag", MD, {"antragsteller_name": "Entscheiden"})
    zsa.complete(zsa.tasks(case=entscheiden)[0]["id"], {"ergebnis": "vollstaendig", "anzahl": 1}, "x")
    return {name: zsa.tasks(case=number)[0] for name, number in
            (("pruefen", pruefen), ("claimed", claimed), ("entscheiden", entscheiden))}


@pytest.fixture
def cli(db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    return lambda *args: CliRunner().invoke(main, list(args))


def _snapshot(zsa, task):
    return zsa.task(task["id"]), zsa.events(task["case"])[-1]


def via_api(app, actor, action, task_id, argument):
    client = app.test_client()
    login(client, actor)
    body = {"complete": {"data": argument}, "assign": {"assignee": argument}}.get(action, {})
    response = api_post(client, f"/api/v1/tasks/{task_id}/{action}", body)
    return response.status_code, response.json["error"], response.json["message"]


def via_html(app, actor, action, task_id, argument):
    """(status, message shown): an error page, or the error flashed on the page redirected to."""
    client = app.test_client()
    login(client, actor)
    if action == "complete":
        url, form = f"/aufgaben/{task_id}", {"_aktion": "abschliessen", **argument}
    elif action == "assign":
        url, form = f"/aufgaben/{task_id}/zuweisen", {"bearbeitung": argument}
    else:
        url, form = f"/aufgaben/{task_id}/uebernehmen", {}
    response = client.post(url, data={"csrf_token": session_csrf(client), **form})
    page = response.text
    if response.status_code == 302:
        page = client.get(response.headers["Location"]).text
    shown = re.findall(r'<p class="flash flash-error"[^>]*>(.*?)</p>', page) or re.findall(
        r"<main.*?<h1>.*?</h1>\s*<p>(.*?)</p>", page, re.S)
    return response.status_code, html.unescape(shown[0]) if shown else None


def via_cli(cli, actor, action, task_id, argument):
    args = {"claim": ("claim", task_id), "complete": ("complete", task_id, "--data", json.dumps(argument or {})),
            "assign": ("assign", task_id, argument or "-")}[action]
    result = cli(*args, "--user", actor)
    return result.exit_code, result.stderr.splitlines()[0] if result.stderr else result.output


@pytest.mark.parametrize("case", list(FORBIDDEN))
def test_api_html_and_cli_give_the_same_answer(zsa, world, cli, case):
    actor, action, target, argument, status, code, message = FORBIDDEN[case]
    task, app = world[target], make_app(zsa)
    before = _snapshot(zsa, task)

    assert via_api(app, actor, action, task["id"], argument) == (status, code, message)
    html_status, shown = via_html(app, actor, action, task["id"], argument)
    # The inbox answers with an error page of the same status, or (for buttons that send the user back
    # to where they were) with a redirect carrying the same message.
    assert html_status in (status, 302) and shown == message, (html_status, shown)
    assert via_cli(cli, actor, action, task["id"], argument) == (1, f"Fehler: {message}")
    assert _snapshot(zsa, task) == before  # nothing changed, no event written


def test_a_disabled_account_is_refused_on_every_channel(zsa, world, cli):
    task, app = world["pruefen"], make_app(zsa)
    api, page = app.test_client(), app.test_client()
    login(api, "anna")
    login(page, "anna")
    token, csrf = tokens.issue_token(zsa, "anna"), session_csrf(page)
    users.set_active(zsa, "anna", False)
    before = _snapshot(zsa, task)

    assert api_post(api, f"/api/v1/tasks/{task['id']}/claim").status_code == 401
    bearer = api.post(f"/api/v1/tasks/{task['id']}/claim", headers={"Authorization": f"Bearer {token}"})
    assert bearer.status_code == 401 and bearer.json["error"] == "unauthorized"
    response = page.post(f"/aufgaben/{task['id']}/uebernehmen", data={"csrf_token": csrf})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    result = cli("claim", task["id"], "--user", "anna")
    assert (result.exit_code, result.stderr.strip()) == (1, "Fehler: Konto 'anna' ist deaktiviert")
    unknown = cli("claim", task["id"], "--user", "demo")
    assert (unknown.exit_code, unknown.stderr.strip()) == (1, "Fehler: Konto 'demo' gibt es nicht")
    assert _snapshot(zsa, task) == before
