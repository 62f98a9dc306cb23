"""Accounts and login helpers shared by the inbox web tests and the browser tests."""
import re

from zsa_flow.services import users

MAGDEBURG, HALLE = "15003000", "15002000"
PASSWORD = "Testpasswort-2026!"
PEOPLE = {
    # username: (name, roles, groups, kommunen)
    "anna": ("Anna Sachbearbeiterin", ["zsa-sachbearbeitung"], ["zsa-team", "zsa-hundehaltung"], [MAGDEBURG, HALLE]),
    "tom": ("Tom Teamleiter", ["zsa-teamleitung"], ["zsa-team"], [MAGDEBURG, HALLE]),
    "mia": ("Mia Magdeburg", ["kommune"], ["ordnungsamt", "steueramt"], [MAGDEBURG]),
    "hal": ("Hal Halle", ["kommune"], ["ordnungsamt", "steueramt"], [HALLE]),
    "paula": ("Paula Prüferin", ["pruefung"], [], [MAGDEBURG, HALLE]),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def seed_people(platform):
    """Create the test accounts (all with PASSWORD)."""
    for username, (name, roles, groups, kommunen) in PEOPLE.items():
        users.add_account(platform, username, name, roles, groups=groups, kommunen=kommunen, password=PASSWORD)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page carries no CSRF token"
    return match.group(1)


def login(client, username):
    """Log the test client in; return the CSRF token of the new session."""
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": csrf_of(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return csrf_of(client.get("/aufgaben").get_data(as_text=True))
