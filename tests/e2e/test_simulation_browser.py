"""A process owner runs a simulation in a real browser (Playwright, Debian's chromium): choose the
scenario, start it, the progress page refreshes itself until the run is done, and the report shows
its charts without any script (CSP)."""

import pytest
import yaml

from page_support import ARGS, CHROMIUM, PASSWORD, ROOT, needs_chromium, start_server
from zsa_flow.services import users

FIXTURES = ROOT / "tests" / "fixtures" / "simulation"
pytestmark = needs_chromium


@pytest.fixture
def server(zsa, tmp_path):
    folder = tmp_path / "processes" / "test"
    folder.mkdir(parents=True)
    scenario = {"name": "Eine Aufgabe", "period": "P2D", "warmup": "PT0S", "drain": "P2D", "replications": 1,
                "calendar": "always", "library": [str(FIXTURES)],
                "variants": [{"process": "sim_eine_aufgabe", "arrivals": 2000}], "staff": {"Team": 2}}
    (folder / "simulation.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    users.add_account(zsa, "pia", "Pia Hoffmann", ["prozessverantwortung"], kommunen=["15003000"], password=PASSWORD)
    url, stop = start_server(zsa, (), people=False, SIMULATION_ROOT=str(tmp_path), SIMULATION_WORKERS=1)
    yield url
    stop()


def test_process_owner_runs_a_simulation_and_reads_the_report(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_context(base_url=server).new_page()
        problems = []
        page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
                and problems.append(msg.text))  # CSP violations and script errors (not the favicon's 404)
        page.goto("/login")
        page.fill("input[name=username]", "pia")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.get_by_role("link", name="Simulation").first.click()
        page.select_option("select#szenario", "test/simulation.yaml")
        page.get_by_role("button", name="Simulation starten").click()
        expect(page.get_by_role("link", name="Bericht lesen")).to_be_visible(timeout=120_000)  # meta refresh
        page.get_by_role("link", name="Bericht lesen").click()
        expect(page.get_by_role("heading", name="Simulationsbericht: Eine Aufgabe")).to_be_visible()
        assert page.locator("svg").count() >= 4
        assert not problems, problems  # no CSP violations
        browser.close()
