"""The browser (feelin, as in Camunda's form-js) and the server (zsa_flow/dmn) agree on every
`conditional.hide` of the process library's forms, over representative data.

Each condition is evaluated in both over all combinations of values for the names it reads: the
option values of the library's fields with that key, booleans, null, empty and typical numbers.
"""
import itertools
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from zsa_flow.forms import parse_form
from zsa_flow.forms.browser import _names

ROOT = Path(__file__).resolve().parents[2]
FEELIN = ROOT / "node_modules" / "feelin"
NODE = shutil.which("node")
MAX_CASES = 200  # per condition

pytestmark = pytest.mark.skipif(NODE is None or not FEELIN.exists(), reason="node and `make install` (feelin) needed")


def _forms():
    return [parse_form(p.read_bytes(), str(p)) for p in sorted((ROOT / "forms").glob("**/*.form"))]


def _conditions(components):
    for comp in components:
        if comp.hide is not None and isinstance(comp.hide.source, str):
            yield comp.hide
        yield from _conditions(comp.children)


def _samples(forms):
    """Candidate values per field key: its options, its type's typical values, null."""
    samples = {}
    for form in forms:
        for f in form.fields:
            values = samples.setdefault(f.key, [None])
            extra = [o.value for o in f.options or ()]
            extra += {"checkbox": [True, False], "number": [0, 3, 12.5], "textfield": ["", "x"],
                      "textarea": ["", "Text"], "checklist": [[], ["a"]]}.get(f.type, [])
            values.extend(v for v in extra if v not in values)
    return samples


def _library_cases():
    forms = _forms()
    samples = _samples(forms)
    cases = []
    for form in forms:
        for condition in _conditions(form.components):
            names = set()
            _names(condition._expression.ast, names)
            names = sorted(names)
            grid = itertools.product(*(samples.get(n, [None, True, False, "", "x", 1]) for n in names))
            for values in itertools.islice(grid, MAX_CASES):
                cases.append((form.id, condition, dict(zip(names, values))))
    return cases


def _feelin(cases):
    payload = [{"expression": c.source, "context": ctx} for _, c, ctx in cases]
    done = subprocess.run([NODE, str(ROOT / "tools" / "feel" / "evaluate.mjs")], input=json.dumps(payload),
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    return json.loads(done.stdout)


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    return value


def test_library_conditions_agree_in_browser_and_server():
    cases = _library_cases()
    assert len({(form, c.source) for form, c, _ in cases}) >= 10  # the library's conditions are all here
    disagreements = []
    for (form, condition, context), browser in zip(cases, _feelin(cases)):
        assert condition.supported, f"{form}: {condition.source} is not supported on the server"
        assert "error" not in browser, f"{form}: feelin cannot evaluate {condition.source}: {browser}"
        server = _plain(condition.evaluate(context))
        if (server is True) != (browser["value"] is True) or (server is not None and server != browser["value"]):
            disagreements.append((form, condition.source, context, server, browser["value"]))
    assert disagreements == []


def test_the_comparison_finds_a_disagreement():
    """The check can fail: feelin says false where FEEL (and the server) say null for 1 < "a"."""
    from zsa_flow.forms import Condition

    condition = Condition('=1 < "a"')
    browser = _feelin([("test", condition, {})])[0]
    assert condition.evaluate({}) is None and browser["value"] is False
