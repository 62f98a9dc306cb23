"""Task list benchmark: the inbox pages with 100,000 open tasks over 25 Kommunen.

    python -m bench.inbox [N_TASKS] [REQUESTS]

With ZSA_DATABASE_URL pointing to PostgreSQL the run uses the dedicated database `<its name>_inbox_bench`
on that server (created and dropped; the named database itself is not touched); otherwise a temporary
SQLite file.
Seeds a fresh database (bulk inserts: Kommunen, cases, open tasks, candidate rows), then
requests the list page, a filter (Kommune + service) and a search through the Flask test client as
a ZSA caseworker serving all 25 Kommunen and as a municipal clerk of one Kommune, REQUESTS times
each (after a warm-up). Prints p50/p95 per page; the last line is the worst p95 (target < 50 ms, issue 14).
This is a benchmark, not a test: nothing fails when the target is missed.
"""
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select

from zsa_flow.clock import FakeClock
from zsa_flow.services import users
from zsa_flow.services.platform import Platform
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine
from zsa_flow.storage.tables import human_task, kommune, process_definition, task_candidate, vorgang
from zsa_flow.web import create_app

MODELS = Path(__file__).resolve().parent / "models"
KOMMUNEN = [(f"159{n:05d}", f"Benchstadt {n:02d}") for n in range(1, 26)]  # benchmark data, not real AGS
TASKS = [("Antrag prüfen", "pruefen", "zsa-team"), ("Bescheid entwerfen", "entwurf", "zsa-team"),
         ("Nachweis prüfen", "nachweis", "zsa-team"), ("Bescheid erlassen", "bescheid", "ordnungsamt")]
FIRST = ["Anna", "Ben", "Clara", "David", "Erika", "Felix", "Greta", "Hans", "Ida", "Jonas", "Karla", "Lukas"]
LAST = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann"]
PASSWORD = "Benchmark-Passwort-1"
CHUNK = 5000
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)


def seed(platform, n_tasks):
    """Bulk-insert n_tasks open tasks (one per case) round-robin over the 25 Kommunen."""
    rnd = random.Random(7)
    platform.deploy([str(MODELS)])
    with platform.engine.begin() as conn:
        conn.execute(insert(kommune), [{"ags": a, "name": n, "demo": True} for a, n in KOMMUNEN])
        definitions = [(r.id, r.process_id) for r in conn.execute(select(process_definition.c.id, process_definition.c.process_id))]
    for start in range(0, n_tasks, CHUNK):
        cases, tasks, candidates = [], [], []
        for i in range(start, min(start + CHUNK, n_tasks)):
            definition_id, process_id = definitions[i % len(definitions)]
            ags = KOMMUNEN[i % len(KOMMUNEN)][0]
            created = NOW - timedelta(minutes=rnd.randint(0, 60 * 24 * 90))
            number = f"BENCH-2026-{i + 1:06d}"
            cases.append({"id": i + 1, "number": number, "definition_id": definition_id, "process_id": process_id,
                          "kommune": ags, "title": f"{rnd.choice(FIRST)} {rnd.choice(LAST)}", "state": "running",
                          "data": {}, "lock_version": 1, "created_at": created, "updated_at": created})
            name, task_def, group = TASKS[i % len(TASKS)]
            task_id = str(uuid.UUID(int=rnd.getrandbits(128)))
            assignee = rnd.choice(["anna", "bernd", "clara"]) if rnd.random() < 0.1 else None
            tasks.append({"id": task_id, "case_id": i + 1, "case_number": number, "process_id": process_id,
                          "kommune": ags, "task_def": task_def, "name": name, "candidate_groups": [group],
                          "candidate_users": [], "assignee": assignee, "priority": rnd.choice([30, 50, 50, 70]),
                          "state": "open", "created_at": created, "due_at": created + timedelta(days=30) if i % 5 else None,
                          "follow_up_at": created + timedelta(days=20) if rnd.random() < 0.3 else None,
                          "lock_version": 1})
            candidates.append({"task_id": task_id, "kind": "group", "value": group})
        with platform.engine.begin() as conn:
            conn.execute(insert(vorgang), cases)
            conn.execute(insert(human_task), tasks)
            conn.execute(insert(task_candidate), candidates)
    if platform.engine.dialect.name == "postgresql":
        # What autovacuum gives a running PostgreSQL: statistics and the visibility map
        # (index-only scans without heap fetches).
        with platform.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
        return
    with platform.engine.begin() as conn:
        # What a long-running SQLite deployment has through `PRAGMA optimize`: planner statistics.
        conn.exec_driver_sql("ANALYZE")


def _postgres_database(server_url, drop=False):
    """A fresh dedicated database on the server of `server_url` (or drop it); returns its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    base = make_url(make_engine(server_url).url)
    name = f"{base.database or 'zsa'}_inbox_bench"
    admin = make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def login(client, username):
    import re

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, "login failed"


def measure(client, url, requests):
    """Milliseconds per request (after three warm-up requests)."""
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return times


def p95(times):
    return statistics.quantiles(times, n=20)[18]


def main(argv):
    n_tasks = int(argv[1]) if len(argv) > 1 else 100_000
    requests = int(argv[2]) if len(argv) > 2 else 50
    pg_url = os.environ.get("ZSA_DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        url = _postgres_database(pg_url) if pg_url.startswith("postgres") else f"sqlite:///{tmp}/bench.db"
        print(f"database: {'PostgreSQL' if pg_url.startswith('postgres') else 'SQLite'}")
        migrate.upgrade(make_engine(url))
        platform = Platform.connect(url, clock=FakeClock(NOW))
        started = time.perf_counter()
        seed(platform, n_tasks)
        print(f"seeded {n_tasks} open tasks over {len(KOMMUNEN)} Kommunen in {time.perf_counter() - started:.1f} s")
        all_ags = [a for a, _ in KOMMUNEN]
        users.add_account(platform, "anna", "Anna ZSA", ["zsa-sachbearbeitung"], groups=["zsa-team"],
                          kommunen=all_ags, password=PASSWORD)
        users.add_account(platform, "olaf", "Olaf Ordnungsamt", ["kommune"], groups=["ordnungsamt"],
                          kommunen=[all_ags[2]], password=PASSWORD)
        app = create_app({"PLATFORM": platform, "TESTING": True, "SECRET_KEY": "bench"})
        process = "bench_drei_aufgaben"
        pages = {
            "anna": {"list": "/aufgaben?ansicht=gruppe",
                     "filter": f"/aufgaben?ansicht=alle&kommune={all_ags[7]}&prozess={process}",
                     "search": "/aufgaben?ansicht=alle&suche=Erika+Kr",
                     "search-number": "/aufgaben?ansicht=alle&suche=BENCH-2026-0420"},
            "olaf": {"list": "/aufgaben?ansicht=gruppe",
                     "filter": f"/aufgaben?ansicht=alle&kommune={all_ags[2]}&prozess=erinnerung_loop",
                     "filter-empty": f"/aufgaben?ansicht=alle&kommune={all_ags[2]}&prozess={process}",
                     "search": "/aufgaben?ansicht=alle&suche=Schulz"},
        }
        worst = 0.0
        print(f"{'user':6} {'page':14} {'p50 ms':>8} {'p95 ms':>8}")
        for username, urls in pages.items():
            client = app.test_client()
            login(client, username)
            for name, page_url in urls.items():
                times = measure(client, page_url, requests)
                worst = max(worst, p95(times))
                print(f"{username:6} {name:14} {statistics.median(times):8.1f} {p95(times):8.1f}")
        platform.engine.dispose()
        if pg_url.startswith("postgres"):
            _postgres_database(pg_url, drop=True)
    print(f"worst p95 {worst:.1f} ms (target < 50 ms, {n_tasks} open tasks, {requests} requests per page)")


if __name__ == "__main__":
    main(sys.argv)
