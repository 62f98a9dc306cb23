"""Named execution strategies: how far an operation drives the engine and what it records.

The caller chooses one when it opens a case (`CaseRun(..., strategy=...)`):

- `RUN_TO_WAIT` (production): after each operation, run every automatic step until the case waits
  for a person, a message or a timer; record the full history.
- `SINGLE_STEP` (replay): operations only feed their input; the caller advances one automatic
  step at a time with `CaseRun.step()` and sees the history each step wrote.
- `SIMULATION` (discrete-event simulation): like RUN_TO_WAIT, on a clock the simulator moves and
  without a database; it skips what only the permanent record needs (data diffs of scripts) and
  steps leaner: after a task runs, its ready children run next, so the whole task tree is walked
  once per operation instead of once per pass (the same tasks run; parallel branches may
  interleave differently).

All three run the very same specs, script engine and decision engine.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Strategy:
    name: str
    run_to_wait: bool  # operations advance until the case waits (False: caller steps)
    record_data_changes: bool  # script events carry the data they changed
    follow_children: bool = False  # run ready tasks along the children of the task just run (fewer tree walks)


RUN_TO_WAIT = Strategy("run_to_wait", run_to_wait=True, record_data_changes=True)
SINGLE_STEP = Strategy("single_step", run_to_wait=False, record_data_changes=True)
SIMULATION = Strategy("simulation", run_to_wait=True, record_data_changes=False, follow_children=True)

STRATEGIES = {s.name: s for s in (RUN_TO_WAIT, SINGLE_STEP, SIMULATION)}
