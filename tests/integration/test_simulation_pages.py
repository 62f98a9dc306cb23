"""Process owners run a simulation in the browser: choose service and scenario, the run goes on in a
background thread with its progress in `simulation_run`, and the stored report is served; others are
refused. The console's link leads there."""
import time
from pathlib import Path

import pytest
import yaml

from webauth import add_user, login, make_app, session_csrf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "simulation"
MD = "15003000"


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "processes" / "test"
    folder.mkdir(parents=True)
    scenario = {"name": "Eine Aufgabe <klein>", "period": "P2D", "warmup": "PT0S", "drain": "P2D",
                "replications": 1, "calendar": "always", "library": [str(FIXTURES)],
                "variants": [{"process": "sim_eine_aufgabe", "arrivals": 2000}], "staff": {"Team": 2}}
    (folder / "simulation.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.fixture
def client(zsa, root):
    add_user(zsa, "pia", ["prozessverantwortung"], kommunen=[MD])
    add_user(zsa, "anna", ["zsa-sachbearbeitung"], groups=["zsa-team"], kommunen=[MD])
    return make_app(zsa, SIMULATION_ROOT=str(root), SIMULATION_WORKERS=1).test_client()


def _wait_until_done(client, location, limit=120):
    for _ in range(limit * 2):
        page = client.get(location)
        if "Stand: <strong>läuft" not in page.text and "Stand: <strong>wartet" not in page.text:
            return page
        assert '<meta http-equiv="refresh" content="3">' in page.text  # progress refreshes without script
        time.sleep(0.5)
    raise AssertionError("simulation did not finish")


def test_a_process_owner_starts_a_run_watches_it_and_reads_the_report(client):
    login(client, "pia")
    page = client.get("/simulation/?leistung=test")
    assert page.status_code == 200 and "test: simulation.yaml" in page.text and "<script>" not in page.text
    response = client.post("/simulation/", data={"csrf_token": session_csrf(client), "szenario": "test/simulation.yaml",
                                                 "kurzlauf": "ja"})
    assert response.status_code == 302
    location = response.headers["Location"]
    page = _wait_until_done(client, location)
    assert "Stand: <strong>fertig" in page.text, page.text
    run_id = location.rstrip("/").rsplit("/", 1)[-1]
    report = client.get(f"/simulation/laeufe/{run_id}/bericht")
    assert report.status_code == 200 and "<svg" in report.text
    assert "Eine Aufgabe &lt;klein&gt;" in report.text
    assert "script-src" not in report.headers["Content-Security-Policy"]  # no script may run in the report
    result = client.get(f"/simulation/laeufe/{run_id}/ergebnis.json").get_json()
    assert result["variants"]["sim_eine_aufgabe"]["cases_completed"] > 0
    # the console's link opens the newest report of the service
    latest = client.get("/simulation/bericht?leistung=test")
    assert latest.status_code == 302 and latest.headers["Location"].endswith(f"/simulation/laeufe/{run_id}/bericht")
    assert "Bericht lesen" in client.get("/simulation/?leistung=test").text


def test_an_unknown_scenario_is_refused_and_others_may_not_simulate(client):
    login(client, "pia")
    response = client.post("/simulation/", data={"csrf_token": session_csrf(client), "szenario": "test/../../x.yaml"})
    assert response.status_code == 404 and "gibt es für test nicht" in response.text
    assert client.get("/simulation/bericht?leistung=niemand").status_code == 302
    client.get("/logout")
    login(client, "anna")
    assert client.get("/simulation/").status_code == 403
    assert client.get("/simulation/laeufe/1/bericht").status_code == 403
