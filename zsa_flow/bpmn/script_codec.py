"""Wire format between the server and the script workers: tagged JSON with a byte budget.

Task data is JSON-compatible, but expressions may also yield Decimal, date, datetime, timedelta,
tuple or set; those travel as `{"$t": kind, "v": ...}`. `dumps` counts the bytes while it converts
(shared references count every time they occur, as they would in the JSON) and stops as soon as
the budget is exceeded, so `['x' * 1000000] * 500` is refused after about one megabyte instead of
building 500 MB; the exact length of the encoded bytes is checked once more at the end.
Nothing here ever unpickles or evaluates: a worker can only hand back plain data.
"""
import json
import math
from datetime import date, datetime, timedelta
from decimal import Decimal

TAG = "$t"
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class TooLarge(Exception):
    """The encoded value would exceed its byte budget."""

    def __init__(self, limit):
        super().__init__(limit)
        self.limit = limit


class _Encoder:
    def __init__(self, limit):
        self.limit, self.used = limit, 0

    def add(self, size):
        self.used += size
        if self.used > self.limit:
            raise TooLarge(self.limit)

    def convert(self, value, depth=0):
        if depth > 200:
            raise ValueError("Wert ist zu tief verschachtelt")
        if value is None or value is True or value is False:
            self.add(5)
            return value
        kind = type(value)
        if kind is str:
            self.add(len(value) + 2 if value.isascii() else len(value.encode("utf-8", "surrogatepass")) + 2)
            return value
        if kind is int:
            self.add(max(1, value.bit_length() // 3))
            return value
        if kind is float:
            self.add(24)
            return value if math.isfinite(value) else {TAG: "float", "v": repr(value)}
        if kind is dict:
            self.add(2)
            out = {}
            for key, item in value.items():
                if type(key) is not str:
                    return self._pairs(value, depth)
                self.add(len(key) + 4)
                out[key] = self.convert(item, depth + 1)
            return {TAG: "dict", "v": [[k, v] for k, v in out.items()]} if TAG in out else out
        if kind is list:
            self.add(2 + len(value))
            return [self.convert(item, depth + 1) for item in value]
        return self._tagged(value, depth)

    def _pairs(self, value, depth):
        return {TAG: "pairs", "v": [[self.convert(k, depth + 1), self.convert(v, depth + 1)] for k, v in value.items()]}

    def _tagged(self, value, depth):
        self.add(16)
        for base in (bool, int, float, str, list, dict):  # subclasses travel as their base type
            if isinstance(value, base):
                return self.convert(base(value), depth)
        if isinstance(value, Decimal):
            return {TAG: "decimal", "v": self.convert(str(value))}
        if isinstance(value, datetime):
            return {TAG: "datetime", "v": value.isoformat()}
        if isinstance(value, date):
            return {TAG: "date", "v": value.isoformat()}
        if isinstance(value, timedelta):
            return {TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
        if isinstance(value, tuple):
            return {TAG: "tuple", "v": self.convert(list(value), depth)}
        if isinstance(value, (set, frozenset)):
            return {TAG: "set", "v": self.convert(list(value), depth)}
        raise TypeError(f"Wert vom Typ '{type(value).__name__}' kann nicht übertragen werden")


def dumps(value, limit) -> bytes:
    """`value` as UTF-8 JSON bytes; TooLarge when it would exceed `limit` bytes."""
    tree = _Encoder(limit).convert(value)
    data = _ENCODER.encode(tree).encode("utf-8", "surrogatepass")
    if len(data) > limit:
        raise TooLarge(limit)
    return data


def size(value, limit) -> int:
    """Encoded size of `value` in bytes (TooLarge above `limit`)."""
    return len(dumps(value, limit))


_DECODE = {
    "decimal": Decimal, "datetime": datetime.fromisoformat, "date": date.fromisoformat,
    "timedelta": lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "tuple": tuple, "set": set, "float": float, "dict": dict, "pairs": lambda v: {_hashable(k): x for k, x in v},
}


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def _hook(obj):
    kind = obj.get(TAG)
    if kind is None or len(obj) != 2 or "v" not in obj:
        return obj
    decode = _DECODE.get(kind)
    if decode is None:
        raise ValueError(f"unbekannter Typ {kind!r}")
    return decode(obj["v"])


def loads(data: bytes):
    """The value `dumps` encoded."""
    return _DECODER.decode(data.decode("utf-8", "surrogatepass"))


_DECODER = json.JSONDecoder(object_hook=_hook)
