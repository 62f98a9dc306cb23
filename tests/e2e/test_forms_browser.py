"""Forms as people use them in the browser: live conditions, the error summary, German numbers, IBAN,
assignment by name and keyboard-only work (Playwright with Debian's chromium)."""
import re

from browser_support import browser, needs_chromium, server, session, shot  # noqa: F401
from inbox_support import MAGDEBURG

pytestmark = needs_chromium

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


def test_exemption_shows_the_proof_field_live_and_keeps_it(server, browser, zsa):
    anna = session(browser, server, "anna")
    fill_application(anna)
    proof = anna.locator('[name="befreiung_nachweis"]')
    assert not proof.is_visible() and proof.is_disabled()
    anna.select_option('[name="befreiung"]', "wachhund_aussenbereich")
    assert proof.is_visible() and proof.is_enabled()
    anna.fill('[name="befreiung_nachweis"]', "Lageplan Flurstück 12/3")
    anna.select_option('[name="befreiung"]', "keine")  # hidden again: neither required nor sent
    assert not proof.is_visible() and proof.is_disabled()
    anna.select_option('[name="befreiung"]', "wachhund_aussenbereich")
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    data = zsa.case(anna.url.rsplit("/", 1)[1])["data"]
    assert data["befreiung"] == "wachhund_aussenbereich"
    assert data["befreiung_nachweis"] == "Lageplan Flurstück 12/3"
    assert anna.problems == []
