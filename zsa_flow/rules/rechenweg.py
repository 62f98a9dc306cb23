"""The Rechenweg: every intermediate value of a calculation with its legal reference.

Each step is a JSON-ready dict `{"key", "label", "value", "ref"}` (value: money as a two-decimal
string, factors as plain decimal strings, counts as int) so a Bescheid or the inbox can print the
calculation line by line.
"""
from decimal import Decimal

from .inputs import euro_str


def fmt(value) -> str | int | None:
    """Format a value for the Rechenweg (money → '123.45', other Decimals unchanged as text)."""
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, Decimal):
        if value == value.quantize(Decimal("0.01")) and -value.as_tuple().exponent <= 2:
            return euro_str(value)
        return format(value.normalize(), "f")
    return str(value)


def euro_de(value) -> str:
    """Money inside a German label: Decimal("1234.5") -> "1.234,50"."""
    return f"{Decimal(value):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


class Rechenweg(list):
    """A list of steps; `add` appends one and returns the value for chaining."""

    def add(self, key: str, label: str, value, ref: str | None = None, *, raw: bool = False, kind: str | None = None):
        """`kind` ("number") marks a factor whose text could pass for money (coefficient a = "0.02");
        steps without it are shown by their value's shape, as stored Rechenwege always were."""
        step = {"key": key, "label": label, "value": value if raw else fmt(value), "ref": ref}
        if kind:
            step["kind"] = kind
        self.append(step)
        return value
