"""`zsa-flow check PATH...`: validate a process library before deployment."""
import json

import click

from . import main


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Befunde als JSON-Liste ausgeben.")
@click.option("--strict", is_flag=True, help="Auch Warnungen führen zu Exit-Status 1.")
def check(paths, as_json, strict):
    """Prozessbibliothek prüfen (Standard: processes/ und forms/).

    Eine Zeile je Befund: `datei:zeile: element-id: meldung`; Exit-Status 1 bei Fehlern.
    """
    from ..library.check import DEFAULT_PATHS, check_paths, count_files, summary

    paths = list(paths) or list(DEFAULT_PATHS)
    problems = check_paths(paths)
    line = summary(problems, count_files(paths))
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            click.echo(str(p) if p.is_error else f"{p.file}:{p.line}: {p.element_id}: Warnung: {p.message}")
    click.echo(line, err=True)
    failed = any(p.is_error for p in problems) or (strict and problems)
    raise SystemExit(1 if failed else 0)
