"""`zsa-flow serve --workers 2`: gunicorn processes, each with a timer scheduler; a due timer fires
once, metrics are shared between the processes, SIGTERM stops everything."""
import os
import signal
import subprocess
import urllib.request

from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine

from test_serve import FIXTURE, ZSA_FLOW, _free_port, _wait_for


def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get("Server", ""), response.read().decode()
    except OSError:
        return None


def test_gunicorn_with_two_processes_fires_each_timer_once_and_stops_on_sigterm(tmp_path):
    url = f"sqlite:///{tmp_path / 'zsa.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    platform = Platform(engine)
    sync_kommunen(platform)
    platform.deploy([FIXTURE])
    numbers = [platform.start_case("erinnerung", "15003000") for _ in range(4)]  # start -> PT2S -> end
    env = dict(os.environ, ZSA_DATABASE_URL=url, ZSA_SECRET_KEY="test-secret")
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = _free_port()
    server = subprocess.Popen([ZSA_FLOW, "serve", "--port", str(port), "--workers", "2", "--timer-interval", "0.5"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        status, software, _ = _wait_for(lambda: _fetch(f"http://127.0.0.1:{port}/health"), 60, "GET /health")
        assert status == 200 and software.startswith("gunicorn")
        _wait_for(lambda: all(platform.case(n)["state"] == "completed" for n in numbers), 60, "Timer ausgelöst")
        for number in numbers:
            assert [e["type"] for e in platform.events(number)].count("timer_fired") == 1
        for _ in range(6):
            _fetch(f"http://127.0.0.1:{port}/ready")
        _, _, body = _fetch(f"http://127.0.0.1:{port}/metrics")
        ready = [line for line in body.splitlines()
                 if line.startswith('zsa_request_duration_seconds_count{endpoint="/ready"')]
        assert ready and float(ready[0].split()[-1]) == 6.0  # counted across both processes
        assert 'zsa_cases_completed_total{process="erinnerung"} 4.0' in body
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=60)
        engine.dispose()
    assert server.returncode == 0, err
    assert "gunicorn, 2 Prozesse" in out and "zsa-flow beendet" in out
    assert "Traceback" not in err, err
