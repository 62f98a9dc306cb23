"""Decision tables (DMN) the rules evaluate, loaded from the process library.

The files live in `processes/hundehaltung/decisions/` so a process owner edits them in Camunda
Modeler; they are re-read when their modification time changes. `ZSA_DECISIONS_DIR` overrides
the directory (tests, installations outside the repository). A locked-down process (a script worker
or a simulation job, `limits.locked_down()`) can open no file any more: it keeps the tables it
loaded before (`functions.preload`) and does not look at the files again.
"""
import os
from pathlib import Path

from ..errors import ModelError
from ..limits import locked_down

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "processes" / "hundehaltung" / "decisions"
_cache: dict[Path, tuple[float, object]] = {}
_paths: dict[tuple, Path] = {}  # (ZSA_DECISIONS_DIR, filename) -> path: joining paths costs more than a look-up


def decisions_dir() -> Path:
    return Path(os.environ.get("ZSA_DECISIONS_DIR") or DEFAULT_DIR)


def _path(filename: str) -> Path:
    key = (os.environ.get("ZSA_DECISIONS_DIR"), filename)
    path = _paths.get(key)
    if path is None:
        path = _paths[key] = decisions_dir() / filename
    return path


def load(filename: str):
    """The parsed `DmnDocument` of `filename`; a broken table is a ModelError naming file and line."""
    path = _path(filename)
    cached = _cache.get(path)
    if cached and locked_down():
        return cached[1]
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise ModelError(f"{path}: Entscheidungstabelle nicht gefunden") from None
    if cached and cached[0] == mtime:
        return cached[1]
    from ..dmn import parse_dmn  # the engine is a sibling module; imported lazily

    doc = parse_dmn(path.read_bytes(), str(path))
    problems = doc.problems()
    if problems:
        line, element, message = problems[0]
        raise ModelError(f"{path}:{line}: {element}: {message}")
    _cache[path] = (mtime, doc)
    return doc


def evaluate_first(filename: str, decision_id: str, context: dict) -> dict | None:
    """The single result row of a decision (None if no rule matched)."""
    return load(filename).evaluate(decision_id, context).single_result()
