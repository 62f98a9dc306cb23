"""Process versions: `zsa-flow versions`, `diff`, `suspend`, `resume`."""
import click

from . import echo_json, echo_rows, main


def _platform():
    from ..services.platform import Platform

    return Platform.connect()


@main.command()
@click.argument("process_id")
@click.option("--json", "as_json", is_flag=True)
def versions(process_id, as_json):
    """Alle Versionen eines Prozesses mit laufenden/beendeten Vorgängen."""
    from ..services import versions as service

    echo_rows(service.versions(_platform(), process_id), as_json, lambda r: (
        f"v{r['version']:<4} {r['deployed_at']:%d.%m.%Y %H:%M} {r['deployed_by'] or '-':<12} "
        f"{r['source'] or '-':<18} laufend {r['running']:<5} beendet {r['finished']:<5}"
        + (" AUSGESETZT" if r["suspended_at"] else "")))


@main.command()
@click.argument("process_id")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True)
def diff(process_id, old, new, as_json):
    """Änderungen zwischen zwei Versionen eines Prozesses (Elemente, Formulare, DMN-Regeln)."""
    from ..services import versions as service

    result = service.diff(_platform(), process_id, old, new)
    if as_json:
        echo_json(result)
        return
    click.echo(f"{process_id}: Version {old} → {new}: {len(result['changes'])} Änderungen")
    for c in result["changes"]:
        click.echo(f"  [{c['kind']}] {c['element_id'] or c['element_name'] or '-'}: {c['text']}")
        if c["before"] is not None or c["after"] is not None:
            if c["kind"] == "changed":
                click.echo(f"      vorher: {_short(c['before'])}")
                click.echo(f"      nachher: {_short(c['after'])}")


def _short(text, limit=160):
    text = " ".join(str(text).split()) if text is not None else "–"
    return text if len(text) <= limit else text[:limit - 1] + "…"


@main.command()
@click.argument("process_id")
@click.argument("version", type=int)
@click.option("--user", default="cli")
def suspend(process_id, version, user):
    """Version aussetzen: keine neuen Vorgänge (laufende gehen weiter)."""
    from ..services import versions as service

    service.set_suspended(_platform(), process_id, version, True, user)
    click.echo(f"{process_id} Version {version} ausgesetzt")


@main.command()
@click.argument("process_id")
@click.argument("version", type=int)
@click.option("--user", default="cli")
def resume(process_id, version, user):
    """Ausgesetzte Version wieder freigeben."""
    from ..services import versions as service

    service.set_suspended(_platform(), process_id, version, False, user)
    click.echo(f"{process_id} Version {version} wieder freigegeben")
