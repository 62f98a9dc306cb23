"""Dynamic lists in the browser: entries added and removed by the page's script without a round trip,
renumbered, with conditions in the entry's scope, no axe violations, stored as a list of objects."""
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from inbox_support import MAGDEBURG, seed_people
from page_support import axe_violations, launch, needs_chromium, new_page, shot
from zsa_flow.web import create_app

pytestmark = needs_chromium
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def server(zsa, tmp_path):
    lib = tmp_path / "lib"
    shutil.copytree(FIXTURES / "library", lib)
    shutil.copy(FIXTURES / "forms" / "hunde_liste.form", lib / "antrag_start.form")
    zsa.deploy([str(lib)])
    seed_people(zsa)
    httpd = make_server("127.0.0.1", 0, create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "e2e"}),
                        threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = launch(p)
        yield instance
        instance.close()


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
    assert page.locator(".zsa-list-items > .zsa-list-item").count() == 3
    page.click("text=Eintrag 2 entfernen")
    assert posts == []  # no round trip
    assert [page.input_value(f'[name="hunde.{i}.name"]') for i in range(2)] == ["Bello", "Luna"]
    assert page.locator('[name="hunde.2.name"]').count() == 0
    assert page.locator(".zsa-list-items > .zsa-list-item > legend").all_inner_texts() == ["Eintrag 1", "Eintrag 2"]
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
