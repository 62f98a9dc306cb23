"""Scripts and expressions run in limited worker processes: every hostile payload of
tests/fixtures/hostile/scripts.json ends in a ScriptError with a clear German message, the worker
that hit a limit is replaced, and the server process never holds the payload's memory."""
import json
import os
import re
import resource
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from zsa_flow.bpmn import runtime, script_codec
from zsa_flow.bpmn.script_engine import ScriptError
from zsa_flow.bpmn.script_isolated import IsolatedEnvironment
from zsa_flow.bpmn.script_pool import pool
from zsa_flow.clock import FakeClock
from zsa_flow.engine.definitions import make_script_engine
from zsa_flow.rules.functions import SCRIPT_FUNCTIONS

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SCRIPTS = json.loads((HOSTILE / "scripts.json").read_text())
linux_only = pytest.mark.skipif(not Path("/proc/self/limits").exists(), reason="reads /proc")


@pytest.fixture(scope="module")
def env():
    return IsolatedEnvironment({**SCRIPT_FUNCTIONS, "heute": None}, time_limit=2.0)


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("payload", SCRIPTS, ids=[p["name"] for p in SCRIPTS])
def test_hostile_script_is_bounded_with_a_clear_message(env, payload):
    before = _rss_mb()
    context = {"kommune": "15003000"}
    with pytest.raises(ScriptError) as caught:
        env.execute(payload["script"], context)
    assert re.search(payload["message"], caught.value.message), caught.value.message
    assert context == {"kommune": "15003000"}  # nothing written back
    assert _rss_mb() - before < 50  # the payload never reached this process's memory
    assert env.evaluate("1 + 1", {}) == 2  # a fresh or surviving worker answers the next request


def test_results_travel_with_their_types_and_heute_reads_the_engine_clock(env):
    with runtime.using_clock(FakeClock(datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc))):
        assert env.evaluate("heute()", {}) == "2026-11-29"
        assert env.evaluate("(Decimal('1.50'), date(2026, 1, 2), timedelta(days=3), {1, 2})", {}) == \
            (Decimal("1.50"), date(2026, 1, 2), timedelta(days=3), {1, 2})
        context = {"betrag": 3, "_intern": object(), "weg": 1}
        assert env.execute("summe = betrag * 2\ndel weg\nheute_ist = heute()", context) is True
    assert context["summe"] == 6 and context["heute_ist"] == "2026-11-29" and "weg" not in context
    assert "_intern" in context  # engine-internal keys never leave this process and stay untouched


def test_a_domain_function_reading_parameter_files_works_in_the_locked_worker(env):
    assert env.evaluate("ist_gefaehrliche_rasse('Pitbull-Terrier')", {}) is True


@linux_only
def test_workers_run_with_os_limits_and_only_the_channel_open(env):
    env.evaluate("1", {})
    worker = pool()._idle[-1]
    pid = worker.proc.pid
    assert sorted(os.listdir(f"/proc/{pid}/fd")) == ["0", "1", "2"]
    limits = Path(f"/proc/{pid}/limits").read_text()
    address = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    assert str(pool().memory_bytes) in address
    for name in ("Max open files", "Max processes", "Max file size"):
        line = next(line for line in limits.splitlines() if line.startswith(name))
        assert line.split()[len(name.split())] in ("3", "0"), line
    assert os.getsid(pid) == pid  # its own session: killed by process group, alone


def test_production_engine_is_isolated_unless_switched_off(monkeypatch):
    assert isinstance(make_script_engine().environment, IsolatedEnvironment)
    monkeypatch.setenv("ZSA_SCRIPT_ISOLATION", "0")
    assert not isinstance(make_script_engine().environment, IsolatedEnvironment)


def test_codec_refuses_shared_references_by_their_serialized_size_without_building_them():
    value = ["x" * 1_000_000] * 500
    before = _rss_mb()
    with pytest.raises(script_codec.TooLarge):
        script_codec.dumps(value, 2_000_000)
    assert _rss_mb() - before < 20
    tricky = {"$t": "decimal", "v": "1", "liste": (1, 2), 3: "x"}
    assert script_codec.loads(script_codec.dumps(tricky, 1000)) == tricky


def test_only_plain_comparisons_stay_in_the_server():
    from zsa_flow.bpmn.script_isolated import comparison_only

    for source in ("betrag < 10", "fertig == True", "not (art in ('a', 'b') or antrag['x'] is None)"):
        assert comparison_only(source), source
    for source in ("round(1, -2 * 10**7) > 0", "betrag * 2 < 10", "[x for x in y] == []", "len(x) > 1",
                   "x.upper() == 'A'", "x[1:] == y", "x == '" + "a" * 2000 + "'"):
        assert not comparison_only(source), source


def test_an_idle_worker_that_died_is_replaced_before_it_gets_a_script(env):
    env.evaluate("1 + 1", {})
    worker = pool()._idle[-1]
    worker.proc.kill()
    worker.proc.wait()
    assert env.evaluate("2 + 2", {}) == 4
    assert worker not in pool()._idle
