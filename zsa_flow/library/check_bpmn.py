"""Structural checks of one BPMN file: BPMN 2.0 XSD, diagram coverage, modelling warnings."""
import threading
from collections import Counter

from lxml import etree

from .check_problem import BPMN_NS, CAMUNDA_NS, NO_ELEMENT, Problem, Reporter, local, namespace

BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
FLOW_NODES = frozenset({
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "serviceTask", "scriptTask", "businessRuleTask", "sendTask", "receiveTask",
    "manualTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
})
EDGES = frozenset({"sequenceFlow", "messageFlow"})
SHAPES = FLOW_NODES | {"lane", "participant"}
MAX_XSD_ERRORS = 25

_schema = None
_schema_lock = threading.Lock()


def bpmn_schema() -> etree.XMLSchema:
    """SpiffWorkflow's BPMN 2.0 XSD (with BPMNDI/DC/DI imports), loaded once per process."""
    global _schema
    with _schema_lock:
        if _schema is None:
            from ..bpmn.parser import BPMN_XSD

            _schema = etree.XMLSchema(etree.parse(BPMN_XSD))
        return _schema


def check_xsd(file: str, tree, problems: list):
    """Validate against the BPMN 2.0 XSD; Camunda attributes/elements pass through its ##other wildcards."""
    schema = bpmn_schema()
    with _schema_lock:  # an XMLSchema's error log is per object, so serialise its use
        schema.validate(tree)
        errors = list(schema.error_log)
    by_line = _elements_by_line(tree)
    counts = Counter(n.get("id") for n in tree.getroot().iter() if isinstance(n.tag, str) and n.get("id"))
    duplicates = {i for i, n in counts.items() if n > 1}
    # duplicate ids are reported by check_file_ids with both lines; keep other xs:ID errors
    errors = [e for e in errors if not ("'xs:ID'" in e.message and by_line.get(e.line) in duplicates)]
    for err in errors[:MAX_XSD_ERRORS]:
        element_id = by_line.get(err.line, NO_ELEMENT)
        problems.append(Problem(file, err.line or 1, element_id, f"BPMN-2.0-XSD: {_short(err.message)}"))
    if len(errors) > MAX_XSD_ERRORS:
        last = errors[MAX_XSD_ERRORS]
        problems.append(Problem(file, last.line or 1, NO_ELEMENT,
                                f"BPMN-2.0-XSD: {len(errors) - MAX_XSD_ERRORS} weitere Schemafehler nicht einzeln gemeldet"))


def _short(message: str) -> str:
    for ns, prefix in ((BPMN_NS, "bpmn:"), (BPMNDI_NS, "bpmndi:"), (CAMUNDA_NS, "camunda:")):
        message = message.replace("{%s}" % ns, prefix)
    return " ".join(message.split())


def _elements_by_line(tree) -> dict:
    found = {}
    for node in tree.getroot().iter():
        if isinstance(node.tag, str) and node.get("id") and node.sourceline not in found:
            found[node.sourceline] = node.get("id")
    return found


def semantic_elements(root):
    """Every element outside the diagram interchange part (bpmndi)."""
    for node in root.iter():
        if not isinstance(node.tag, str) or namespace(node) == BPMNDI_NS:
            continue
        yield node


def check_diagram(file: str, root, problems: list):
    """Every flow node, lane and participant has a BPMNShape, every flow a BPMNEdge (bpmnlint no-bpmndi)."""
    report = Reporter(file, problems)
    drawn, di_refs = set(), []
    for node in root.iter("{%s}BPMNShape" % BPMNDI_NS, "{%s}BPMNEdge" % BPMNDI_NS, "{%s}BPMNPlane" % BPMNDI_NS):
        if node.get("bpmnElement"):
            drawn.add(node.get("bpmnElement"))
            di_refs.append(node)
    needed = [n for n in semantic_elements(root)
              if namespace(n) == BPMN_NS and local(n) in SHAPES | EDGES and n.get("id")]
    if needed and root.find("{%s}BPMNDiagram" % BPMNDI_NS) is None:
        report.error(root, "die Datei enthält kein Diagramm (bpmndi:BPMNDiagram): "
                           "in Camunda Modeler öffnen und speichern", element_id=root.get("id") or NO_ELEMENT)
        return
    for node in needed:
        if node.get("id") in drawn:
            continue
        kind = local(node)
        what = "keine bpmndi:BPMNEdge" if kind in EDGES else "kein bpmndi:BPMNShape"
        report.error(node, f"{kind} hat {what} im Diagramm (Element ist nicht gezeichnet)")
    known = {n.get("id") for n in root.iter() if isinstance(n.tag, str) and n.get("id")}
    for node in di_refs:
        if node.get("bpmnElement") not in known:
            report.error(node, f"{local(node)} verweist mit bpmnElement auf unbekanntes Element "
                               f"'{node.get('bpmnElement')}'")


def check_warnings(file: str, root, problems: list):
    """Modelling smells the engine accepts but that usually mean a mistake."""
    report = Reporter(file, problems)
    flows = {f.get("id"): f for f in root.iter("{%s}sequenceFlow" % BPMN_NS)}
    outgoing = {}
    for flow in flows.values():
        outgoing.setdefault(flow.get("sourceRef"), []).append(flow)
    lane_of = {}
    for lane in root.iter("{%s}lane" % BPMN_NS):
        for ref in lane.iterfind("{%s}flowNodeRef" % BPMN_NS):
            lane_of[(ref.text or "").strip()] = lane
    for gateway in root.iter("{%s}exclusiveGateway" % BPMN_NS):
        out = outgoing.get(gateway.get("id"), [])
        if len(out) < 2 or gateway.get("default"):
            continue
        bare = [f.get("id") for f in out if f.find("{%s}conditionExpression" % BPMN_NS) is None]
        if bare:
            report.warning(gateway, f"exklusives Gateway verzweigt ({len(out)} ausgehende Flüsse) ohne "
                                    f"Standardfluss (default), und {', '.join(bare)} hat keine Bedingung")
    cam = "{%s}" % CAMUNDA_NS
    for task in root.iter("{%s}userTask" % BPMN_NS):
        if not (task.get(cam + "formRef") or task.get(cam + "formKey")
                or task.find(f"{{{BPMN_NS}}}extensionElements/{cam}formData") is not None):
            report.warning(task, "Benutzeraufgabe ohne Formular (camunda:formRef fehlt)")
        if task.get(cam + "candidateGroups") or task.get(cam + "candidateUsers") or task.get(cam + "assignee"):
            continue
        if task.get("id") not in lane_of:
            report.warning(task, "Benutzeraufgabe ohne camunda:candidateGroups und ohne Lane: "
                                 "keine Gruppe sieht sie in ihrer Aufgabenliste")
