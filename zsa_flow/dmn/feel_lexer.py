"""FEEL lexer: text -> (kind, value, pos) tokens; kinds num str at name kw op eof.

Names may contain spaces and symbols (`Full Name`, `Post-bureau risk category`): names the caller
knows (variables of a DMN model, built-in functions) are matched as one token; other consecutive
plain words are joined by the parser.
"""
import functools
import re
from decimal import Decimal

MAX_TEXT = 10_000  # characters per cell; real cells are tiny

KEYWORDS = {"and", "or", "true", "false", "null", "if", "then", "else", "between", "in", "for", "return",
            "some", "every", "satisfies", "function", "instance", "of", "external"}
# built-in names that contain keywords: only read as one name before '('
KEYWORD_FUNCTIONS = ("date and time", "years and months duration", "day of year", "day of week", "week of year",
                     "month of year", "index of")

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
   |(?P<num>(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?)
   |(?P<str>"(?:[^"\\]|\\.)*")
   |(?P<at>@"(?:[^"\\]|\\.)*")
   |(?P<bq>`[^`]+`)
   |(?P<name>(?:[^\W\d]|[\U00010000-\U000EFFFF])(?:\w|[\U00010000-\U000EFFFF])*|_\w*)
   |(?P<op>\.\.|<=|>=|!=|\*\*|->|[-+*/<>=(),.\[\]{}:?])
    """,
    re.X | re.S,
)
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "'": "'", "b": "\b", "f": "\f"}


class FeelSyntaxError(ValueError):
    """A text is not valid FEEL; `pos` is the 0-based character offset."""

    def __init__(self, message, pos=None):
        super().__init__(message if pos is None else f"{message} (at column {pos + 1})")
        self.pos = pos


def unescape(body, pos=0):
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in "uU":
            size = 4 if nxt == "u" else 6
            digits = body[i + 2: i + 2 + size]
            if not re.fullmatch(r"[0-9a-fA-F]{%d}" % size, digits):
                raise FeelSyntaxError("invalid \\u escape in string", pos + i)
            out.append(chr(int(digits, 16)))
            i += 2 + size
        else:
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
            i += 2
    text = "".join(out)
    if any("\ud800" <= c <= "\udfff" for c in text):  # surrogate pairs written as two \u escapes
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


@functools.lru_cache(maxsize=256)
def _names_re(names):
    """Regex matching any of the given special names (longest first), whitespace-tolerant."""
    parts = [r"\s+".join(re.escape(w) for w in n.split()) for n in sorted(names, key=len, reverse=True)]
    parts += [r"\s+".join(w.split()) + r"(?=\s*\()" for w in KEYWORD_FUNCTIONS]
    return re.compile(r"(?:%s)(?![\w])" % "|".join(parts))


def special_names(names):
    """The names that the plain word rules would not read as one token."""
    return frozenset(n for n in names if n and not re.fullmatch(r"[^\W\d]\w*", n) and not n.isspace())


def tokenize(text, names=frozenset()):
    """Split FEEL text into (kind, value, pos) tokens. `names`: special names (see special_names)."""
    if len(text) > MAX_TEXT:
        raise FeelSyntaxError(f"expression longer than {MAX_TEXT} characters")
    names_re = _names_re(names)
    tokens, pos, n = [], 0, len(text)
    while pos < n:
        if text[pos].isalpha() or text[pos] in "_?'" or text[pos] > "\uffff":
            m = names_re.match(text, pos)
            if m:
                tokens.append(("name", " ".join(m.group().split()), pos))
                pos = m.end()
                continue
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise FeelSyntaxError(f"unexpected character {text[pos]!r}", pos)
        kind, value = m.lastgroup, m.group()
        if kind == "num":
            tokens.append(("num", Decimal(value), pos))
        elif kind == "str":
            tokens.append(("str", unescape(value[1:-1], pos + 1), pos))
        elif kind == "at":
            tokens.append(("at", unescape(value[2:-1], pos + 2), pos))
        elif kind == "bq":
            tokens.append(("name", value[1:-1], pos))
        elif kind == "name":
            tokens.append(("kw" if value in KEYWORDS else "name", value, pos))
        elif kind == "op":
            tokens.append(("op", value, pos))
        pos = m.end()
    tokens.append(("eof", None, n))
    return tokens
