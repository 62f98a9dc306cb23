"""Helpers for API tests: the dog registration library, the portal account and its token, a caseworker."""
from pathlib import Path

from case_data import ANMELDUNG  # noqa: F401  (re-exported for the API tests)
from webauth import add_user, make_app
from zsa_flow.services import tokens, users

ROOT = Path(__file__).resolve().parents[2]
MD = "15003000"
HAL = "15002000"
APPLICATION = {"name": "antrag_hundehaltung", "kommune": MD, "data": ANMELDUNG}


def deploy_dogs(zsa):
    zsa.deploy([str(ROOT / "processes" / "hundehaltung" / "to-be"), str(ROOT / "processes" / "hundehaltung" / "decisions"),
                str(ROOT / "forms" / "hundehaltung")])


def portal_setup(zsa, **config):
    """(app, portal token, caseworker token): dogs deployed, portal (intake+status) and anna (all scopes)."""
    deploy_dogs(zsa)
    users.add_account(zsa, "portal", "Online-Portal", ["schnittstelle"], kommunen=[MD, HAL])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], ["zsa-hundehaltung"], [MD])
    return make_app(zsa, **config), tokens.issue_token(zsa, "portal"), tokens.issue_token(zsa, "anna")


def bearer(token, **headers):
    return {"Authorization": f"Bearer {token}", **headers}
