"""Runs inside bench/.venv-prosimos: simulate N cases with Prosimos and print CPU seconds and the
number of task start/end events as JSON. Usage: prosimos_run.py BPMN JSON CASES OUTDIR"""
import csv
import json
import sys
import time
from pathlib import Path

from prosimos.simulation_engine import run_simulation

bpmn, params, cases, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
log = out / "log.csv"
started = time.process_time()
run_simulation(bpmn, params, cases, str(out / "stats.csv"), str(log), "2026-01-01T00:00:00.000000+00:00")
seconds = time.process_time() - started
with open(log, newline="") as fh:
    rows = list(csv.DictReader(fh))
print(json.dumps({"seconds": seconds, "events": 2 * len(rows), "cases": cases}))
