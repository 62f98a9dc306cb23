"""Dynamic lists in the browser: entries added and removed by the page's script without a round trip,
renumbered, with conditions in the entry's scope, no axe violations, stored as a list of objects."""
import json
import re
import shutil
from pathlib import Path

import pytest

from inbox_support import MAGDEBURG
from page_support import axe_violations, needs_chromium, new_page, shot, start_server

pytestmark = needs_chromium
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def start_form():
    return FIXTURES / "forms" / "hunde_liste.form"


@pytest.fixture
def server(zsa, tmp_path, start_form):
    lib = tmp_path / "lib"
    shutil.copytree(FIXTURES / "library", lib)
    start = json.loads(start_form.read_text(encoding="utf-8"))
    (lib / "antrag_start.form").write_text(json.dumps({**start, "id": "antrag_start"}), encoding="utf-8")
    pruefen = json.loads((lib / "pruefen.form").read_text(encoding="utf-8"))
    pruefen["components"].insert(0, {"type": "table", "id": "Table_hunde", "label": "Gemeldete Hunde",
                                      "dataSource": "=hunde", "rowCount": 1,
                                      "columns": [{"label": "Name", "key": "name"},
                                                  {"label": "Gefährlich", "key": "gefaehrlich"}]})
    (lib / "pruefen.form").write_text(json.dumps(pruefen), encoding="utf-8")
    url, stop = start_server(zsa, [lib])
    yield url
    stop()


def test_entries_are_added_and_removed_without_a_round_trip(server, browser, zsa):
    page = new_page(browser, server, "anna", axe=True)
    page.goto("/vorgaenge/neu?prozess=antrag")
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request.url))
    page.select_option("#zsa-kommune", MAGDEBURG)
    page.fill('[name="antragsteller_name"]', "Erika Mustermann")
    page.fill('[name="hunde.0.name"]', "Bello")
    for name in ("Rex", "Luna"):
        page.click("text=Eintrag hinzufügen")
        focused = page.evaluate("document.activeElement.name")
        assert focused.endswith(".name")
        page.fill(f'[name="{focused}"]', name)
    assert page.locator(".zsa-entries > .zsa-entry").count() == 3
    assert page.inner_text(".zsa-dynlist > [data-zsa-status]") == "Eintrag 3 hinzugefügt"  # read out
    page.click("text=Eintrag 2 entfernen")
    assert page.inner_text(".zsa-dynlist > [data-zsa-status]") == "Eintrag 2 entfernt"
    assert posts == []  # no round trip
    assert [page.input_value(f'[name="hunde.{i}.name"]') for i in range(2)] == ["Bello", "Luna"]
    assert page.locator('[name="hunde.2.name"]').count() == 0
    assert page.locator(".zsa-entries > .zsa-entry > legend").all_inner_texts() == ["Eintrag 1", "Eintrag 2"]
    assert page.input_value('[name="_zsa_items.hunde"]') == "2"
    assert page.get_attribute('label[for="zsa-hunde-1-name"]', "for") == "zsa-hunde-1-name"

    proof = page.locator('[name="hunde.1.nachweis"]')  # shown when this entry's dog is dangerous
    assert not proof.is_visible() and proof.is_disabled()
    page.check('[name="hunde.1.gefaehrlich"]')
    assert proof.is_visible() and proof.is_enabled()
    assert not page.locator('[name="hunde.0.nachweis"]').is_visible()
    page.fill('[name="hunde.1.nachweis"]', "01.03.2026")
    assert axe_violations(page) == []
    shot(page, "dynamic-list.png")

    page.click("text=Vorgang anlegen")
    page.wait_for_url(re.compile(r"/vorgaenge/TEST-\d{4}-\d{6}$"))
    data = zsa.case(page.url.rsplit("/", 1)[1])["data"]
    assert data["hunde"] == [{"name": "Bello", "gefaehrlich": False},
                             {"name": "Luna", "gefaehrlich": True, "nachweis": "01.03.2026"}]
    assert page.problems == []


def test_a_table_shows_its_rows_page_by_page(server, browser, zsa):
    page = new_page(browser, server, "anna", axe=True)
    page.goto("/vorgaenge/neu?prozess=antrag")
    page.select_option("#zsa-kommune", MAGDEBURG)
    page.fill('[name="antragsteller_name"]', "Erika Mustermann")
    page.fill('[name="hunde.0.name"]', "Bello")
    page.click("text=Eintrag hinzufügen")
    page.fill('[name="hunde.1.name"]', "Luna")
    page.click("text=Vorgang anlegen")
    page.wait_for_url(re.compile(r"/vorgaenge/TEST-\d{4}-\d{6}$"))
    task = zsa.tasks(case=page.url.rsplit("/", 1)[1])[0]
    page.goto(f"/aufgaben/{task['id']}")
    with page.expect_navigation():
        page.click("text=Übernehmen")
    page.wait_for_selector(".zsa-table-pages")
    table = page.locator("table:has(caption:text('Gemeldete Hunde'))")
    assert table.locator("tbody tr:visible").all_inner_texts() == ["Bello\tNein"]
    assert page.inner_text(".zsa-table-pages [aria-live]") == "Seite 1 von 2"
    page.click("text=Nächste Seite")
    assert table.locator("tbody tr:visible").all_inner_texts() == ["Luna\tNein"]
    assert axe_violations(page) == []
    assert page.problems == []


@pytest.mark.parametrize("start_form", [FIXTURES / "forms" / "haushalt.form"])
def test_nested_lists_are_renumbered_with_their_outer_entry(server, browser, zsa, start_form):
    page = new_page(browser, server, "anna")
    page.goto("/vorgaenge/neu?prozess=antrag")
    page.select_option("#zsa-kommune", MAGDEBURG)
    page.fill('[name="antragsteller"]', "Max")
    page.fill('[name="mitglieder.0.name"]', "Erika")
    page.fill('[name="mitglieder.0.geburtsdatum"]', "1980-02-01")
    page.locator(".zsa-dynlist[data-zsa-list='mitglieder'] > .zsa-entry-add").click()
    page.fill('[name="mitglieder.1.name"]', "Paul")
    page.fill('[name="mitglieder.1.geburtsdatum"]', "2015-06-30")
    inner = page.locator(".zsa-dynlist[data-zsa-list='mitglieder.1.arten'] > .zsa-entry-add")
    inner.click()
    inner.click()
    page.fill('[name="mitglieder.1.arten.0.art"]', "Kindergeld")
    page.fill('[name="mitglieder.1.arten.1.art"]', "Unterhalt")
    page.click("text=Eintrag 1 entfernen >> nth=0")  # Erika's entry: Paul's moves up, with his own list
    assert page.input_value('[name="mitglieder.0.name"]') == "Paul"
    assert page.input_value('[name="mitglieder.0.arten.1.art"]') == "Unterhalt"
    assert page.input_value('[name="mitglieder.0._zsa_items.arten"]') == "2"
    assert page.locator('[name^="mitglieder.1."]').count() == 0
    page.click("text=Vorgang anlegen")
    page.wait_for_url(re.compile(r"/vorgaenge/TEST-\d{4}-\d{6}$"))
    data = zsa.case(page.url.rsplit("/", 1)[1])["data"]
    assert data["mitglieder"] == [{"name": "Paul", "geburtsdatum": "2015-06-30", "beziehung": None, "behinderung": False,
                                   "arten": [{"art": "Kindergeld"}, {"art": "Unterhalt"}]}]
    assert page.problems == []
