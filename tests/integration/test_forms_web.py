"""The library's forms through the Flask test client: every problem at once, fields a submission
shows without script, who a task is assigned to and whom it can go to."""
import re
from pathlib import Path

import pytest

from inbox_support import MAGDEBURG, login, seed_people
from zsa_flow.services import users
from zsa_flow.web import create_app

ROOT = Path(__file__).resolve().parents[2]
APPLICATION = {
    "halter_vorname": "Erika", "halter_nachname": "Mustermann", "halter_geburtsdatum": "1980-05-01",
    "halter_strasse": "Breiter Weg 1", "halter_plz": "39104", "halter_ort": "Magdeburg", "hund_name": "Bello",
    "geschlecht": "ruede", "rasse": "Labrador", "geburtsdatum_hund": "2024-01-01", "anschaffungsdatum": "2026-02-01",
    "transponder_nr": "276098123456789", "anzahl_hunde_bereits": "0", "versicherer": "V AG",
    "versicherungsnummer": "1", "versicherung_personen_sach": "1000000", "versicherung_vermoegen": "50000",
    "befreiung": "keine", "erklaerung": "on",
}


@pytest.fixture
def app(zsa):
    zsa.deploy([str(ROOT / "processes"), str(ROOT / "forms")])
    seed_people(zsa)
    return create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "test"})


def _client(app, username):
    client = app.test_client()
    client.csrf = login(client, username)
    return client


def _new_case(client, **fields):
    data = {"csrf_token": client.csrf, "_prozess": "hundehaltung", "_kommune": MAGDEBURG, **fields}
    return client.post("/vorgaenge/neu", data=data)


def test_an_empty_new_case_form_names_every_problem_at_once(app, zsa):
    anna = _client(app, "anna")
    response = _new_case(anna, _kommune="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not zsa.cases()
    summary = re.search(r'<div class="zsa-error-summary".*?</div>', html, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets[0] == "zsa-kommune"
    assert {"zsa-halter_nachname", "zsa-hund_name", "zsa-transponder_nr", "zsa-erklaerung"} <= set(targets)
    assert html.index("zsa-error-summary") < html.index('id="zsa-kommune"')  # at the top of the page


def test_a_wrong_date_and_postcode_are_named_with_the_kommune_missing(app, zsa):
    anna = _client(app, "anna")
    html = _new_case(anna, _kommune="", **{**APPLICATION, "geburtsdatum_hund": "2999-01-01",
                                           "halter_plz": "3910"}).get_data(as_text=True)
    assert "Das Geburtsdatum des Hundes darf nicht in der Zukunft liegen." in html
    assert "Bitte die Postleitzahl mit 5 Ziffern angeben" in html
    assert 'href="#zsa-kommune"' in html


def test_a_submission_without_script_that_shows_a_field_is_drawn_again(app, zsa):
    anna = _client(app, "anna")
    page = anna.get("/vorgaenge/neu?prozess=hundehaltung").get_data(as_text=True)
    assert 'name="_zsa_shown" value=""' in page
    response = _new_case(anna, **{**APPLICATION, "befreiung": "wachhund_aussenbereich", "_zsa_shown": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not zsa.cases()
    assert re.search(r'<input[^>]*name="befreiung_nachweis"', html)
    assert not re.search(r'<input[^>]*name="befreiung_nachweis"[^>]*disabled', html)
    assert 'value="Mustermann"' in html
    done = _new_case(anna, **{**APPLICATION, "befreiung": "wachhund_aussenbereich", "_zsa_shown": "befreiung_nachweis",
                              "befreiung_nachweis": "Lageplan"})
    assert done.status_code == 302
    number = done.headers["Location"].rsplit("/", 1)[1]
    assert zsa.case(number)["data"]["befreiung_nachweis"] == "Lageplan"


def test_task_header_names_the_person_and_assignment_offers_eligible_people(app, zsa):
    number = _new_case(_client(app, "anna"), **APPLICATION).headers["Location"].rsplit("/", 1)[1]
    users.add_account(zsa, "gone", "Gerd Gegangen", ["zsa-sachbearbeitung"], groups=["zsa-hundehaltung"],
                      kommunen=[MAGDEBURG], password="Testpasswort-2026!")
    users.set_active(zsa, "gone", False)
    task = zsa.tasks(case=number)[0]
    tom = _client(app, "tom")
    html = tom.get(f"/aufgaben/{task['id']}").get_data(as_text=True)
    select = re.search(r'<select id="bearbeitung".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option value="([^"]*)"', select)
    assert offered == ["", "anna", "tom"]  # not Mia (other groups), Hal (Halle), Paula (auditor), Gerd (disabled)
    assert "offen, noch nicht übernommen" in html
    tom.post(f"/aufgaben/{task['id']}/zuweisen", data={"csrf_token": tom.csrf, "bearbeitung": "anna"})
    html = tom.get(f"/aufgaben/{task['id']}").get_data(as_text=True)
    assert "in Bearbeitung von Anna Sachbearbeiterin" in html
    assert re.search(r'<option value="anna" selected>Anna Sachbearbeiterin \(anna\)</option>', html)
