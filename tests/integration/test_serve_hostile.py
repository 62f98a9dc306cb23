"""A live `zsa-flow serve` (waitress) runs every hostile script of tests/fixtures/hostile/scripts.json
(fired by its own timer loop) while a client keeps requesting /login: every case ends in an incident
with its message, no request waits a second, and the server's memory stays where it was."""
import json
import os
import re
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from test_serve import ZSA_FLOW, _free_port, _get, _wait_for
from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SCRIPTS = json.loads((HOSTILE / "scripts.json").read_text())
TIMER_SCRIPT = (HOSTILE / "timer_script.bpmn").read_text()
pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")


def _peak_rss_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024


class _Prober(threading.Thread):
    """GET /login every 100 ms; records the longest answer time."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.longest, self.count, self.stop = url, 0.0, 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=30) as response:
                    response.read()
            except OSError:
                pass
            self.longest = max(self.longest, time.monotonic() - started)
            self.count += 1
            time.sleep(0.1)


def test_hostile_scripts_on_a_live_server_neither_stall_it_nor_grow_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'zsa.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    platform = Platform(engine)
    sync_kommunen(platform)
    for i, payload in enumerate(SCRIPTS):
        body = payload["script"].replace("&", "&amp;").replace("<", "&lt;")
        (tmp_path / f"feindlich_{i}.bpmn").write_text(
            TIMER_SCRIPT.replace("@ID@", f"feindlich_{i}").replace("@SCRIPT@", body))
    platform.deploy([str(tmp_path / f"feindlich_{i}.bpmn") for i in range(len(SCRIPTS))])
    env = dict(os.environ, ZSA_DATABASE_URL=url, ZSA_SECRET_KEY="test-secret")
    port = _free_port()
    server = subprocess.Popen([ZSA_FLOW, "serve", "--host", "127.0.0.1", "--port", str(port), "--timer-interval",
                               "0.5"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    prober = _Prober(f"http://127.0.0.1:{port}/login")
    try:
        _wait_for(lambda: _get(f"http://127.0.0.1:{port}/login"), 30, "GET /login")
        rss_before = _peak_rss_mb(server.pid)
        prober.start()
        numbers = [platform.start_case(f"feindlich_{i}", "15003000", {"name": "A"}) for i in range(len(SCRIPTS))]
        _wait_for(lambda: all(platform.case(n)["state"] == "incident" for n in numbers), 120, "alle in Störung")
        rss_after = _peak_rss_mb(server.pid)
        prober.stop.set()
        prober.join()
        for number, payload in zip(numbers, SCRIPTS):
            assert re.search(payload["message"], platform.case(number)["incident"]), (payload["name"], platform.case(number))
        print(f"\n{len(SCRIPTS)} feindliche Skripte begrenzt; Server-RSS-Spitze {rss_before:.0f} -> {rss_after:.0f} MB; "
              f"längste Antwort auf GET /login {prober.longest:.2f} s ({prober.count} Anfragen)")
        assert prober.longest < 1.0
        assert rss_after - rss_before < 100
    finally:
        prober.stop.set()
        server.terminate()
        server.wait(timeout=30)
        engine.dispose()
