"""Reading DMN TCK test-case files (`*-test-*.xml`, root <testCases>) and comparing results.

Values: <value xsi:type="xsd:..."> (nil = null), <list><item>...</item></list> and
<component name="...">...</component> (a context), nested freely.
"""
import datetime as dt
import tarfile
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from zsa_flow.dmn.feel_types import DTDuration, YMDuration, parse_date, parse_datetime, parse_duration, parse_time
from zsa_flow.dmn.feel_values import equals, to_feel
from zsa_flow.xmlsafe import parse_xml

XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
LEVELS = ("compliance-level-2", "compliance-level-3")


@dataclass
class Result:
    name: str
    expected: object
    error: bool  # errorResult="true": the engine must report an error (result null)


@dataclass
class Case:
    id: str
    kind: str  # "decision" or "decisionService"
    invocable: str | None
    inputs: dict = field(default_factory=dict)
    results: list = field(default_factory=list)


def _local(element):
    return element.tag.split("}")[-1] if isinstance(element.tag, str) else ""


def _scalar(element):
    if element.get(f"{XSI}nil") == "true":
        return None
    text = element.text or ""
    kind = (element.get(f"{XSI}type") or "").split(":")[-1]
    if kind in ("decimal", "double", "integer", "int", "long", "float"):
        try:
            number = Decimal(text.strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    if kind == "boolean":
        return text.strip() == "true"
    if kind == "date":
        return parse_date(text.strip())
    if kind == "dateTime":
        return parse_datetime(text.strip())
    if kind == "time":
        return parse_time(text.strip())
    if kind == "duration":
        return parse_duration(text.strip())
    return text


def read_value(element):
    """The FEEL value held by an <inputNode>, <expected>, <item> or <component> element."""
    children = [c for c in element if _local(c)]
    for child in children:
        name = _local(child)
        if name == "value":
            return _scalar(child)
        if name == "list":
            return [read_value(item) for item in child if _local(item) == "item"]
    components = [c for c in children if _local(c) == "component"]
    if components:
        return {c.get("name"): read_value(c) for c in components}
    if element.get(f"{XSI}nil") == "true":
        return None
    return None


def read_cases(path):
    """(model file name, [Case]) of one test-case file."""
    root = parse_xml(Path(path).read_bytes(), str(path)).getroot()
    model = next((c.text.strip() for c in root if _local(c) == "modelName" and c.text), None)
    cases = []
    for element in root:
        if _local(element) != "testCase":
            continue
        case = Case(id=element.get("id") or "?", kind=element.get("type") or "decision",
                    invocable=element.get("invocableName"))
        for child in element:
            if _local(child) == "inputNode":
                namespace = child.get("namespace")
                key = f"{{{namespace}}}{child.get('name')}" if namespace else child.get("name")
                case.inputs[key] = read_value(child)
            elif _local(child) == "resultNode":
                expected = next((e for e in child if _local(e) == "expected"), None)
                case.results.append(Result(child.get("name"), None if expected is None else read_value(expected),
                                           child.get("errorResult") == "true"))
        cases.append(case)
    return model, cases


def same(actual, expected):
    """TCK comparison: FEEL equality; numbers agree to 8 decimal places, relative to their size
    (expected values were computed in binary floating point or rounded: exp(-1) is 0.36787944)."""
    actual = to_feel(actual)
    if expected is None:
        return actual is None
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        if actual == expected:
            return True
        return abs(actual - expected) <= max(abs(expected), Decimal(1)) * Decimal("1e-8")
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            same(a, e) for a, e in zip(actual, expected))
    if isinstance(expected, dict):
        return isinstance(actual, dict) and set(actual) == set(expected) and all(
            same(actual[k], expected[k]) for k in expected)
    if isinstance(expected, (dt.date, dt.time, DTDuration, YMDuration)) or type(actual) is type(expected):
        return equals(actual, expected) is True
    return False


def tck_root(path):
    """The folder holding compliance-level-* for a TCK checkout, a TestCases folder, or a folder
    or file with the TestCases-*.tar.xz archive (unpacked once into a temporary folder)."""
    path = Path(path)
    archive = path if path.is_file() else next(iter(sorted(path.glob("TestCases*.tar.xz"))), None)
    if archive is not None:
        target = Path(tempfile.gettempdir()) / f"zsa-tck-{archive.stem}-{archive.stat().st_size}"
        if not (target / ".complete").exists():
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
            (target / ".complete").touch()
        path = target
    for candidate in (path, path / "TestCases", path / "TestCases" / "TestCases"):
        if any((candidate / level).is_dir() for level in LEVELS):
            return candidate
    raise FileNotFoundError(f"{path}: no compliance-level-2/3 folders (DMN TCK TestCases) found")
