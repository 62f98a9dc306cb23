"""The inbox in a real browser (Playwright, Debian's chromium) against a real server, engine and database.

A dog registration (Hundehaltung) goes from the paper application keyed in by the ZSA to the
municipality's tax office; scoping and the auditor's read-only access are checked on the way.
Screenshots of the list, a task and a case page land in test-artifacts/.
"""
import json
import re

import browser_support
from browser_support import needs_chromium
from browser_support import session as _session
from browser_support import shot as _shot
from case_data import ANMELDUNG
from inbox_support import MAGDEBURG, PASSWORD

server = browser_support.server  # the fixture (the browser: conftest.py)
pytestmark = needs_chromium

APPLICATION = {  # the paper application, as the ZSA keys it in
    "halter_vorname": "Erika", "halter_nachname": "Mustermann", "halter_geburtsdatum": "1980-05-01",
    "halter_strasse": "Breiter Weg 1", "halter_plz": "39104", "halter_ort": "Magdeburg", "hund_name": "Bello",
    "rasse": "Labrador", "geburtsdatum_hund": "2024-01-01", "anschaffungsdatum": "2026-02-01",
    "anzahl_hunde_bereits": "0", "versicherung_personen_sach": "1000000", "versicherung_vermoegen": "50000",
}


def test_dog_registration_across_zsa_and_municipality(server, browser, zsa):
    anna = _session(browser, server, "anna")

    # Paper application with a 14-digit transponder number: German error next to the field, input kept.
    anna.goto("/vorgaenge/neu?prozess=hundehaltung")
    anna.select_option("#zsa-kommune", MAGDEBURG)
    for name, value in APPLICATION.items():
        anna.fill(f'[name="{name}"]', value)
    anna.select_option('[name="geschlecht"]', "ruede")
    anna.select_option('[name="befreiung"]', "keine")
    anna.check('[name="erklaerung"]')
    anna.fill('[name="transponder_nr"]', "27609812345678")
    anna.click("text=Vorgang anlegen")
    error = anna.locator("#zsa-transponder_nr-error")
    assert error.is_visible() and "15" in error.inner_text()
    assert anna.get_attribute('[name="transponder_nr"]', "aria-invalid") == "true"
    assert anna.input_value('[name="halter_nachname"]') == "Mustermann"
    assert not zsa.cases()
    anna.fill('[name="transponder_nr"]', "276098123456789")
    anna.click("text=Vorgang anlegen")
    anna.wait_for_url(re.compile(r"/vorgaenge/HUND-\d{4}-\d{6}$"))
    number = anna.url.rsplit("/", 1)[1]
    assert zsa.case(number)["kommune"] == MAGDEBURG

    # The case page draws the process with bpmn-js and marks the current task.
    anna.wait_for_selector('#zsa-diagram[data-rendered]')
    assert anna.get_attribute("#zsa-diagram", "data-rendered") == "true", "bpmn-js missing? run `make assets`"
    assert anna.locator("#zsa-diagram .zsa-active").count() >= 1
    assert anna.locator("#zsa-diagram .zsa-completed").count() >= 1
    _shot(anna, "case.png")

    # Claim 'Bescheid entwerfen' in the list, see the Rechenweg, miss a required box, then complete.
    anna.goto("/aufgaben?ansicht=gruppe")
    row = anna.locator("tr", has_text=number).filter(has_text="Bescheid entwerfen")
    row.get_by_role("button", name=re.compile("Übernehmen")).click()
    assert "Sie bearbeiten jetzt" in anna.inner_text(".flashes")
    _shot(anna, "list.png")
    anna.locator("tr", has_text=number).get_by_role("link", name="Bescheid entwerfen").click()
    assert anna.locator(".zsa-rechenweg table tbody tr").count() >= 3
    assert "Hundesteuersatzung Landeshauptstadt Magdeburg" in anna.inner_text(".zsa-rechenweg")
    anna.fill('[name="bescheid_hinweise"]', "Bitte Steuermarke abholen.")
    anna.click("button[value=abschliessen]")
    assert anna.locator("#zsa-entwurf_geprueft-error").is_visible()
    assert anna.input_value('[name="bescheid_hinweise"]') == "Bitte Steuermarke abholen."
    _shot(anna, "task.png")
    anna.check('[name="entwurf_geprueft"]')
    anna.click("button[value=abschliessen]")
    assert "abgeschlossen" in anna.inner_text(".flashes")
    assert anna.problems == []

    # The Magdeburg tax office finds the decision; Halle sees nothing of it.
    mia = _session(browser, server, "mia")
    mia.goto("/aufgaben?ansicht=gruppe")
    decision = mia.locator("tr", has_text=number)
    assert "Steuerbescheid prüfen und erlassen" in decision.inner_text()
    hal = _session(browser, server, "hal")
    response = hal.goto(f"/vorgaenge/{number}")
    assert response.status == 404 and "Nicht gefunden" in hal.inner_text("h1")
    assert number not in hal.goto("/aufgaben?ansicht=alle").text()

    # The auditor reads the case and the task, has no buttons, and a forged POST is refused.
    paula = _session(browser, server, "paula")
    assert paula.goto(f"/vorgaenge/{number}").status == 200
    assert paula.locator("main form[method=post], main button").count() == 0
    task_id = zsa.tasks(case=number)[0]["id"]
    paula.goto(f"/aufgaben/{task_id}")
    assert paula.locator("main form[method=post], main button").count() == 0
    token = paula.get_attribute('header input[name="csrf_token"]', "value")
    forged = paula.request.post(f"/aufgaben/{task_id}/uebernehmen", form={"csrf_token": token})
    assert forged.status == 403
    assert zsa.task(task_id)["assignee"] is None and zsa.task(task_id)["state"] == "open"


def test_form_less_manual_task_leaves_no_control_fields_in_the_record(server, browser, zsa):
    """A manual task of an as-is model (no form) claimed and completed in the browser: the case data
    and the hash-chained task_completed event receive no CSRF token and no button value."""
    from zsa_flow.services import users

    users.add_account(zsa, "bea", "Bea Bürgerbüro", ["kommune"], groups=["buergerbuero"], kommunen=[MAGDEBURG],
                      password=PASSWORD)
    number = zsa.start_case("hundehaltung_asis_magdeburg", MAGDEBURG, dict(ANMELDUNG), actor="bea",
                            as_is_variant=True)
    task = zsa.tasks(case=number)[0]
    assert task["form"] is None and task["candidate_groups"] == ["buergerbuero"]
    data_before = zsa.case(number)["data"]

    bea = _session(browser, server, "bea")
    bea.goto(f"/aufgaben/{task['id']}")
    assert "Zu dieser Aufgabe gehört kein Formular." in bea.inner_text(".zsa-task-form")
    bea.get_by_role("button", name=re.compile("Übernehmen")).click()
    assert "Sie bearbeiten jetzt" in bea.inner_text(".flashes")
    bea.click("button[value=abschliessen]")
    assert "abgeschlossen" in bea.inner_text(".flashes")
    assert bea.problems == []

    assert zsa.task(task["id"])["state"] == "completed"
    case = zsa.case(number)
    assert case["data"] == data_before and not {"csrf_token", "_aktion"} & set(case["data"])
    completed = [e for e in zsa.events(number) if e["type"] == "task_completed"]
    assert [e["actor"] for e in completed] == ["bea"]
    recorded = json.dumps(completed[0]["data"]) + json.dumps(case["data"])
    assert "csrf_token" not in recorded and "_aktion" not in recorded and "abschliessen" not in recorded
