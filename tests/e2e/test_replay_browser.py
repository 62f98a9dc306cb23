"""The replay page in a real browser: the slider moves through the steps, the diagram markers
and the data panel follow, no inline script or CSP violation (Debian's chromium, real server)."""
import re

from bench.audit_replay import typical_wohngeld_case
from inbox_support import HALLE
from test_inbox_browser import _session, _shot, pytestmark, server  # noqa: F401  (the server fixture)


def test_auditor_steps_through_a_wohngeld_case(server, browser, zsa, clock):  # noqa: F811
    number = typical_wohngeld_case(zsa, clock, kommune=HALLE)
    paula = _session(browser, server, "paula")
    paula.goto(f"/vorgaenge/{number}")
    paula.click("text=Wiederholung prüfen")
    paula.wait_for_selector("#zsa-replay-diagram[data-rendered]")
    assert paula.get_attribute("#zsa-replay-diagram", "data-rendered") == "true", "bpmn-js missing? `make assets`"
    assert "stimmt überein" in paula.inner_text("#zsa-replay-verdict")
    slider = paula.locator("#zsa-replay-slider")
    # 39 steps of the case, then paula's view of the case page and this replay (recorded in its chain)
    assert slider.is_visible() and slider.input_value() == "41"
    assert paula.get_attribute("#zsa-replay", "data-step") == "41"
    end_marks = int(paula.get_attribute("#zsa-replay", "data-marked"))

    # Step 6: the first task was created — a token stands on it, few elements are done.
    slider.fill("6")
    assert paula.get_attribute("#zsa-replay", "data-step") == "6"
    assert paula.get_attribute("#zsa-replay", "data-active") == "Activity_Vollstaendigkeit_pruefen"
    assert paula.locator("#zsa-replay-diagram .zsa-active").count() == 1
    early_marks = int(paula.get_attribute("#zsa-replay", "data-marked"))
    assert 0 < early_marks < end_marks
    assert "Schritt 6: Aufgabe erstellt: Vollständigkeit prüfen" in paula.inner_text("#zsa-replay-current")
    assert paula.locator("#schritt-6.zsa-replay-now").count() == 1
    assert paula.locator("#zsa-replay-steps .zsa-replay-later").count() == 33 + 2

    # Clicking the calculation step moves the slider; the new amount is highlighted as changed.
    paula.click("#zsa-replay-steps li:has-text('Berechnung ausgeführt: Wohngeld berechnen')")
    step = int(paula.get_attribute("#zsa-replay", "data-step"))
    assert slider.input_value() == str(step) and step > 6
    changed = paula.locator("#zsa-replay-data tr.zsa-changed").filter(
        has=paula.locator("th", has_text=re.compile(r"^wohngeld_m$")))
    assert changed.count() == 1 and "253" in changed.inner_text()
    assert paula.locator("#zsa-replay-data tr:not(.zsa-changed) th", has_text=re.compile(r"^iban$")).count() == 1
    assert int(paula.get_attribute("#zsa-replay", "data-marked")) > early_marks
    _shot(paula, "replay.png")
    assert paula.problems == []
