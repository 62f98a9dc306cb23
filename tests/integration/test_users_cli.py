"""`zsa-flow users ...` and `zsa-flow demo seed` against a real database."""
import json

import pytest
from click.testing import CliRunner

from zsa_flow.cli import main
from zsa_flow.cli.users import DEMO_ACCOUNTS, DEMO_PASSWORD
from zsa_flow.services import tokens, users


@pytest.fixture
def run(zsa, db_url, monkeypatch):
    monkeypatch.setenv("ZSA_DATABASE_URL", db_url)
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(main, list(args), input=input)


def test_add_with_password_from_stdin_then_login(zsa, run):
    result = run("users", "add", "eva", "--name", "Eva Lang", "--role", "kommune", "--group", "ordnungsamt",
                 "--kommune", "15003000", "--password-stdin", input="sehr-geheimes-wort\n")
    assert result.exit_code == 0, result.output
    user = users.authenticate(zsa, "eva", "sehr-geheimes-wort", "127.0.0.1")
    assert user["roles"] == {"kommune"} and user["kommunen"] == ["15003000"] and user["groups"] == ["ordnungsamt"]


def test_password_prompt_needs_confirmation(zsa, run):
    result = run("users", "add", "eva", "--name", "Eva", "--role", "admin",
                 input="sehr-geheimes-wort\nsehr-geheimes-wort\n")
    assert result.exit_code == 0, result.output
    assert users.authenticate(zsa, "eva", "sehr-geheimes-wort", "127.0.0.1")["username"] == "eva"


def test_no_password_option_on_the_command_line(run):
    result = run("users", "add", "eva", "--name", "Eva", "--role", "admin", "--password", "x")
    assert result.exit_code == 2 and "No such option" in result.output


def test_invalid_accounts_are_refused_with_field_messages(zsa, run):
    clerk_two = run("users", "add", "eva", "--name", "Eva", "--role", "kommune", "--kommune", "15003000",
                    "--kommune", "15002000", "--password-stdin", input="sehr-geheimes-wort\n")
    assert clerk_two.exit_code == 1 and "genau einer Kommune" in clerk_two.output
    short = run("users", "add", "eva", "--name", "Eva", "--role", "admin", "--password-stdin", input="kurz\n")
    assert short.exit_code == 1 and "mindestens 12 Zeichen" in short.output
    unknown = run("users", "add", "eva", "--name", "Eva", "--role", "kommune", "--kommune", "99999999",
                  "--password-stdin", input="sehr-geheimes-wort\n")
    assert unknown.exit_code == 1 and "99999999" in unknown.output
    assert users.list_accounts(zsa) == []


def test_list_disable_and_token(zsa, run):
    run("users", "add", "portal", "--name", "Portal", "--role", "schnittstelle", "--kommune", "15003000",
        "--no-password")
    listed = json.loads(run("users", "list", "--json").output)
    assert listed[0]["username"] == "portal" and listed[0]["password"] is False and "password_hash" not in listed[0]
    token = run("users", "token", "portal").stdout.strip()
    assert token.startswith("zsa_") and tokens.user_for_token(zsa, token)["username"] == "portal"
    assert run("users", "disable", "portal").exit_code == 0
    assert tokens.user_for_token(zsa, token) is None
    assert "[deaktiviert]" in run("users", "list").output


def test_demo_seed_creates_every_role_and_is_repeatable(zsa, run):
    assert run("demo", "seed").exit_code == 0
    users.set_password(zsa, "anna", "veraendertes-passwort")
    assert run("demo", "seed").exit_code == 0  # resets demo accounts
    accounts = {a["username"]: a for a in users.list_accounts(zsa)}
    assert set(accounts) == {spec[0] for spec in DEMO_ACCOUNTS}
    assert all(a["demo"] for a in accounts.values())
    roles = set().union(*(a["roles"] for a in accounts.values()))
    assert roles == set(users.ROLES)
    assert accounts["mia"]["kommunen"] == ["15003000"] and accounts["hans"]["kommunen"] == ["15002000"]
    assert "zsa-team" in accounts["anna"]["groups"]
    assert users.authenticate(zsa, "anna", DEMO_PASSWORD, "127.0.0.1")["name"] == "Anna Schulz"
    assert accounts["portal"]["password"] is False


def test_demo_seed_leaves_real_accounts_alone(zsa, run):
    users.add_account(zsa, "anna", "Echte Anna", ["admin"], password="echtes-passwort-1")
    result = run("demo", "seed")
    assert "kein Demo-Konto" in result.output
    assert users.authenticate(zsa, "anna", "echtes-passwort-1", "127.0.0.1")["name"] == "Echte Anna"


def test_no_accounts_without_demo_seed(zsa):
    assert users.list_accounts(zsa) == []


def test_the_token_command_runs_in_a_fresh_interpreter(tmp_path):
    """`zsa-flow users token portal` imports services.tokens before services.users: no import cycle."""
    import subprocess
    import sys

    for first in ("zsa_flow.services.tokens", "zsa_flow.services.users"):
        done = subprocess.run([sys.executable, "-c", f"import {first}"], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
