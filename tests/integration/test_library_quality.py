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
BPMN_LINT = ROOT / "tools" / "bpmn-lint" / "bpmn-lint.mjs"
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


@pytest.mark.skipif(not shutil.which("node"), reason="node missing")
def test_camunda_modeler_linter_accepts_every_model():
    result = subprocess.run(["node", str(BPMN_LINT), *map(str, MODELS)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


BROKEN_MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="Definitions_kaputt" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="kaputt" isExecutable="true">
    <bpmn:startEvent id="Start" name="Antrag eingegangen"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Pruefen" />
    <bpmn:userTask id="Pruefen" name="Antrag prüfen" camunda:frobnicate="ja">
      <bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Pruefen" targetRef="Ende" />
    <bpmn:endEvent id="Ende" name="Erledigt"><bpmn:incoming>Flow_2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram_1">
    <bpmndi:BPMNPlane id="Plane_1" bpmnElement="kaputt">
      <bpmndi:BPMNShape id="Start_di" bpmnElement="Start"><dc:Bounds x="100" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Pruefen_di" bpmnElement="Pruefen"><dc:Bounds x="200" y="80" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


@pytest.mark.skipif(not shutil.which("node"), reason="node missing")
def test_camunda_modeler_linter_names_file_line_and_element_of_each_problem(tmp_path):
    model = tmp_path / "kaputt.bpmn"
    model.write_text(BROKEN_MODEL, encoding="utf-8")
    result = subprocess.run(["node", str(BPMN_LINT), str(model)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"{model}:9: Pruefen: Fehler: unknown attribute <camunda:frobnicate> (Camunda-Import)" in lines
    assert f"{model}:13: Ende: Fehler: Element is missing bpmndi (no-bpmndi)" in lines
    assert lines[-1].startswith("bpmn-lint: 2 Fehler")


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
