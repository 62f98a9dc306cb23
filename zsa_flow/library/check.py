"""`zsa-flow check`: validate a process library (BPMN, DMN, Camunda Forms) before deployment.

    problems = check_paths(["processes", "forms"])
    for p in problems: print(p)          # file:line: element-id: message

Never raises for bad input: unreadable, hostile or broken files become Problems. The checks live
in `check_bpmn` (XSD, diagram, warnings), `check_expr` (expressions, unsupported constructs) and
`check_refs` (unique ids, references, engine parse); this module reads files and orchestrates.
"""
from ..bpmn.form_keys import synthetic_form_id
from ..dmn import parse_dmn
from ..errors import ModelError
from ..forms import MAX_FORM_BYTES, parse_form
from ..xmlsafe import MAX_MODEL_BYTES, parse_xml
from .check_bpmn import check_diagram, check_warnings, check_xsd
from .check_expr import check_expressions, check_unsupported
from .check_problem import NO_ELEMENT, Problem, from_message, from_model_error, line_of, local
from .check_refs import check_engine, check_file_ids, check_references, index_library
from .loader import KINDS, LibraryFile, find_model_files

__all__ = ["Problem", "check_files", "check_paths", "summary"]
DEFAULT_PATHS = ("processes", "forms")
# DMN 1.1 has no DMNDI: Camunda Modeler (up to 4.x) keeps a decision's shape in its extension elements
BIODI_BOUNDS = "{*}extensionElements/{http://bpmn.io/schema/dmn/biodi/1.0}bounds"


def check_paths(paths) -> list:
    """Every problem found in the files below `paths`, sorted by file and line."""
    problems = []
    files = _collect(paths or DEFAULT_PATHS, problems)
    return check_files(files, problems)


def check_files(files, problems=None) -> list:
    """Every problem found in already read LibraryFiles (from disk or an upload), sorted."""
    problems = [] if problems is None else problems
    files = [f for f in files if not _oversized(f, problems)]
    bpmn, dmn, forms = {}, {}, {}
    for f in files:
        if f.kind == "form":
            form_id = _guard(f, problems, _check_form, f, problems)
            if form_id:
                forms[f.path] = (f, form_id)
            continue
        tree = _guard(f, problems, parse_xml, f.content, f.path)
        if tree is None:
            continue
        if f.kind == "bpmn":
            bpmn[f.path] = (f, tree)
            _guard(f, problems, check_xsd, f.path, tree, problems)
            for check in (check_file_ids, check_diagram, check_unsupported, check_expressions, check_warnings):
                _guard(f, problems, check, f.path, tree.getroot(), problems)
        else:
            dmn[f.path] = (f, tree)
            _guard(f, problems, _check_dmn, f, tree, problems)
    index = index_library(bpmn, dmn, forms, problems)
    for check in (check_references, check_engine):
        try:
            check(index, problems)
        except Exception as exc:  # noqa: BLE001 - a checker bug must not hide the other findings
            problems.append(Problem("<library>", 1, NO_ELEMENT, f"Prüfung {check.__name__} abgebrochen: "
                                                                f"{type(exc).__name__}: {exc}"))
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.element_id, p.message))


def summary(problems, files_checked: int | None = None) -> str:
    """`N Fehler, M Warnungen in K Dateien` (K: files with problems unless given)."""
    errors = sum(1 for p in problems if p.is_error)
    files = files_checked if files_checked is not None else len({p.file for p in problems})
    return f"{errors} Fehler, {len(problems) - errors} Warnungen in {files} Dateien"


def count_files(paths) -> int:
    """How many model files `check_paths(paths)` looks at."""
    return len(_collect(paths or DEFAULT_PATHS, []))


def _guard(f, problems, func, *args):
    """Run one check; ModelError and anything unexpected become Problems on this file."""
    try:
        return func(*args)
    except ModelError as exc:
        problems.append(from_model_error(exc, f.path))
    except RecursionError:
        problems.append(Problem(f.path, 1, NO_ELEMENT, "Datei ist zu tief verschachtelt"))
    except Exception as exc:  # noqa: BLE001 - bad input must never end in a traceback
        problems.append(Problem(f.path, 1, NO_ELEMENT, f"Datei konnte nicht geprüft werden "
                                                       f"({func.__name__}): {type(exc).__name__}: {exc}"))
    return None


def _collect(paths, problems) -> list:
    """Model files below the given paths; oversized or unreadable files become problems unread."""
    def report(path, message):
        problems.append(Problem(str(path), 1, NO_ELEMENT, message))

    found = find_model_files(paths, report)
    files = []
    for p in dict.fromkeys(found):
        limit = MAX_FORM_BYTES if KINDS[p.suffix] == "form" else MAX_MODEL_BYTES
        try:
            size = p.stat().st_size
            if size > limit:
                problems.append(Problem(str(p), 1, NO_ELEMENT, f"Datei ist {size} Bytes groß, mehr als die "
                                                               f"Grenze von {limit} Bytes (nicht gelesen)"))
                continue
            files.append(LibraryFile(str(p), KINDS[p.suffix], p.read_bytes()))
        except OSError as exc:
            problems.append(Problem(str(p), 1, NO_ELEMENT, f"Datei nicht lesbar: {exc.strerror}"))
    return files


def _oversized(f, problems) -> bool:
    limit = MAX_FORM_BYTES if f.kind == "form" else MAX_MODEL_BYTES
    if len(f.content) <= limit:
        return False
    problems.append(Problem(f.path, 1, NO_ELEMENT, f"Datei ist {len(f.content)} Bytes groß, mehr als die "
                                                   f"Grenze von {limit} Bytes"))
    return True


def _check_form(f, problems):
    form = parse_form(f.content, f.path, default_id=synthetic_form_id(f.path))
    for warning in form.warnings:
        problems.append(from_message(warning, f.path, severity="warning"))
    return form.id


def _check_dmn(f, tree, problems):
    doc = parse_dmn(f.content, f.path, strict=False)
    for line, element_id, message in doc.problems():
        problems.append(Problem(f.path, line or 1, element_id or NO_ELEMENT, " ".join(str(message).split())))
    root = tree.getroot()
    drawn = {n.get("dmnElementRef") for n in root.iter() if local(n) == "DMNShape"}
    for node in root.iter():
        if local(node) == "decision" and node.get("id") and node.get("id") not in drawn \
                and node.find(BIODI_BOUNDS) is None:
            problems.append(Problem(f.path, line_of(node), node.get("id"),
                                    "Entscheidung hat kein dmndi:DMNShape im Diagramm (DRD)", "warning"))
