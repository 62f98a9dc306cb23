"""Simulation of the library's own models through the real engine: reproducible, to-be against
as-is over the same arrivals, commands writing JSON and report."""
import json
from pathlib import Path

from click.testing import CliRunner

from zsa_flow.cli import main
from zsa_flow.simulation.runner import run_scenario
from zsa_flow.simulation.scenario import build_scenario

ROOT = Path(__file__).resolve().parents[2]


def _scenario(service="hundehaltung"):
    as_is = {"hundehaltung": ["as-is/magdeburg.bpmn"], "wohngeld": ["as-is/haldensleben.bpmn"]}[service]
    doc = {"name": "klein", "period": "P20D", "warmup": "P2D", "drain": "P90D", "replications": 2, "seed": 3,
           "library": [str(ROOT / "processes"), str(ROOT / "forms")],
           "variants": [{"process": service, "arrivals": {"15003000": 600, "15083270": 600}},
                        *({"file": f"processes/{service}/{f}", "arrivals": 600} for f in as_is)]}
    return build_scenario(doc, str(ROOT / "processes" / service / "klein.yaml"))


def test_same_scenario_and_seed_give_identical_results():
    first = run_scenario(_scenario(), workers=2)
    second = run_scenario(_scenario(), workers=1)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_to_be_against_as_is_over_the_same_arrivals():
    result = run_scenario(_scenario(), workers=2)
    to_be, as_is = result["variants"]["hundehaltung"], result["variants"]["hundehaltung_asis_magdeburg"]
    assert to_be["incidents"] == 0 and as_is["incidents"] == 0
    assert to_be["cases_completed"] > 40 and as_is["cases_completed"] > 20
    # the same Magdeburg applications arrive in both variants
    magdeburg = to_be["by_kommune"]["15003000"]["cases"]
    assert magdeburg == as_is["by_kommune"]["15003000"]["cases"]
    assert as_is["media_breaks_per_case"] > to_be["media_breaks_per_case"]
    assert as_is["handovers_per_case"] > to_be["handovers_per_case"]
    assert set(as_is["utilisation"]) == {"Bürgerbüro", "Steueramt – Hundesteuer", "Ordnungsamt"}
    assert "Activity_Pruefen" in as_is["tasks"]
    change = result["comparison"]["as_is"]["hundehaltung_asis_magdeburg"]["effort_minutes"]
    assert change["as_is"] > change["to_be"]
    assert result["comparison"]["weighted_average"]["cycle_time_hours"]["ci95"][0] is not None


def test_wohngeld_cases_run_through_without_incidents():
    result = run_scenario(_scenario("wohngeld"), workers=2)
    for variant in result["variants"].values():
        assert variant["incidents"] == 0
        assert variant["cases_completed"] == variant["cases_measured"] > 10


def test_simulate_command_writes_json_and_report(tmp_path):
    scenario = tmp_path / "klein.yaml"
    scenario.write_text(f"""name: Klein
period: P10D
warmup: P1D
replications: 1
library: [{ROOT / 'processes'}, {ROOT / 'forms'}]
variants:
  - process: hundehaltung
    arrivals: 500
""", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["simulate", str(scenario), "--output", str(out), "--json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout[result.stdout.index("{"):])
    assert document == json.loads((out / "simulation.json").read_text(encoding="utf-8"))
    variant = document["variants"]["hundehaltung"]
    for key in ("cases_completed", "cycle_time_hours", "waiting_time_hours", "effort_minutes_per_case",
                "handovers_per_case", "media_breaks_per_case", "utilisation", "cost_per_case",
                "within_service_level", "tasks"):
        assert key in variant
    assert set(variant["cycle_time_hours"]) >= {"mean", "p50", "p90", "ci95"}
    assert "<table>" in (out / "report.html").read_text(encoding="utf-8")


def test_scenario_error_is_one_line(tmp_path):
    scenario = tmp_path / "kaputt.yaml"
    scenario.write_text("name: x\nvariants:\n  - process: gibtsnicht\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["simulate", str(scenario), "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert f"{scenario}: variants[0].process: unbekannter Prozess 'gibtsnicht'" in result.stderr
