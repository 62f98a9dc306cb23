"""FEEL unary tests (decision table input entries) and ranges: the part of the parser in feel.py
that reads `< 5`, `[1..10]`, `"a", "b"`, `not(...)` and `x in ...` tests."""
from .feel_lexer import FeelSyntaxError

CMP_OPS = ("=", "!=", "<", "<=", ">", ">=")


class _RangeError(FeelSyntaxError):
    """A malformed range after '..': no point trying other readings of the text."""


class UnaryTestsParser:
    """Mixin for feel._Parser (token helpers and expression rules live there)."""

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
        if kind == "op" and value in ("[", "]", "(") and self.range_ahead():
            return self.interval()
        return ("ut_expr", self.expression())

    def range_ahead(self):
        """True if the bracket at the current token opens a range (`..` at its own level)."""
        if self.is_("op", "]"):
            return True
        depth, k = 0, self.i
        while k < len(self.toks):
            kind, value, _ = self.toks[k]
            if kind == "op" and value in ("(", "[", "{"):
                depth += 1
            elif kind == "op" and value in (")", "]", "}"):
                depth -= 1
                if depth <= 0:
                    return False
            elif kind == "op" and value == ".." and depth == 1:
                return True
            elif kind == "eof":
                return False
            k += 1
        return False

    def interval(self):
        opener = self.peek()[1]
        self.i += 1
        low = self.additive()
        self.expect("op", "..", "'..'")
        try:  # past '..' this can only be a range: report range errors as such
            saved, self.no_filter_at = self.no_filter_at, self.depth  # `]1..5[`: '[' closes the range
            try:
                high = self.additive()
            finally:
                self.no_filter_at = saved
            closer = self.peek()
            if closer[0] != "op" or closer[1] not in ("]", "[", ")"):
                self.fail("expected ']', '[' or ')' closing the range")
        except FeelSyntaxError as exc:
            raise _RangeError(str(exc)) from None
        self.i += 1
        return ("ut_interval", opener == "[", low, high, closer[1] == "]")

    def in_tests(self):
        if self.is_("op", "("):
            if self.range_ahead():
                return [self.interval()]
            self.i += 1
            tests = self.positive_unary_tests()
            self.expect("op", ")")
            return tests
        return [self.positive_unary_test()]
