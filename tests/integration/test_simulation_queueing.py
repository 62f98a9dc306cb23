"""The simulator against queueing theory, through the real engine: a one-task process
(tests/fixtures/simulation/eine_aufgabe.bpmn) with Poisson arrivals and exponential service on c
people around the clock is an M/M/c queue. Its mean waiting time must match Erlang C within 5 %,
and Little's law must hold for the cases in the system."""
import math
from pathlib import Path

from zsa_flow.simulation.runner import run_scenario
from zsa_flow.simulation.scenario import build_scenario

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "simulation"
LAMBDA, MU, C = 1.4, 1.0, 2  # per hour: utilisation 0.7


def erlang_c_wait(lam, mu, c):
    """Mean waiting time in queue of M/M/c (Erlang C)."""
    a = lam / mu
    rho = a / c
    head = sum(a ** k / math.factorial(k) for k in range(c))
    tail = a ** c / math.factorial(c) / (1 - rho)
    return tail / (head + tail) / (c * mu - lam)


def _scenario(replications=4, period="P150D"):
    doc = {"name": "M/M/c", "period": period, "warmup": "P5D", "drain": "P5D", "replications": replications,
           "seed": 7, "calendar": "always", "library": [str(FIXTURES)],
           "variants": [{"process": "sim_eine_aufgabe", "arrivals": LAMBDA * 8760}], "staff": {"Team": C}}
    return build_scenario(doc, str(FIXTURES / "mmc.yaml"))


def test_waiting_time_matches_erlang_c_and_littles_law_holds():
    scenario = _scenario()
    result = run_scenario(scenario, workers=2)
    variant = result["variants"]["sim_eine_aufgabe"]
    expected = erlang_c_wait(LAMBDA, MU, C)  # 0.9608 h
    waited = variant["tasks"]["Activity_Bearbeiten"]["queue_wait_hours"]["mean"]
    assert variant["cases_completed"] > 18000
    assert abs(waited - expected) / expected < 0.05, (waited, expected)
    # the case's waiting time is its queue time: one task, no other waits
    assert abs(variant["waiting_time_hours"]["mean"] - waited) < 1e-3
    # Little: time-average number of cases in the system = arrival rate x mean time in the system
    little = variant["arrival_rate_per_hour"] * variant["cycle_time_hours"]["mean"]
    assert abs(variant["cases_in_system_mean"] - little) / little < 0.02, (variant["cases_in_system_mean"], little)
    assert abs(variant["arrival_rate_per_hour"] - LAMBDA) / LAMBDA < 0.03
    # and the time in the system is waiting plus service (mean 1 h)
    assert abs(variant["cycle_time_hours"]["mean"] - (expected + 1 / MU)) / (expected + 1 / MU) < 0.05
