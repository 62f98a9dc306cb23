"""Read a process library (directories or files) and resolve what each process depends on."""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..bpmn import form_keys
from ..bpmn.parser import form_ref_of
from ..errors import ModelError
from ..jsonsafe import check_file_size, check_json
from ..xmlsafe import MAX_MODEL_BYTES, parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)
KINDS = {".bpmn": "bpmn", ".dmn": "dmn", ".form": "form"}
NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}


@dataclass(frozen=True)
class LibraryFile:
    path: str  # as given / relative, for messages
    kind: str  # bpmn | dmn | form
    content: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class ProcessInfo:
    process_id: str
    name: str | None
    file: LibraryFile
    executable: bool
    properties: dict = field(default_factory=dict)
    called: set = field(default_factory=set)
    decisions: set = field(default_factory=set)
    forms: set = field(default_factory=set)
    start_form: str | None = None
    message_starts: list = field(default_factory=list)


@dataclass
class Library:
    files: list = field(default_factory=list)
    processes: dict = field(default_factory=dict)  # process id -> ProcessInfo
    decisions: dict = field(default_factory=dict)  # decision id -> LibraryFile
    forms: dict = field(default_factory=dict)  # form id (or synthetic id, see form_keys) -> LibraryFile

    def form_id_for(self, ref: str, bpmn_path: str) -> str:
        """The id under which `ref` (a form id or a path-based formKey) is indexed; ModelError if none."""
        if form_keys.is_form_key(ref):
            try:
                return form_keys.resolve(ref, bpmn_path, {i: f.path for i, f in self.forms.items()})
            except form_keys.FormKeyError as exc:
                raise ModelError(f"{bpmn_path}: {exc}") from None
        if ref not in self.forms:
            raise ModelError(f"{bpmn_path}: Formular '{ref}' nicht gefunden")
        return ref

    def bundle(self, process_id: str) -> list:
        """Every file the process needs: its BPMN, called processes, decision tables, forms."""
        seen, files, todo = set(), {}, [process_id]
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            info = self.processes.get(pid)
            if info is None:
                raise ModelError(f"Aufgerufener Prozess '{pid}' ist in der Bibliothek nicht vorhanden")
            files[info.file.path] = info.file
            todo.extend(info.called)
            for ref in info.decisions:
                if ref not in self.decisions:
                    raise ModelError(f"{info.file.path}: Entscheidungstabelle '{ref}' nicht gefunden")
                files[self.decisions[ref].path] = self.decisions[ref]
            for ref in info.forms:
                form = self.forms[self.form_id_for(ref, info.file.path)]
                files[form.path] = form
        return sorted(files.values(), key=lambda f: f.path)

    def bundle_hash(self, process_id: str) -> str:
        """Content hash over every file the process depends on (paths do not matter)."""
        digest = hashlib.sha256()
        for sha in sorted(f.kind + ":" + f.sha256 for f in self.bundle(process_id)):
            digest.update(sha.encode())
        return digest.hexdigest()


def _raise(path, message):
    raise ModelError(f"{path}: {message}")


def find_model_files(paths, on_problem=_raise) -> list:
    """Paths of every .bpmn/.dmn/.form below the given files or directories, in a stable order.

    A path that does not exist or a file of another type is reported as `on_problem(path, message)`
    (default: raise ModelError) and skipped.
    """
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.suffix in KINDS and p.is_file())
        elif path.is_file():
            if path.suffix in KINDS:
                found.append(path)
            else:
                on_problem(path, "unbekannter Dateityp (erwartet .bpmn, .dmn oder .form)")
        else:
            on_problem(path, "Datei oder Verzeichnis nicht gefunden")
    return found


def collect_files(paths) -> list:
    """Every .bpmn/.dmn/.form below the given files or directories, read, in a stable order."""
    files = []
    for p in find_model_files(paths):
        check_file_size(p, max_bytes(KINDS[p.suffix]))  # before reading: a 200 MB file is never loaded
        files.append(LibraryFile(str(p), KINDS[p.suffix], p.read_bytes()))
    return files


def max_bytes(kind: str) -> int:
    """The size limit of a model file of `kind` (bpmn, dmn, form)."""
    from ..forms import MAX_FORM_BYTES

    return MAX_FORM_BYTES if kind == "form" else MAX_MODEL_BYTES


def kind_of(name: str) -> str | None:
    """bpmn | dmn | form by file name ending, None for anything else."""
    return KINDS.get(Path(name).suffix.lower())


def memory_files(contents) -> list:
    """LibraryFiles from `{name: bytes}` (uploads, the Modeler's deployment); unknown endings are errors."""
    files = []
    for name, data in contents.items():
        kind = kind_of(name)
        if kind is None:
            raise ModelError(f"{name}: unbekannter Dateityp (erwartet .bpmn, .dmn oder .form)")
        files.append(LibraryFile(name, kind, bytes(data)))
    return sorted(files, key=lambda f: f.path)


def read_library(paths) -> Library:
    """Read files and index processes, decisions and forms; duplicate ids are errors."""
    return index_files(collect_files(paths))


def index_files(files) -> Library:
    """Index read files (from disk or memory) by process, decision and form id; duplicates are errors."""
    library = Library(files=list(files))
    for f in library.files:
        if f.kind == "bpmn":
            for info in scan_bpmn(f):
                _unique(library.processes, info.process_id, info, f, "Prozess")
        elif f.kind == "dmn":
            for decision_id in scan_dmn(f):
                _unique(library.decisions, decision_id, f, f, "Entscheidung")
        else:
            _unique(library.forms, form_id(f), f, f, "Formular")
    return library


def _unique(index, key, value, f, what):
    if key in index:
        other = index[key].file.path if hasattr(index[key], "file") else index[key].path
        raise ModelError(f"{f.path}: {what} '{key}' ist doppelt definiert (auch in {other})")
    index[key] = value


def form_id(f: LibraryFile) -> str:
    """The `id` of a Camunda Form file (what camunda:formRef refers to); without one, a synthetic id
    from its path (such a form is found by a path-based camunda:formKey, see bpmn/form_keys)."""
    try:
        text = f.content.decode("utf-8-sig")
        check_json(text, f.path, max_bytes("form"))
        doc = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 1)
        raise ModelError(f"{f.path}:{line}: kein gültiges JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ModelError(f"{f.path}:1: Formular ist kein JSON-Objekt")
    if not isinstance(doc.get("id"), str) or not doc["id"].strip():
        return form_keys.synthetic_form_id(f.path)
    return doc["id"]


def scan_dmn(f: LibraryFile) -> list:
    """Decision ids defined in a DMN file."""
    root = parse_xml(f.content, f.path).getroot()
    return [d.get("id") for ns in DMN_NAMESPACES for d in root.iter("{%s}decision" % ns)]


def scan_bpmn(f: LibraryFile) -> list:
    """Processes in a BPMN file with their references and extension properties."""
    root = parse_xml(f.content, f.path).getroot()
    messages = {m.get("id"): m.get("name") for m in root.iterfind("bpmn:message", NS)}
    result = []
    for proc in root.iterfind("bpmn:process", NS):
        props = {
            p.get("name"): p.get("value")
            for p in proc.iterfind("bpmn:extensionElements/camunda:properties/camunda:property", NS)
        }
        info = ProcessInfo(
            process_id=proc.get("id"),
            name=proc.get("name"),
            file=f,
            executable=proc.get("isExecutable") == "true",
            properties=props,
        )
        for node in proc.iter():
            tag = node.tag if isinstance(node.tag, str) else ""
            local = tag.rsplit("}", 1)[-1]
            if local == "callActivity" and node.get("calledElement"):
                info.called.add(node.get("calledElement"))
            elif local == "businessRuleTask" and node.get(f"{{{CAMUNDA_NS}}}decisionRef"):
                info.decisions.add(node.get(f"{{{CAMUNDA_NS}}}decisionRef"))
            ref, _binding = form_ref_of(node, f"{{{CAMUNDA_NS}}}")
            if ref and local in ("userTask", "startEvent"):
                info.forms.add(ref)
            if local == "startEvent" and node.getparent() is proc:
                med = node.find("bpmn:messageEventDefinition", NS)
                if med is not None:
                    info.message_starts.append(messages.get(med.get("messageRef")) or node.get("name"))
                elif ref and len(node) >= 0 and node.find("bpmn:timerEventDefinition", NS) is None:
                    info.start_form = ref
        result.append(info)
    return result
