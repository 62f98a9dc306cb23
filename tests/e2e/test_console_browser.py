"""The process owner's console in a real browser (Playwright, Debian's chromium) against a real server:
Pia uploads a changed Hundehaltung model, gets version 2, sees the diff with marked diagrams and
migrates the running cases, which then complete on the new version."""
import re

import pytest

from page_support import ARGS, ARTIFACTS, CHROMIUM, PASSWORD, ROOT, needs_chromium, start_server
from zsa_flow.services import users

pytestmark = needs_chromium


@pytest.fixture
def server(zsa):
    url, stop = start_server(zsa, people=False)
    users.add_account(zsa, "pia", "Pia Hoffmann", ["prozessverantwortung"], kommunen=["15003000"], password=PASSWORD)
    yield url
    stop()


def test_process_owner_uploads_a_changed_model_and_sees_the_diff(server, zsa, tmp_path):
    import sys

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "features"))
    from hunde_steps import ANMELDUNG

    running = [zsa.deliver_message(None, "antrag_hundehaltung", data=ANMELDUNG, kommune="15003000")
               for _ in range(2)]
    for number in running:  # both wait at the tax office's task, whose name version 2 changes
        [task] = zsa.tasks(case=number)
        zsa.claim(task["id"], "anna")
        zsa.complete(task["id"], {"entwurf_geprueft": True}, "anna")

    changed = tmp_path / "hundehaltung.bpmn"
    changed.write_text((ROOT / "processes/hundehaltung/to-be/hundehaltung.bpmn").read_text().replace(
        'name="Steuerbescheid prüfen und erlassen"', 'name="Steuerbescheid erlassen"'))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(base_url=server, viewport={"width": 1400, "height": 1000}).new_page()
        problems = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
                and problems.append(msg.text))  # CSP violations and script errors; HTTP errors below
        page.on("response", lambda r: ("/static/" in r.url or "/prozesse/" in r.url) and r.status >= 400
                and problems.append(r.url))
        page.goto("/login")
        page.fill("#username", "pia")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r"/aufgaben"))

        page.get_by_role("link", name="Prozesse").click()
        assert "Leistung: hundehaltung" in page.inner_text("main")
        page.get_by_role("link", name="Modelle hochladen und bereitstellen").click()
        page.set_input_files("#dateien", str(changed))
        page.click("text=Prüfen und bereitstellen")
        assert "neue Version" in page.inner_text(".zsa-result")
        page.click("a.zsa-diff-link")
        page.wait_for_url(re.compile(r"/prozesse/hundehaltung/vergleich\?von=1&bis=2"))
        assert "umbenannt in »Steuerbescheid erlassen«" in page.inner_text(".zsa-changes")

        page.wait_for_selector("#diagramm-new[data-rendered]")
        page.wait_for_selector("#diagramm-old[data-rendered]")
        assert page.get_attribute("#diagramm-new", "data-rendered") == "true", "bpmn-js missing? `make assets`"
        assert page.locator("#diagramm-new .zsa-changed").count() >= 1
        assert page.locator("#diagramm-old .zsa-changed").count() >= 1
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "console-diff.png"), full_page=True)

        page.click("a.zsa-migration-link")
        assert "Probelauf: 2 migrierbar" in page.inner_text(".zsa-migration-summary")
        page.click("text=2 Vorgänge jetzt umstellen")
        assert "Ergebnis: 2 migriert" in page.inner_text(".zsa-migration-summary")
        page.screenshot(path=str(ARTIFACTS / "console-migration.png"), full_page=True)
        assert problems == []
        browser.close()
    assert [r["version"] for r in zsa.processes() if r["process_id"] == "hundehaltung"] == [2]
    for number in running:  # on version 2, with the renamed task, to the end
        assert zsa.case(number)["version"] == 2
        [task] = zsa.tasks(case=number)
        assert task["name"] == "Steuerbescheid erlassen"
        zsa.claim(task["id"], "mia")
        zsa.complete(task["id"], {"bescheid_entscheidung": "freigeben", "bescheid_gezeichnet_von": "Mia Becker"}, "mia")
        assert zsa.case(number)["state"] == "completed"
