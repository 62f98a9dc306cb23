"""Forms as people use them in the browser: live conditions, the error summary, German numbers, IBAN,
assignment by name and keyboard-only work (Playwright with Debian's chromium)."""
import re

import browser_support
from browser_support import fill_application, needs_chromium, session, shot

pytestmark = needs_chromium
server = browser_support.server  # the fixture (the browser: conftest.py)

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


def test_without_script_a_submit_shows_the_new_fields_and_loses_nothing(server, browser, zsa):
    anna = session(browser, server, "anna", javascript=False)
    fill_application(anna)
    anna.select_option('[name="befreiung"]', "wachhund_aussenbereich")
    assert not anna.locator('[name="befreiung_nachweis"]').is_visible()  # no script: still hidden
    anna.click("text=Vorgang anlegen")
    assert "jetzt angezeigten Felder" in anna.inner_text(".flashes")
    assert not zsa.cases()
    assert anna.locator('[name="befreiung_nachweis"]').is_visible()
    assert anna.input_value('[name="halter_nachname"]') == "Mustermann"  # nothing typed is lost
    assert anna.input_value('[name="befreiung"]') == "wachhund_aussenbereich"
    anna.fill('[name="befreiung_nachweis"]', "Lageplan Flurstück 12/3")
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    assert zsa.case(anna.url.rsplit("/", 1)[1])["data"]["befreiung_nachweis"] == "Lageplan Flurstück 12/3"


def test_error_summary_lists_every_problem_and_takes_the_focus(server, browser, zsa):
    anna = session(browser, server, "anna")
    anna.goto("/vorgaenge/neu?prozess=hundehaltung")
    anna.click("text=Vorgang anlegen")  # nothing filled in, no Kommune
    summary = anna.locator("#zsa-error-summary")
    assert summary.locator("h2").inner_text() == "Es gibt ein Problem"
    links = summary.locator("a")
    targets = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert targets[0] == "#zsa-kommune"
    for name in ("halter_nachname", "hund_name", "geburtsdatum_hund", "transponder_nr", "erklaerung"):
        assert f"#zsa-{name}" in targets
    assert len(targets) >= 12 and all(anna.locator(t).count() == 1 for t in targets)
    assert anna.evaluate("document.activeElement.id") == "zsa-error-summary"
    links.filter(has_text="Transpondernummer").click()
    assert anna.evaluate("document.activeElement.name") == "transponder_nr"
    shot(anna, "error-summary.png")
    assert anna.problems == []


def test_assignment_offers_the_eligible_people_by_name(server, browser, zsa):
    anna = session(browser, server, "anna")
    fill_application(anna)
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    number = anna.url.rsplit("/", 1)[1]
    task = zsa.tasks(case=number)[0]
    tom = session(browser, server, "tom")
    tom.goto(f"/aufgaben/{task['id']}")
    options = tom.locator("#bearbeitung option").all_inner_texts()
    assert "Anna Sachbearbeiterin (anna)" in options and "Tom Teamleiter (tom)" in options
    assert not [o for o in options if "Mia" in o or "Hal" in o or "Paula" in o]  # other groups, Kommune, auditor
    tom.select_option("#bearbeitung", "anna")
    tom.click("form.zsa-assign button")
    assert tom.inner_text("#aufgabe-status") == "in Bearbeitung von Anna Sachbearbeiterin"
    assert zsa.task(task["id"])["assignee"] == "anna"
    anna.goto(f"/aufgaben/{task['id']}")
    assert "in Bearbeitung von Anna Sachbearbeiterin" in anna.inner_text("#aufgabe-status")


def _tab_to(page, selector, limit=120):
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with the keyboard")


def test_a_task_is_claimed_filled_in_and_completed_with_the_keyboard_only(server, browser, zsa):
    anna = session(browser, server, "anna")
    fill_application(anna)
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    task = zsa.tasks(case=anna.url.rsplit("/", 1)[1])[0]
    anna.goto(f"/aufgaben/{task['id']}")
    _tab_to(anna, "form[action$='/uebernehmen'] button")
    anna.keyboard.press("Enter")
    anna.wait_for_selector("form[action$='/zurueckgeben']")
    _tab_to(anna, '[name="bescheid_hinweise"]')
    anna.keyboard.type("Steuermarke entfällt.")
    _tab_to(anna, '[name="entwurf_geprueft"]')
    anna.keyboard.press("Space")
    _tab_to(anna, "button[value=abschliessen]")
    anna.keyboard.press("Enter")
    anna.wait_for_url(re.compile(r"/aufgaben$"))
    assert "abgeschlossen" in anna.inner_text(".flashes")
    done = zsa.task(task["id"])
    assert done["state"] == "completed"
    assert zsa.case(task["case"])["data"]["bescheid_hinweise"] == "Steuermarke entfällt."
    assert anna.problems == []


def test_a_rule_of_the_form_speaks_up_in_the_browser_before_submitting(server, browser, zsa):
    anna = session(browser, server, "anna")
    fill_application(anna)
    anna.fill('[name="geburtsdatum_hund"]', "2999-01-01")
    message = anna.locator("#zsa-geburtsdatum_hund-rule")
    assert message.inner_text() == "Das Geburtsdatum des Hundes darf nicht in der Zukunft liegen."
    assert anna.get_attribute('[name="geburtsdatum_hund"]', "aria-invalid") == "true"
    assert "zsa-geburtsdatum_hund-rule" in anna.get_attribute('[name="geburtsdatum_hund"]', "aria-describedby")
    anna.click("text=Vorgang anlegen")  # the server says the same
    assert "Das Geburtsdatum des Hundes darf nicht in der Zukunft liegen." in anna.inner_text("#zsa-error-summary")
    anna.fill('[name="geburtsdatum_hund"]', "2024-01-01")
    assert anna.locator("#zsa-geburtsdatum_hund-rule").count() == 0
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    assert anna.problems == []
