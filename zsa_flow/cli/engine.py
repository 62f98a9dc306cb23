"""Engine commands: deploy, processes, start, cases, case, tasks, claim, unclaim, assign, complete,
note, message, tick, retry, db upgrade (serve and worker: cli/serve.py).

Actions go through services/actions.py like the web: `--user` names an existing, active account;
operator commands (deploy, start, message, retry) default to the system actor `system`, which
cannot work tasks. tick and worker fire timers as the actor `timer`.
"""
import click

from . import echo_json, echo_rows, main, read_json_arg

SYSTEM_USER = click.option("--user", default="system", show_default=True,
                           help="Handelndes Konto; 'system' = Betrieb (Kommandozeile).")
PERSON = click.option("--user", required=True, help="Handelndes Konto (muss bestehen und aktiv sein).")


def _actions():
    from ..services import actions

    return actions


def _platform():
    from ..services.platform import Platform

    return Platform.connect()


@main.group()
def db():
    """Datenbank verwalten."""


@db.command("upgrade")
def db_upgrade():
    """Migrationen anwenden und Referenzdaten (Kommunen) abgleichen."""
    from ..services.platform import Platform
    from ..services.reference import sync_kommunen
    from ..services.stored_state import upgrade_stored_states
    from ..storage import migrate
    from ..storage.db import make_engine, optimize

    engine = make_engine()
    migrate.upgrade(engine)
    platform = Platform(engine)
    sync_kommunen(platform)
    migrated = upgrade_stored_states(platform)
    optimize(engine)
    click.echo(f"Datenbank auf Revision {migrate.head()}")
    if migrated:
        click.echo(f"{migrated} gespeicherte Vorgangszustände in das aktuelle Format überführt")


@main.command()
@click.argument("paths", nargs=-1)
@SYSTEM_USER
def deploy(paths, user):
    """Prozessbibliothek bereitstellen (Standard: processes/ und forms/)."""
    results = _actions().deploy(_platform(), user, list(paths) or ["processes", "forms"])
    for r in results:
        state = "neu" if r["created"] else "unverändert"
        click.echo(f"{r['process_id']}: Version {r['version']} ({state})")


@main.command()
@click.option("--json", "as_json", is_flag=True)
def processes(as_json):
    """Bereitgestellte Prozesse mit neuester Version."""
    echo_rows(_platform().processes(), as_json,
              lambda r: f"{r['process_id']:<40} v{r['version']:<4} {r['case_prefix']:<6} {r['name'] or ''}")


@main.command()
@click.argument("process_id")
@click.option("--kommune", required=True, help="8-stelliger AGS der Kommune.")
@click.option("--data", help="Falldaten als JSON, Datei oder - für stdin.")
@click.option("--version", type=int, help="Bestimmte Prozessversion statt der neuesten.")
@click.option("--business-key")
@SYSTEM_USER
@click.option("--as-is-variant", is_flag=True,
              help="Ausdrücklich eine Ist-Variante starten (nur für die Kommune ihres zsa:kommune).")
def start(process_id, kommune, data, version, business_key, user, as_is_variant):
    """Vorgang starten; gibt die Vorgangsnummer aus."""
    number = _actions().start_case(_platform(), user, process_id, kommune, read_json_arg(data) or {},
                                   version=version, business_key=business_key, as_is_variant=as_is_variant)
    click.echo(number)


@main.command()
@click.option("--kommune")
@click.option("--process")
@click.option("--state")
@click.option("--json", "as_json", is_flag=True)
def cases(kommune, process, state, as_json):
    """Vorgänge auflisten."""
    echo_rows(_platform().cases(kommune=kommune, process=process, state=state), as_json,
              lambda r: f"{r['number']:<20} {r['process']:<30} v{r['version']:<3} {r['kommune']} {r['state']}")


@main.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True)
@click.option("--events", is_flag=True, help="Auch die Historie zeigen.")
def case(number, as_json, events):
    """Einen Vorgang anzeigen."""
    platform = _platform()
    c = platform.case(number)
    if events:
        c["events"] = platform.events(number)
    if as_json:
        return echo_json(c)
    click.echo(f"{c['number']}  {c['process']} v{c['version']}  Kommune {c['kommune']}  Status: {c['state']}")
    if c["incident"]:
        click.echo(f"Störung: {c['incident']}")
    for t in c["tasks"]:
        click.echo(f"  Aufgabe {t['id']}  {t['name']}  [{', '.join(t['candidate_groups'])}]  {t['assignee'] or '-'}")
    for t in c["timers"]:
        click.echo(f"  Timer {t['element_id']} fällig {t['due']}")
    for e in c.get("events", []):
        click.echo(f"  {e['seq']:>3} {e['at']} {e['type']:<20} {e['element_name'] or e['element_id'] or ''} ({e['actor']})")


@main.command()
@click.option("--group")
@click.option("--kommune")
@click.option("--assignee")
@click.option("--case", "case_number")
@click.option("--json", "as_json", is_flag=True)
def tasks(group, kommune, assignee, case_number, as_json):
    """Offene Aufgaben auflisten."""
    echo_rows(_platform().tasks(group=group, kommune=kommune, assignee=assignee, case=case_number, limit=1000),
              as_json, lambda t: f"{t['id']}  {t['case']:<20} {t['name']:<35} [{', '.join(t['candidate_groups'])}] "
                                 f"{t['assignee'] or '-'} fällig {t['due'] or '-'}")


@main.command()
@click.argument("task_id")
@PERSON
def claim(task_id, user):
    """Aufgabe übernehmen."""
    _actions().claim(_platform(), user, task_id)
    click.echo(f"Aufgabe {task_id} von {user} übernommen")


@main.command()
@click.argument("task_id")
@PERSON
def unclaim(task_id, user):
    """Übernommene Aufgabe an die Gruppe zurückgeben."""
    _actions().unclaim(_platform(), user, task_id)
    click.echo(f"Aufgabe {task_id} an die Gruppe zurückgegeben")


@main.command()
@click.argument("task_id")
@click.argument("person")
@PERSON
def assign(task_id, person, user):
    """Aufgabe einer Person zuweisen (Teamleitung; PERSON '-' gibt sie an die Gruppe zurück)."""
    _actions().assign(_platform(), user, task_id, None if person == "-" else person)
    click.echo(f"Aufgabe {task_id} {'an die Gruppe zurückgegeben' if person == '-' else 'an ' + person + ' zugewiesen'}")


@main.command()
@click.argument("task_id")
@click.option("--data", default="{}", help="Formulardaten als JSON, Datei oder - für stdin.")
@PERSON
def complete(task_id, data, user):
    """Übernommene Aufgabe mit Formulardaten abschließen."""
    done = _actions().complete(_platform(), user, task_id, read_json_arg(data) or {})
    click.echo(f"Aufgabe {task_id} erledigt; Vorgang: {done['case_state']}")


@main.command()
@click.argument("number")
@click.argument("text")
@PERSON
def note(number, text, user):
    """Notiz zu einem Vorgang schreiben (erscheint im Verlauf)."""
    _actions().add_note(_platform(), user, number, text)
    click.echo(f"Notiz zu {number} gespeichert")


@main.command()
@click.argument("number")
@click.argument("name")
@click.option("--data", help="Nachrichteninhalt als JSON.")
@click.option("--kommune", help="Bei Startnachrichten (NUMBER = -): AGS der Kommune.")
@SYSTEM_USER
def message(number, name, data, kommune, user):
    """Nachricht an einen wartenden Vorgang senden (NUMBER '-' startet per Startnachricht)."""
    if number == "-":
        result = _actions().start_by_message(_platform(), user, name, kommune, read_json_arg(data) or {})
    else:
        result = _actions().deliver_message(_platform(), user, number, name, read_json_arg(data) or {})
    click.echo(result if number == "-" else f"Nachricht '{name}' an {number} zugestellt; Vorgang: {result}")


@main.command()
def tick():
    """Alle fälligen Timer einmal auslösen."""
    click.echo(f"{_actions().tick(_platform())} Vorgänge weitergeführt")


@main.command()
@click.argument("number")
@click.option("--data", help="Korrigierte Daten für den gestörten Schritt (JSON).")
@SYSTEM_USER
def retry(number, data, user):
    """Vorgang mit Störung erneut ausführen."""
    state = _actions().retry(_platform(), user, number, read_json_arg(data))
    click.echo(f"{number}: {state}")
