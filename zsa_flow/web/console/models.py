"""Server-side previews of a version's decision tables and forms (no script needed to read them)."""
import json

from ...dmn import parse_dmn
from ...bpmn.form_keys import synthetic_form_id
from ...forms import parse_form

HIT_POLICIES = {"UNIQUE": "U", "FIRST": "F", "PRIORITY": "P", "ANY": "A", "COLLECT": "C", "RULE ORDER": "R",
                "OUTPUT ORDER": "O"}


def decision_tables(files) -> list:
    """Every decision of the version's DMN files as rows of cells (rendered as an HTML table)."""
    tables = []
    for f in files:
        if f.kind != "dmn":
            continue
        for d in parse_dmn(f.content, f.path, strict=False).decisions.values():
            tables.append({"file": f.path, "id": d.id, "name": d.name, "kind": d.kind,
                           "hit_policy": d.hit_policy + (f" {d.aggregation}" if d.aggregation else ""),
                           "inputs": [i.label or i.expression for i in d.inputs],
                           "outputs": [o.label or o.name for o in d.outputs],
                           "rules": [{"id": r.id, "inputs": r.input_entries, "outputs": r.output_entries,
                                      "description": r.description} for r in d.rules],
                           "expression": d.expression})
    return tables


def form_previews(files) -> list:
    """Every form of the version rendered read-only with form-js' server-side twin (zsa_flow.forms)."""
    previews = []
    for f in files:
        if f.kind != "form":
            continue
        try:
            form = parse_form(f.content, f.path, default_id=synthetic_form_id(f.path))
            previews.append({"file": f.path, "id": form.id, "html": form.render({}, {}, readonly=True)})
        except Exception as exc:  # noqa: BLE001 - a preview must not break the page
            previews.append({"file": f.path, "id": _form_id(f), "html": None, "error": str(exc)})
    return previews


def _form_id(f):
    try:
        return json.loads(f.content).get("id")
    except ValueError:
        return None
