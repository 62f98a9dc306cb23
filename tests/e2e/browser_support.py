"""Fixtures and helpers for the browser tests (Playwright with Debian's chromium against a real server).

Import the server fixture into a test module: `server = browser_support.server`; the browser comes
from tests/e2e/conftest.py.
"""

import pytest

from inbox_support import MAGDEBURG
from page_support import login, needs_chromium, shot, start_server  # noqa: F401  (re-exported for the test modules)


@pytest.fixture
def server(zsa):
    """The real app in a thread with the process library deployed (page_support.start_server)."""
    url, stop = start_server(zsa)
    yield url
    stop()


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
    login(page, username)
    return page


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
