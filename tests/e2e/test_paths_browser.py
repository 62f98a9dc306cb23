"""Whole cases worked through the browser by the people who do them (Playwright, Debian's chromium):
the Hundehaltung with an exemption and the dangerous-dog branch, and the Wohngeld application keyed in
on paper up to the payment instruction. Screens are kept in test-artifacts/."""
import re

import browser_support
from browser_support import fill_application, needs_chromium, session, shot
from inbox_support import MAGDEBURG, PASSWORD
from zsa_flow.services import users

pytestmark = needs_chromium
server = browser_support.server  # the fixture (the browser: conftest.py)


def _work(page, zsa, number, name):
    """Claim the open task `name` of the case from its page and return its id (the form is shown)."""
    task = next(t for t in zsa.tasks(case=number) if t["name"] == name and t["state"] == "open")
    page.goto(f"/aufgaben/{task['id']}")
    page.click("form[action$='/uebernehmen'] button")
    assert page.locator("#aufgabe-status").inner_text().startswith("in Bearbeitung von ")
    return task["id"]


def _complete(page):
    page.click("button[value=abschliessen]")
    page.wait_for_url(re.compile(r"/aufgaben$"))
    assert "abgeschlossen" in page.inner_text(".flashes")


def _rechenweg(page):
    rows = page.locator(".zsa-rechenweg tbody tr")
    return {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").first.inner_text()
            for i in range(rows.count())}


def test_dangerous_dog_with_exemption_from_application_to_tax_assessment(server, browser, zsa):
    anna = session(browser, server, "anna")
    fill_application(anna, rasse="American Staffordshire Terrier")
    anna.select_option('[name="befreiung"]', "assistenzhund")
    anna.fill('[name="befreiung_nachweis"]', "Schwerbehindertenausweis, Merkzeichen B")
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    number = anna.url.rsplit("/", 1)[1]
    assert zsa.case(number)["data"]["gefaehrlich"] is True

    # The Magdeburg Ordnungsamt grants the Erlaubnis; "Auflagen" appears as soon as "erteilt" is chosen.
    mia = session(browser, server, "mia")
    _work(mia, zsa, number, "Erlaubnis für gefährlichen Hund prüfen")
    auflagen = mia.locator('[name="erlaubnis_auflagen"]')
    assert not auflagen.is_visible()
    for box in ("sachkunde_nachgewiesen", "wesenstest_bestanden", "zuverlaessig", "persoenlich_geeignet"):
        mia.check(f'[name="{box}"]')
    mia.check('[name="erlaubnis"][value="erteilt"]')
    assert auflagen.is_visible() and auflagen.is_enabled()
    assert not mia.locator('[name="erlaubnis_begruendung"]').is_visible()  # required only when refused
    mia.fill('[name="erlaubnis_auflagen"]', "Leinen- und Maulkorbpflicht außerhalb der Wohnung.")
    shot(mia, "path-erlaubnis.png")
    _complete(mia)
    assert zsa.case(number)["data"]["erlaubnis_auflagen"].startswith("Leinen- und Maulkorbpflicht")

    # The ZSA sees the proof from the application and recognises it.
    _work(anna, zsa, number, "Nachweis für Befreiung / Ermäßigung prüfen")
    assert "Nachweis laut Antrag: Schwerbehindertenausweis, Merkzeichen B" in anna.inner_text(".zsa-task-form")
    anna.check('[name="befreiung_anerkannt"]')
    _complete(anna)

    # The Rechenweg says why the recognised exemption does not lower the tax of a dangerous dog.
    _work(anna, zsa, number, "Bescheid entwerfen")
    steps = _rechenweg(anna)
    reason = next(v for k, v in steps.items() if k.startswith("Beantragt: Assistenzhund"))
    assert "nicht für gefährliche Hunde" in reason
    shot(anna, "path-entwurf.png")
    anna.check('[name="entwurf_geprueft"]')
    _complete(anna)

    # The Steueramt releases it: "Gezeichnet von" appears with "freigeben" and the first try succeeds.
    _work(mia, zsa, number, "Steuerbescheid prüfen und erlassen")
    signed = mia.locator('[name="bescheid_gezeichnet_von"]')
    assert not signed.is_visible()
    mia.check('[name="bescheid_entscheidung"][value="freigeben"]')
    assert signed.is_visible() and signed.is_enabled()
    mia.fill('[name="bescheid_gezeichnet_von"]', "Frau Schulze, Steueramt")
    _complete(mia)
    case = zsa.case(number)
    assert case["state"] == "completed"
    assert case["data"]["bescheid_gezeichnet_von"] == "Frau Schulze, Steueramt"
    assert "korrektur_hinweis" not in case["data"]  # hidden, so neither required nor stored
    assert anna.problems == [] and mia.problems == []


def test_recognised_exemption_takes_the_tax_off_in_the_rechenweg(server, browser, zsa):
    anna = session(browser, server, "anna")
    fill_application(anna)
    anna.select_option('[name="befreiung"]', "assistenzhund")
    anna.fill('[name="befreiung_nachweis"]', "Schwerbehindertenausweis, Merkzeichen Bl")
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    number = anna.url.rsplit("/", 1)[1]
    _work(anna, zsa, number, "Nachweis für Befreiung / Ermäßigung prüfen")
    anna.check('[name="befreiung_anerkannt"]')
    _complete(anna)
    _work(anna, zsa, number, "Bescheid entwerfen")
    steps = _rechenweg(anna)
    assert any(k.startswith("abzüglich Steuerbefreiung (100 %") for k in steps)
    assert zsa.case(number)["data"]["steuer"]["jahressteuer"] == "0.00"
    shot(anna, "path-befreiung.png")


def _add(zsa, username, name, roles, groups):
    users.add_account(zsa, username, name, roles, groups=groups, kommunen=[MAGDEBURG], password=PASSWORD)


WOHNGELD = {  # a paper application for one person in Magdeburg
    "familienname": "Beispiel", "vorname": "Berta", "geburtsdatum": "1970-02-03", "strasse": "Breiter Weg",
    "hausnummer": "12", "postleitzahl": "3910", "wohnort": "Magdeburg", "antragsdatum": "2026-03-02",
    "bruttokaltmiete_m": "450,50", "kontoinhaber": "Berta Beispiel", "iban": "DE00123456789012345678",
    "haushaltsmitglieder.0.name": "Berta Beispiel", "haushaltsmitglieder.0.geburtsdatum": "1970-02-03",
    "haushaltsmitglieder.0.bruttolohn_m": "1.234,56",
}


def test_wohngeld_paper_application_to_payment_instruction(server, browser, zsa):
    _add(zsa, "wanda", "Wanda Wohngeld", ["zsa-sachbearbeitung"], ["zsa-wohngeld"])
    _add(zsa, "olaf", "Olaf Stelle", ["kommune"], ["wohngeldstelle"])
    _add(zsa, "karl", "Karl Kasse", ["kommune"], ["kasse"])
    wanda = session(browser, server, "wanda")
    wanda.goto("/vorgaenge/neu?prozess=wohngeld")
    wanda.select_option("#zsa-kommune", MAGDEBURG)
    for name, value in WOHNGELD.items():
        wanda.fill(f'[name="{name}"]', value)
    wanda.select_option('[name="haushaltsmitglieder.0.beziehung"]', "antragsteller")
    for box in ("haushaltsmitglieder.0.zahlt_steuern", "haushaltsmitglieder.0.zahlt_kv_pv",
                "haushaltsmitglieder.0.zahlt_rv", "angaben_bestaetigt"):
        wanda.check(f'[name="{box}"]')
    wanda.click("text=Vorgang anlegen")
    summary = wanda.inner_text("#zsa-error-summary")  # both mistakes at once, each naming what is expected
    assert "5 Ziffern" in summary and "Prüfziffer" in summary
    assert wanda.input_value('[name="bruttokaltmiete_m"]') == "450,50"  # kept as typed
    shot(wanda, "path-wohngeld-fehler.png")
    wanda.fill('[name="postleitzahl"]', "39104")
    wanda.fill('[name="iban"]', "DE02 1203 0000 0000 2020 51")
    wanda.click("text=Vorgang anlegen")
    wanda.wait_for_url(re.compile(r"/vorgaenge/[A-Z]+-\d{4}-\d{6}$"))
    number = wanda.url.rsplit("/", 1)[1]
    data = zsa.case(number)["data"]
    assert data["bruttokaltmiete_m"] == 450.5 and data["haushaltsmitglieder"][0]["bruttolohn_m"] == 1234.56  # not 45050
    assert data["iban"] == "DE02120300000000202051"

    # Completeness: ticking "not complete" without naming a document is refused, naming one is not needed
    # once everything is there.
    _work(wanda, zsa, number, "Vollständigkeit prüfen")
    assert wanda.locator('[name="fehlende_nachweise"]').first.is_visible()
    wanda.check('[name="unterlagen_vollstaendig"]')
    assert not wanda.locator('[name="fehlende_nachweise"]').first.is_visible()
    _complete(wanda)
    _work(wanda, zsa, number, "Plausibilität und Vorrang prüfen (SGB II/XII)")
    assert not wanda.locator('[name="nachforderung_hinweis"]').is_visible()
    wanda.check('[name="rueckfrage_noetig"]')
    assert wanda.locator('[name="nachforderung_hinweis"]').is_visible()
    wanda.uncheck('[name="rueckfrage_noetig"]')
    _complete(wanda)
    _work(wanda, zsa, number, "Bescheidentwurf erstellen")
    steps = _rechenweg(wanda)
    assert any("Mindestbetrag" in k for k in steps) and any(k.startswith("Vermögen") for k in steps)
    wanda.select_option('[name="vorschlag"]', "bewilligung")
    wanda.fill('[name="begruendung"]', "Anspruch nach § 19 WoGG.")
    _complete(wanda)

    olaf = session(browser, server, "olaf")
    _work(olaf, zsa, number, "Über den Antrag entscheiden")
    olaf.check('[name="entscheidung"][value="bewilligung"]')
    _complete(olaf)

    # The Kasse: a wrong IBAN checksum and a first payment before the application are refused at once.
    karl = session(browser, server, "karl")
    _work(karl, zsa, number, "Laufende Zahlung anweisen (§ 26 WoGG)")
    karl.fill('[name="kassenzeichen"]', "WOGG-2026-000001")
    karl.fill('[name="iban"]', "DE00123456789012345678")
    karl.fill('[name="erste_zahlung_am"]', "2020-03-01")
    karl.click("button[value=abschliessen]")
    summary = karl.inner_text("#zsa-error-summary")
    assert "Prüfziffer" in summary and "vor dem Antragsdatum" in summary
    shot(karl, "path-zahlung-fehler.png")
    karl.fill('[name="iban"]', "DE02120300000000202051")
    karl.fill('[name="erste_zahlung_am"]', "2026-04-01")
    _complete(karl)
    data = zsa.case(number)["data"]
    assert data["erste_zahlung_am"] == "2026-04-01" and data["kassenzeichen"] == "WOGG-2026-000001"
    assert not [t for t in zsa.tasks(case=number) if t["state"] == "open"]
    assert wanda.problems == [] and olaf.problems == [] and karl.problems == []
