"""The shipped process library meets the quality bar: zsa-flow check, Camunda Modeler's linter,
deployability, forms on every human step, documented as-is assumptions, simulation parameters."""
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from zsa_flow.library.check import check_paths

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted((ROOT / "processes").rglob("*.bpmn"))
BPMN_LINT = ROOT.parent / "shared" / "tools" / "bpmn-lint" / "bpmn-lint"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL", "camunda": "http://camunda.org/schema/1.0/bpmn"}


def _props(node):
    return {p.get("name"): p.get("value") for p in
            node.iterfind("bpmn:extensionElements/camunda:properties/camunda:property", NS)}


def test_library_has_the_required_models():
    names = {str(p.relative_to(ROOT / "processes")) for p in MODELS}
    assert {"hundehaltung/to-be/hundehaltung.bpmn", "hundehaltung/to-be/hundeabmeldung.bpmn",
            "wohngeld/to-be/wohngeld.bpmn"} <= names
    assert sum(1 for n in names if n.startswith("hundehaltung/as-is/")) >= 3
    assert sum(1 for n in names if n.startswith("wohngeld/as-is/")) >= 2


def test_zsa_flow_check_finds_no_error():
    problems = check_paths([str(ROOT / "processes"), str(ROOT / "forms")])
    assert [str(p) for p in problems if p.is_error] == []


@pytest.mark.skipif(not BPMN_LINT.exists() or not shutil.which("npm"), reason="bpmn-lint (../shared/tools) or npm missing")
def test_camunda_modeler_linter_accepts_every_model():
    result = subprocess.run([str(BPMN_LINT), *map(str, MODELS)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_whole_library_deploys(zsa):
    deployed = {r["process_id"] for r in zsa.deploy([str(ROOT / "processes"), str(ROOT / "forms")])}
    assert {"hundehaltung", "hundeabmeldung", "wohngeld"} <= deployed


@pytest.mark.parametrize("path", MODELS, ids=lambda p: str(p.relative_to(ROOT / "processes")))
def test_model_conventions(path):
    root = etree.parse(str(path)).getroot()
    process = root.find("bpmn:process[@isExecutable='true']", NS)
    props = _props(process)
    assert props.get("zsa:case-prefix") and props.get("zsa:service") and props.get("zsa:arrivals"), props
    variant = props.get("zsa:variant")
    assert variant in ("to-be", "as-is")
    if variant == "as-is":
        doc = process.findtext("bpmn:documentation", default="", namespaces=NS)
        assert len(doc.strip()) > 100, "as-is models document their assumptions"
        assert props.get("zsa:kommune", "").isdigit() and len(props["zsa:kommune"]) == 8
    human = process.findall(".//bpmn:userTask", NS) + process.findall(".//bpmn:manualTask", NS)
    assert human
    for task in human:
        p = _props(task)
        assert p.get("zsa:duration") and p.get("zsa:resource"), (task.get("id"), p)
        if task.tag.endswith("userTask"):
            assert task.get(f"{{{NS['camunda']}}}formRef"), task.get("id")
