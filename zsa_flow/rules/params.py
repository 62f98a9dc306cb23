"""Date-versioned parameter sets (law in force on a Stichtag) stored as JSON next to this module.

A set lives in `params/<name>-<YYYY-MM-DD>.json`; the date in the file name is the first day it is
in force and must equal its `gueltig_ab`. An optional `gueltig_bis` closes it early. For a
Stichtag the latest set with `gueltig_ab <= stichtag` applies; none means a clear input error.
"""
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError
from .inputs import invalid

PARAMS_DIR = Path(__file__).with_name("params")
_NAME = re.compile(r"^(?P<name>[a-z0-9_-]+?)-(?P<date>\d{4}-\d{2}-\d{2})\.json$")


@lru_cache(maxsize=None)
def _sets(name: str) -> tuple[tuple[date, dict], ...]:
    found = []
    for path in sorted(PARAMS_DIR.glob(f"{name}-*.json")):
        match = _NAME.match(path.name)
        if not match or match["name"] != name:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ModelError(f"{path.name}:{exc.lineno}: kein gültiges JSON: {exc.msg}") from None
        since = date.fromisoformat(match["date"])
        if data.get("gueltig_ab") != match["date"]:
            raise ModelError(f"{path.name}: gueltig_ab {data.get('gueltig_ab')!r} passt nicht zum Dateinamen")
        found.append((since, data))
    return tuple(sorted(found, key=lambda item: item[0]))


def available(name: str) -> list[str]:
    """Validity start dates (ISO) of all sets named `name`, oldest first."""
    return [since.isoformat() for since, _ in _sets(name)]


def in_force(name: str, stichtag: date, field: str = "stichtag") -> dict:
    """The parameter set `name` in force on `stichtag`; error naming `field` if none covers it."""
    chosen = None
    for since, data in _sets(name):
        if since <= stichtag:
            chosen = data
    if chosen is not None and chosen.get("gueltig_bis"):
        if stichtag > date.fromisoformat(chosen["gueltig_bis"]):
            chosen = None
    if chosen is None:
        known = ", ".join(available(name)) or "keine"
        raise invalid(
            field,
            f"für den Stichtag {stichtag.isoformat()} ist kein Parametersatz '{name}' hinterlegt "
            f"(vorhandene Rechtsstände ab: {known})",
        )
    return chosen
