"""`zsa-flow simulate` and `zsa-flow compare`: process variants on the real models and engine."""
import json
from pathlib import Path

import click

from ..errors import ZsaError
from ..simulation.report import write_report
from ..simulation.runner import stderr_progress
from ..simulation.scenario import load_scenario
from ..simulation.study import run_study
from . import echo_json, main

SERVICES = ("hundehaltung", "wohngeld")


def _progress(stage, done, total):
    if stage == "Kapazität":
        click.echo(f"Kapazität: Punkt {done} gerechnet", err=True)
        return
    if done == 1:
        click.echo(stage, err=True)
    stderr_progress(done, total)


def _run(scenario_path, output, as_json, workers, sweeps=(), target=0.9):
    scenario = load_scenario(scenario_path)
    result = run_study(scenario, sweeps, target, workers=workers, progress=_progress)
    out = Path(output)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "simulation.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        write_report(result, out / "report.html")
    except OSError as exc:
        raise ZsaError(f"{output}: Ergebnis nicht schreibbar: {exc.strerror}") from None
    if as_json:
        echo_json(result)
    else:
        click.echo(f"Ergebnis: {out / 'simulation.json'}, Bericht: {out / 'report.html'}")
        for process_id, v in result["variants"].items():
            click.echo(f"  {process_id:<34} {v['variant']:<6} Fälle {v['cases_completed']:>6}  "
                       f"Durchlaufzeit {v['cycle_time_hours']['mean'] or 0:8.1f} h  "
                       f"Aufwand {v['effort_minutes_per_case'] or 0:6.1f} min/Fall")
        comparison = result.get("comparison")
        if comparison:
            for measure, label in (("cycle_time_hours", "Durchlaufzeit"), ("effort_minutes", "Aufwand")):
                w = comparison["weighted_average"][measure]
                if w["reduction"] is not None:
                    click.echo(f"  Soll gegen Ist (fallgewichtet), {label}: {w['reduction'] * 100:.1f} % weniger "
                               f"(95-%-KI {w['ci95'][0] * 100:.1f} … {w['ci95'][1] * 100:.1f} %)")
        attribution = result.get("attribution")
        if attribution:
            for measure, label in (("cycle_time_hours", "Durchlaufzeit"), ("effort_minutes", "Aufwand")):
                m = attribution["measures"][measure]
                parts = ", ".join(f"{name} {m[key]['share'] * 100:.1f} %" for key, name in
                                  (("process", "Prozess"), ("pooling", "Bündelung"), ("it", "IT"))
                                  if m[key]["share"] is not None)
                click.echo(f"  Herkunft ({label}): {parts}")
        if result.get("sweep"):
            s = result["sweep"]
            found = ", ".join(f"{v}×: {n if n is not None else '–'}" for v, n in s["smallest_staff"].items())
            click.echo(f"  Kleinste Besetzung {s['pool']} (Ziel {s['target'] * 100:.0f} %): {found}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--output", default="simulation-output", show_default=True, help="Verzeichnis für JSON und Bericht")
@click.option("--json", "as_json", is_flag=True, help="Ergebnis-JSON auf stdout")
@click.option("--workers", type=int, default=None, help="parallele Prozesse (Standard: 2)")
@click.option("--sweep", "sweeps", multiple=True,
              help="Kapazitätsplanung: staff=POOL:1..10 und/oder volume=1.0..3.0[:0.5]")
@click.option("--target", type=click.FloatRange(0, 1), default=0.9, show_default=True,
              help="Ziel-Anteil der Fälle im Service-Level für --sweep")
def simulate(scenario, output, as_json, workers, sweeps, target):
    """Ein Simulationsszenario (YAML) auf den echten Modellen und der Engine rechnen."""
    _run(scenario, output, as_json, workers, sweeps, target)


@main.command()
@click.option("--service", type=click.Choice(SERVICES), required=True, help="Leistung")
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False), default=None,
              help="Szenario (Standard: processes/<leistung>/simulation.yaml)")
@click.option("--output", default=None, help="Verzeichnis (Standard: simulation-output/<leistung>)")
@click.option("--json", "as_json", is_flag=True, help="Ergebnis-JSON auf stdout")
@click.option("--workers", type=int, default=None, help="parallele Prozesse (Standard: 2)")
@click.option("--sweep", "sweeps", multiple=True,
              help="Kapazitätsplanung: staff=POOL:1..10 und/oder volume=1.0..3.0[:0.5]")
@click.option("--target", type=click.FloatRange(0, 1), default=0.9, show_default=True,
              help="Ziel-Anteil der Fälle im Service-Level für --sweep")
def compare(service, scenario_path, output, as_json, workers, sweeps, target):
    """Soll-Prozess gegen die Ist-Varianten einer Leistung über denselben Ankunftsstrom."""
    path = scenario_path or str(Path("processes") / service / "simulation.yaml")
    if not Path(path).is_file():
        raise ZsaError(f"{path}: Szenario nicht gefunden (im Projektverzeichnis aufrufen oder --scenario angeben)")
    _run(path, output or str(Path("simulation-output") / service), as_json, workers, sweeps, target)
