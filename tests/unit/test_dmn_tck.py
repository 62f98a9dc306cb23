"""The DMN TCK (levels 2 and 3) in ../shared/dmn-tck: no regression below the recorded figures.

Skipped where that folder is absent (a clone outside the project's workspace). The figures are
in bench/tck_baseline.json; raise them when conformance rises (`python -m bench.tck PATH`).
"""
import json
import os
from pathlib import Path

import pytest

from bench.tck import run
from bench.tck_cases import read_value, same, tck_root
from zsa_flow.dmn.feel_eval import CompiledExpression, Env
from zsa_flow.xmlsafe import parse_xml

REPO = Path(__file__).resolve().parents[2]
TCK = Path(os.environ.get("ZSA_DMN_TCK") or REPO.parent / "shared" / "dmn-tck")  # env: another checkout
BASELINE = json.loads((REPO / "bench" / "tck_baseline.json").read_text())


@pytest.fixture(scope="module")
def report():
    if not TCK.exists():
        pytest.skip(f"DMN TCK test cases not found at {TCK} (only in the project's workspace)")
    return run(tck_root(TCK))


@pytest.mark.parametrize("level", sorted(BASELINE))
def test_no_regression_below_recorded_figures(report, level):
    stats = report[level]
    failures = "\n".join(f"{folder} #{case}: {cause}" for folder, case, cause in stats["failures"][:40])
    assert stats["passed"] >= BASELINE[level], (
        f"{level}: {stats['passed']}/{stats['total']} passed, recorded {BASELINE[level]}\n{failures}")


def test_level_2_passes_completely(report):
    stats = report["compliance-level-2"]
    assert stats["passed"] == stats["total"] == 116


def test_reading_tck_values():
    xml = b"""<expected xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        xmlns:xsd="http://www.w3.org/2001/XMLSchema"><list>
      <item><component name="a"><value xsi:type="xsd:decimal">1.50</value></component>
            <component name="b"><value xsi:nil="true"/></component></item>
      <item><value xsi:type="xsd:duration">P1DT2H</value></item>
    </list></expected>"""
    value = read_value(parse_xml(xml, "t.xml").getroot())
    assert same(_feel('[{a: 1.5, b: null}, duration("P1DT2H")]'), value)
    assert not same(_feel('[{a: 1.5, b: 0}, duration("P1DT2H")]'), value)


def _feel(text):
    return CompiledExpression(text)(Env({}))
