"""Differences between two deployed versions of a process, as a list a process owner can read.

    changes = diff_versions("hundehaltung", old_files, new_files)   # files: [LibraryFile]
    [{"kind": "renamed", "element_id": "Task_1", "text": "umbenannt: »Prüfen« → »Antrag prüfen«"}, …]

Elements are matched by id (Camunda Modeler keeps ids stable). Forms are compared by content hash
per form id, decision tables rule by rule, called processes by content hash.
"""
import json

from ..dmn import parse_dmn
from ..errors import ModelError
from .bpmn_index import find_process, index_process
from .loader import scan_bpmn
from ..xmlsafe import parse_xml

KIND_LABELS = {"added": "neu", "removed": "entfernt", "renamed": "umbenannt", "lane": "andere Lane",
               "type": "anderer Typ", "changed": "geändert"}
TYPE_LABELS = {"userTask": "Benutzeraufgabe", "manualTask": "manuelle Aufgabe", "serviceTask": "Serviceaufgabe",
               "scriptTask": "Skriptaufgabe", "businessRuleTask": "Regelaufgabe", "sendTask": "Sendeaufgabe",
               "receiveTask": "Empfangsaufgabe", "callActivity": "Aufrufaktivität", "subProcess": "Teilprozess",
               "sequenceFlow": "Sequenzfluss", "exclusiveGateway": "XOR-Gateway", "parallelGateway": "UND-Gateway",
               "eventBasedGateway": "ereignisbasiertes Gateway", "startEvent": "Startereignis",
               "endEvent": "Endereignis", "intermediateCatchEvent": "Zwischenereignis",
               "intermediateThrowEvent": "Zwischenereignis", "boundaryEvent": "Randereignis", "task": "Aufgabe"}


def main_file(process_id, files):
    """The BPMN file that defines the process."""
    for f in files:
        if f.kind == "bpmn" and find_process(parse_xml(f.content, f.path).getroot(), process_id) is not None:
            return f
    raise ModelError(f"Prozess '{process_id}' in keiner Datei der Version gefunden")


def diff_versions(process_id, old_files, new_files) -> list:
    """Every change between two versions: elements, then forms, decision tables, called processes."""
    old_main, new_main = main_file(process_id, old_files), main_file(process_id, new_files)
    old = index_process(old_main.content, process_id, old_main.path)
    new = index_process(new_main.content, process_id, new_main.path)
    changes = _element_changes(old, new)
    changes += _form_changes(old_files, new_files, new)
    changes += _decision_changes(old_files, new_files, new)
    changes += _called_changes(process_id, old_files, new_files)
    return changes


def _entry(kind, element, text, category=None, before=None, after=None, elements=None):
    return {"kind": kind, "element_id": element.id if element else None,
            "element_name": element.name if element else None,
            "element_type": TYPE_LABELS.get(element.type, element.type) if element else None,
            "category": category, "before": before, "after": after, "text": text,
            "elements": elements if elements is not None else ([element.id] if element else [])}


def _label(e):
    return f"{TYPE_LABELS.get(e.type, e.type)} »{e.name or e.id}«"


def _element_changes(old, new):
    changes = []
    for eid in sorted(old.keys() - new.keys()):
        changes.append(_entry("removed", old[eid], f"{_label(old[eid])} entfernt"))
    for eid in sorted(new.keys() - old.keys()):
        changes.append(_entry("added", new[eid], f"{_label(new[eid])} neu"
                              + (f" (Lane {new[eid].lane})" if new[eid].lane else "")))
    for eid in sorted(old.keys() & new.keys()):
        a, b = old[eid], new[eid]
        if a.type != b.type:
            changes.append(_entry("type", b, f"{_label(a)}: Typ geändert zu {TYPE_LABELS.get(b.type, b.type)}",
                                  "Typ", a.type, b.type))
        if (a.name or "") != (b.name or ""):
            changes.append(_entry("renamed", b, f"{_label(a)} umbenannt in »{b.name or ''}«", "Name", a.name, b.name))
        if a.lane != b.lane:
            changes.append(_entry("lane", b, f"{_label(b)} in andere Lane verschoben: {a.lane or '–'} → {b.lane or '–'}",
                                  "Lane", a.lane, b.lane))
        for facet in sorted(a.facets.keys() | b.facets.keys()):
            before, after = a.facets.get(facet), b.facets.get(facet)
            if before != after:
                changes.append(_entry("changed", b, f"{_label(b)}: {facet} geändert", facet, before, after))
    return changes


def _forms(files):
    result = {}
    for f in files:
        if f.kind == "form":
            try:
                result[json.loads(f.content)["id"]] = f
            except (ValueError, KeyError, TypeError):
                continue
    return result


def _referencing(elements, facet, ref):
    """Ids of elements whose form / decision settings name `ref` (formRef, formKey, decisionRef)."""
    def names(text):
        values = [pair.split("=", 1)[-1] for pair in (text or "").split(", ")]
        return {v.rsplit(":", 1)[-1] for v in values}

    return [e.id for e in elements.values() if ref in names(e.facets.get(facet))]


def _form_changes(old_files, new_files, new_elements):
    old, new = _forms(old_files), _forms(new_files)
    changes = []
    for form_id in sorted(old.keys() | new.keys()):
        a, b = old.get(form_id), new.get(form_id)
        if a is not None and b is not None and a.sha256 == b.sha256:
            continue
        state = "neu" if a is None else "entfernt" if b is None else "geändert"
        changes.append({"kind": "form", "element_id": None, "element_name": None, "element_type": "Formular",
                        "category": "Formular", "before": a.sha256 if a else None, "after": b.sha256 if b else None,
                        "text": f"Formular '{form_id}' {state} ({(b or a).path})",
                        "elements": _referencing(new_elements, "Formular", form_id)})
    return changes


def _tables(files):
    tables = {}
    for f in files:
        if f.kind != "dmn":
            continue
        for decision in parse_dmn(f.content, f.path, strict=False).decisions.values():
            tables[decision.id] = (f, decision)
    return tables


def _decision_changes(old_files, new_files, new_elements):
    old, new = _tables(old_files), _tables(new_files)
    changes = []
    for did in sorted(old.keys() | new.keys()):
        a, b = old.get(did), new.get(did)
        if a is not None and b is not None and a[0].sha256 == b[0].sha256:
            continue
        refs = _referencing(new_elements, "Entscheidungstabelle", did)
        if a is None or b is None:
            state = "neu" if a is None else "entfernt"
            changes.append(_table_entry(did, f"Entscheidungstabelle '{did}' {state}", refs))
            continue
        for text in _rule_changes(a[1], b[1]) or ["Datei geändert (Regeln gleich)"]:
            changes.append(_table_entry(did, f"Entscheidungstabelle '{did}': {text}", refs))
    return changes


def _table_entry(did, text, refs):
    return {"kind": "decision", "element_id": None, "element_name": did, "element_type": "Entscheidungstabelle",
            "category": "DMN-Regeln", "before": None, "after": None, "text": text, "elements": refs}


def _rule_changes(a, b):
    texts = []
    if a.hit_policy != b.hit_policy:
        texts.append(f"Hit Policy {a.hit_policy} → {b.hit_policy}")
    if [i.expression for i in a.inputs] != [i.expression for i in b.inputs]:
        texts.append("Eingaben geändert")
    if [o.name for o in a.outputs] != [o.name for o in b.outputs]:
        texts.append("Ausgaben geändert")
    old_rules = {r.id: r for r in a.rules}
    new_rules = {r.id: r for r in b.rules}
    for rid in [r.id for r in a.rules if r.id not in new_rules]:
        texts.append(f"Regel {rid} entfernt")
    for index, rule in enumerate(b.rules, 1):
        before = old_rules.get(rule.id)
        cells = " | ".join(rule.input_entries) + " → " + " | ".join(rule.output_entries)
        if before is None:
            texts.append(f"Regel {index} ({rule.id}) neu: {cells}")
        elif (before.input_entries, before.output_entries) != (rule.input_entries, rule.output_entries):
            old_cells = " | ".join(before.input_entries) + " → " + " | ".join(before.output_entries)
            texts.append(f"Regel {index} ({rule.id}) geändert: {old_cells}  ⇒  {cells}")
    return texts


def _called_changes(process_id, old_files, new_files):
    def called(files):
        return {info.process_id: f for f in files if f.kind == "bpmn"
                for info in scan_bpmn(f) if info.process_id != process_id}

    old, new = called(old_files), called(new_files)
    return [{"kind": "called", "element_id": None, "element_name": pid, "element_type": "Prozess",
             "category": "Aufgerufener Prozess", "before": None, "after": None,
             "text": f"Aufgerufener Prozess '{pid}' {'neu' if pid not in old else 'entfernt' if pid not in new else 'geändert'}",
             "elements": []}
            for pid in sorted(old.keys() | new.keys())
            if old.get(pid) is None or new.get(pid) is None or old[pid].sha256 != new[pid].sha256]


def markers(changes) -> dict:
    """Element ids to mark in the old and the new diagram (removed / added / changed)."""
    result = {"old": {"removed": [], "changed": []}, "new": {"added": [], "changed": []}}
    for c in changes:
        if c["kind"] == "removed":
            result["old"]["removed"].extend(c["elements"])
        elif c["kind"] == "added":
            result["new"]["added"].extend(c["elements"])
        else:
            result["old"]["changed"].extend(c["elements"])
            result["new"]["changed"].extend(c["elements"])
    return {side: {k: sorted(set(v)) for k, v in marks.items()} for side, marks in result.items()}

