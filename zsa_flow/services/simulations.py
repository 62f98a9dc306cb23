"""Simulation runs for process owners in the browser (issue 10, item 11).

A run is a row in `simulation_run`; a background thread of the web process simulates the scenario
(simulation.study.run_study), writes its progress into the row as it goes and finally the result
document and the rendered HTML report, which the browser then reads as stored. This suits a
single-node deployment: a run that was in progress when the process stopped stays "läuft" and is
shown as interrupted after `STALE_AFTER`.

Scenario files are the library's `processes/<service>/*.yaml` below the simulation root (the
repository by default; app config SIMULATION_ROOT).
"""
import threading
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select, update

from ..errors import NotFound, ZsaError
from ..storage.tables import simulation_run

ROOT = Path(__file__).resolve().parents[2]
OWNERS_ONLY = "Nur die Prozessverantwortung rechnet Simulationen"
STALE_AFTER = timedelta(hours=6)
QUICK = {"replications": 2, "period_days": 60}  # "Kurzlauf"


def _require(scope):
    if scope is not None:
        scope.require(scope.can_deploy, OWNERS_ONLY)


def services(root=ROOT, scope=None) -> dict:
    """{service: [scenario file names]} for every service folder with scenario files."""
    _require(scope)
    found = {}
    for folder in sorted((Path(root) / "processes").iterdir()):
        files = sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []
        if files:
            found[folder.name] = files
    return found


def _scenario_path(root, service, scenario):
    files = services(root).get(service)
    if files is None:
        raise NotFound(f"Leistung '{service}' hat kein Simulationsszenario")
    if scenario not in files:
        raise NotFound(f"Szenario '{scenario}' gibt es für {service} nicht")
    return Path(root) / "processes" / service / scenario


def start(platform, service, scenario, actor, options=None, root=ROOT, scope=None, workers=None) -> int:
    """Record a run and simulate it in a background thread; returns the run id at once."""
    _require(scope)
    path = _scenario_path(root, service, scenario)
    options = dict(options or {})
    with platform.uow() as uow:
        run_id = uow.execute(insert(simulation_run).values(
            service=service, scenario=scenario, options=options, state="wartet", done=0, total=0,
            started_by=actor, created_at=platform.clock.now())).inserted_primary_key[0]
        uow.commit()
    thread = threading.Thread(target=_run, args=(platform, run_id, path, options, workers),
                              name=f"simulation-{run_id}", daemon=True)
    thread.start()
    return run_id


def _update(platform, run_id, **values):
    with platform.uow() as uow:
        uow.execute(update(simulation_run).where(simulation_run.c.id == run_id).values(**values))
        uow.commit()


def _run(platform, run_id, path, options, workers):
    from ..simulation.report import render
    from ..simulation.scenario import load_scenario
    from ..simulation.study import run_study

    try:
        _update(platform, run_id, state="läuft", stage="Szenario wird gelesen")
        scenario = load_scenario(path)
        if options.get("quick"):
            scenario.replications = min(scenario.replications, QUICK["replications"])
            scenario.period_h = min(scenario.period_h, QUICK["period_days"] * 24.0)
        sweeps = ["volume=1.0..3.0"] if options.get("sweep") else []

        def progress(stage, done, total):
            _update(platform, run_id, stage=stage, done=done, total=total)

        result = run_study(scenario, sweeps, options.get("target", 0.9), workers=workers, progress=progress)
        _update(platform, run_id, state="fertig", stage=None, result=result, report_html=render(result),
                finished_at=platform.clock.now())
    except ZsaError as exc:
        _update(platform, run_id, state="fehler", error=exc.message, finished_at=platform.clock.now())
    except Exception as exc:  # a background thread has no one else to report to
        _update(platform, run_id, state="fehler", error=f"Interner Fehler: {type(exc).__name__}: {exc}",
                finished_at=platform.clock.now())


def runs(platform, service=None, scope=None, limit=20) -> list:
    _require(scope)
    columns = [c for c in simulation_run.c if c.name not in ("result", "report_html")]
    query = select(*columns).order_by(simulation_run.c.id.desc()).limit(limit)
    if service:
        query = query.where(simulation_run.c.service == service)
    with platform.uow(readonly=True) as uow:
        return [_state(platform, dict(r)) for r in uow.execute(query).mappings()]


def run(platform, run_id, scope=None) -> dict:
    _require(scope)
    columns = [c for c in simulation_run.c if c.name not in ("result", "report_html")]
    with platform.uow(readonly=True) as uow:
        row = uow.execute(select(*columns).where(simulation_run.c.id == run_id)).mappings().first()
    if row is None:
        raise NotFound(f"Simulationslauf {run_id} nicht gefunden")
    return _state(platform, dict(row))


def _state(platform, row):
    if row["state"] in ("wartet", "läuft") and platform.clock.now() - row["created_at"] > STALE_AFTER:
        row["state"] = "abgebrochen"
    return row


def report_html(platform, run_id, scope=None) -> str:
    return _finished(platform, run_id, scope, simulation_run.c.report_html, "Bericht")


def result(platform, run_id, scope=None) -> dict:
    return _finished(platform, run_id, scope, simulation_run.c.result, "Ergebnis")


def _finished(platform, run_id, scope, column, what):
    """One stored output of a finished run (NotFound naming `what` while there is none)."""
    _require(scope)
    with platform.uow(readonly=True) as uow:
        value = uow.execute(select(column).where(simulation_run.c.id == run_id)).scalar()
    if value is None:
        raise NotFound(f"Für Simulationslauf {run_id} liegt noch kein {what} vor")
    return value
