"""The simulator against queueing theory, through the real engine: a one-task process
(tests/fixtures/simulation/eine_aufgabe.bpmn) with Poisson arrivals and exponential service on c
people around the clock is an M/M/c queue. Its mean waiting time must match Erlang C within 5 %,
and Little's law must hold for the cases in the system.

At about 20,000 cases the estimator's standard deviation is still about 5 % of the mean (waiting times
in a queue at 70 % load are strongly correlated), so the Erlang C comparison is a check on one fixed
seed; `test_every_case_waits_exactly_as_in_a_fcfs_queue` shows independently of sampling noise that
the simulator queues exactly as an M/M/c first-come-first-served system does."""
import math
from pathlib import Path

from zsa_flow.simulation.runner import jobs_for, run_job, run_scenario
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


def _scenario(replications=4, period="P150D", seed=5, warmup="P5D"):
    doc = {"name": "M/M/c", "period": period, "warmup": warmup, "drain": "P5D", "replications": replications,
           "seed": seed, "calendar": "always", "library": [str(FIXTURES)],
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


def test_every_case_waits_exactly_as_in_a_fcfs_queue():
    """Kiefer–Wolfowitz recursion on the simulated arrivals and service times gives each case's wait."""
    scenario = _scenario(replications=1, period="P10D", warmup="PT0S")
    _variant, _replication, raw = run_job(jobs_for(scenario)[0])
    free = [0.0] * C
    assert len(raw.cases) > 250
    for case in sorted(raw.cases, key=lambda c: c.arrival):
        server = min(range(C), key=free.__getitem__)
        start = max(case.arrival, free[server])
        assert abs(case.queue_wait - (start - case.arrival)) < 1e-9
        free[server] = start + case.effort / 60
        assert abs(case.done - free[server]) < 1e-9
