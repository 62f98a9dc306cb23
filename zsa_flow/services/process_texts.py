"""The words people read for a deployed process version: element and message names, who receives a
message, and the case data's labels, option labels and sections as the version's forms give them.

Computed once per deployed version (versions never change) from the deployed BPMN XML (lxml) and
the version's parsed forms; `texts_for(platform, uow, definition_id)` returns the cached `ProcessTexts`.
"""
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from ..storage.tables import process_definition
from ..xmlsafe import parse_xml
from .deployments import load_contents

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
MORE = "Weitere Angaben"
MONEY_LABEL = re.compile(r"\s*\((EUR|€)\)\s*$")  # "(EUR)" leaves the label: the value shows "€"
MONEY_PER_MONTH = re.compile(r"\((?:EUR|€)\s*/\s*Monat\)")
MONEY_MARK = re.compile(r"\bEUR\b|€")
HEADING = re.compile(r"^\s*(#{1,3})\s+(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class FieldText:
    """How one case data key reads: label, option labels by value, and its kind of value."""

    label: str
    options: dict = field(default_factory=dict)
    kind: str | None = None  # money, number, date, datetime, text, None (guess from the value)


@dataclass
class ProcessTexts:
    elements: dict = field(default_factory=dict)   # element id -> name
    messages: dict = field(default_factory=dict)   # message name -> display name
    receivers: dict = field(default_factory=dict)  # element id -> participant the element's message goes to
    senders: dict = field(default_factory=dict)    # element id -> participant whose message it receives
    fields: dict = field(default_factory=dict)     # data key -> FieldText
    sections: list = field(default_factory=list)   # [(title, [data keys])] in form order

    def element(self, element_id, fallback=None):
        """The element's name; never its id (`fallback` when it has none)."""
        return self.elements.get(element_id) or fallback

    def message(self, name):
        return self.messages.get(name) or humanize(name or "")


def humanize(key: str) -> str:
    """A technical name for people: 'bescheid_hundehaltung' -> 'Bescheid Hundehaltung'."""
    words = [w for w in re.split(r"[_\-\s]+", str(key)) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def texts_for(platform, uow, definition_id) -> ProcessTexts:
    """The texts of a deployed version, built on first use and kept in the platform's cache of
    parsed versions (a version never changes)."""
    def load():
        row = uow.execute(select(process_definition).where(process_definition.c.id == definition_id)).mappings().one()
        contents = load_contents(uow, row)
        bpmn = [parse_xml(contents[f["sha256"]], f["path"]).getroot() for f in row["files"] if f["kind"] == "bpmn"]
        definition = platform.definition(uow, definition_id)
        return build_texts(bpmn, definition.forms, definition.start_form)

    return platform.definitions.get(("texts", definition_id), load)


def build_texts(bpmn_roots, forms, start_form=None) -> ProcessTexts:
    """ProcessTexts from parsed BPMN roots and {form id: Form}."""
    texts = ProcessTexts()
    form_order = [start_form] if start_form else []
    for root in bpmn_roots:
        _read_bpmn(root, texts, form_order)
    form_order += sorted(set(forms) - set(form_order))
    seen = set()
    for form_id in dict.fromkeys(form_order):
        form = forms.get(form_id)
        if form is not None:
            _read_form(form, texts, seen)
    return texts


def _q(tag):
    return f"{{{BPMN_NS}}}{tag}"


def _read_bpmn(root, texts, form_order):
    messages = {m.get("id"): m.get("name") or m.get("id") for m in root.iter(_q("message"))}
    for name in messages.values():
        texts.messages.setdefault(name, humanize(name))
    pools = {}  # participant id / process id -> participant name
    for p in root.iter(_q("participant")):
        name = p.get("name") or ""
        pools[p.get("id")] = name
        if p.get("processRef"):
            pools[p.get("processRef")] = name
    element_pool = {}
    for process in root.iter(_q("process")):
        for el in process.iter():
            if el.get("id") and el is not process:
                element_pool[el.get("id")] = pools.get(process.get("id"), "")
                if el.get("name") and isinstance(el.tag, str) and not el.tag.endswith("}lane"):
                    texts.elements.setdefault(el.get("id"), _one_line(el.get("name")))
            form_ref = el.get(f"{{{CAMUNDA_NS}}}formRef") or el.get(f"{{{CAMUNDA_NS}}}formKey")
            if form_ref and el.tag in (_q("userTask"), _q("startEvent")):
                form_order.append(form_ref.removeprefix("camunda-forms:bpmn:"))
    for flow in root.iter(_q("messageFlow")):
        source, target = flow.get("sourceRef"), flow.get("targetRef")
        to_pool = pools.get(target) if target in pools else element_pool.get(target)
        from_pool = pools.get(source) if source in pools else element_pool.get(source)
        if to_pool and source not in pools:
            texts.receivers.setdefault(source, to_pool)
        if from_pool and target not in pools:
            texts.senders.setdefault(target, from_pool)


def _one_line(text):
    return " ".join(str(text).split())


def _read_form(form, texts, seen):
    """Sections of one form: its '#' title, then each '##' heading or group starts a new section."""
    title = None
    current = None

    def section(name):
        entry = (name or MORE, [])
        texts.sections.append(entry)
        return entry

    def walk(components):
        nonlocal title, current
        for comp in components:
            if comp.type in ("text", "html") and comp.text:
                for hashes, heading in HEADING.findall(comp.text):
                    if len(hashes) == 1 and title is None:
                        title = heading
                        current = None
                    else:
                        current = section(heading)
            elif comp.type == "group":
                current = section(comp.label or title)
                walk(comp.children)
                current = None
            elif comp.field is not None:
                key = comp.field.name
                if key in seen:
                    continue
                seen.add(key)
                if current is None:
                    current = section(title)
                current[1].append(key)
                texts.fields[key] = _field_text(comp.field)
                if comp.field.is_list:
                    _entry_texts(texts, key, comp.field)
            elif comp.children:
                walk(comp.children)

    walk(form.components)
    texts.sections[:] = [s for s in texts.sections if s[1]]


def _entry_texts(texts, key, f):
    """A dynamic list's entry fields as `list.field` (nested lists `list.inner.field`; case_display
    looks them up so), and by their key inside the entry unless a form field has that key."""
    for item in f.item.fields:
        name = f"{key}.{item.name}"
        texts.fields.setdefault(name, _field_text(item))
        texts.fields.setdefault(item.name, _field_text(item))
        if item.is_list:
            _entry_texts(texts, name, item)


def _field_text(f):
    label = _one_line(f.label or humanize(f.key))
    kind = None
    if f.type == "number":  # money: the label says EUR/€, or two decimal places as for cents
        kind = "money" if MONEY_MARK.search(label) or f.decimal_digits == 2 else "number"
        label = MONEY_PER_MONTH.sub("(monatlich)", MONEY_LABEL.sub("", label))
    elif f.type == "datetime":
        kind = {"date": "date", "time": "text"}.get(f.subtype, "datetime")
    elif f.type in ("textfield", "textarea"):
        kind = "text"
    options = {o.value: o.label for o in (f.options or ())}
    return FieldText(label, options, kind)
