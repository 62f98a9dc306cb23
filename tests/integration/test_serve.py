"""`zsa-flow serve` as `make run` starts it: waitress answers, and a due timer fires by itself."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine

ZSA_FLOW = str(Path(sys.executable).parent / "zsa-flow")
FIXTURE = str(Path(__file__).resolve().parent.parent / "fixtures" / "timer")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"nach {seconds}s nicht erreicht: {what}")


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.headers.get("Server", "")
    except OSError:
        return None


@pytest.fixture
def served(tmp_path):
    """A temp SQLite database prepared like `make run` (upgrade, deploy) and `serve` on it."""
    url = f"sqlite:///{tmp_path / 'zsa.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)  # what `zsa-flow db upgrade` and `deploy` do, without two more processes
    platform = Platform(engine)
    sync_kommunen(platform)
    platform.deploy([FIXTURE])
    engine.dispose()
    env = dict(os.environ, ZSA_DATABASE_URL=url, ZSA_SECRET_KEY="test-secret")
    port = _free_port()
    server = subprocess.Popen([ZSA_FLOW, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield url, f"http://127.0.0.1:{port}", server
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()


def test_serve_uses_waitress_and_fires_a_due_timer_then_stops_cleanly(served):
    url, base, server = served
    status, software = _wait_for(lambda: _get(f"{base}/login"), 30, "GET /login")
    assert status == 200 and software == "waitress"

    platform = Platform.connect(url)
    number = platform.start_case("erinnerung", "15003000")  # start -> timer PT2S -> end
    assert platform.case(number)["state"] == "running"
    _wait_for(lambda: platform.case(number)["state"] == "completed", 30, f"{number} abgeschlossen")
    types = [e["type"] for e in platform.events(number)]
    assert types.count("timer_fired") == 1 and [e["actor"] for e in platform.events(number)][1] == "timer"
    platform.engine.dispose()

    server.send_signal(signal.SIGTERM)
    out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "waitress" in out and "zsa-flow beendet" in out
    assert "Traceback" not in err and "ERROR" not in err, err
