"""Audit commands: verify the record, checkpoints, erasure, conformance."""
import click

from . import echo_json, main


@main.group()
def audit():
    """Prüfung: Protokoll verifizieren, Prüfpunkte, Löschung, Konformität."""


def _de_number(value, digits=1):
    return f"{value:,.{digits}f}".replace(",", "X").replace(".", ",").replace("X", ".")


@audit.command("conformance")
@click.argument("process_id")
@click.option("--version", type=int, help="Version (Standard: die neueste).")
@click.option("--skip-replay", is_flag=True, help="Vorgänge nicht wiederholen (nur Varianten und Modellpfade).")
@click.option("--json", "as_json", is_flag=True)
@click.option("--user", default="system", help="Wer prüft (wird im Zugriffsprotokoll vermerkt).")
def conformance(process_id, version, skip_replay, as_json, user):
    """Varianten, nie durchlaufene Modellpfade und abweichende Vorgänge eines Prozesses."""
    from ..services.conformance import conformance_report
    from ..services.platform import Platform
    from ..services.replay import note_access

    platform = Platform.connect()
    note_access(platform, user, "conformance", process_id=process_id)
    report = conformance_report(platform, process_id, version, replay=not skip_replay)
    if as_json:
        echo_json(report)
        return
    click.echo(f"Konformität {report['process_id']} Version {report['version']} – {report['name']}")
    click.echo(f"{report['cases']} Vorgänge ({report['ended']} beendet, {report['running']} laufend), "
               f"{report['model_paths']} Modellpfade (Schleifen höchstens einmal)")
    click.echo(f"Varianten ({len(report['variants'])}):")
    for i, v in enumerate(report["variants"], 1):
        median = f"Median {_de_number(v['median_days'])} Tage" if v["median_days"] is not None else "ohne Dauer"
        where = "im Modell" if v["in_model"] else "NICHT unter den Modellpfaden"
        click.echo(f"  {i}. {v['count']} × ({_de_number(v['share'] * 100)} %), {median}, {where}: "
                   + " → ".join(v["steps"]))
    click.echo(f"Nie durchlaufene Modellpfade ({len(report['unused_paths'])}):")
    for p in report["unused_paths"]:
        click.echo("  - " + " → ".join(p["steps"]))
    if not report["replayed"]:
        click.echo("Wiederholung übersprungen")
    elif not report["divergent"]:
        click.echo(f"Abweichende Vorgänge: keine ({report['cases']} Vorgänge wiederholt, alle replay consistent)")
    else:
        click.echo(f"Abweichende Vorgänge ({len(report['divergent'])}):")
        for d in report["divergent"]:
            click.echo(f"  {d['number']}: Schritt {d['step'] or '–'}: {d['message']} – Ursache: {d['cause']}")
