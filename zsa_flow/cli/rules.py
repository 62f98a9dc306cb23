"""CLI for the domain rules: `zsa-flow wohngeld --json FILE|-`, `zsa-flow hundesteuer --json FILE|-`."""
from contextlib import contextmanager

import click

from ..errors import ValidationFailed
from . import echo_json, main, read_json_arg

_JSON_HELP = "Eingabe als JSON-Datei, '-' für stdin oder direkt als JSON-Text."


@contextmanager
def _one_line():
    """Input errors already name their field in the message: print just that one line."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message) from None


@main.command()
@click.option("--json", "source", required=True, metavar="FILE|-", help=_JSON_HELP)
def wohngeld(source):
    """Wohngeld (Mietzuschuss) nach § 19 WoGG berechnen und mit Rechenweg ausgeben.

    Eingabe: die Regel-Eingabe (`haushalt`) oder ein Antrag mit der Liste `haushaltsmitglieder`."""
    from ..rules.functions import wohngeld_antrag_berechnen
    from ..rules.wohngeld import berechne

    with _one_line():
        data = read_json_arg(source, "--json")
        if isinstance(data, dict) and "haushaltsmitglieder" in data:
            echo_json(wohngeld_antrag_berechnen(data))
        else:
            echo_json(berechne(data).to_dict())


@main.command()
@click.option("--json", "source", required=True, metavar="FILE|-", help=_JSON_HELP)
def hundesteuer(source):
    """Hundesteuer: Jahressteuer, anteiliger Betrag im ersten Jahr und Raten."""
    from ..rules.hundesteuer import berechne

    with _one_line():
        echo_json(berechne(read_json_arg(source, "--json")))
