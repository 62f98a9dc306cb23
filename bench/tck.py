"""DMN TCK runner: the compliance-level-2 and -3 test cases against zsa-flow's DMN engine.

    python -m bench.tck PATH [-v] [--json]

PATH: a TCK checkout (folder with TestCases/compliance-level-*), its TestCases folder, or a folder
or file with the TestCases-*.tar.xz archive (as in ../shared/dmn-tck). Prints passed/total per
level and the failures grouped by cause (model/expression errors by kind, wrong values); -v lists
every failing test case. A test case passes when all its result nodes match (numbers to 8 places,
see tck_cases.same); an error passes only where the result node expects one (errorResult="true").
Models are parsed leniently: an expression that does not compile fails its own decision only.
"""
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from bench.tck_cases import LEVELS, read_cases, same, tck_root
from zsa_flow.dmn import parse_dmn
from zsa_flow.dmn.feel_eval import to_jsonable


def _cause(exc):
    text = str(exc)
    text = re.sub(r"^.*?:\d+: [^:]*: ", "", text)  # file:line: element:
    text = re.sub(r"cell '(?:[^'\\]|\\.)*': |cell \"(?:[^\"\\]|\\.)*\": ", "", text)
    text = re.sub(r" \(at column \d+\)", "", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "…", text)
    text = re.sub(r"\d+", "N", text)
    return f"{type(exc).__name__}: {text[:110]}"


class Models:
    """Parsed models of one test folder, by file name (parsed once)."""

    def __init__(self, folder):
        self.folder = folder
        self.docs = {}

    def get(self, name):
        if name not in self.docs:
            path = self.folder / name
            try:
                self.docs[name] = parse_dmn(path.read_bytes(), name, strict=False,
                                            imports=self.folder.glob("*.dmn"))
            except Exception as exc:  # noqa: BLE001 - reported as the failure cause
                self.docs[name] = exc
        return self.docs[name]


def run_case(doc, case):
    """None if the case passes, else the failure cause."""
    if isinstance(doc, Exception):
        return "model does not load: " + _cause(doc)
    if case.kind == "decisionService":
        try:
            values = doc.service_values(case.invocable, case.inputs)
        except Exception as exc:  # noqa: BLE001
            values = exc
    for result in case.results:
        if case.kind == "decisionService":
            actual = values if isinstance(values, Exception) else values.get(result.name)
        else:
            try:
                actual = doc.decision_value(result.name, case.inputs)
            except Exception as exc:  # noqa: BLE001
                actual = exc
        if isinstance(actual, Exception):
            if result.error:
                continue  # the test expects the engine to report an error
            return _cause(actual)
        if not same(actual, result.expected):
            return ("wrong value", result.name, to_jsonable(result.expected), to_jsonable(actual))
    return None


def run(root):
    """{level: {"total": n, "passed": n, "failures": [(folder, case id, cause)]}}"""
    report = {}
    for level in LEVELS:
        folder = root / level
        if not folder.is_dir():
            continue
        stats = {"total": 0, "passed": 0, "failures": []}
        for test_dir in sorted(p for p in folder.iterdir() if p.is_dir()):
            models = Models(test_dir)
            for test_file in sorted(test_dir.glob("*-test-*.xml")):
                model_name, cases = read_cases(test_file)
                doc = models.get(model_name)
                for case in cases:
                    stats["total"] += 1
                    cause = run_case(doc, case)
                    if cause is None:
                        stats["passed"] += 1
                    else:
                        stats["failures"].append((test_dir.name, case.id, cause))
        report[level] = stats
    return report


def _group(cause):
    return "wrong value" if isinstance(cause, tuple) else cause


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in argv
    as_json = "--json" in argv
    paths = [a for a in argv if not a.startswith("-")]
    if len(paths) != 1:
        print(__doc__.strip())
        return 2
    started = time.perf_counter()
    report = run(tck_root(Path(paths[0])))
    elapsed = time.perf_counter() - started
    if as_json:
        print(json.dumps({level: {"passed": s["passed"], "total": s["total"]} for level, s in report.items()}))
        return 0
    for level, stats in report.items():
        share = 100 * stats["passed"] / max(stats["total"], 1)
        print(f"{level}: {stats['passed']}/{stats['total']} passed ({share:.1f} %)")
        groups = Counter(_group(cause) for _, _, cause in stats["failures"])
        for cause, count in groups.most_common():
            print(f"  {count:5d}  {cause}")
        if verbose:
            for folder, case_id, cause in stats["failures"]:
                print(f"    {folder} #{case_id}: {cause}")
    print(f"time: {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
