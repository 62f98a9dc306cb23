"""Size and nesting depth of untrusted JSON (form files), checked before `json.loads` sees it.

`json.loads` recurses once per nesting level: a form nested 100,000 deep ends in a RecursionError
(a traceback instead of a message), and a 200 MB file would be decoded whole before anything looks
at its size. `check_json` counts brackets outside strings in one pass over the text and stops at
the first level too deep.
"""
import re

from .errors import ModelError

MAX_JSON_DEPTH = 100  # far above any real form (groups may nest 20 deep: two levels each)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def check_json(text: str, filename: str, max_bytes: int, max_depth: int = MAX_JSON_DEPTH):
    """Raise ModelError (one line, naming file and line) when `text` is too large or nested too deep."""
    size = len(text.encode("utf-8", "surrogatepass")) if not text.isascii() else len(text)
    if size > max_bytes:
        raise ModelError(f"{filename}:1: Datei ist {size} Bytes groß, mehr als die Grenze von {max_bytes} Bytes",
                         details={"file": filename, "line": 1})
    stripped = _STRING.sub('""', text)  # brackets inside strings do not count
    brackets = _NOT_BRACKET.sub("", stripped)
    depth = 0
    for index, char in enumerate(brackets):
        depth += 1 if char in "[{" else -1
        if depth > max_depth:
            line = _line_of_bracket(stripped, index)
            raise ModelError(f"{filename}:{line}: JSON ist tiefer als {max_depth} Ebenen verschachtelt",
                             details={"file": filename, "line": line})


def _line_of_bracket(stripped, index):
    """Line (in `stripped`, whose line breaks are those of the file) of the index-th bracket."""
    for count, match in enumerate(_BRACKET.finditer(stripped)):
        if count == index:
            return stripped.count("\n", 0, match.start()) + 1
    return 1


def check_file_size(path, max_bytes: int):
    """Raise ModelError when the file at `path` is larger than `max_bytes` (before reading it)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ModelError(f"{path}:1: Datei ist {size} Bytes groß, mehr als die Grenze von {max_bytes} Bytes "
                         "(nicht gelesen)", details={"file": str(path), "line": 1})
