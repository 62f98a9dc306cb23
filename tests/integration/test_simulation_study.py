"""The simulation study: the report's sections and inline SVG charts for a small scenario on the
library's Hundehaltung models, the gain attribution adding up, and the capacity sweep finding the
staffing queueing theory (M/M/c sojourn times) asks for."""
import json
import math
from pathlib import Path

import pytest
import yaml

from zsa_flow.simulation.report import render
from zsa_flow.simulation.scenario import ScenarioError, build_scenario
from zsa_flow.simulation.study import run_study

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "simulation"
SCENARIO = ROOT / "processes" / "hundehaltung" / "simulation.yaml"


@pytest.fixture(scope="module")
def study():
    doc = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    doc.update(name="Hundehaltung <Test> & Co", period="P4D", warmup="P1D", drain="P20D", replications=2,
               calendar="always", kommunen=3)
    doc["library"] = [str(ROOT / "processes"), str(ROOT / "forms")]
    scenario = build_scenario(doc, str(SCENARIO))
    return scenario, run_study(scenario, workers=1)


def test_the_report_has_every_section_with_inline_charts_and_escapes_names(study):
    _scenario, result = study
    html = render(result)
    for section in ("ueberblick", "durchlaufzeit", "service-level", "auslastung", "rueckstau", "vergleich",
                    "herkunft", "struktur"):
        assert f'<section id="{section}">' in html, section
    assert html.count("<svg") >= 6  # box plot, service level, utilisation, backlog, two waterfalls
    assert "<script" not in html and "src=" not in html and 'href="http' not in html  # self-contained
    assert "Hundehaltung &lt;Test&gt; &amp; Co" in html and "<Test>" not in html
    assert " %" in html and "," in html  # German numbers ("38,5 %")
    assert "Ist fallgewichtet" in html and "Bündelung/Spezialisierung" in html


def test_the_result_keeps_the_item_4_keys_and_adds_structure(study):
    _scenario, result = study
    variant = result["variants"]["hundehaltung"]
    for key in ("cases_completed", "cycle_time_hours", "waiting_time_hours", "effort_minutes_per_case",
                "handovers_per_case", "media_breaks_per_case", "utilisation", "cost_per_case",
                "within_service_level", "tasks", "backlog_daily_mean"):
        assert key in variant
    to_be_steps = {s["id"]: s for s in result["structure"]["variants"]["hundehaltung"]["steps"]}
    assert to_be_steps["Activity_Pruefen"]["kind"] == "automatisch"
    fates = {f for v in result["structure"]["fate"].values() for f, _step in v.values()}
    assert fates <= {"entfällt", "zusammengelegt", "automatisiert", "bleibt"} and "bleibt" in fates
    json.dumps(result)  # the whole document is JSON


def test_the_three_parts_add_up_to_the_total_change(study):
    _scenario, result = study
    attribution = result["attribution"]
    assert set(attribution["automated_steps"]) == {"Activity_Pruefen", "Activity_Steuer"}
    for measure in ("cycle_time_hours", "effort_minutes"):
        m = attribution["measures"][measure]
        parts = m["process"]["share"] + m["pooling"]["share"] + m["it"]["share"]
        assert math.isclose(parts, m["total"]["share"], abs_tol=1e-3), measure
        assert m["levels"]["as_is"] > 0
    # the total is the comparison's case-weighted change over the same Gemeinden
    weighted = result["comparison"]["weighted_average"]["effort_minutes"]["reduction"]
    assert math.isclose(attribution["measures"]["effort_minutes"]["total"]["share"], weighted, abs_tol=0.02)


def test_the_pooled_as_is_scenario_runs_each_as_is_process_centrally_sized_to_its_workload(study):
    scenario, result = study
    attribution = result["attribution"]
    to_be = next(v for v in scenario.variants if v.role == "to-be")
    total = sum(to_be.arrivals.values())
    for v in (v for v in scenario.variants if v.role == "as-is"):
        pooled = attribution["pooled_as_is"][v.process_id]
        assert pooled["cases_per_year"] == round(total, 1)  # every Gemeinde's cases, one central office
        factor = total / sum(v.arrivals.values())
        working = [pool for pool in v.model.pools() if pool in pooled["staff"]]
        assert working  # every pool with work is sized (test_simulation_staffing.py: how)
        for pool in working:  # never more persons per case than the Gemeinde has
            assert pooled["staff"][pool] <= v.staff.get(pool, 1.0) * factor * (1 + 1e-3)
    effort = attribution["measures"]["effort_minutes"]
    # common random numbers: each case takes the same steps with the same minutes, however staffed
    assert math.isclose(effort["levels"]["as_is_pooled"], effort["levels"]["as_is"], rel_tol=1e-9)
    assert abs(effort["pooling"]["share"]) < 1e-9
    html = render(result)
    assert "Ist-Prozess mit zentral gebündeltem Personal" in html and "Stufen (fallgewichtet)" in html


def _within(lam, mu, c, t):
    """P(time in system ≤ t) in M/M/c: waiting (Erlang C) plus exponential service."""
    a = lam / mu
    head = sum(a ** k / math.factorial(k) for k in range(c))
    tail = a ** c / math.factorial(c) / (1 - a / c)
    p_wait, theta = tail / (head + tail), c * mu - lam
    if math.isclose(theta, mu):  # waiting and service both exponential with the same rate: Erlang-2
        both = (1 + mu * t) * math.exp(-mu * t)
    else:
        both = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
    longer = (1 - p_wait) * math.exp(-mu * t) + p_wait * both
    return 1 - longer


def test_the_sweep_finds_the_smallest_staff_keeping_the_service_level():
    lam, hours, target = 2.0, 3, 0.92
    expected = {}
    for factor in (1.0, 2.0):
        expected[str(factor)] = min(c for c in range(3, 9) if c > lam * factor and _within(lam * factor, 1, c, hours) >= target)
    assert expected == {"1.0": 4, "2.0": 6}  # 0,884 / 0,942 at λ=2 and 0,867 / 0,937 at λ=4
    doc = {"name": "M/M/c", "period": "P40D", "warmup": "P2D", "drain": "P5D", "replications": 1, "seed": 11,
           "calendar": "always", "service_level": f"PT{hours}H", "library": [str(FIXTURES)],
           "variants": [{"process": "sim_eine_aufgabe", "arrivals": lam * 8760}], "staff": {"Team": 3}}
    scenario = build_scenario(doc, str(FIXTURES / "mmc.yaml"))
    result = run_study(scenario, ["staff=Team:3..8", "volume=1.0..2.0:1.0"], target, workers=2, attribute=False)
    sweep = result["sweep"]
    assert sweep["smallest_staff"] == expected
    assert [(p["volume"], p["staff"]) for p in sweep["points"]] == [(1.0, 3), (1.0, 4), (2.0, 4), (2.0, 5), (2.0, 6)]
    assert "<svg" in render(result) and 'id="kapazitaet"' in render(result)


def test_a_malformed_sweep_is_one_clear_error():
    doc = {"name": "x", "calendar": "always", "library": [str(FIXTURES)],
           "variants": [{"process": "sim_eine_aufgabe"}], "staff": {"Team": 1}}
    scenario = build_scenario(doc, str(FIXTURES / "x.yaml"))
    with pytest.raises(ScenarioError, match="staff=POOL:1..10"):
        run_study(scenario, ["staff=Team:10..1"], attribute=False)
    with pytest.raises(ScenarioError, match="unbekannter Pool"):
        run_study(scenario, ["staff=Niemand:1..3"], attribute=False)
