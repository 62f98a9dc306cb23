"""Distributions, working-day calendar and scenario validation of the simulation."""
from datetime import date
from random import Random

import pytest

from zsa_flow.simulation import distributions
from zsa_flow.simulation.calendar import AlwaysCalendar, WorkdayCalendar
from zsa_flow.simulation.scenario import ScenarioError, load_scenario


@pytest.mark.parametrize("text, hours", [("PT30M", 0.5), ("P2D", 48), ("PT1H30M", 1.5), ("P1W", 168), ("PT90S", 0.025)])
def test_iso_durations_in_hours(text, hours):
    assert distributions.hours(text) == pytest.approx(hours)


@pytest.mark.parametrize("text, mean", [
    ("fixed(PT3M)", 0.05), ("triangular(PT6M, PT12M, PT18M)", 0.2), ("uniform(P0D, P7D)", 84),
    ("lognormal(mean=PT25M, sd=PT10M)", 25 / 60), ("exponential(mean=PT20M)", 1 / 3)])
def test_distributions_sample_around_their_mean(text, mean):
    dist = distributions.parse(text)
    rng = Random(1)
    samples = [dist.sample(rng) for _ in range(20000)]
    assert dist.mean == pytest.approx(mean)
    assert sum(samples) / len(samples) == pytest.approx(mean, rel=0.03)
    assert min(samples) >= 0


@pytest.mark.parametrize("text, reason", [
    ("gamma(PT1H)", "keine Verteilung"), ("triangular(PT5M, PT1M)", "erwartet 3 Werte"),
    ("triangular(PT9M, PT5M, PT20M)", "Minimum ≤ Modus ≤ Maximum"), ("fixed(5 Minuten)", "keine ISO-8601-Dauer"),
    ("lognormal(mittel=PT5M, sd=PT1M)", "unbekannter Parameter")])
def test_malformed_distributions_say_why(text, reason):
    with pytest.raises(distributions.DistributionError, match=reason):
        distributions.parse(text)


def test_workdays_skip_evenings_weekends_and_saxony_anhalt_holidays():
    # 2026-01-02 is a Friday; 2026-01-06 (Heilige Drei Könige) is a holiday in Saxony-Anhalt
    cal = WorkdayCalendar(date(2026, 1, 1), 30, 8, 16)
    friday_15 = 24 + 15
    monday_9 = 4 * 24 + 9  # 2026-01-05
    assert cal.work_end(friday_15, 2) == pytest.approx(monday_9)
    monday_15 = 4 * 24 + 15
    wednesday_9 = 6 * 24 + 9  # Tuesday the 6th is a holiday
    assert cal.work_end(monday_15, 2) == pytest.approx(wednesday_9)
    assert cal.next_open(0) == pytest.approx(24 + 8)  # New Year's Day -> Friday 08:00
    assert cal.work_end(24 + 7, 1) == pytest.approx(24 + 9)  # work begins when the office opens


def test_always_calendar_is_plain_time():
    assert AlwaysCalendar().work_end(5.5, 2.25) == 7.75


def _scenario_file(tmp_path, text):
    (tmp_path / "processes").symlink_to(__import__("pathlib").Path(__file__).resolve().parents[2] / "processes")
    (tmp_path / "forms").symlink_to(__import__("pathlib").Path(__file__).resolve().parents[2] / "forms")
    path = tmp_path / "szenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("body, key, reason", [
    ("variants:\n  - process: katzenhaltung\n", "variants[0].process", "unbekannter Prozess 'katzenhaltung'"),
    ("variants:\n  - process: hundehaltung\nstaff: {Hundeamt: 2}\n", "staff.Hundeamt", "unbekannter Pool"),
    ("variants:\n  - process: hundehaltung\n    properties: {Activity_Entwurf: {zsa:dauer: fixed(PT1M)}}\n",
     "variants[0].properties.Activity_Entwurf.zsa:dauer", "unbekannte Eigenschaft"),
    ("variants:\n  - process: hundehaltung\n    properties: {Activity_Entwurf: {zsa:duration: 'fixed(3 min)'}}\n",
     "variants[0].properties.Activity_Entwurf.zsa:duration", "keine ISO-8601-Dauer"),
    ("variants:\n  - process: hundehaltung\nperiode: P1D\n", "periode", "unbekannter Schlüssel"),
    ("variants:\n  - process: hundehaltung\ncalendar: sometimes\n", "calendar", "weder 'workdays' noch 'always'"),
    ("variants:\n  - process: hundehaltung\nperiod: ein Jahr\n", "period", "keine ISO-8601-Dauer"),
])
def test_scenario_errors_name_file_and_key(tmp_path, body, key, reason):
    path = _scenario_file(tmp_path, "name: Test\n" + body)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    message = error.value.message
    assert message.startswith(f"{path}: {key}: "), message
    assert reason in message
    assert "\n" not in message


def test_state_wide_scenario_covers_every_gemeinde_for_both_services():
    path = __import__("pathlib").Path(__file__).resolve().parents[2] / "processes" / "landesweit.yaml"
    scenario = load_scenario(path)
    by_process = {v.process_id: v for v in scenario.variants}
    assert set(by_process) == {"hundehaltung", "wohngeld"}
    assert {len(v.arrivals) for v in by_process.values()} == {218}
    assert sum(by_process["hundehaltung"].arrivals.values()) == 218 * 125  # zsa:arrivals of the to-be model
    assert sum(by_process["wohngeld"].arrivals.values()) == 218 * 140
    assert by_process["wohngeld"].staff["ZSA Sachbearbeitung"] == 25 and scenario.replications == 5
