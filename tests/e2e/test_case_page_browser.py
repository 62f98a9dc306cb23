"""The case page as people read it, in a real browser (issue 12, items 3 and 4).

A Hundehaltung case with a listed breed and a requested exemption runs to the end (Erlaubnis,
exemption check, draft, tax decision), so send tasks and message events have been executed; a
second case waits for the applicant's documents. Screenshots: test-artifacts/case-german*.png.
"""
import re

import pytest

from case_data import ANMELDUNG
from inbox_support import MAGDEBURG
from page_support import needs_chromium, new_page, shot, start_server

pytestmark = needs_chromium



@pytest.fixture
def server(zsa):
    url, stop = start_server(zsa)
    yield url
    stop()


def _complete(zsa, number, name, data, user="anna"):
    task = next(t for t in zsa.tasks(case=number) if t["name"] == name)
    zsa.claim(task["id"], user=user)
    zsa.complete(task["id"], data, user=user)


def _finished_case(zsa):
    number = zsa.deliver_message(None, "antrag_hundehaltung", kommune=MAGDEBURG, data=ANMELDUNG | {
        "rasse": "American Staffordshire Terrier", "befreiung": "wachhund_aussenbereich",
        "befreiung_nachweis": "Lageplan des Hofes"})
    _complete(zsa, number, "Erlaubnis für gefährlichen Hund prüfen", {
        "sachkunde_nachgewiesen": True, "wesenstest_bestanden": True, "zuverlaessig": True,
        "persoenlich_geeignet": True, "erlaubnis": "erteilt", "erlaubnis_auflagen": "Leinenpflicht"}, user="mia")
    _complete(zsa, number, "Nachweis für Befreiung / Ermäßigung prüfen",
              {"befreiung_anerkannt": False, "befreiung_vermerk": "Satzung sieht keine Befreiung vor"})
    _complete(zsa, number, "Bescheid entwerfen", {"entwurf_geprueft": True})
    _complete(zsa, number, "Steuerbescheid prüfen und erlassen",
              {"bescheid_entscheidung": "freigeben", "bescheid_gezeichnet_von": "Frau Schulze"}, user="mia")
    assert zsa.case(number)["state"] == "completed"
    return number


def test_case_page_reads_in_german_with_names(server, browser, zsa):
    number = _finished_case(zsa)
    anna = new_page(browser, server, "anna")
    anna.goto(f"/vorgaenge/{number}")
    data = anna.inner_text(".zsa-case-data")
    for shown in ("Halterin / Halter", "Vorname", "Anna", "Geschlecht", "Rüde", "Deckungssumme Personen- und Sachschäden",
                  "5.000.000,00 €", "01.06.2025", "500,00 €", "Weitere Angaben", "Erlaubnis zum Halten eines gefährlichen Hundes"):
        assert shown in data, shown
    for raw in ("halter_vorname", "ruede", "wachhund_aussenbereich", "500.00", "5000000", "2025-06-01", "True"):
        assert raw not in data, raw
    assert data.index("Halterin / Halter") < data.index("Haftpflichtversicherung") < data.index("Weitere Angaben")

    history = anna.inner_text(".zsa-timeline")
    assert "Nachricht Bescheid Hundehaltung an Antragsteller/in versendet" in history
    assert re.search(r"Nachricht Hunderegister Eintrag an Zentrales Hunderegister \(Landesverwaltungsamt\) versendet", history)
    assert "Berechnung Hundesteuer berechnen ausgeführt" in history
    assert "Aufgabe Steuerbescheid prüfen und erlassen erledigt" in history
    assert anna.locator(".zsa-timeline em", has_text="Bescheid Hundehaltung").count() == 1
    merges = [e["element_name"] for e in zsa.events(number) if e["type"] == "gateway_passed"]
    assert merges and not any(f"Verzweigung {name}" in history for name in merges)
    assert "Mia Magdeburg" in history and re.search(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", history)
    assert "Activity_" not in anna.inner_text("main") and "Gateway_" not in anna.inner_text("main")

    # The diagram marks every executed element, send tasks included.
    anna.wait_for_selector("#zsa-diagram[data-rendered]")
    for send_task in ("Activity_Register", "Activity_Zustellen"):
        assert anna.locator(f'#zsa-diagram [data-element-id="{send_task}"].zsa-completed').count() == 1, send_task
    assert anna.locator('#zsa-diagram .zsa-technical, nav[aria-label="Ansicht des Vorgangs"]').count() == 0
    shot(anna, "case-german.png")
    assert anna.problems == []


def test_waits_by_name_groups_by_display_name(server, browser, zsa):
    number = zsa.deliver_message(None, "antrag_hundehaltung", kommune=MAGDEBURG,
                                 data=ANMELDUNG | {"versicherung_personen_sach": 0, "versicherung_vermoegen": 0})
    anna = new_page(browser, server, "anna")
    anna.goto(f"/vorgaenge/{number}")
    waits = anna.inner_text(".zsa-waits")
    assert "Frist (14 Tage) abgelaufen" in waits and "Event_" not in waits and " Uhr" in waits
    assert "Nachricht Nachforderung Unterlagen an Antragsteller/in versendet" in anna.inner_text(".zsa-timeline")

    ready = zsa.deliver_message(None, "antrag_hundehaltung", kommune=MAGDEBURG, data=ANMELDUNG)
    anna.goto(f"/vorgaenge/{ready}")
    tasks = anna.inner_text(".zsa-case-tasks")
    assert "ZSA – Sachbearbeitung Hundehaltung" in tasks and "zsa-hundehaltung" not in tasks


def test_auditor_has_a_technical_view(server, browser, zsa):
    number = _finished_case(zsa)
    paula = new_page(browser, server, "paula")
    paula.goto(f"/vorgaenge/{number}")
    paula.get_by_role("link", name="Technische Ansicht").click()
    assert paula.url.endswith("ansicht=technisch")
    data, history = paula.inner_text(".zsa-case-data"), paula.inner_text(".zsa-timeline")
    assert "halter_vorname" in data and "ruede" in data
    assert "gateway_passed" in history and "Activity_Zustellen" in history
    paula.get_by_role("link", name="Fachliche Ansicht").click()
    assert "Rüde" in paula.inner_text(".zsa-case-data")
    anna = new_page(browser, server, "anna")
    anna.goto(f"/vorgaenge/{number}?ansicht=technisch")
    assert "halter_vorname" not in anna.inner_text(".zsa-case-data")


@pytest.mark.parametrize("path, method, status, title", [
    ("/gibt-es-nicht", "GET", 404, "Nicht gefunden"),
    ("/vorgaenge/HUND-1900-000001", "GET", 404, "Nicht gefunden"),
    ("/logout", "GET", 405, "Aktion nicht möglich"),
    ("/verwaltung/", "GET", 403, "Keine Berechtigung"),
])
def test_error_pages_are_german_in_the_site_layout(server, browser, path, method, status, title):
    anna = new_page(browser, server, "anna")
    response = anna.goto(path)
    assert response.status == status
    assert anna.inner_text("h1") == title
    assert anna.locator("header.site-header nav").count() == 1 and anna.locator("html[lang=de]").count() == 1
    assert "Not Found" not in anna.content() and "Method Not Allowed" not in anna.content()
    shot(anna, f"error-{status}.png")


WOHNGELD = {  # worked example 3 of the domain brief: 2 persons, 2,200 € gross, rent 550 € -> 253 €
    "familienname": "Muster", "vorname": "Erika", "geburtsdatum": "1980-04-02", "strasse": "Marktplatz",
    "hausnummer": "1", "postleitzahl": "06108", "wohnort": "Halle (Saale)", "haushaltsmitglieder": [
        {"name": "Erika Muster", "beziehung": "antragsteller", "geburtsdatum": "1980-04-02", "bruttolohn_m": 2200,
         "zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True},
        {"name": "Paul Muster", "beziehung": "ehegatte", "geburtsdatum": "1978-11-20"}],
    "bruttokaltmiete_m": 550, "vermoegen": 0, "transferleistung_bezug": False, "kontoinhaber": "Erika Muster", "iban": "DE02120300000000202051",
    "angaben_bestaetigt": True, "antragsdatum": "2026-03-02",
}


def test_wohngeld_case_to_the_payment_instruction(server, browser, zsa):
    number = zsa.deliver_message(None, "antrag_wohngeld", kommune=MAGDEBURG, data=WOHNGELD)
    _complete(zsa, number, "Vollständigkeit prüfen", {"unterlagen_vollstaendig": True})
    _complete(zsa, number, "Plausibilität und Vorrang prüfen (SGB II/XII)",
              {"transferleistung_bezug": False, "rueckfrage_noetig": False})
    _complete(zsa, number, "Bescheidentwurf erstellen",
              {"vorschlag": "bewilligung", "bewilligung_monate": 12, "begruendung": "Anspruch nach § 19 WoGG."})
    _complete(zsa, number, "Über den Antrag entscheiden", {"entscheidung": "bewilligung", "bewilligung_monate": 12},
              user="mia")
    _complete(zsa, number, "Laufende Zahlung anweisen (§ 26 WoGG)",
              {"kassenzeichen": "WOGG-2026-000001", "iban": "DE02120300000000202051", "erste_zahlung_am": "2026-03-02"},
              user="mia")
    anna = new_page(browser, server, "anna")
    anna.goto(f"/vorgaenge/{number}")
    assert "Rechenweg Wohngeld" in anna.inner_text("main") and "ergebnis" not in anna.inner_text("main h2, main h3")
    waits = anna.inner_text(".zsa-waits")
    assert "Zwei Monate vor Ende des Bewilligungszeitraums" in waits and "Event_Erinnerung" not in waits
    assert "01.01.2027" in waits
    data = anna.inner_text(".zsa-case-data")
    for shown in ("Monatliche Miete ohne Heizkosten (Bruttokaltmiete)", "550,00 €", "2.200,00 €", "253,00 €",
                  "Berechnetes Wohngeld (monatlich)", "02.04.1980", "Bewilligung",
                  "Paul Muster", "Ehe- oder Lebenspartner/in", "Erwerbseinkommen (Lohn, Gehalt, Ausbildungsvergütung)"):
        assert shown in data, shown
    history = anna.inner_text(".zsa-timeline")
    assert "Nachricht Bescheid Wohngeld an Antragsteller/in versendet" in history
    assert "Entscheidung Erforderliche Nachweise ermitteln ausgewertet" in history
    assert "Nachricht Antrag Wohngeld von Antragsteller/in empfangen" in history
    anna.wait_for_selector("#zsa-diagram[data-rendered]")
    assert anna.locator('#zsa-diagram [data-element-id="Activity_Bewilligung_zustellen"].zsa-completed').count() == 1
    assert anna.locator('#zsa-diagram [data-element-id="Event_Erinnerung"].zsa-active').count() == 1
    shot(anna, "case-german-wohngeld.png")
    assert anna.problems == []
