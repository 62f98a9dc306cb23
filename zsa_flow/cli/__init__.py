"""`zsa-flow` command line. Each area registers its commands from its own module."""
import json
import sys

import click
from sqlalchemy.exc import OperationalError

from ..errors import ZsaError


class ZsaGroup(click.Group):
    """Turns every ZsaError into one clear line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ZsaError as exc:
            click.echo(f"Fehler: {exc.message}" if not exc.message.startswith(("/", ".")) else exc.message, err=True)
            for key, msg in (exc.details.get("fields") or {}).items():
                click.echo(f"  {key}: {msg}", err=True)
            ctx.exit(1)
        except OperationalError as exc:  # database down or unreachable: say so, no traceback
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            click.echo(f"Fehler: Datenbank nicht erreichbar ({reason}). ZSA_DATABASE_URL prüfen.", err=True)
            ctx.exit(1)


@click.group(cls=ZsaGroup)
def main():
    """zsa-flow: BPMN-Prozessplattform der Zentralen Service-Angebote (ZSA)."""


def echo_json(value):
    """Print a JSON document (UTF-8, stable key order) to stdout."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def echo_rows(rows, as_json, line):
    """What a list command prints: the rows as JSON, or one line `line(row)` per row."""
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(line(row))


def read_json_arg(text_or_path: str | None, what: str = "--data"):
    """Parse a JSON argument given inline, as a file path, or '-' for stdin."""
    if text_or_path is None:
        return None
    if text_or_path == "-":
        text = sys.stdin.read()
    elif text_or_path.lstrip().startswith(("{", "[")):
        text = text_or_path
    else:
        try:
            with open(text_or_path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise ZsaError(f"{what}: Datei {text_or_path!r} nicht lesbar: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ZsaError(f"{what}: kein gültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}): {exc.msg}") from None


def _register_all():
    # Imported for their side effect of adding commands to `main`; each module owns one area.
    from . import rules  # noqa: F401  (wohngeld, hundesteuer)
    from . import engine  # noqa: F401  (deploy, start, tasks, ... )
    from . import users  # noqa: F401  (users add/list/disable/password/token, demo seed)
    from . import check  # noqa: F401  (check)
    from . import migrate  # noqa: F401  (migrate)
    from . import versions  # noqa: F401  (versions, diff, suspend, resume)
    from . import audit  # noqa: F401  (audit verify/checkpoint/keygen/erase/conformance)
    from . import replay  # noqa: F401  (replay, export xes/csv)
    from . import simulate  # noqa: F401  (simulate, compare)
    from . import serve  # noqa: F401  (serve, worker)
    from . import ops  # noqa: F401  (outbox, backup, restore)


_register_all()
