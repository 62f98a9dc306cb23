"""Audit commands for one case or process: `replay NR` and `export xes|csv`."""
import sys

import click

from . import echo_json, main
from ..services.replay_compare import canonical


def _platform():
    from ..services.platform import Platform

    return Platform.connect()


def _short(value, limit=110):
    if not value:
        return ""
    text = canonical(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_replay(result):
    """The numbered trail and the verdict, as the CLI prints them."""
    click.echo(f"Wiederholung {result['number']} – {result['process_name']} ({result['process_id']}, "
               f"Version {result['version']}), Kommune {result['kommune']}")
    for step in result["trail"]:
        what = f"{step['label']}: {step['element_name']}" if step["element_name"] else step["label"]
        click.echo(f"{step['step']:>3}  {step['time']}  {what[:60]:<60}  {(step['actor'] or '')[:16]:<16}  "
                   f"{_short(step['changed'])}".rstrip())
    chain = "intakt" if not result["chain"] else f"{len(result['chain'])} Befund(e)"
    files = "unverändert" if not result["changed_files"] else ", ".join(f["path"] for f in result["changed_files"])
    click.echo(f"Kette: {chain} · bereitgestellte Dateien: {files} · Prüfpunkt: kein Prüfpunkt · "
               f"Endzustand: {result['final']['state']} · {result['ms']} ms")
    if result["consistent"]:
        click.echo("replay consistent")
        return
    d = result["divergence"]
    where = f" bei Schritt {d['step']}" if d.get("step") else ""
    where += f" (Ereignis {d['seq']})" if d.get("seq") else ""
    click.echo(f"replay diverges{where}: {d['message']}")
    click.echo(f"  wahrscheinliche Ursache: {d['cause']}")


@main.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Ergebnis als JSON (Schritte, Zustände, Befunde).")
@click.option("--user", default="system", help="Wer prüft (wird im Zugriffsprotokoll vermerkt).")
def replay(number, as_json, user):
    """Vorgang NR schrittweise auf seiner Version wiederholen und mit der Aufzeichnung vergleichen."""
    from ..services.replay import note_access, replay_case

    platform = _platform()
    note_access(platform, user, "replay", case_number=number)
    result = replay_case(platform, number, snapshots=as_json)
    if as_json:
        echo_json(result)
    else:
        print_replay(result)
    if not result["consistent"]:
        sys.exit(1)


@main.group()
def export():
    """Ereignisprotokolle für Process Mining exportieren (XES, CSV)."""


def _export_options(command):
    options = [
        click.option("--process", "process_id", required=True, help="Prozess-ID, z. B. wohngeld."),
        click.option("--version", type=int, help="Nur diese Version (Standard: alle)."),
        click.option("--kommune", help="Nur Vorgänge dieser Kommune (AGS)."),
        click.option("--from", "day_from", help="Vorgänge begonnen ab diesem Tag (TT.MM.JJJJ oder JJJJ-MM-TT)."),
        click.option("--to", "day_to", help="Vorgänge begonnen bis einschließlich diesem Tag."),
        click.option("--output", "-o", type=click.Path(dir_okay=False), help="Zieldatei (Standard: Standardausgabe)."),
        click.option("--pseudonymise", is_flag=True,
                     help="Vorgangsnummern und Benutzernamen durch Schlüssel-Hashes ersetzen (ZSA_PSEUDONYM_KEY)."),
        click.option("--include-running", is_flag=True, help="Auch laufende, gestörte und abgebrochene Vorgänge."),
        click.option("--user", default="system", help="Wer exportiert (wird im Zugriffsprotokoll vermerkt)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _export(kind, process_id, version, kommune, day_from, day_to, output, pseudonymise, include_running, user):
    from ..services import export as ex
    from ..services.replay import note_access

    platform = _platform()
    header, cases = ex.export_rows(platform, process_id, version, kommune, ex.parse_day(day_from, "--from"),
                                   ex.parse_day(day_to, "--to"), include_running, pseudonymise)
    note_access(platform, user, f"export {kind}", process_id=process_id)
    if kind == "xes":
        out = open(output, "wb") if output else sys.stdout.buffer
        counts = ex.write_xes(out, header, cases)
    else:
        out = open(output, "w", newline="", encoding="utf-8") if output else sys.stdout
        counts = ex.write_csv(out, header, cases)
    if output:
        out.close()
        click.echo(f"{counts[0]} Vorgänge, {counts[1]} Ereignisse nach {output} geschrieben", err=True)


@export.command("xes")
@_export_options
def export_xes(**options):
    """IEEE-1849-XES-Protokoll abgeschlossener Vorgänge eines Prozesses."""
    _export("xes", **options)


@export.command("csv")
@_export_options
def export_csv(**options):
    """Dasselbe als CSV (eine Zeile je Ereignis)."""
    _export("csv", **options)
