"""The simulation properties of one process, read from its BPMN file (processes/README.md §8).

Only what the simulator needs beside the engine: zsa:* values per element, the outgoing flows of
exclusive gateways with their conditions and probabilities, which timer guards which wait, and the
pool (zsa:resource, else candidate group, else lane) of every human task. The engine runs the
process; this is never used to interpret the flow.
"""
from dataclasses import dataclass, field

from ..errors import ModelError
from ..xmlsafe import parse_xml
from . import distributions

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
KNOWN = {"zsa:arrivals", "zsa:duration", "zsa:resource", "zsa:probability", "zsa:wait", "zsa:handover",
         "zsa:media-break", "zsa:candidate-groups", "zsa:case-prefix", "zsa:case-title", "zsa:service",
         "zsa:variant", "zsa:kommune", "zsa:leistung", "zsa:leika"}
HUMAN = {"userTask", "manualTask"}
MUNICIPAL_GROUPS = {"ordnungsamt", "steueramt", "buergerbuero", "kasse", "wohngeldstelle"}


@dataclass
class Element:
    id: str
    tag: str
    name: str
    lane: str | None = None
    props: dict = field(default_factory=dict)
    duration: object = None  # Distribution
    wait: object = None  # Distribution
    pool: str | None = None
    municipal: bool = False  # the pool is the office of the case's Gemeinde (one per Kommune)
    handover: bool = False
    media_break: bool = False
    timer: str | None = None  # timeDuration | timeDate | timeCycle of a timer event
    message: str | None = None  # the message a receive task or catch event waits for


@dataclass
class Flow:
    id: str
    source: str
    target: str
    condition: str | None
    probability: float | None


@dataclass
class ProcessModel:
    process_id: str
    path: str
    props: dict
    elements: dict  # id -> Element
    gateways: dict  # exclusive gateway id -> [Flow] (outgoing, document order)
    defaults: dict  # gateway id -> default flow id
    paper_start: str | None = None  # none start event with a form (typed in by a person)
    paper_share: float | None = None  # zsa:probability on the paper start event
    message_start: str | None = None  # the start message's name (online application)

    @property
    def arrivals(self) -> float:
        return float(self.props.get("zsa:arrivals") or 0)

    @property
    def kommune(self) -> str | None:
        return self.props.get("zsa:kommune")

    def pools(self) -> set:
        return {e.pool for e in self.elements.values() if e.pool}


def _props(node):
    return {p.get("name"): p.get("value")
            for p in node.iterfind(f"{BPMN}extensionElements/{CAMUNDA}properties/{CAMUNDA}property")}


def read_model(path: str, content: bytes, process_id: str) -> ProcessModel:
    """The simulation view of `process_id` in the BPMN file `path` (ModelError naming file and element)."""
    root = parse_xml(content, path).getroot()
    proc = next((p for p in root.iter(f"{BPMN}process") if p.get("id") == process_id), None)
    if proc is None:
        raise ModelError(f"{path}: Prozess '{process_id}' nicht gefunden")
    messages = {m.get("id"): m.get("name") for m in root.iter(f"{BPMN}message")}
    lanes = {}
    for lane in proc.iter(f"{BPMN}lane"):
        for ref in lane.iterfind(f"{BPMN}flowNodeRef"):
            lanes[ref.text.strip()] = lane.get("name")
    model = ProcessModel(process_id, path, _props(proc), {}, {}, {})
    flows = []
    for node in proc.iter():
        if not isinstance(node.tag, str) or not node.get("id"):
            continue
        tag = node.tag.rsplit("}", 1)[-1]
        props = _props(node)
        for name in props:
            if name.startswith("zsa:") and name not in KNOWN:
                raise ModelError(f"{path}: {node.get('id')}: unbekannte Eigenschaft '{name}'")
        if tag == "sequenceFlow":
            cond = node.find(f"{BPMN}conditionExpression")
            flows.append(Flow(node.get("id"), node.get("sourceRef"), node.get("targetRef"),
                              cond.text.strip() if cond is not None and cond.text else None,
                              _probability(path, node.get("id"), props.get("zsa:probability"))))
            continue
        element = Element(node.get("id"), tag, node.get("name") or node.get("id"), lanes.get(node.get("id")), props)
        element.duration = _dist(path, element.id, "zsa:duration", props)
        element.wait = _dist(path, element.id, "zsa:wait", props)
        element.handover = props.get("zsa:handover") == "true"
        element.media_break = props.get("zsa:media-break") == "true"
        if tag in HUMAN or (tag == "startEvent" and node.get(f"{CAMUNDA}formRef")):
            groups = [g.strip() for g in (node.get(f"{CAMUNDA}candidateGroups") or props.get("zsa:candidate-groups")
                                          or "").split(",") if g.strip()]
            element.pool = props.get("zsa:resource") or (groups[0] if groups else element.lane)
            element.municipal = bool(groups) and groups[0] in MUNICIPAL_GROUPS
        timer = node.find(f"{BPMN}timerEventDefinition")
        if timer is not None:
            kinds = [c.tag.rsplit("}", 1)[-1] for c in timer if isinstance(c.tag, str)]
            element.timer = kinds[0] if kinds else "timeDuration"
        med = node.find(f"{BPMN}messageEventDefinition")
        ref = node.get("messageRef") if tag == "receiveTask" else (med.get("messageRef") if med is not None else None)
        if ref and tag in ("receiveTask", "intermediateCatchEvent", "boundaryEvent"):
            element.message = messages.get(ref)
        if tag == "exclusiveGateway":
            model.gateways[element.id] = []
            if node.get("default"):
                model.defaults[element.id] = node.get("default")
        if tag == "startEvent" and node.getparent() is proc:
            med = node.find(f"{BPMN}messageEventDefinition")
            if med is not None:
                model.message_start = messages.get(med.get("messageRef"))
            elif node.get(f"{CAMUNDA}formRef") or node.get(f"{CAMUNDA}formKey"):
                model.paper_start = element.id
                if props.get("zsa:probability"):
                    model.paper_share = _probability(path, element.id, props["zsa:probability"])
        model.elements[element.id] = element
    for flow in flows:
        if flow.source in model.gateways:
            model.gateways[flow.source].append(flow)
    return model


def _dist(path, element_id, name, props):
    if not props.get(name):
        return None
    try:
        return distributions.parse(props[name])
    except distributions.DistributionError as exc:
        raise ModelError(f"{path}: {element_id}: {name}: {exc}") from None


def _probability(path, element_id, text):
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1:
        raise ModelError(f"{path}: {element_id}: zsa:probability '{text}' ist keine Zahl zwischen 0 und 1")
    return value
