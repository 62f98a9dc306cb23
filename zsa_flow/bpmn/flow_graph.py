"""A process's flow graph read from its BPMN XML (no engine): element kinds and names, sequence
flows, boundary events; and the model's paths for the conformance report.

A path is the sequence of element ids a case executes, as the event record shows it (every
executed element writes an event; see engine/diagram.py DONE_EVENTS): start event, tasks,
gateways, caught and thrown events, end event. An activity left through an interrupting
boundary event is not part of the path (it never completed); the boundary event is.
"""
from dataclasses import dataclass, field

from ..xmlsafe import parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NOT_NODES = {"sequenceFlow", "laneSet", "lane", "documentation", "extensionElements", "incoming", "outgoing",
             "dataObject", "dataObjectReference", "dataStoreReference", "textAnnotation", "association",
             "property", "ioSpecification"}


@dataclass
class FlowGraph:
    process_id: str
    kinds: dict = field(default_factory=dict)  # element id -> BPMN tag ("userTask", "endEvent", ...)
    names: dict = field(default_factory=dict)  # element id -> name (or id)
    outgoing: dict = field(default_factory=dict)  # element id -> [target ids]
    boundaries: dict = field(default_factory=dict)  # activity id -> [(boundary id, interrupting)]
    starts: list = field(default_factory=list)  # start event ids
    message_starts: dict = field(default_factory=dict)  # start event id -> message name

    def is_task(self, element_id) -> bool:
        return self.kinds.get(element_id, "").endswith("Task") or self.kinds.get(element_id) == "task"


def read_graph(xml: bytes, process_id: str, filename="<bpmn>") -> FlowGraph:
    """The flow graph of `process_id` in a BPMN document (top level; subprocesses as one node)."""
    root = parse_xml(xml, filename).getroot()
    process = root.find(f"{{{BPMN_NS}}}process[@id='{process_id}']")
    graph = FlowGraph(process_id)
    if process is None:
        return graph
    messages = {m.get("id"): m.get("name") for m in root.iter(f"{{{BPMN_NS}}}message")}
    for child in process:
        if not isinstance(child.tag, str):
            continue
        kind = child.tag.split("}")[1]
        if kind in NOT_NODES:
            continue
        element_id = child.get("id")
        graph.kinds[element_id] = kind
        graph.names[element_id] = child.get("name") or element_id
        graph.outgoing.setdefault(element_id, [])
        if kind == "startEvent":
            graph.starts.append(element_id)
            definition = child.find(f"{{{BPMN_NS}}}messageEventDefinition")
            if definition is not None:
                graph.message_starts[element_id] = messages.get(definition.get("messageRef"))
        if kind == "boundaryEvent":
            graph.boundaries.setdefault(child.get("attachedToRef"), []).append(
                (element_id, child.get("cancelActivity", "true") != "false"))
    for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        graph.outgoing.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
    return graph


def model_paths(graph: FlowGraph, max_visits=2, limit=10000):
    """Every path from a start event to an end event, each element at most `max_visits` times
    (one loop iteration); exclusive choices and boundary events branch. At most `limit` paths."""
    found = []

    def walk(node, path, counts):
        if len(found) >= limit or counts.get(node, 0) >= max_visits:
            return
        counts[node] = counts.get(node, 0) + 1
        for boundary, interrupting in graph.boundaries.get(node, []):
            if interrupting:  # the activity is left through the boundary event
                walk(boundary, path, counts)
        path.append(node)
        targets = graph.outgoing.get(node, [])
        if graph.kinds.get(node) == "endEvent" or not targets:
            found.append(tuple(path))
        for target in targets:
            walk(target, path, counts)
        path.pop()
        counts[node] -= 1

    for start in graph.starts:
        walk(start, [], {})
    return found


def collapse(path):
    """A path without consecutive repeats (an element may write two events, e.g. a message end event)."""
    result = []
    for element in path:
        if not result or result[-1] != element:
            result.append(element)
    return tuple(result)
