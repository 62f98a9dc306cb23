"""Account commands: users add/list/disable/enable/password/token, and `demo seed` for demo accounts.

Passwords never go on the command line (they would land in shell history and `ps`): they are
prompted for, or read from stdin with --password-stdin.
"""
import json
import sys

import click

from . import echo_rows, main
from .engine import _platform

DEMO_PASSWORD = "zsa-demo-2026"
ZSA_KOMMUNEN = ["15001000", "15002000", "15003000"]
KOMMUNE_GROUPS = ["ordnungsamt", "steueramt", "wohngeldstelle", "buergerbuero", "kasse"]
# (username, name, roles, groups, kommunen, password?) — also documented in docs/demo-accounts.md.
DEMO_ACCOUNTS = [
    ("anna", "Anna Schulz", ["zsa-sachbearbeitung"], ["zsa-hundehaltung", "zsa-wohngeld", "zsa-team"],
     ZSA_KOMMUNEN, True),
    ("ben", "Ben Krüger", ["zsa-sachbearbeitung"], ["zsa-wohngeld", "zsa-team"], ["15002000", "15003000"], True),
    ("tom", "Tom Richter", ["zsa-teamleitung"], ["zsa-hundehaltung", "zsa-wohngeld", "zsa-team"],
     ZSA_KOMMUNEN, True),
    ("mia", "Mia Becker", ["kommune"], KOMMUNE_GROUPS, ["15003000"], True),
    ("hans", "Hans Vogel", ["kommune"], KOMMUNE_GROUPS, ["15002000"], True),
    ("paula", "Paula Neumann", ["pruefung"], [], ZSA_KOMMUNEN, True),
    ("pia", "Pia Hoffmann", ["prozessverantwortung"], [], ZSA_KOMMUNEN, True),
    ("admin", "Administration (Demo)", ["admin"], [], [], True),
    ("portal", "Online-Portal (Demo-Schnittstelle)", ["schnittstelle"], [], ZSA_KOMMUNEN, False),
]


def _read_password(password_stdin):
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Passwort", hide_input=True, confirmation_prompt="Passwort wiederholen")


@main.group()
def users():
    """Konten verwalten."""


@users.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Anzeigename.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["zsa-sachbearbeitung", "zsa-teamleitung", "kommune", "pruefung",
                                 "prozessverantwortung", "admin", "schnittstelle"]))
@click.option("--group", "groups", multiple=True, help="Kandidatengruppe (mehrfach).")
@click.option("--kommune", "kommunen", multiple=True, help="AGS einer betreuten Kommune (mehrfach).")
@click.option("--password-stdin", is_flag=True, help="Passwort aus der ersten Zeile von stdin lesen.")
@click.option("--no-password", is_flag=True, help="Ohne Passwort (nur API-Token, z. B. Online-Portal).")
def users_add(username, name, roles, groups, kommunen, password_stdin, no_password):
    """Konto anlegen."""
    from ..services import users as service

    password = None if no_password else _read_password(password_stdin)
    service.add_account(_platform(), username, name, roles, groups=groups, kommunen=kommunen, password=password)
    click.echo(f"Konto {username} angelegt")


@users.command("list")
@click.option("--json", "as_json", is_flag=True)
def users_list(as_json):
    """Konten auflisten."""
    from ..services import users as service

    echo_rows(service.list_accounts(_platform()), as_json, _account_line)


def _account_line(r):
    flags = ("" if r["active"] else " [deaktiviert]") + (" [Demo]" if r["demo"] else "")
    return (f"{r['username']:<16} {r['name']:<32} {','.join(r['roles']):<28} "
            f"{','.join(r['kommunen']) or '-'}  Gruppen: {','.join(r['groups']) or '-'}{flags}")


@users.command("disable")
@click.argument("username")
def users_disable(username):
    """Konto deaktivieren (beendet Sitzungen, sperrt API-Token)."""
    from ..services import users as service

    service.set_active(_platform(), username, False)
    click.echo(f"Konto {username} deaktiviert")


@users.command("enable")
@click.argument("username")
def users_enable(username):
    """Deaktiviertes Konto wieder freischalten."""
    from ..services import users as service

    service.set_active(_platform(), username, True)
    click.echo(f"Konto {username} aktiviert")


@users.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Passwort aus der ersten Zeile von stdin lesen.")
def users_password(username, password_stdin):
    """Neues Passwort setzen (andere Sitzungen enden)."""
    from ..services import users as service

    service.set_password(_platform(), username, _read_password(password_stdin))
    click.echo(f"Passwort von {username} geändert")


class _TokenGroup(click.Group):
    """`users token USERNAME …` stays short for `users token issue USERNAME …`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["issue", *args]
        return super().parse_args(ctx, args)


@users.group("token", cls=_TokenGroup)
def users_token():
    """API-Token: ausgeben (issue), auflisten (list), widerrufen (revoke), erneuern (rotate)."""


@users_token.command("issue")
@click.argument("username")
@click.option("--scope", "scopes", multiple=True,
              help="Bereich (mehrfach): intake, status, read, work, deploy. Ohne Angabe: Konto der Rolle "
                   "schnittstelle → intake+status, sonst alle.")
@click.option("--kommune", "kommunen", multiple=True, help="Nur diese Kommune des Kontos (AGS, mehrfach).")
@click.option("--service", "services", multiple=True, help="Nur dieser Prozess (ID, mehrfach).")
@click.option("--revoke", is_flag=True, help="Alle Token des Kontos widerrufen statt ein neues auszugeben.")
def token_issue(username, scopes, kommunen, services, revoke):
    """Neues API-Token ausgeben (wird nur dieses eine Mal angezeigt)."""
    from ..services import tokens

    if revoke:
        click.echo(f"{tokens.revoke_tokens(_platform(), username)} Token widerrufen")
        return
    click.echo(tokens.issue_token(_platform(), username, scopes, kommunen=kommunen, services=services))
    click.echo("Das Token wird nur jetzt angezeigt; gespeichert ist nur sein Hash.", err=True)


@users_token.command("list")
@click.argument("username", required=False)
@click.option("--json", "as_json", is_flag=True)
def token_list(username, as_json):
    """Token auflisten (Nummer, Konto, Bereiche, Einschränkungen, widerrufen) – nie das Token selbst."""
    from ..services import tokens

    rows = tokens.list_tokens(_platform(), username)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        scopes = ",".join(r["scopes"]) if r["scopes"] is not None else "alle"
        limits = "".join(f" {name}={','.join(r[name])}" for name in ("kommunen", "services") if r[name])
        state = f"widerrufen {r['revoked_at'][:16]}" if r["revoked_at"] else "gültig"
        click.echo(f"{r['id']:>5}  {r['username']:<16} {scopes:<28}{limits}  {state}")


@users_token.command("revoke")
@click.argument("token_id", type=int)
def token_revoke(token_id):
    """Ein Token (Nummer aus `users token list`) widerrufen."""
    from ..services import tokens

    tokens.revoke_token(_platform(), token_id)
    click.echo(f"Token {token_id} widerrufen")


@users_token.command("rotate")
@click.argument("token_id", type=int)
def token_rotate(token_id):
    """Token erneuern: neues Token mit denselben Bereichen, das alte gilt sofort nicht mehr."""
    from ..services import tokens

    click.echo(tokens.rotate_token(_platform(), token_id))
    click.echo(f"Token {token_id} widerrufen; das neue Token wird nur jetzt angezeigt.", err=True)


@main.group()
def demo():
    """Demodaten (nur für Vorführung und Entwicklung)."""


@demo.command("seed")
def demo_seed():
    """Demo-Konten für jede Rolle anlegen oder zurücksetzen (Passwort siehe docs/demo-accounts.md)."""
    from ..services import users as service

    platform = _platform()
    for username, name, roles, groups, kommunen, with_password in DEMO_ACCOUNTS:
        existing = service.get_user(platform, username)
        if existing is None:
            service.add_account(platform, username, name, roles, groups=groups, kommunen=kommunen,
                                password=DEMO_PASSWORD if with_password else None, demo=True)
            click.echo(f"Demo-Konto {username} angelegt")
        elif not existing["demo"]:
            click.echo(f"Konto {username} besteht und ist kein Demo-Konto: unverändert", err=True)
            continue
        else:
            service.update_account(platform, username, name=name, roles=roles, groups=groups, kommunen=kommunen)
            service.set_active(platform, username, True)
            if with_password:
                service.set_password(platform, username, DEMO_PASSWORD)
            click.echo(f"Demo-Konto {username} zurückgesetzt")
    click.echo(f"Demo-Passwort aller Personen-Konten: {DEMO_PASSWORD} (nur für Demozwecke!)")
