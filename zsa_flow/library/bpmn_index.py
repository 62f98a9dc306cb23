"""The elements of one process in a BPMN file, each with what a version comparison looks at.

    elements = index_process(xml_bytes, "hundehaltung", "hundehaltung.bpmn")
    elements["Task_pruefen"].name, .lane, .facets["Bedingung"]

Pure lxml (through xmlsafe); used by `diff.py` (version diff) and `model_stats.py` (as-is comparison).
"""
from dataclasses import dataclass, field

from lxml import etree

from ..xmlsafe import parse_xml

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
TASKS = frozenset({"task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
                   "sendTask", "receiveTask", "callActivity", "subProcess"})
SKIP = frozenset({"laneSet", "extensionElements", "documentation", "incoming", "outgoing", "ioSpecification",
                  "property", "dataInputAssociation", "dataOutputAssociation"})
FORM_ATTRS = ("formRef", "formKey", "formRefBinding", "formRefVersion")
DECISION_ATTRS = ("decisionRef", "decisionRefBinding", "resultVariable", "mapDecisionResult")


@dataclass
class Element:
    id: str
    type: str
    name: str | None
    lane: str | None
    facets: dict = field(default_factory=dict)  # German aspect label -> comparable text
    properties: dict = field(default_factory=dict)  # camunda:properties (zsa:* and others)


def local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def find_process(root, process_id):
    for proc in root.iter(f"{{{BPMN}}}process"):
        if proc.get("id") == process_id:
            return proc
    return None


def index_process(data: bytes, process_id: str, filename: str = "<bpmn>") -> dict:
    """id -> Element for every flow element (also inside sub-processes) of the process."""
    proc = find_process(parse_xml(data, filename).getroot(), process_id)
    if proc is None:
        return {}
    lanes = {}
    for lane in proc.iter(f"{{{BPMN}}}lane"):
        for ref in lane.iterfind(f"{{{BPMN}}}flowNodeRef"):
            lanes[(ref.text or "").strip()] = lane.get("name") or lane.get("id")
    elements = {}
    _walk(proc, lanes, elements)
    return elements


def _walk(container, lanes, elements):
    for node in container:
        kind = local(node)
        if not kind or kind in SKIP or not node.get("id"):
            continue
        elements[node.get("id")] = Element(node.get("id"), kind, node.get("name"), lanes.get(node.get("id")),
                                           _facets(node), properties(node))
        if kind == "subProcess":
            _walk(node, lanes, elements)


def properties(node) -> dict:
    """camunda:property name -> value of an element's own extension elements."""
    return {p.get("name"): p.get("value") for p in node.iterfind(
        f"{{{BPMN}}}extensionElements/{{{CAMUNDA}}}properties/{{{CAMUNDA}}}property")}


def _facets(node) -> dict:
    facets = {}
    camunda = {etree.QName(k).localname: v for k, v in node.attrib.items() if k.startswith(f"{{{CAMUNDA}}}")}
    plain = {k: v for k, v in node.attrib.items() if not k.startswith("{") and k not in ("id", "name")}
    _put(facets, "Formular", {k: camunda.pop(k) for k in FORM_ATTRS if k in camunda})
    _put(facets, "Entscheidungstabelle", {k: camunda.pop(k) for k in DECISION_ATTRS if k in camunda})
    _put(facets, "Verbindung", {k: plain.pop(k) for k in ("sourceRef", "targetRef", "attachedToRef") if k in plain})
    _put(facets, "Attribute", {**plain, **{f"camunda:{k}": v for k, v in camunda.items()}})
    cond = node.find(f"{{{BPMN}}}conditionExpression")
    if cond is not None:
        facets["Bedingung"] = (cond.text or "").strip()
    timers = [f"{local(t)}={(t.text or '').strip()}" for d in node.iterfind(f"{{{BPMN}}}timerEventDefinition")
              for t in d]
    if timers:
        facets["Timer"] = ", ".join(timers)
    script = node.find(f"{{{BPMN}}}script")
    if script is not None:
        facets["Skript"] = (script.text or "").strip()
    _put(facets, "Eigenschaften", properties(node))
    other = [_canonical(child) for child in node if local(child) not in SKIP | {"conditionExpression",
                                                                                  "timerEventDefinition", "script"}]
    ext = node.find(f"{{{BPMN}}}extensionElements")
    if ext is not None:
        other += [_canonical(child) for child in ext if local(child) != "properties"]
    if other:
        facets["Weitere Einstellungen"] = "\n".join(other)
    return facets


def _put(facets, label, values):
    if values:
        facets[label] = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))


def _canonical(node) -> str:
    """Stable text of a subtree (ids of event definitions left out: Modeler regenerates them)."""
    attrs = ",".join(f"{etree.QName(k).localname}={v}" for k, v in sorted(node.attrib.items()) if k != "id")
    inner = ";".join(_canonical(c) for c in node if isinstance(c.tag, str))
    text = (node.text or "").strip()
    return f"{local(node)}({attrs}){'[' + text + ']' if text else ''}{'{' + inner + '}' if inner else ''}"
