"""FEEL subset: lexer and recursive-descent parser producing a small tuple AST.

Model text is hostile input: it is tokenised and parsed here, never handed to eval/exec.
The AST is compiled to closures by `feel_eval.py`.

AST nodes (tuples, first item is the kind):
  ("lit", value)            number (Decimal), string, bool, None
  ("name", name)            variable reference; ("input",) is `?` (the cell input)
  ("path", base, key)       `a.b`
  ("call", fname, [args])   whitelisted built-in function
  ("list", [items])         `[1, 2]`
  ("neg", x)  ("bin", op, a, b)  ("cmp", op, a, b)  ("and", a, b)  ("or", a, b)
  ("if", cond, then, else)  ("between", x, lo, hi)  ("in", x, [tests])
Unary tests (input entries):
  ("any",)  ("tests", [test])  ("not", [test])
  test: ("ut_cmp", op, endpoint) | ("ut_interval", lo_closed, lo, hi, hi_closed) | ("ut_expr", expr)
"""
import re
from decimal import Decimal

MAX_TEXT = 10_000  # characters per cell; real cells are tiny
MAX_DEPTH = 60  # nesting depth; bounds recursion on hostile input

KEYWORDS = {"and", "or", "true", "false", "null", "if", "then", "else", "between", "in"}
UNSUPPORTED_KEYWORDS = {"for", "some", "every", "function", "return", "satisfies", "instance"}
CMP_OPS = ("=", "!=", "<", "<=", ">", ">=")
MULTIWORD_FUNCTIONS = ("date and time", "string length", "upper case", "lower case", "starts with", "ends with")
# name -> (min args, max args or None); the evaluator implements exactly these
FUNCTIONS = {
    "date": (1, 3), "date and time": (1, 1), "not": (1, 1), "string": (1, 1), "number": (1, 1),
    "abs": (1, 1), "floor": (1, 1), "ceiling": (1, 1), "decimal": (2, 2),
    "min": (1, None), "max": (1, None), "sum": (1, None), "count": (1, 1),
    "string length": (1, 1), "upper case": (1, 1), "lower case": (1, 1),
    "contains": (2, 2), "starts with": (2, 2), "ends with": (2, 2), "today": (0, 0),
}

_MULTIWORD_RE = "|".join(w.replace(" ", r"\s+") + r"(?=\s*\()" for w in MULTIWORD_FUNCTIONS)
_TOKEN_RE = re.compile(
    rf"""
    (?P<ws>\s+)
   |(?P<num>\d+(?:\.\d+)?)
   |(?P<str>"(?:[^"\\]|\\.)*")
   |(?P<bq>`[^`]+`)
   |(?P<mfunc>{_MULTIWORD_RE})
   |(?P<name>[^\W\d]\w*)
   |(?P<op>\.\.|<=|>=|!=|\*\*|[-+*/<>=(),.\[\]?])
    """,
    re.X,
)
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "'": "'"}


class FeelSyntaxError(ValueError):
    """A cell is not valid in the supported FEEL subset; `pos` is the 0-based character offset."""

    def __init__(self, message, pos=None):
        super().__init__(message if pos is None else f"{message} (at column {pos + 1})")
        self.pos = pos


def _unescape(body, pos):
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u":
            digits = body[i + 2 : i + 6]
            if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                raise FeelSyntaxError("invalid \\u escape in string", pos + i)
            out.append(chr(int(digits, 16)))
            i += 6
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
    return "".join(out)


def tokenize(text):
    """Split FEEL text into (kind, value, pos) tokens; kinds: num str name kw op eof."""
    if len(text) > MAX_TEXT:
        raise FeelSyntaxError(f"expression longer than {MAX_TEXT} characters")
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m:
            raise FeelSyntaxError(f"unexpected character {text[pos]!r}", pos)
        kind, value = m.lastgroup, m.group()
        if kind == "num":
            tokens.append(("num", Decimal(value), pos))
        elif kind == "str":
            tokens.append(("str", _unescape(value[1:-1], pos + 1), pos))
        elif kind == "bq":
            tokens.append(("name", value[1:-1], pos))
        elif kind == "mfunc":
            tokens.append(("name", " ".join(value.split()), pos))
        elif kind == "name":
            if value in UNSUPPORTED_KEYWORDS:
                raise FeelSyntaxError(f"FEEL '{value}' expressions are not supported", pos)
            tokens.append(("kw" if value in KEYWORDS else "name", value, pos))
        elif kind == "op":
            tokens.append(("op", value, pos))
        pos = m.end()
    tokens.append(("eof", None, len(text)))
    return tokens


class _RangeError(FeelSyntaxError):
    """A malformed range after '..': no point trying other readings of the text."""


class _Parser:
    def __init__(self, text):
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- token helpers
    def peek(self, ahead=0):
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def is_(self, kind, value=None, ahead=0):
        tok = self.peek(ahead)
        return tok[0] == kind and (value is None or tok[1] == value)

    def accept(self, kind, value=None):
        if self.is_(kind, value):
            self.i += 1
            return True
        return False

    def expect(self, kind, value, what=None):
        if not self.accept(kind, value):
            self.fail(f"expected {what or repr(value)}")

    def fail(self, message):
        kind, value, pos = self.peek()
        found = "end of text" if kind == "eof" else repr(str(value))
        raise FeelSyntaxError(f"{message}, found {found}", pos)

    def expect_eof(self):
        if not self.is_("eof"):
            self.fail("unexpected trailing text")

    def enter(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FeelSyntaxError(f"expression nested deeper than {MAX_DEPTH} levels", self.peek()[2])

    # -- expressions
    def expression(self):
        self.enter()
        try:
            if self.accept("kw", "if"):
                cond = self.expression()
                self.expect("kw", "then")
                then = self.expression()
                self.expect("kw", "else")
                return ("if", cond, then, self.expression())
            return self.disjunction()
        finally:
            self.depth -= 1

    def disjunction(self):
        node = self.conjunction()
        while self.accept("kw", "or"):
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self):
        node = self.comparison()
        while self.accept("kw", "and"):
            node = ("and", node, self.comparison())
        return node

    def comparison(self):
        node = self.additive()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in CMP_OPS:
            self.i += 1
            return ("cmp", tok[1], node, self.additive())
        if self.accept("kw", "between"):
            low = self.additive()
            self.expect("kw", "and")
            return ("between", node, low, self.additive())
        if self.accept("kw", "in"):
            return ("in", node, self.in_tests())
        return node

    def additive(self):
        node = self.multiplicative()
        while self.is_("op", "+") or self.is_("op", "-"):
            op = self.peek()[1]
            self.i += 1
            node = ("bin", op, node, self.multiplicative())
        return node

    def multiplicative(self):
        node = self.power()
        while self.is_("op", "*") or self.is_("op", "/"):
            op = self.peek()[1]
            self.i += 1
            node = ("bin", op, node, self.power())
        return node

    def power(self):
        node = self.unary()
        while self.accept("op", "**"):
            node = ("bin", "**", node, self.unary())
        return node

    def unary(self):
        if self.accept("op", "-"):
            self.enter()
            try:
                return ("neg", self.unary())
            finally:
                self.depth -= 1
        return self.postfix()

    def postfix(self):
        node = self.primary()
        while self.accept("op", "."):
            tok = self.peek()
            if tok[0] not in ("name", "kw"):
                self.fail("expected a name after '.'")
            self.i += 1
            node = ("path", node, tok[1])
        return node

    def primary(self):
        kind, value, pos = self.peek()
        if kind in ("num", "str"):
            self.i += 1
            return ("lit", value)
        if kind == "kw" and value in ("true", "false", "null"):
            self.i += 1
            return ("lit", {"true": True, "false": False, "null": None}[value])
        if kind == "op" and value == "?":
            self.i += 1
            return ("input",)
        if kind == "op" and value == "(":
            self.i += 1
            node = self.expression()
            self.expect("op", ")")
            return node
        if kind == "op" and value == "[":
            self.i += 1
            items = []
            if not self.accept("op", "]"):
                items.append(self.expression())
                if self.is_("op", ".."):
                    self.fail("ranges like [1..5] are only allowed in input entries or after 'in'")
                while self.accept("op", ","):
                    items.append(self.expression())
                self.expect("op", "]")
            return ("list", items)
        if kind == "name":
            self.i += 1
            if self.accept("op", "("):
                if value not in FUNCTIONS:
                    raise FeelSyntaxError(f"unknown function {value!r}", pos)
                args = []
                if not self.accept("op", ")"):
                    args.append(self.expression())
                    while self.accept("op", ","):
                        args.append(self.expression())
                    self.expect("op", ")")
                low, high = FUNCTIONS[value]
                if len(args) < low or (high is not None and len(args) > high) or (value == "date" and len(args) == 2):
                    raise FeelSyntaxError(f"function {value!r} called with {len(args)} argument(s)", pos)
                return ("call", value, args)
            return ("name", value)
        self.fail("expected a value")

    # -- unary tests
    def unary_tests(self):
        if self.is_("eof") or (self.is_("op", "-") and self.is_("eof", ahead=1)):
            return ("any",)
        if self.is_("name", "not") and self.is_("op", "(", ahead=1):
            save = self.i
            self.i += 2
            tests = self.positive_unary_tests()
            self.expect("op", ")")
            if self.is_("eof"):
                return ("not", tests)
            self.i = save
        tests = self.positive_unary_tests()
        self.expect_eof()
        return ("tests", tests)

    def positive_unary_tests(self):
        tests = [self.positive_unary_test()]
        while self.accept("op", ","):
            tests.append(self.positive_unary_test())
        return tests

    def positive_unary_test(self):
        kind, value, _pos = self.peek()
        if kind == "op" and value in CMP_OPS:
            self.i += 1
            return ("ut_cmp", value, self.additive())
        if kind == "op" and value in ("[", "]", "("):
            save = self.i
            try:
                return self.interval()
            except _RangeError:
                raise
            except FeelSyntaxError:
                self.i = save
        return ("ut_expr", self.expression())

    def interval(self):
        opener = self.peek()[1]
        self.i += 1
        low = self.additive()
        self.expect("op", "..", "'..'")
        try:  # past '..' this can only be a range: report range errors as such
            high = self.additive()
            closer = self.peek()
            if closer[0] != "op" or closer[1] not in ("]", "[", ")"):
                self.fail("expected ']', '[' or ')' closing the range")
        except FeelSyntaxError as exc:
            raise _RangeError(str(exc)) from None
        self.i += 1
        return ("ut_interval", opener == "[", low, high, closer[1] == "]")

    def in_tests(self):
        if self.is_("op", "("):
            save = self.i
            try:
                return [self.interval()]
            except _RangeError:
                raise
            except FeelSyntaxError:
                self.i = save
            self.i += 1
            tests = self.positive_unary_tests()
            self.expect("op", ")")
            return tests
        return [self.positive_unary_test()]


def _check_depth(node):
    """Reject ASTs deeper than MAX_DEPTH (long operator chains are left-deep trees); iterative."""
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FeelSyntaxError(f"expression nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, tuple) and item and item[0] != "lit":
            stack.extend((part, depth + 1) for part in item[1:] if isinstance(part, (tuple, list)))
        elif isinstance(item, list):
            stack.extend((part, depth) for part in item)
    return node


def parse_expression(text):
    """Parse a FEEL expression (input expression, output entry, literal expression)."""
    parser = _Parser(text)
    if parser.is_("eof"):
        raise FeelSyntaxError("empty expression", 0)
    node = parser.expression()
    parser.expect_eof()
    return _check_depth(node)


def parse_unary_tests(text):
    """Parse an input entry (S-FEEL unary tests, plus FEEL expressions as unary tests)."""
    return _check_depth(_Parser(text).unary_tests())


def uses_input(node, input_name=None):
    """True if the AST refers to the cell input (`?` or the input variable name)."""
    if not isinstance(node, tuple):
        return False
    if node[0] == "input" or (node[0] == "name" and input_name and node[1] == input_name):
        return True
    if node[0] == "lit":
        return False
    for part in node[1:]:
        if isinstance(part, list):
            if any(uses_input(p, input_name) for p in part):
                return True
        elif uses_input(part, input_name):
            return True
    return False
