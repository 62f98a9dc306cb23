"""FEEL parser: tokens (feel_lexer.py) -> tuple AST, compiled to closures by `feel_eval.py`.

Model text is hostile input: it is tokenised and parsed here, never handed to eval/exec.

AST nodes (tuples, first item is the kind):
  ("lit", value)  ("at", text)  ("name", name)  ("input",) is `?`  ("path", base, key)
  ("call", fname, [args])  ("invoke", callee, [args])  ("calln", fname|callee, [(name, arg)])
  ("list", [items])  ("context", [(key, expr)])  ("range", lo_closed, lo, hi, hi_closed)
  ("neg", x)  ("bin", op, a, b)  ("cmp", op, a, b)  ("and", a, b)  ("or", a, b)
  ("if", cond, then, else)  ("between", x, lo, hi)  ("in", x, [tests])  ("filter", base, cond)
  ("for", [(var, expr)], body)  ("quant", "some"|"every", [(var, expr)], cond)
  ("instance", x, type)  ("func", [(param, type)], body, external)
Unary tests (input entries):
  ("any",)  ("tests", [test])  ("not", [test])
  test: ("ut_cmp", op, endpoint) | ("ut_interval", lo_closed, lo, hi, hi_closed) | ("ut_expr", expr)
Types: ("type", name) ("list", t) ("context", [(k, t)]) ("range", t) ("function", [t], t)
"""
from .feel_lexer import KEYWORDS, MAX_TEXT, FeelSyntaxError, special_names, tokenize  # noqa: F401
from .feel_unary import CMP_OPS, UnaryTestsParser

MAX_DEPTH = 60  # nesting depth; bounds recursion on hostile input
COMPOUND_TYPES = ("days and time duration", "years and months duration", "date and time")


class _Parser(UnaryTestsParser):
    def __init__(self, text, names=frozenset(), known=frozenset()):
        self.toks = tokenize(text, names)
        self.text = text
        self.i = 0
        self.depth = 0
        self.known = known  # names a call may refer to besides the built-ins
        self.bound = []  # names bound by contexts, functions, for/some/every
        self.no_filter_at = -1

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

    def name_words(self):
        """One name: consecutive plain words are joined (`Full Name`)."""
        words = [self.peek()[1]]
        self.i += 1
        while self.is_("name"):
            words.append(self.peek()[1])
            self.i += 1
        return " ".join(words)

    def key(self):
        """A context key or parameter name: words (keywords allowed) or a string."""
        if self.is_("str"):
            self.i += 1
            return self.peek(-1)[1]
        if not (self.is_("name") or self.is_("kw")):
            self.fail("expected a name")
        start = k = self.i
        while self.peek(k - self.i)[0] in ("name", "kw", "num") or (
                self.peek(k - self.i)[0] == "op" and self.peek(k - self.i)[1] in "+-*/.'?"):
            k += 1
        if self.toks[k][:2] != ("op", ":") or k - start == 1:
            k = start + 1
            while self.is_("name", ahead=k - start) or self.is_("kw", ahead=k - start):
                k += 1
        end = self.toks[k][2]
        self.i = k
        return " ".join(self.text[self.toks[start][2]:end].split())

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
            if self.is_("kw", "for") or self.is_("kw", "some") or self.is_("kw", "every"):
                return self.iteration()
            if self.is_("kw", "function"):
                return self.function()
            return self.disjunction()
        finally:
            self.depth -= 1

    def iteration(self):
        word = self.peek()[1]
        self.i += 1
        contexts = []
        self.bound.append(set())
        try:
            while True:
                if not self.is_("name"):
                    self.fail("expected a variable name")
                var = self.name_words()
                self.expect("kw", "in")
                source = self.expression()
                if word == "for" and self.accept("op", ".."):
                    source = ("span", source, self.expression())
                contexts.append((var, source))
                self.bound[-1].add(var)
                if not self.accept("op", ","):
                    break
            if word == "for":
                self.bound[-1].add("partial")
                self.expect("kw", "return")
                return ("for", contexts, self.expression())
            self.expect("kw", "satisfies")
            return ("quant", word, contexts, self.expression())
        finally:
            self.bound.pop()

    def function(self):
        self.i += 1
        self.expect("op", "(")
        params = []
        if not self.accept("op", ")"):
            while True:
                name = self.key()
                params.append((name, self.type_() if self.accept("op", ":") else None))
                if self.accept("op", ")"):
                    break
                self.expect("op", ",")
        external = self.accept("kw", "external")
        self.bound.append({p for p, _ in params})
        try:
            return ("func", params, self.expression(), external)
        finally:
            self.bound.pop()

    def type_(self):
        for compound in COMPOUND_TYPES:
            words = compound.split()
            if all(self.peek(k)[1] == w for k, w in enumerate(words)):
                self.i += len(words)
                return ("type", compound)
        if not (self.is_("name") or self.is_("kw", "function")):
            self.fail("expected a type")
        name = str(self.peek()[1])
        self.i += 1
        while self.is_("op", ".") and self.is_("name", ahead=1):
            name += "." + self.peek(1)[1]
            self.i += 2
        if name in ("list", "range") and self.accept("op", "<"):
            inner = self.type_()
            self.expect("op", ">")
            return (name, inner)
        if name == "context" and self.accept("op", "<"):
            fields = []
            while True:
                key = self.key()
                self.expect("op", ":")
                fields.append((key, self.type_()))
                if self.accept("op", ">"):
                    return ("context", fields)
                self.expect("op", ",")
        if name == "function" and self.accept("op", "<"):
            params = []
            if not self.accept("op", ">"):
                params.append(self.type_())
                while self.accept("op", ","):
                    params.append(self.type_())
                self.expect("op", ">")
            self.expect("op", "->")
            return ("function", params, self.type_())
        return ("type", name)

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
        node = self.instance()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in CMP_OPS:
            self.i += 1
            return ("cmp", tok[1], node, self.instance())
        if self.accept("kw", "between"):
            low = self.instance()
            self.expect("kw", "and")
            return ("between", node, low, self.instance())
        if self.accept("kw", "in"):
            return ("in", node, self.in_tests())
        return node

    def instance(self):
        node = self.additive()
        while self.is_("kw", "instance") and self.is_("kw", "of", ahead=1):
            self.i += 2
            node = ("instance", node, self.type_())
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
        while True:
            if self.accept("op", "."):
                if not (self.is_("name") or self.is_("kw")):
                    self.fail("expected a name after '.'")
                node = ("path", node, self.name_words() if self.is_("name") else self.key())
            elif self.depth != self.no_filter_at and self.accept("op", "["):
                self.enter()
                self.bound.append({"item"})
                try:
                    cond = self.expression()
                finally:
                    self.bound.pop()
                    self.depth -= 1
                self.expect("op", "]")
                node = ("filter", node, cond)
            elif self.is_("op", "("):
                pos = self.peek()[2]
                self.i += 1
                node = self.call(node, pos)
            else:
                return node

    def _named_arg_ahead(self):
        k = 0
        while self.peek(k)[0] in ("name", "kw"):
            k += 1
        return k > 0 and self.peek(k)[:2] == ("op", ":")

    def call(self, callee, pos):
        args, named = [], []
        if not self.accept("op", ")"):
            while True:
                if self._named_arg_ahead():
                    key = self.key()
                    self.expect("op", ":")
                    named.append((key, self.expression()))
                elif named:
                    self.fail("positional argument after named arguments")
                else:
                    args.append(self.expression())
                if self.accept("op", ")"):
                    break
                self.expect("op", ",")
        if callee[0] == "name":
            self._check_function(callee[1], pos)
            callee = callee[1]
        if named:
            return ("calln", callee, named)
        return ("call", callee, args) if isinstance(callee, str) else ("invoke", callee, args)

    def _check_function(self, name, pos):
        from .feel_builtins import BUILTINS
        if name in BUILTINS or name in self.known or any(name in scope for scope in self.bound):
            return
        raise FeelSyntaxError(f"unknown function {name!r}", pos)

    def primary(self):
        kind, value, pos = self.peek()
        if kind in ("num", "str"):
            self.i += 1
            return ("lit", value)
        if kind == "at":
            self.i += 1
            return ("at", value)
        if kind == "kw" and value in ("true", "false", "null"):
            self.i += 1
            return ("lit", {"true": True, "false": False, "null": None}[value])
        if kind == "kw" and value == "function":
            return self.function()
        if kind == "op" and value == "?":
            self.i += 1
            return ("input",)
        if kind == "op" and value in ("(", "]", "[") and self.range_ahead():
            return ("range",) + self.interval()[1:]
        if kind == "op" and value == "(" and self.peek(1)[0] == "op" and self.peek(1)[1] in CMP_OPS:
            op = self.peek(1)[1]
            self.i += 2
            bound = self.additive()
            self.expect("op", ")")
            if op in ("=", "!="):  # `(=10)` holds only 10 but is not equal to the range [10..10]
                return ("range", True, bound, bound, True, "=") if op == "=" else ("lit", None)
            low = op[0] == ">"
            return ("range", op == ">=", bound if low else None, None if low else bound, op == "<=")
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
                while self.accept("op", ","):
                    items.append(self.expression())
                self.expect("op", "]")
            return ("list", items)
        if kind == "op" and value == "{":
            return self.context()
        if kind == "name":
            return ("name", self.name_words())
        self.fail("expected a value")

    def context(self):
        self.i += 1
        entries = []
        self.bound.append(set())
        try:
            if self.accept("op", "}"):
                return ("context", entries)
            while True:
                pos = self.peek()[2]
                key = self.key()
                if key in self.bound[-1]:
                    raise FeelSyntaxError(f"duplicate context key {key!r}", pos)
                self.expect("op", ":")
                self.bound[-1].add(key)  # before its value: a function entry may call itself
                entries.append((key, self.expression()))
                if self.accept("op", "}"):
                    return ("context", entries)
                self.expect("op", ",")
        finally:
            self.bound.pop()


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


def parse_expression(text, names=frozenset()):
    """Parse a FEEL expression. `names`: variable/function names in scope (may contain spaces)."""
    parser = _Parser(text, special_names(names), frozenset(names))
    if parser.is_("eof"):
        raise FeelSyntaxError("empty expression", 0)
    node = parser.expression()
    parser.expect_eof()
    return _check_depth(node)


def parse_unary_tests(text, names=frozenset()):
    """Parse an input entry (S-FEEL unary tests, plus FEEL expressions as unary tests)."""
    return _check_depth(_Parser(text, special_names(names), frozenset(names)).unary_tests())


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
