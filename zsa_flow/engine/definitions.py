"""Deployed process versions made runnable: parsed specs, decision tables, forms, script engine.

A deployed version never changes, so each is parsed once per process and cached by id; a new
deployment is a new id, which is why no server restart is needed to pick it up.
"""
import threading
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from ..bpmn import form_keys, runtime
from ..bpmn.parser import ZsaParser
from ..dmn import parse_dmn
from ..errors import ModelError
from ..forms import parse_form
from ..xmlsafe import parse_xml


@dataclass
class Definition:
    id: int
    process_id: str
    version: int
    name: str
    case_prefix: str
    spec: object
    subprocess_specs: dict
    script_engine: object
    content_hash: str | None = None  # of the whole bundle (BPMN, DMN, forms) as deployed
    forms: dict = field(default_factory=dict)  # form id -> Form, as deployed with this version
    form_shas: dict = field(default_factory=dict)  # form id -> sha256 of its file
    start_form: str | None = None
    message_starts: list = field(default_factory=list)
    properties: dict = field(default_factory=dict)


def build_definition(row, contents: dict) -> Definition:
    """Parse a version's files (`contents`: sha256 -> bytes) into a runnable Definition."""
    parser = ZsaParser()
    decisions, forms, form_shas, paths = {}, {}, {}, {}
    try:
        for f in row["files"]:
            data = contents[f["sha256"]]
            if f["kind"] == "bpmn":
                parser.add_bpmn_xml(parse_xml(data, f["path"]).getroot(), filename=f["path"])
            elif f["kind"] == "dmn":
                doc = parse_dmn(data, f["path"])
                for decision_id in doc.decisions:
                    decisions[decision_id] = doc
            elif f["kind"] == "form":
                form = parse_form(data, f["path"], default_id=form_keys.synthetic_form_id(f["path"]))
                forms[form.id] = form
                form_shas[form.id] = f["sha256"]
                paths[form.id] = f["path"]
        spec = parser.get_spec(row["process_id"])
        subprocess_specs = parser.get_subprocess_specs(row["process_id"])
    except ValidationException as exc:
        raise ModelError(f"{exc.file_name}:{exc.line_number}: {exc.id or ''}: {exc}") from None
    for key, bpmn_path in _form_keys(spec, subprocess_specs, row["start_form"]):
        try:
            form_id = form_keys.resolve(key, bpmn_path, paths)
        except form_keys.FormKeyError as exc:
            raise ModelError(f"{bpmn_path}: {exc}") from None
        forms[key], form_shas[key] = forms[form_id], form_shas[form_id]
    engine = make_script_engine()
    engine.decisions = decisions
    return Definition(
        id=row["id"],
        process_id=row["process_id"],
        version=row["version"],
        name=row["name"] or row["process_id"],
        case_prefix=row["case_prefix"],
        spec=spec,
        subprocess_specs=subprocess_specs,
        script_engine=engine,
        content_hash=row.get("content_hash"),
        forms=forms,
        form_shas=form_shas,
        start_form=row["start_form"],
        message_starts=list(row["message_starts"] or []),
        properties=dict(row["properties"] or {}),
    )


def _form_keys(spec, subprocess_specs, start_form):
    """(path-based formKey, BPMN file) of every human task and of the start form: the keys under which
    the definition's `forms` also holds the form they resolve to."""
    found = {}
    for process in [spec, *subprocess_specs.values()]:
        for task_spec in process.task_specs.values():
            ref = getattr(getattr(task_spec, "human", None), "form_ref", None)
            if form_keys.is_form_key(ref):
                found.setdefault(ref, process.file)
    if form_keys.is_form_key(start_form):
        found.setdefault(start_form, spec.file)
    return sorted(found.items())


def definition_from_bundle(info, bundle, definition_id=0, version=0) -> Definition:
    """A runnable Definition straight from a library's files, without a database (deploy checks,
    simulation, tests). `info`: the library's process info; `bundle`: its files."""
    row = {"id": definition_id, "process_id": info.process_id, "version": version, "name": info.name,
           "case_prefix": info.properties.get("zsa:case-prefix") or info.process_id[:4].upper(),
           "files": [{"path": f.path, "kind": f.kind, "sha256": f.sha256} for f in bundle],
           "start_form": info.start_form, "message_starts": info.message_starts, "properties": info.properties,
           "content_hash": None}
    return build_definition(row, {f.sha256: f.content for f in bundle})


def make_script_engine(isolated=None):
    """The sandboxed script engine with exactly the functions the domain rules expose. Scripts and
    expressions run in limited worker processes unless `isolated` is False, ZSA_SCRIPT_ISOLATION=0,
    or this process is itself a limited worker (`script_worker.lock_down` was applied)."""
    from ..bpmn.script_engine import ZsaScriptEngine
    from ..bpmn.script_worker import is_limited_process
    from ..limits import script_isolation
    from ..rules.functions import SCRIPT_FUNCTIONS

    if isolated is None:
        isolated = script_isolation() and not is_limited_process()
    return ZsaScriptEngine(functions={**SCRIPT_FUNCTIONS, "heute": heute}, isolated=isolated)


def heute() -> str:
    """Today's date (ISO) by the engine clock, so scripts never read the machine's clock."""
    return runtime.now().date().isoformat()


class DefinitionCache:
    """Thread-safe cache of parsed versions (they are immutable, so never invalidated)."""

    def __init__(self):
        self._items = {}
        self._lock = threading.Lock()

    def get(self, definition_id, loader):
        """Return the cached Definition or build it with `loader()`."""
        item = self._items.get(definition_id)
        if item is None:
            item = loader()
            with self._lock:
                self._items.setdefault(definition_id, item)
        return self._items[definition_id]
