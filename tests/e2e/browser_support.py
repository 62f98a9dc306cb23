"""Fixtures and helpers for the browser tests (Playwright with Debian's chromium against a real server).

Import the fixtures into a test module: `from browser_support import browser, server  # noqa: F401`.
"""
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from inbox_support import MAGDEBURG, PASSWORD, seed_people
from zsa_flow.web import create_app

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"{CHROMIUM} missing: `make browser` installs Debian's chromium")


@pytest.fixture
def server(zsa):
    """The real app on 127.0.0.1 (free port) in a thread, with the process library deployed."""
    zsa.deploy([str(ROOT / "processes"), str(ROOT / "forms")])
    seed_people(zsa)
    app = create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "e2e"})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield instance
        instance.close()


def session(browser, base, username, javascript=True):
    """A logged-in page of its own browser context; collects script errors and CSP violations."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900},
                                  java_script_enabled=javascript, locale="de-DE")
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
            and page.problems.append(msg.text))
    page.on("response", lambda r: "/static/" in r.url and r.status >= 400 and page.problems.append(r.url))
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/(aufgaben|vorgaenge).*"))
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


APPLICATION = {  # the paper application, as the ZSA keys it in
    "halter_vorname": "Erika", "halter_nachname": "Mustermann", "halter_geburtsdatum": "1980-05-01",
    "halter_strasse": "Breiter Weg 1", "halter_plz": "39104", "halter_ort": "Magdeburg", "hund_name": "Bello",
    "rasse": "Labrador", "geburtsdatum_hund": "2024-01-01", "anschaffungsdatum": "2026-02-01",
    "anzahl_hunde_bereits": "0", "versicherung_personen_sach": "1000000", "versicherung_vermoegen": "50000",
    "transponder_nr": "276098123456789",
}


def fill_application(page, **changes):
    page.goto("/vorgaenge/neu?prozess=hundehaltung")
    page.select_option("#zsa-kommune", MAGDEBURG)
    for name, value in {**APPLICATION, **changes}.items():
        page.fill(f'[name="{name}"]', value)
    page.select_option('[name="geschlecht"]', "ruede")
    page.check('[name="erklaerung"]')
