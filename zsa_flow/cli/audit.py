"""Audit commands: verify the record, signed checkpoints, erasure, conformance."""
import json
import time

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


def _platform():
    from ..services.platform import Platform

    return Platform.connect()


@audit.command()
@click.option("--case", "case", metavar="NR", help="Nur die Kette dieses Vorgangs prüfen.")
@click.option("--checkpoint", "checkpoint_files", multiple=True, type=click.Path(dir_okay=False),
              metavar="DATEI", help="Prüfpunkt (JSON), den das heutige Protokoll fortsetzen muss (mehrfach möglich).")
@click.option("--public-key", type=click.Path(dir_okay=False), metavar="DATEI",
              help="Öffentlicher Schlüssel (PEM), mit dem die Prüfpunkte signiert sein müssen.")
@click.option("--json", "as_json", is_flag=True, help="Ergebnis als JSON.")
def verify(case, checkpoint_files, public_key, as_json):
    """Hash-Ketten, Merkle-Baum und bereitgestellte Dateien nachrechnen; Exit-Status 1 bei Befunden."""
    from ..services import checkpoints

    docs = [checkpoints.read_document(path) for path in checkpoint_files]
    trusted = checkpoints.trusted_public_key(public_key) if docs else None
    started = time.monotonic()
    report = _platform().verify(case=case, checkpoints=docs, trusted_key=trusted)
    seconds = time.monotonic() - started
    if as_json:
        echo_json({"clean": report.clean, "findings": report.findings, "notes": report.notes,
                   "events": report.events, "cases": report.cases, "files": report.files,
                   "unsequenced": report.unsequenced,
                   "tree_size": report.tree_size, "root_hash": report.root_hash, "seconds": round(seconds, 3)})
    else:
        for line in report.notes:
            click.echo(line, err=True)
        for line in report.findings:
            click.echo(line)
        if report.clean:
            what = f"Vorgang {case}" if case else f"{report.cases} Vorgänge und Prüfprotokoll, {report.files} Dateien"
            tree = "" if case and not docs else f", Merkle-Baum {report.tree_size} Blätter, Wurzel {report.root_hash[:16]}…"
            proved = f", {report.checkpoints} Prüfpunkt(e) fortgesetzt" if docs else ""
            click.echo(f"Protokoll unversehrt: {report.events} Ereignisse, {what}{tree}{proved} ({seconds:.1f} s)")
        else:
            click.echo(f"{len(report.findings)} Befund(e).", err=True)
    if not report.clean:
        raise SystemExit(1)


@audit.command()
@click.option("--output", type=click.Path(dir_okay=False), metavar="DATEI",
              help="Prüfpunkt in diese Datei schreiben (sonst auf die Standardausgabe).")
@click.option("--key", type=click.Path(dir_okay=False, exists=True), metavar="DATEI",
              help="Privater Signaturschlüssel (PEM); sonst ZSA_AUDIT_SIGNING_KEY_FILE.")
def checkpoint(output, key):
    """Neue Ereignisse in den Merkle-Baum aufnehmen, signierten Prüfpunkt (Wurzel) schreiben und speichern."""
    from ..services import checkpoints

    document = checkpoints.write_checkpoint(_platform(), checkpoints.signing_key(key) if key else None)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"Prüfpunkt geschrieben: {output} ({document['tree_size']} Ereignisse, "
                   f"Wurzel {document['root_hash'][:16]}…, Schlüssel {document['key_id']})")
    else:
        click.echo(text, nl=False)


@audit.command()
@click.option("--output", required=True, type=click.Path(dir_okay=False), metavar="DATEI",
              help="Privater Schlüssel (PEM, Modus 600); der öffentliche kommt nach DATEI.pub.")
def keygen(output):
    """Ed25519-Schlüsselpaar für Prüfpunkte erzeugen (außerhalb der Datenbank aufbewahren)."""
    from ..services.checkpoints import keygen as make_key

    key_id = make_key(output)
    click.echo(f"Schlüssel {key_id} geschrieben: {output} (privat) und {output}.pub (öffentlich). "
               f"ZSA_AUDIT_SIGNING_KEY_FILE={output} setzen.")


@audit.command()
@click.option("--dry-run", is_flag=True, help="Nur anzeigen, welche Vorgänge gelöscht würden.")
@click.option("--user", default="cli", help="Wer löscht (steht im Ereignis case_erased).")
def erase(dry_run, user):
    """Personenbezogene Daten von Vorgängen nach Ablauf der Aufbewahrungsfrist löschen (Schlüssel vernichten)."""
    from ..services.erasure import erase_due

    result = erase_due(_platform(), actor=user, dry_run=dry_run)
    for item in result["cases"]:
        click.echo(f"{item['number']}: {'würde gelöscht' if dry_run else 'gelöscht'} "
                   f"(beendet {item['ended_at'][:10]}, Frist {item['retention']})"
                   + (f"; {item['plaintext_events']} ältere unverschlüsselte Ereignisse bleiben lesbar"
                      if item["plaintext_events"] else ""))
    for line in result["skipped"]:
        click.echo(line, err=True)
    click.echo(f"{len(result['cases'])} Vorgänge {'fällig' if dry_run else 'gelöscht'}.")
