"""Migration commands: move running cases to another process version, or undo a migration."""
import click

from ..errors import ValidationFailed
from ..services.migration import STATUS_LABELS as STATUS
from ..services.migration import read_mapping_text
from . import echo_json, main

def read_mapping(path):
    """A mapping file: JSON or YAML `{alte-element-id: neue-element-id}`."""
    if path is None:
        return {}
    with open(path, encoding="utf-8") as f:
        return read_mapping_text(f.read(), source=path)


@main.command()
@click.argument("process_id", required=False)
@click.option("--from", "from_version", type=int, help="Version, auf der die Vorgänge laufen.")
@click.option("--to", "to_version", type=int, help="Zielversion.")
@click.option("--case", "cases", multiple=True, help="Nur diese Vorgänge (mehrfach möglich).")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False), help="Umbenannte Element-IDs (JSON/YAML).")
@click.option("--dry-run", is_flag=True, help="Nur prüfen, nichts ändern.")
@click.option("--undo", "undo_number", metavar="NR", help="Letzte Migration dieses Vorgangs rückgängig machen.")
@click.option("--user", default="system", help="Wer migriert (für die Historie).")
@click.option("--json", "as_json", is_flag=True)
def migrate(process_id, from_version, to_version, cases, mapping, dry_run, undo_number, user, as_json):
    """Laufende Vorgänge auf eine andere Prozessversion umstellen."""
    from ..services.platform import Platform

    platform = Platform.connect()
    if undo_number:
        platform.undo_migration(undo_number, actor=user)
        click.echo(f"{undo_number}: Migration rückgängig gemacht")
        return
    if not process_id or from_version is None or to_version is None:
        raise ValidationFailed("Bitte PROZESS, --from und --to angeben (oder --undo NR)")
    summary = platform.migrate(process_id, from_version, to_version, numbers=list(cases) or None,
                               mapping=read_mapping(mapping), dry_run=dry_run, actor=user)
    if as_json:
        echo_json(summary)
        return
    for r in summary["cases"]:
        extra = f": {r['reason']}" if r["reason"] else ""
        changed = f" (geänderte Aufgaben: {', '.join(r['changed_tasks'])})" if r["changed_tasks"] else ""
        click.echo(f"{r['number']}: {STATUS[r['status']]}{extra}{changed}")
    counts = ", ".join(f"{n} {STATUS[s]}" for s, n in sorted(summary["counts"].items())) or "keine Vorgänge"
    verb = "Probelauf" if dry_run else "Migration"
    click.echo(f"{verb} {process_id} v{summary['from_version']} → v{summary['to_version']}: {counts}")
