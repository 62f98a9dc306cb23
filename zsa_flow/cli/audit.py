"""Audit commands: verify the record, checkpoints, erasure, conformance."""
import click

from . import echo_json, main


@main.group()
def audit():
    """Prüfung: Protokoll verifizieren, Prüfpunkte, Löschung, Konformität."""
