"""Operations commands: outbox (list, retry, deliver), backup, restore."""
import click

from ..errors import ZsaError
from . import echo_rows, main


def _platform():
    from ..services.platform import Platform

    return Platform.connect()


@main.group()
def outbox():
    """Postausgang: Nachrichten an Portal, Register und per E-Mail."""


@outbox.command("list")
@click.option("--state", type=click.Choice(["pending", "delivered", "dead"]),
              help="Nur Nachrichten in diesem Zustand (dead = nicht zustellbar).")
@click.option("--limit", default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def outbox_list(state, limit, as_json):
    """Nachrichten des Postausgangs (neueste zuerst)."""
    from ..services.outbox import list_messages

    rows = list_messages(_platform(), state=state, limit=limit)
    echo_rows(rows, as_json, lambda r: f"{r['id']:>6}  {r['number']:<20} {r['name']:<30} {r['state']:<9} "
                                       f"Versuche {r['attempts']}  {r['last_error'] or ''}".rstrip())


@outbox.command("retry")
@click.argument("message_id", type=int)
def outbox_retry(message_id):
    """Nicht zustellbare Nachricht erneut zustellen (ab dem nächsten Durchlauf, Versuche neu gezählt)."""
    from ..services.outbox import retry_message

    retry_message(_platform(), message_id)
    click.echo(f"Nachricht {message_id} wird erneut zugestellt")


@outbox.command("deliver")
@click.option("--config", "config_path", help="Konfigurationsdatei (Standard: ZSA_OUTBOX_CONFIG).")
def outbox_deliver(config_path):
    """Fällige Nachrichten einmal zustellen."""
    from ..services.outbox import deliver_due
    from ..services.transports import OutboxConfig

    config = OutboxConfig.load(config_path)
    if not config.routes:
        raise ZsaError("Keine Zustellwege konfiguriert (ZSA_OUTBOX_CONFIG oder --config)")
    outcome = deliver_due(_platform(), config)
    click.echo(f"zugestellt {outcome['delivered']}, fehlgeschlagen {outcome['failed']}, "
               f"nicht zustellbar {outcome['dead']}")


@main.command()
@click.argument("target")
def backup(target):
    """Datenbank sichern (SQLite: Online-Backup; PostgreSQL: pg_dump) nach TARGET."""
    from ..storage.backup import backup as run_backup

    kind = run_backup(target)
    click.echo(f"Sicherung ({kind}) geschrieben: {target}")


@main.command()
@click.argument("source")
@click.option("--yes", is_flag=True, help="Ohne Rückfrage: der ganze Datenbankinhalt wird ersetzt.")
def restore(source, yes):
    """Datenbank aus einer Sicherung wiederherstellen (ersetzt alles; Server und Worker vorher anhalten)."""
    from ..storage.backup import restore as run_restore

    if not yes:
        click.confirm("Der gesamte Datenbankinhalt wird ersetzt. Fortfahren?", abort=True)
    kind = run_restore(source)
    click.echo(f"Sicherung ({kind}) wiederhergestellt aus {source}")
