"""Differential check against bpmn-io's feelin (the JavaScript FEEL interpreter in Camunda's tools).

    python -m bench.feelin_diff TCK_PATH FEELIN_DIR [-v]

TCK_PATH as for bench.tck; FEELIN_DIR: a folder where `npm install feelin` was run (needs node).
Every self-contained literal expression of the TCK's level-3 decisions (no inputs, no BKMs) is
evaluated by both; values both produce that JSON can carry (numbers, strings, booleans, null,
lists, contexts) are compared, numbers to 8 significant places. Prints the agreement and, with -v,
the disagreements. A tool for investigation, not a test: feelin is not the reference, the TCK is.
"""
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from bench.tck_cases import tck_root
from zsa_flow.dmn.feel_eval import CompiledExpression, Env
from zsa_flow.xmlsafe import parse_xml

NODE = """
const {evaluate} = require('feelin');
const exprs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const plain = v => (v === null || v === undefined || typeof v === 'number' || typeof v === 'string'
  || typeof v === 'boolean') ? v : Array.isArray(v) ? v.map(plain)
  : (Object.getPrototypeOf(v) === Object.prototype ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  : {'$unsupported': true});
console.log(JSON.stringify(exprs.map(e => { try { return {v: plain(evaluate(e).value)}; }
  catch (err) { return {error: String(err.message || err)}; } })));
"""


def _expressions(root):
    """Texts of level-3 literal-expression decisions without requirements."""
    texts = []
    for path in sorted((root / "compliance-level-3").glob("*/*.dmn")):
        tree = parse_xml(path.read_bytes(), path.name)
        for decision in tree.getroot().iter("{*}decision"):
            if any(True for _ in decision.iter("{*}informationRequirement", "{*}knowledgeRequirement")):
                continue
            literal = decision.find("{*}literalExpression")
            text = literal.findtext("{*}text") if literal is not None else None
            if text and text.strip():
                texts.append(" ".join(text.split()))
    return sorted(set(texts))


def _ours(text):
    try:
        return _plain(CompiledExpression(text)(Env({})))
    except Exception:  # noqa: BLE001 - a syntax error is "no value"
        return {"$unsupported": True}


def _plain(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return {"$unsupported": True}


def _comparable(value):
    if isinstance(value, dict):
        return "$unsupported" not in value and all(_comparable(v) for v in value.values())
    if isinstance(value, list):
        return all(_comparable(v) for v in value)
    return True


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or isinstance(a, bool) or isinstance(b, bool):
            return False
        return abs(a - b) <= 1e-8 * max(1.0, abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    paths = [a for a in argv if not a.startswith("-")]
    if len(paths) != 2:
        print(__doc__.strip())
        return 2
    texts = _expressions(tck_root(Path(paths[0])))
    run = subprocess.run(["node", "-e", NODE], input=json.dumps(texts), capture_output=True, text=True,
                         cwd=paths[1], check=True)
    theirs = json.loads(run.stdout)
    compared, agree, differ = 0, 0, []
    for text, other in zip(texts, theirs):
        mine = _ours(text)
        if "error" in other or not _comparable(other.get("v")) or not _comparable(mine):
            continue
        compared += 1
        if _same(mine, other["v"]):
            agree += 1
        else:
            differ.append((text, mine, other["v"]))
    print(f"expressions: {len(texts)}, compared (both give a JSON value): {compared}, agree: {agree}")
    if "-v" in argv:
        for text, mine, other in differ:
            print(f"  {text}\n      zsa-flow: {json.dumps(mine)}\n      feelin:   {json.dumps(other)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
