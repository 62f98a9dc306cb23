"""The small FEEL subset that form conditions (`conditional.hide`, `readonly`) use in practice.

Supported: literals (strings, numbers, true/false/null), dotted names, comparisons
(`=`, `!=`, `<`, `<=`, `>`, `>=`), `and`, `or`, `not(...)` and parentheses, with FEEL's
three-valued logic (a comparison of incompatible values is null). Anything else is *unsupported*:
such a condition never hides a field (it is reported as a warning by `parse_form`).
"""
import re
from decimal import Decimal

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>\"(?:[^\"\\]|\\.)*\")|(?P<op>!=|<=|>=|=|<|>|\(|\)|\.)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
_KEYWORDS = {"true": True, "false": False, "null": None}
_NUMBER = (int, float, Decimal)


class Unsupported(ValueError):
    """The expression uses FEEL beyond the supported subset."""


def _tokens(source):
    pos, out = 0, []
    source = source.rstrip()
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            raise Unsupported(f"unexpected text at position {pos + 1}: {source[pos:pos + 12]!r}")
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "str":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        elif kind == "num":
            text = Decimal(text)
        out.append((kind, text))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.pos = tokens, 0

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, kind=None, text=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (text is not None and tok[1] != text):
            raise Unsupported(f"expected {text or kind}, found {tok[1]!r}")
        self.pos += 1
        return tok

    def parse(self):
        node = self.disjunction()
        if self.pos != len(self.tokens):
            raise Unsupported(f"unexpected {self.peek()[1]!r}")
        return node

    def disjunction(self):
        node = self.conjunction()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self):
        node = self.comparison()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self):
        node = self.unary()
        kind, text = self.peek()
        if kind == "op" and text in ("=", "!=", "<", "<=", ">", ">="):
            self.take()
            node = ("cmp", text, node, self.unary())
        return node

    def unary(self):
        kind, text = self.peek()
        if (kind, text) == ("name", "not"):
            self.take()
            self.take("op", "(")
            inner = self.disjunction()
            self.take("op", ")")
            return ("not", inner)
        if (kind, text) == ("op", "("):
            self.take()
            inner = self.disjunction()
            self.take("op", ")")
            return inner
        if kind in ("num", "str"):
            self.take()
            return ("lit", text)
        if kind == "name":
            self.take()
            if text in _KEYWORDS:
                return ("lit", _KEYWORDS[text])
            if text in ("and", "or"):
                raise Unsupported(f"unexpected {text!r}")
            path = [text]
            while self.peek() == ("op", "."):
                self.take()
                path.append(self.take("name")[1])
            if self.peek() == ("op", "("):
                raise Unsupported(f"function {text}() is not supported")
            return ("path", tuple(path))
        raise Unsupported(f"unexpected {text!r}")


def _lookup(context, path):
    value = context
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _compare(op, left, right):
    if op in ("=", "!="):
        if left is None or right is None:
            equal = left is None and right is None
        elif isinstance(left, bool) or isinstance(right, bool):
            if not (isinstance(left, bool) and isinstance(right, bool)):
                return None
            equal = left == right
        elif isinstance(left, _NUMBER) and isinstance(right, _NUMBER):
            equal = Decimal(str(left)) == Decimal(str(right))
        elif isinstance(left, str) and isinstance(right, str):
            equal = left == right
        else:
            return None
        return equal if op == "=" else not equal
    if isinstance(left, bool) or isinstance(right, bool):
        return None
    if isinstance(left, _NUMBER) and isinstance(right, _NUMBER):
        left, right = Decimal(str(left)), Decimal(str(right))
    elif not (isinstance(left, str) and isinstance(right, str)):
        return None
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _evaluate(node, context):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "path":
        return _lookup(context, node[1])
    if kind == "not":
        value = _evaluate(node[1], context)
        return (not value) if isinstance(value, bool) else None
    if kind == "cmp":
        return _compare(node[1], _evaluate(node[2], context), _evaluate(node[3], context))
    left, right = _evaluate(node[1], context), _evaluate(node[2], context)
    if kind == "and":
        if left is False or right is False:
            return False
        return True if left is True and right is True else None
    if left is True or right is True:
        return True
    return False if left is False and right is False else None


class Condition:
    """A compiled form condition; `source` is the text as written in the form (with or without `=`)."""

    def __init__(self, source):
        self.source = source
        self.error = None
        self._node = None
        if isinstance(source, bool):
            self._node = ("lit", source)
            return
        text = str(source).strip()
        text = text[1:] if text.startswith("=") else text
        try:
            self._node = _Parser(_tokens(text)).parse() if text else None
            if self._node is None:
                self.error = "empty expression"
        except Unsupported as exc:
            self.error = str(exc)

    @property
    def supported(self):
        return self._node is not None

    def evaluate(self, context):
        """The FEEL value of the expression (None when unsupported or undefined)."""
        if self._node is None:
            return None
        return _evaluate(self._node, context or {})

    def holds(self, context):
        """True only when the expression evaluates to boolean true (FEEL semantics)."""
        return self.evaluate(context) is True

    def __repr__(self):
        return f"Condition({self.source!r})"
