"""Replay benchmark: a typical Wohngeld case (~40 events) replayed step by step on its version.

    python -m bench.audit_replay [N]

Runs one online Wohngeld application (documents requested and delivered, granted, paid, reminded)
through the service layer on SQLite (PostgreSQL when ZSA_DATABASE_URL points there), then replays
it N times (default 50). Prints the median and 95th percentile per replay, with and without the
per-step snapshots the browser page needs. Target: median < 50 ms (issue 9).
`replay_figures()` returns the figures for bench/audit.py to print side by side.
"""
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from zsa_flow.clock import FakeClock
from zsa_flow.services.platform import Platform
from zsa_flow.services.reference import sync_kommunen
from zsa_flow.services.replay import replay_case
from zsa_flow.storage import migrate
from zsa_flow.storage.db import make_engine

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0
APPLICATION = {
    "familienname": "Muster", "vorname": "Erika", "geburtsdatum": "1980-04-02", "strasse": "Marktplatz",
    "hausnummer": "1", "postleitzahl": "06108", "wohnort": "Halle (Saale)", "haushaltsmitglieder": [
        {"name": "Erika Muster", "beziehung": "antragsteller", "geburtsdatum": "1980-04-02", "bruttolohn_m": 2200,
         "zahlt_steuern": True, "zahlt_kv_pv": True, "zahlt_rv": True},
        {"name": "Paul Muster", "beziehung": "ehegatte", "geburtsdatum": "1978-11-20"}],
    "bruttokaltmiete_m": 550, "vermoegen": 0, "transferleistung_bezug": False,
    "kontoinhaber": "Erika Muster", "iban": "DE02120300000000202051", "angaben_bestaetigt": True,
}
STEPS = [  # (task name, form data, user): the typical path of an online application
    ("Vollständigkeit prüfen", {"unterlagen_vollstaendig": False, "fehlende_nachweise": [
        "Mietbescheinigung des Vermieters"], "nachforderung_hinweis": "Bitte die Mietbescheinigung nachreichen."}, "anna"),
    ("unterlagen_eingegangen", {"nachweise": ["Mietbescheinigung des Vermieters"]}, "portal"),
    ("Vollständigkeit prüfen", {"unterlagen_vollstaendig": True, "pruefvermerk": "Mietbescheinigung liegt vor."}, "anna"),
    ("Plausibilität und Vorrang prüfen (SGB II/XII)", {"transferleistung_bezug": False, "rueckfrage_noetig": False}, "anna"),
    ("Bescheidentwurf erstellen", {"vorschlag": "bewilligung", "bewilligung_monate": 12,
                                   "begruendung": "Anspruch nach § 19 WoGG: 253 € monatlich."}, "anna"),
    ("Über den Antrag entscheiden", {"entscheidung": "bewilligung", "bewilligung_monate": 12}, "bernd"),
    ("Laufende Zahlung anweisen (§ 26 WoGG)", {"kassenzeichen": "WOGG-2026-000001", "iban": "DE02120300000000202051",
                                              "erste_zahlung_am": "2026-03-10"}, "kasse1"),
]


DIRECT = STEPS[2:]  # complete at once: no documents requested


def typical_wohngeld_case(zsa, clock, kommune="15002000", steps=STEPS):
    """Run the typical Wohngeld case to its end; its case number (library must be deployed)."""
    number = zsa.deliver_message(None, "antrag_wohngeld", data=APPLICATION | {
        "antragsdatum": clock.now().date().isoformat()}, kommune=kommune, actor="portal")
    for name, data, user in steps:
        clock.advance(timedelta(hours=20))
        if user == "portal":
            zsa.deliver_message(number, name, data, actor="portal")
            continue
        if "erste_zahlung_am" in data:  # paid from the day of the instruction, never before the application
            data = data | {"erste_zahlung_am": clock.now().date().isoformat()}
        task = next(t for t in zsa.tasks(case=number) if t["name"] == name)
        if "erste_zahlung_am" in data:  # a first payment is never before the application
            data = data | {"erste_zahlung_am": (clock.now() + timedelta(days=1)).date().isoformat()}
        zsa.claim(task["id"], user=user)
        zsa.complete(task["id"], data, user=user)
    reminder = datetime.fromisoformat(zsa.case(number)["data"]["erinnerung_am"]).replace(hour=8, tzinfo=timezone.utc)
    clock.set(max(clock.now(), reminder))
    zsa.tick()
    return number


def _platform(tmp):
    url = os.environ.get("ZSA_DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"sqlite:///{tmp}/bench.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    clock = FakeClock()
    zsa = Platform.connect(url, clock=clock)
    sync_kommunen(zsa)
    zsa.deploy([str(ROOT / "processes" / "wohngeld"), str(ROOT / "forms" / "wohngeld")])
    return zsa, clock, url


def _measure(zsa, number, rounds, snapshots):
    """(median wall ms, p95 wall ms, median CPU ms, events): CPU time is printed beside wall time
    because a shared, loaded machine inflates wall time with waiting for a core."""
    times, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = replay_case(zsa, number, snapshots=snapshots)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert result["consistent"], result["divergence"]
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.median(cpu), len(result["trail"])


def replay_figures(rounds=50):
    """{"events", "median_ms", "p95_ms", "median_ms_snapshots", "target_ms", "ratio"} of a typical case."""
    with tempfile.TemporaryDirectory() as tmp:
        zsa, clock, url = _platform(tmp)
        number = typical_wohngeld_case(zsa, clock)
        replay_case(zsa, number)  # warm: parsed version cached as in a running server
        median, p95, cpu, events = _measure(zsa, number, rounds, snapshots=False)
        median_s, p95_s, cpu_s, _ = _measure(zsa, number, rounds, snapshots=True)
        zsa.engine.dispose()
    return {"backend": url.split(":")[0], "events": events, "median_ms": round(median, 1), "p95_ms": round(p95, 1),
            "cpu_ms": round(cpu, 1), "median_ms_snapshots": round(median_s, 1), "p95_ms_snapshots": round(p95_s, 1),
            "cpu_ms_snapshots": round(cpu_s, 1), "target_ms": TARGET_MS, "ratio": round(median_s / TARGET_MS, 2),
            "load": round(os.getloadavg()[0], 1)}


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    f = replay_figures(rounds)
    print(f"replay typical Wohngeld case ({f['events']} events, {f['backend']}, load average {f['load']}): "
          f"median {f['median_ms']} ms (CPU {f['cpu_ms']} ms), p95 {f['p95_ms']} ms (CLI, no snapshots); "
          f"with snapshots (browser) median {f['median_ms_snapshots']} ms (CPU {f['cpu_ms_snapshots']} ms), "
          f"p95 {f['p95_ms_snapshots']} ms")
    print(f"ratio {f['ratio']} (median with snapshots / target {f['target_ms']:.0f} ms; target <= 1.0)")


if __name__ == "__main__":
    main()
