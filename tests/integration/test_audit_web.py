"""Prüfung pages through the Flask test client: replay page, conformance report, export — scoped."""
import re
from pathlib import Path

import pytest

from bench.audit_replay import typical_wohngeld_case
from inbox_support import HALLE, MAGDEBURG, PASSWORD, login, seed_people
from zsa_flow.services import users
from zsa_flow.web import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(zsa):
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])
    seed_people(zsa)
    users.add_account(zsa, "otto", "Otto Owner", ["prozessverantwortung"], groups=[], kommunen=[MAGDEBURG],
                      password=PASSWORD)
    return create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def number(zsa, clock, app):
    return typical_wohngeld_case(zsa, clock, kommune=HALLE)


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_auditor_replays_a_case_from_its_page(app, number):
    client = _client(app, "paula")
    case_page = client.get(f"/vorgaenge/{number}").get_data(as_text=True)
    assert f'href="/pruefung/vorgaenge/{number}"' in case_page
    page = client.get(f"/pruefung/vorgaenge/{number}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Hash-Kette: intakt" in html and "Prüfpunkt: kein Prüfpunkt" in html
    assert "stimmt überein (replay consistent)" in html
    assert html.count('class="zsa-replay-stepitem') == 39
    assert "Wohngeld berechnen" in html and "253" in html  # the final data without JavaScript
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert 'type="range"' in html and "replay.js" in html

    state = client.get(f"/pruefung/vorgaenge/{number}/wiederholung.json").get_json()
    assert state["consistent"] and len(state["snapshots"]) == len(state["trail"]) == 39
    assert state["xml"].startswith("<?xml") and "Activity_Berechnen" in state["xml"]
    waiting = state["snapshots"][5]  # the first task was created
    assert waiting["active"] == ["Activity_Vollstaendigkeit_pruefen"]
    assert "StartEvent_Online" in waiting["visited"]


def test_only_auditors_and_process_owners_of_the_kommune(app, number):
    assert _client(app, "anna").get(f"/pruefung/vorgaenge/{number}").status_code == 403
    assert 'href="/pruefung/' not in _client(app, "anna").get(f"/vorgaenge/{number}").get_data(as_text=True)
    otto = _client(app, "otto")  # process owner, Magdeburg only: the Halle case does not exist for him
    assert otto.get(f"/pruefung/vorgaenge/{number}").status_code == 404
    assert otto.get(f"/pruefung/vorgaenge/{number}/wiederholung.json").status_code == 404
    assert otto.get("/pruefung/").status_code == 200
    assert "Ereignisprotokoll exportieren" not in otto.get("/pruefung/").get_data(as_text=True)
    assert otto.get("/pruefung/export?prozess=wohngeld").status_code == 403
    report = otto.get("/pruefung/konformitaet?prozess=wohngeld").get_data(as_text=True)
    assert "0 Vorgänge" in report  # Halle's case is outside his Kommunen


def test_conformance_page_and_export_download(app, number):
    client = _client(app, "paula")
    index = client.get("/pruefung/").get_data(as_text=True)
    assert "Konformitätsbericht" in index and "Ereignisprotokoll exportieren" in index
    report = client.get("/pruefung/konformitaet?prozess=wohngeld").get_data(as_text=True)
    assert "Varianten (1)" in report and "100,0 %" in report and "Nie durchlaufene Modellpfade" in report
    assert "Keine: alle 1 Vorgänge" in report

    xes = client.get(f"/pruefung/export?prozess=wohngeld&kommune={HALLE}&format=xes")
    assert xes.status_code == 200 and "attachment" in xes.headers["Content-Disposition"]
    assert xes.get_data().count(b"<trace>") == 1 and number.encode() in xes.get_data()
    csv_text = client.get("/pruefung/export?prozess=wohngeld&format=csv&von=2026-03-01&bis=2026-03-31").get_data(as_text=True)
    assert csv_text.startswith("case,process_id") and number in csv_text
    assert client.get(f"/pruefung/export?prozess=wohngeld&kommune={MAGDEBURG}").get_data().count(b"<trace>") == 0
    assert client.get("/pruefung/export?prozess=wohngeld&von=gestern").status_code == 422
    assert client.get("/pruefung/konformitaet").status_code == 422
