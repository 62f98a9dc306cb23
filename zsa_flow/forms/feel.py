"""Form conditions (`conditional.hide`, `readonly`, `=` texts), parsed and evaluated by the DMN FEEL engine.

Forms accept the part of FEEL that form conditions use in practice: literals (strings, numbers,
true/false/null), names and dotted paths, comparisons (`=`, `!=`, `<`, `<=`, `>`, `>=`), `and`,
`or`, `not(...)` and parentheses, with FEEL's three-valued logic (a comparison of incompatible
values is null). Anything else is *unsupported*: such a condition never hides a field (it is
reported as a warning by `parse_form`).
"""
from decimal import Decimal

from ..dmn import CompiledExpression, FeelSyntaxError

# AST kinds (see zsa_flow/dmn/feel.py) that form conditions do not support, as named in warnings
_UNSUPPORTED = {"bin": "arithmetic", "neg": "arithmetic", "if": "'if'", "between": "'between'", "in": "'in'",
                "list": "a list", "input": "'?'", "path": "a path on a computed value"}


def _check_supported(node):
    """Raise FeelSyntaxError if the expression AST goes beyond what form conditions support."""
    kind = node[0]
    if kind in ("lit", "name"):
        return
    if kind == "path" and node[1][0] in ("name", "path"):
        return _check_supported(node[1])
    if kind == "neg" and node[1][0] == "lit" and isinstance(node[1][1], Decimal):
        return  # a negative number
    if kind == "cmp":
        parts = node[2:]
    elif kind in ("and", "or"):
        parts = node[1:]
    elif kind == "call" and node[1] == "not":
        parts = node[2]
    elif kind == "call":
        raise FeelSyntaxError(f"function {node[1]}() is not supported in form conditions")
    else:
        raise FeelSyntaxError(f"{_UNSUPPORTED.get(kind, kind)} is not supported in form conditions")
    for part in parts:
        _check_supported(part)


def with_this(context):
    """form-js names the data being filled in `this` (in a list entry: the entry, see lists.item_scope)."""
    if context is None or "this" in context:
        return context
    return {**context, "this": context, "_this_": context}


class Condition:
    """A compiled form condition; `source` is the text as written in the form (with or without `=`)."""

    def __init__(self, source):
        self.source = source
        self.error = None
        self._expression = None
        text = ("true" if source else "false") if isinstance(source, bool) else str(source).strip()
        text = text[1:] if text.startswith("=") else text
        try:
            expression = CompiledExpression(text)
            _check_supported(expression.ast)
            self._expression = expression
        except FeelSyntaxError as exc:
            self.error = str(exc)

    @property
    def supported(self):
        return self._expression is not None

    def evaluate(self, context):
        """The FEEL value of the expression (None when unsupported or undefined)."""
        if self._expression is None:
            return None
        return self._expression.evaluate(with_this(context))

    def holds(self, context):
        """True only when the expression evaluates to boolean true (FEEL semantics)."""
        return self.evaluate(context) is True

    def __repr__(self):
        return f"Condition({self.source!r})"


class Rule:
    """A `zsa:validate` rule: any FEEL expression of the DMN engine; the value is wrong when it is false.

    Raises FeelSyntaxError for an expression the engine cannot compile (the form is then refused).
    """

    def __init__(self, source, message):
        self.source, self.message = source, message
        text = str(source).strip()
        self._expression = CompiledExpression(text[1:] if text.startswith("=") else text)

    def broken(self, context):
        """True only when the expression evaluates to false (null — e.g. an empty field — is no error)."""
        return self._expression.evaluate(context) is False

    def __repr__(self):
        return f"Rule({self.source!r})"


class Expression:
    """A FEEL-valued property (`"=…"`: label, min, valuesExpression, an expression field, …).

    Any FEEL of the DMN engine; raises FeelSyntaxError for an expression it cannot compile (the
    form is then refused). Evaluation never raises: an error is null, as in form-js.
    """

    def __init__(self, source):
        self.source = source
        text = str(source).strip()
        self._expression = CompiledExpression(text[1:] if text.startswith("=") else text)

    @property
    def supported(self):
        return True

    def evaluate(self, context):
        """The FEEL value (integral numbers as int, others Decimal) or None."""
        try:
            return self._expression.evaluate(with_this(context or {}))
        except (ArithmeticError, TypeError, ValueError, RecursionError, KeyError, AttributeError):
            return None

    def holds(self, context):
        return self.evaluate(context) is True

    def __repr__(self):
        return f"Expression({self.source!r})"
