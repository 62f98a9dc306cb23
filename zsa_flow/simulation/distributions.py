"""Distributions of the zsa:duration / zsa:wait properties (processes/README.md §8), in hours.

    fixed(PT3M)   triangular(PT5M, PT8M, PT20M)   lognormal(mean=PT25M, sd=PT10M)
    uniform(P0D, P7D)   exponential(mean=PT20M)
"""
import math
import re
from dataclasses import dataclass

_ISO = re.compile(r"^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                  r"(?:(\d+(?:\.\d+)?)S)?)?$")
_CALL = re.compile(r"^\s*([a-z]+)\s*\((.*)\)\s*$")


class DistributionError(ValueError):
    """A distribution text that cannot be read; the message says why (German)."""


def hours(text: str) -> float:
    """An ISO 8601 duration (weeks, days, hours, minutes, seconds) in hours."""
    text = text.strip()
    match = _ISO.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        raise DistributionError(f"'{text}' ist keine ISO-8601-Dauer (z. B. PT5M, P2D)")
    w, d, h, m, s = (float(g) if g else 0.0 for g in match.groups())
    return w * 168 + d * 24 + h + m / 60 + s / 3600


@dataclass(frozen=True)
class Distribution:
    kind: str
    params: tuple  # in hours
    text: str

    @property
    def mean(self) -> float:
        p = self.params
        if self.kind == "fixed":
            return p[0]
        if self.kind == "triangular":
            return sum(p) / 3
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2
        return p[0]  # lognormal, exponential: parameterised by their mean

    def sample(self, rng) -> float:
        p = self.params
        if self.kind == "fixed":
            return p[0]
        if self.kind == "triangular":
            low, mode, high = p
            return rng.triangular(low, high, mode) if high > low else low
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1])
        if self.kind == "exponential":
            return rng.expovariate(1.0 / p[0]) if p[0] > 0 else 0.0
        mean, sd = p
        if mean <= 0:
            return 0.0
        if sd <= 0:
            return mean
        sigma2 = math.log(1 + (sd / mean) ** 2)
        return rng.lognormvariate(math.log(mean) - sigma2 / 2, math.sqrt(sigma2))


_ARITY = {"fixed": 1, "triangular": 3, "uniform": 2, "lognormal": 2, "exponential": 1}
_NAMED = {"lognormal": ("mean", "sd"), "exponential": ("mean",)}


def parse(text: str) -> Distribution:
    """Read a distribution; raises DistributionError with a German one-line reason."""
    match = _CALL.match(text or "")
    if not match or match.group(1) not in _ARITY:
        raise DistributionError(f"'{text}' ist keine Verteilung (fixed, triangular, lognormal, uniform, exponential)")
    kind, raw = match.group(1), [a.strip() for a in match.group(2).split(",") if a.strip()]
    if len(raw) != _ARITY[kind]:
        raise DistributionError(f"'{text}': {kind} erwartet {_ARITY[kind]} Werte")
    values = {}
    for index, arg in enumerate(raw):
        name, _, value = arg.rpartition("=")
        names = _NAMED.get(kind)
        key = name.strip() if name else (names[index] if names else index)
        if names and key not in names:
            raise DistributionError(f"'{text}': unbekannter Parameter '{key}'")
        values[key] = hours(value)
    params = tuple(values[k] for k in (_NAMED.get(kind) or range(len(raw))))
    if kind == "triangular" and not params[0] <= params[1] <= params[2]:
        raise DistributionError(f"'{text}': triangular verlangt Minimum ≤ Modus ≤ Maximum")
    if kind == "uniform" and params[0] > params[1]:
        raise DistributionError(f"'{text}': uniform verlangt Minimum ≤ Maximum")
    return Distribution(kind, params, text.strip())
