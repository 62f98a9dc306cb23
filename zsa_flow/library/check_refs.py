"""Library-wide checks: ids are unique, references resolve, and the engine parses every process."""
from dataclasses import dataclass, field


from ..bpmn import form_keys
from ..errors import ModelError
from ..xmlsafe import parse_xml
from .check_bpmn import FLOW_NODES, semantic_elements
from .check_problem import BPMN_NS, CAMUNDA_NS, NO_ELEMENT, Problem, Reporter, from_model_error, line_of, local
from .loader import Library, scan_bpmn

B, C = "{%s}" % BPMN_NS, "{%s}" % CAMUNDA_NS
FILE_LEVEL_REFS = {"messageRef": "message", "errorRef": "error", "signalRef": "signal",
                   "escalationRef": "escalation", "processRef": "process"}
ACTIVITIES = FLOW_NODES - {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
                           "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
                           "eventBasedGateway", "complexGateway"}


@dataclass
class LibraryIndex:
    """What the parsed files define: process, decision and form ids with where they are."""

    bpmn: dict = field(default_factory=dict)  # path -> (LibraryFile, tree)
    processes: dict = field(default_factory=dict)  # id -> (path, line)
    decisions: dict = field(default_factory=dict)  # id -> (path, line)
    forms: dict = field(default_factory=dict)  # id -> path
    library: Library = field(default_factory=Library)


def index_library(bpmn, dmn, forms, problems) -> LibraryIndex:
    """bpmn/dmn: path -> (LibraryFile, tree) of files that parsed; forms: path -> (LibraryFile, form id)."""
    index = LibraryIndex(bpmn=bpmn)
    for path, (f, tree) in bpmn.items():
        for proc in tree.getroot().iterfind(B + "process"):
            _unique(index.processes, proc.get("id"), path, line_of(proc), "Prozess", problems)
        infos = scan_bpmn(f)
        for info in infos:
            index.library.processes.setdefault(info.process_id, info)
        index.library.files.append(f)
    for path, (f, tree) in dmn.items():
        for node in tree.getroot().iter():
            if local(node) == "decision" and node.get("id"):
                _unique(index.decisions, node.get("id"), path, line_of(node), "Entscheidung", problems)
                index.library.decisions.setdefault(node.get("id"), f)
    for path, (f, form_id) in forms.items():
        _unique(index.forms, form_id, path, 1, "Formular", problems)
        index.library.forms.setdefault(form_id, f)
    return index


def _unique(seen, key, path, line, what, problems):
    if key in seen:
        other_path, other_line = seen[key] if isinstance(seen[key], tuple) else (seen[key], 1)
        problems.append(Problem(path, line, key, f"{what}-ID '{key}' ist in der Bibliothek doppelt "
                                                 f"definiert (auch in {other_path}:{other_line})"))
    else:
        seen[key] = (path, line) if what != "Formular" else path


RESERVED_IDS = {"Start", "End", "StartEventSplit", "StartEventJoin", "Root"}


def check_file_ids(file, root, problems):
    """Element ids are unique within a file (XML ID semantics; Modeler refuses duplicates)."""
    seen = {}
    for node in root.iter():
        if not isinstance(node.tag, str) or not node.get("id"):
            continue
        element_id = node.get("id")
        if element_id in RESERVED_IDS or element_id.endswith((".EndJoin", ".BoundaryEventSplit", ".BoundaryEventJoin")):
            # SpiffWorkflow names its own task specs like this; a flow node with such an id is
            # silently merged with them and the process cannot start.
            problems.append(Problem(file, line_of(node), element_id,
                                    f"ID '{element_id}' ist für die Engine reserviert – bitte umbenennen "
                                    "(z. B. StartEvent_1)"))
        if element_id in seen:
            problems.append(Problem(file, line_of(node), element_id,
                                    f"ID '{element_id}' ist doppelt vergeben (auch Zeile {seen[element_id]})"))
        else:
            seen[element_id] = line_of(node)


def check_references(index: LibraryIndex, problems: list):
    """Forms, decisions, called processes, messages, boundary attachments, flows, default flows."""
    for path, (_f, tree) in index.bpmn.items():
        report = Reporter(path, problems)
        root = tree.getroot()
        ids = {n.get("id"): n for n in root.iter() if isinstance(n.tag, str) and n.get("id")}
        by_kind = {}
        for node in root:
            by_kind.setdefault(local(node), set()).add(node.get("id"))
        for node in semantic_elements(root):
            _library_refs(report, node, index)
            for attr, kind in FILE_LEVEL_REFS.items():
                ref = node.get(attr)
                if ref and ref not in by_kind.get(kind, ()):
                    report.error(node, f"{attr} '{ref}' verweist auf keine bpmn:{kind} dieser Datei")
            _local_refs(report, node, ids)


def _library_refs(report, node, index):
    name = local(node)
    form_ref, form_key = node.get(C + "formRef"), node.get(C + "formKey")
    if form_ref and form_ref not in index.forms:
        report.error(node, f"camunda:formRef '{form_ref}': kein Formular mit dieser id in der Bibliothek")
    elif form_key and not form_ref:
        if not form_keys.is_form_key(form_key):
            report.error(node, f"camunda:formKey '{form_key}' wird nicht unterstützt "
                               "(nur Camunda Forms: camunda:formRef oder camunda-forms:…)")
        else:
            try:
                form_keys.resolve(form_key, report.file, {i: f.path for i, f in index.library.forms.items()})
            except form_keys.FormKeyError as exc:
                report.error(node, str(exc))
    decision = node.get(C + "decisionRef")
    if decision and decision not in index.decisions:
        report.error(node, f"camunda:decisionRef '{decision}': keine Entscheidung mit dieser id in einer DMN-Datei")
    if name == "businessRuleTask" and not decision and not node.get(C + "class") \
            and not node.get(C + "expression") and not node.get(C + "delegateExpression"):
        report.error(node, "businessRuleTask ohne camunda:decisionRef")
    if name == "callActivity" and not node.get(C + "caseRef"):
        called = node.get("calledElement")
        if not called:
            report.error(node, "callActivity ohne calledElement")
        elif called not in index.processes:
            report.error(node, f"calledElement '{called}': kein Prozess mit dieser id in der Bibliothek")


def _local_refs(report, node, ids):
    name = local(node)
    if name == "boundaryEvent":
        target = ids.get(node.get("attachedToRef"))
        if target is None:
            report.error(node, f"attachedToRef '{node.get('attachedToRef')}' verweist auf kein vorhandenes Element")
        elif local(target) not in ACTIVITIES:
            report.warning(node, f"attachedToRef '{node.get('attachedToRef')}' ist ein {local(target)}: BPMN "
                                 "erlaubt Randereignisse nur an Aktivitäten (Camunda Modeler kann es nicht zeichnen)")
    elif name in ("sequenceFlow", "messageFlow"):
        for attr in ("sourceRef", "targetRef"):
            target = ids.get(node.get(attr))
            if target is None:
                report.error(node, f"{attr} '{node.get(attr)}' verweist auf kein vorhandenes Element")
            elif name == "sequenceFlow" and (local(target) not in FLOW_NODES
                                             or target.getparent() is not node.getparent()):
                report.error(node, f"{attr} '{node.get(attr)}' ist kein Flussknoten desselben Prozesses")
    if node.get("default"):
        flow = ids.get(node.get("default"))
        if flow is None or local(flow) != "sequenceFlow":
            report.error(node, f"default '{node.get('default')}' verweist auf keinen Sequenzfluss")
        elif flow.get("sourceRef") != node.get("id"):
            report.error(node, f"default '{node.get('default')}' ist kein ausgehender Fluss dieses Elements")


def check_engine(index: LibraryIndex, problems: list):
    """Parse every executable process with its bundle the way deployment does (ZsaParser)."""
    from ..bpmn.parser import EngineParseError, parse_process

    broken = {p.file for p in problems if p.is_error}
    for pid, info in sorted(index.library.processes.items()):
        if not info.executable or info.file.path in broken:
            continue  # a file with structural errors would only produce follow-up errors here
        try:
            bundle = [f for f in index.library.bundle(pid) if f.kind == "bpmn"]
            complete = True
        except ModelError:  # a missing reference, reported by check_references
            bundle, complete = [info.file], False
        try:
            parse_process([(f.path, parse_xml(f.content, f.path).getroot()) for f in bundle], pid, complete)
        except EngineParseError as exc:
            problems.append(_from_validation(exc, index, info.file.path))
        except ModelError as exc:
            problems.append(from_model_error(exc, info.file.path))
        except Exception as exc:  # noqa: BLE001 - SpiffWorkflow raises arbitrary errors on odd models
            path = info.file.path
            line = _line_of_id(index, path, pid)
            problems.append(Problem(path, line, pid, f"die Engine kann den Prozess nicht lesen: "
                                                     f"{type(exc).__name__}: {' '.join(str(exc).split())}"))


def _from_validation(exc, index, default_path):
    path = exc.file_name if exc.file_name in index.bpmn else default_path
    element_id = exc.element_id or NO_ELEMENT
    line = exc.line_number if isinstance(exc.line_number, int) and exc.line_number else _line_of_id(
        index, path, element_id)
    return Problem(path, line, element_id, f"SpiffWorkflow: {exc.message}")


def _line_of_id(index, path, element_id):
    entry = index.bpmn.get(path)
    if entry is None or element_id in (None, NO_ELEMENT):
        return 1
    for node in entry[1].getroot().iter():
        if isinstance(node.tag, str) and node.get("id") == element_id:
            return line_of(node)
    return 1
