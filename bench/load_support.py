"""Pieces of the load and fault runs: a dedicated database, the servers, HTTP clients, a webhook
receiver and the checks afterwards (bench/load.py and bench/faults.py use them)."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlalchemy import func, select, text

from zsa_flow.services import sequencer, tokens, users
from zsa_flow.services.history import verify_rows
from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine
from zsa_flow.storage.tables import event, human_task, outbox, timer, vorgang

ZSA_FLOW = str(Path(sys.executable).parent / "zsa-flow")
MODELS = Path(__file__).resolve().parent / "load_models"
SERVER = "postgresql://postgres@127.0.0.1:5432"
PROCESS = "last_antrag"
KOMMUNE = "15003000"


def bench_database(suffix):
    """The dedicated database of a run: `zsa_<suffix>`, or `<name>_<suffix>` when ZSA_DATABASE_URL names a
    PostgreSQL database (several people can then share one server)."""
    configured = os.environ.get("ZSA_DATABASE_URL", "")
    if configured.startswith("postgres") and "/" in configured.split("://", 1)[1]:
        name = configured.rsplit("/", 1)[1].split("?", 1)[0]
        if name:
            return f"{name}_{suffix}"
    return f"zsa_{suffix}"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(name):
    """Drop and create `name` on the local PostgreSQL; migrate, deploy, accounts. Returns (url, tokens)."""
    admin = make_engine(f"{SERVER}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = f"{SERVER}/{name}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    platform = Platform.connect(url)
    sync_kommunen(platform)
    platform.deploy([str(MODELS)])
    users.add_account(platform, "portal", "Online-Portal (Last)", ["schnittstelle"], kommunen=[KOMMUNE])
    issued = {"portal": tokens.issue_token(platform, "portal")}
    for i in range(50):
        name_ = f"sb{i:02d}"
        users.add_account(platform, name_, f"Sachbearbeitung {i}", ["zsa-sachbearbeitung"], groups=["zsa-team"],
                          kommunen=[KOMMUNE])
        issued[name_] = tokens.issue_token(platform, name_)
    platform.engine.dispose()
    return url, issued


def drop_database(name):
    admin = make_engine(f"{SERVER}/postgres").execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Receiver:
    """A webhook receiver on a free loopback port: counts deliveries per delivery id."""

    def __init__(self):
        self.seen = Counter()
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                json.loads(body)
                with lock:
                    receiver.seen[self.headers["X-ZSA-Delivery-Id"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


class Cluster:
    """gunicorn (`zsa-flow serve --workers 2 --no-timers`) and two `zsa-flow worker` processes."""

    def __init__(self, url, workdir, receiver_url):
        self.url, self.port = url, free_port()
        config = Path(workdir) / "outbox.json"
        config.write_text(json.dumps({"messages": {"bescheid_versandt": {"url": receiver_url, "secret": "last"}},
                                      "retry": {"max_attempts": 20, "base_seconds": 1, "max_seconds": 10}}))
        self.env = dict(os.environ, ZSA_DATABASE_URL=url, ZSA_SECRET_KEY="lasttest-" + os.urandom(8).hex(),
                        ZSA_OUTBOX_CONFIG=str(config), ZSA_LOG_FORMAT="json")
        self.logs = Path(workdir)
        self.server = None
        self.workers = []

    def start(self):
        self.server = self._spawn(["serve", "--port", str(self.port), "--workers", "2", "--threads", "8",
                                   "--no-timers"], "serve.log")
        self.workers = [self._spawn(["worker", "--interval", "1"], f"worker-{i}.log") for i in range(2)]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", "/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("server not ready; see " + str(self.logs / "serve.log"))

    def _spawn(self, args, log):
        handle = open(self.logs / log, "ab")
        return subprocess.Popen([ZSA_FLOW, *args], env=self.env, stdout=handle, stderr=handle)

    def app_server_pids(self):
        """The gunicorn worker processes (children of the master)."""
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def kill_worker(self, index):
        """kill -9 one `zsa-flow worker` and start a new one in its place."""
        old = self.workers[index]
        old.send_signal(signal.SIGKILL)
        old.wait()
        self.workers[index] = self._spawn(["worker", "--interval", "1"], f"worker-{index}.log")
        return old.pid

    def stop(self):
        for proc in [self.server, *self.workers]:
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [self.server, *self.workers]:
            if proc is not None:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()


_local = threading.local()


def request(port, method, path, body=None, token=None, headers=None, timeout=30):
    """(status, JSON body) over a keep-alive connection of this thread."""
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(_local, "port", None) != port:
        conn = _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        _local.port = port
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=all_headers)
        response = conn.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.conn = None
        raise
    try:
        return response.status, json.loads(data) if data else None
    except ValueError:
        return response.status, None


def wait_settled(url, seconds=60):
    """Wait until no timer is due and the outbox is delivered (or `seconds` pass)."""
    engine = make_engine(url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                due = conn.execute(select(func.count()).select_from(timer)
                                   .where(timer.c.due_at <= func.now())).scalar()
                pending = conn.execute(select(func.count()).where(outbox.c.state != "delivered")).scalar()
            if not due and not pending:
                return True
            time.sleep(1)
        return False
    finally:
        engine.dispose()


def check(url, accepted_keys, completed_tasks, receiver):
    """The invariants after a run; returns [(name, value, ok)]."""
    engine = make_engine(url)
    results = []
    with engine.connect() as conn:
        keys = Counter(dict(conn.execute(select(vorgang.c.business_key, func.count()).group_by(vorgang.c.business_key)).all()))
        lost = [k for k in accepted_keys if keys.get(k, 0) == 0]
        duplicated = [k for k, n in keys.items() if n > 1]
        results += [("accepted applications", len(accepted_keys), True), ("lost", len(lost), not lost),
                    ("duplicated", len(duplicated), not duplicated)]
        done = dict(conn.execute(select(human_task.c.id, human_task.c.completed_by)
                                 .where(human_task.c.state == "completed")).all())
        missing = [t for t, user in completed_tasks.items() if done.get(t) != user]
        # the load process has one user task per case: one task_completed event per case at most
        completion_events = Counter(conn.execute(select(event.c.case_id).where(event.c.type == "task_completed"))
                                    .scalars())
        twice = [t for t, n in completion_events.items() if n > 1]
        results += [("acknowledged completions", len(completed_tasks), True),
                    ("completions not recorded", len(missing), not missing),
                    ("completions recorded twice", len(twice), not twice)]
        fired = Counter(conn.execute(select(event.c.case_id).where(event.c.type == "timer_fired")).scalars())
        waiting = conn.execute(select(func.count()).select_from(timer).where(timer.c.due_at <= func.now())).scalar()
        results += [("timers fired", sum(fired.values()), True),
                    ("timers fired twice", sum(1 for n in fired.values() if n > 1), all(n == 1 for n in fired.values())),
                    ("due timers not fired", waiting, waiting == 0)]
        rows = conn.execute(select(outbox.c.delivery_id, outbox.c.state)).all()
        undelivered = [r for r in rows if r.state != "delivered" or r.delivery_id not in receiver.seen]
        results += [("messages delivered", len(rows) - len(undelivered), True),
                    ("messages not delivered", len(undelivered), not undelivered),
                    ("redeliveries (deduplicated by delivery id)", sum(n - 1 for n in receiver.seen.values()), True)]
        numbers = dict(conn.execute(select(vorgang.c.id, vorgang.c.number)).all())
        chains = defaultdict(list)
        for row in conn.execute(select(event).order_by(event.c.case_id, event.c.seq)).mappings():
            row = dict(row, at=row["at"].isoformat())
            chains[row["case_id"]].append(row)
        broken = [numbers[c] for c, rows_ in chains.items() if verify_rows(numbers[c], rows_)]
        results += [("event chains verified", len(chains), True), ("broken chains", len(broken), not broken)]
        total = conn.execute(select(func.count()).select_from(event)).scalar()
        behind = sequencer.pending(conn)
    engine.dispose()
    # the audit log: the workers sequenced during the run; what committed since their last round
    # follows now, then the whole record is verified (chains in log order, the Merkle tree, files)
    platform = Platform.connect(url)
    try:
        sequencer.sequence(platform)
        report = platform.verify()
    finally:
        platform.engine.dispose()
    results += [("events not yet in the audit log after the workers' rounds", behind, True),
                ("audit log: events in the Merkle tree", report.tree_size, report.tree_size == total),
                ("audit verify findings", len(report.findings), report.clean),
                ("events never logged", report.unsequenced, report.unsequenced == 0)]
    for line in report.findings[:5]:
        print("  " + line)
    return results
