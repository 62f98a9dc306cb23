"""Dynamic lists through the Flask test client, without script: "Eintrag hinzufügen" and "Eintrag
entfernen" post the form and it comes back with the entry added or removed and nothing typed lost."""
import json
import re
import shutil
from pathlib import Path

import pytest

from inbox_support import MAGDEBURG, login, seed_people
from zsa_flow.web import create_app

LIBRARY = Path(__file__).resolve().parent.parent / "fixtures" / "library"
START_FORM = Path(__file__).resolve().parent.parent / "fixtures" / "forms" / "hunde_liste.form"

DEFECTS = {"type": "dynamiclist", "id": "List_maengel", "path": "maengel", "label": "Mängel", "isRepeating": True,
           "allowAddRemove": True, "defaultRepetitions": 0,
           "components": [{"type": "textfield", "id": "Field_mangel", "key": "beschreibung", "label": "Beschreibung",
                           "validate": {"required": True}}]}


@pytest.fixture
def app(zsa, tmp_path):
    lib = tmp_path / "lib"
    shutil.copytree(LIBRARY, lib)
    shutil.copy(START_FORM, lib / "antrag_start.form")
    pruefen = json.loads((lib / "pruefen.form").read_text(encoding="utf-8"))
    pruefen["components"].append(DEFECTS)
    (lib / "pruefen.form").write_text(json.dumps(pruefen), encoding="utf-8")
    zsa.deploy([str(lib)])
    seed_people(zsa)
    return create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def anna(app):
    client = app.test_client()
    client.csrf = login(client, "anna")
    return client


def post(client, **fields):
    data = {"csrf_token": client.csrf, "_prozess": "antrag", "_kommune": MAGDEBURG, "antragsteller_name": "Erika"}
    data.update({name.replace("__", ".").replace("_zsa_items_", "_zsa_items."): value for name, value in fields.items()})
    return client.post("/vorgaenge/neu", data=data)


def entry_names(html):
    return re.findall(r'<input[^>]*name="(hunde\.\d+\.name)"[^>]*value="([^"]*)"', html)


def test_add_and_remove_without_script_keep_what_was_typed(anna, zsa):
    page = anna.get("/vorgaenge/neu?prozess=antrag").get_data(as_text=True)
    assert 'name="hunde.0.name"' in page and 'value="add:hunde"' in page and 'formnovalidate' in page

    added = post(anna, hunde__0__name="Bello", hunde__0__gefaehrlich="on", _zsa_items_hunde="1",
                 _zsa_list="add:hunde")
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and not zsa.cases()
    assert entry_names(html) == [("hunde.0.name", "Bello"), ("hunde.1.name", "")]
    assert re.search(r'name="hunde\.0\.gefaehrlich"[^>]*checked', html)
    assert 'value="Erika"' in html and "zsa-error-summary" not in html

    removed = post(anna, hunde__0__name="Bello", hunde__1__name="Rex", hunde__2__name="Luna", _zsa_items_hunde="3",
                   _zsa_list="remove:hunde.1")
    assert entry_names(removed.get_data(as_text=True)) == [("hunde.0.name", "Bello"), ("hunde.1.name", "Luna")]
    assert not zsa.cases()

    done = post(anna, hunde__0__name="Bello", hunde__0__gefaehrlich="on", hunde__1__name="Luna", _zsa_items_hunde="2")
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    number = done.headers["Location"].rsplit("/", 1)[1]
    assert zsa.case(number)["data"]["hunde"] == [{"name": "Bello", "gefaehrlich": True},
                                                 {"name": "Luna", "gefaehrlich": False}]


def test_a_missing_entry_field_is_named_in_the_summary(anna, zsa):
    response = post(anna, hunde__0__name="Bello", hunde__1__name="", _zsa_items_hunde="2")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and not zsa.cases()
    assert 'href="#zsa-hunde-1-name"' in html
    assert "Hunde, Eintrag 2: Name des Hundes – Pflichtfeld: bitte ausfüllen." in html


def test_a_task_form_keeps_list_entries_in_the_draft_and_adds_entries_without_script(anna, zsa):
    done = post(anna, hunde__0__name="Bello", _zsa_items_hunde="1")
    number = done.headers["Location"].rsplit("/", 1)[1]
    task = zsa.tasks(case=number)[0]
    url = f"/aufgaben/{task['id']}"
    assert anna.post(f"{url}/uebernehmen", data={"csrf_token": anna.csrf}).status_code == 302
    page = anna.get(url).get_data(as_text=True)
    assert 'value="add:maengel"' in page and 'name="maengel.0.beschreibung"' not in page  # no entry by default
    draft = {"csrf_token": anna.csrf, "_aktion": "speichern", "ergebnis": "unvollstaendig",
             "maengel.0.beschreibung": "Foto fehlt", "_zsa_items.maengel": "1"}
    assert anna.post(url, data=draft).status_code == 302
    page = anna.get(url).get_data(as_text=True)
    assert re.search(r'name="maengel\.0\.beschreibung"[^>]*value="Foto fehlt"', page)
    added = anna.post(url, data={**draft, "_aktion": "", "_zsa_list": "add:maengel"})
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and 'name="maengel.1.beschreibung"' in html and "Foto fehlt" in html
    assert zsa.tasks(case=number)[0]["state"] == "open"
    finished = anna.post(url, data={**draft, "_aktion": "abschliessen", "maengel.1.beschreibung": "Nachweis alt",
                                    "_zsa_items.maengel": "2"})
    assert finished.status_code == 302, finished.get_data(as_text=True)[:1500]
    assert zsa.case(number)["data"]["maengel"] == [{"beschreibung": "Foto fehlt"}, {"beschreibung": "Nachweis alt"}]


def test_the_case_page_shows_list_entries(anna, zsa):
    done = post(anna, hunde__0__name="Bello <b>", hunde__1__name="Luna", _zsa_items_hunde="2")
    page = anna.get(done.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Bello &lt;b&gt;" in html and "Luna" in html and "Bello <b>" not in html
    assert "Name des Hundes" in html and "Gefährlicher Hund" in html  # the entry fields' labels
