"""form-js `filepicker` and `documentPreview`: parse, validate and render (no storage here).

A filepicker's value in case data is a list of document references, as Camunda writes them:

    [{"documentId": "…", "contentHash": "<sha256>",
      "metadata": {"fileName": "mietbescheinigung.pdf", "contentType": "application/pdf", "size": 48213}}]

never the bytes. The service layer (services/documents.py) stores uploads and turns submitted
document ids into such references before a form validates them; here a reference is checked for
its shape, the field's `accept` (against the type found in the content) and `multiple`.

Supported properties — filepicker: key, label, description, accept (text or `=` expression),
multiple (true/false or `=` expression), validate.required, readonly, disabled, conditional.hide.
documentPreview: label, dataSource (`=` expression giving a reference or a list of them),
maxHeight (height of a PDF preview in pixels), conditional.hide.
"""
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from .. import files
from .feel import Condition
from .messages import INVALID
from .model import Component, Field

FILE_TYPES = ("filepicker",)
PREVIEW_TYPES = ("documentPreview",)
DOCUMENT_URL = "/dokumente/{id}"  # served by web/inbox/document_views.py, scoped like the case
DOWNLOAD_URL = "/dokumente/{id}/herunterladen"
DEFAULT_PREVIEW_HEIGHT = 600
ONE_FILE = "Bitte nur eine Datei auswählen."
NOT_ACCEPTED = "Die Datei „{name}“ ist eine {label}-Datei; erlaubt sind hier: {allowed}."
NO_DOCUMENTS = "Keine Dokumente."


@dataclass
class FileField(Field):
    """A filepicker: its value is a list of document references (HTML: one name, many values)."""

    accept: Any = ""  # form-js text ("application/pdf,.png") or a Condition for "=expression"
    many: Any = False  # `multiple`: bool or Condition

    @property
    def multiple(self):
        return True  # the value is always a list (form-js writes a list for one file too)

    def accept_entries(self, context):
        source = self.accept.evaluate(context) if isinstance(self.accept, Condition) else self.accept
        return files.parse_accept(source)

    def allows_many(self, context):
        return self.many.holds(context) if isinstance(self.many, Condition) else bool(self.many)


@dataclass
class DocumentPreview(Component):
    """A documentPreview: shows the documents its `dataSource` expression names."""

    source: Condition | None = None
    max_height: int | None = None

    def references(self, context):
        value = self.source.evaluate(context) if self.source is not None else None
        return references_in(value)


def references_in(value):
    """The well-formed document references in a value (one reference or a list of them)."""
    items = value if isinstance(value, list) else [value]
    return [ref for ref in (normalized(item) for item in items) if ref is not None]


def normalized(item):
    """A document reference with only the keys zsa-flow keeps, or None when `item` is none."""
    if not isinstance(item, dict) or not isinstance(item.get("documentId"), str) or not item["documentId"]:
        return None
    meta = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
    size = meta.get("size")
    return {"documentId": item["documentId"],
            "contentHash": item.get("contentHash") if isinstance(item.get("contentHash"), str) else None,
            "metadata": {"fileName": str(meta.get("fileName") or ""),
                         "contentType": str(meta.get("contentType") or ""),
                         "size": size if isinstance(size, int) and not isinstance(size, bool) else None}}


# ---------------------------------------------------------------- parse (called by schema._Builder)

def parse_component(builder, comp, cid, ctype, path, hides, hide):
    """The Component of a filepicker or documentPreview; `builder.fail` for a broken one."""
    label = builder.text_prop(comp, "label")
    if ctype in PREVIEW_TYPES:
        source = comp.get("dataSource")
        if not isinstance(source, str) or not source.strip().startswith("="):
            builder.fail(comp, "documentPreview needs 'dataSource' as an expression, e.g. \"=unterlagen\"")
        condition = Condition(source)
        if not condition.supported:
            builder.fail(comp, f"dataSource {source!r} is not supported ({condition.error})")
        height = builder.number(comp, comp.get("maxHeight"), "maxHeight")
        if height is not None and (height <= 0 or height != height.to_integral_value()):
            builder.fail(comp, f"'maxHeight' must be a whole number > 0, got {comp.get('maxHeight')!r}")
        return DocumentPreview(cid, ctype, label=label, hide=hide, source=condition,
                               max_height=None if height is None else int(height))
    key = comp.get("key")
    if not isinstance(key, str) or not key:
        builder.fail(comp, "filepicker component has no 'key'")
    from .schema import KEY_RE

    if not KEY_RE.match(key):
        builder.fail(comp, f"invalid key {key!r} (letters, digits, '_' and '-', dots for nesting)")
    f = FileField(id=cid, type=ctype, key=key, path=path + tuple(key.split(".")), hide=hides)
    builder.register(comp, f.name)
    f.label, f.description = label, builder.text_prop(comp, "description")
    f.disabled = comp.get("disabled") is True
    f.readonly = _flag(builder, comp, "readonly")
    f.many = _flag(builder, comp, "multiple")
    accept = comp.get("accept", "")
    if accept is not None and not isinstance(accept, str):
        builder.fail(comp, "'accept' must be a text such as \"application/pdf,.png\"")
    f.accept = _expression(builder, comp, "accept", accept) if (accept or "").strip().startswith("=") else (accept or "")
    validate = comp.get("validate") or {}
    if not isinstance(validate, dict):
        builder.fail(comp, "'validate' must be an object")
    f.required = validate.get("required") is True
    builder.fields.append(f)
    return Component(cid, ctype, label=label, field=f, hide=hide)


def _flag(builder, comp, name):
    value = comp.get(name, False)
    if isinstance(value, str) and value.strip().startswith("="):
        return _expression(builder, comp, name, value)
    if value not in (None, True, False):
        builder.fail(comp, f"'{name}' must be true, false or an expression")
    return value is True


def _expression(builder, comp, name, source):
    condition = Condition(source)
    if not condition.supported:
        builder.fail(comp, f"'{name}' expression {source!r} is not supported ({condition.error})")
    return condition


# ---------------------------------------------------------------- validate (called by coerce)

class _Invalid(Exception):
    pass


def coerce_documents(f, raw, context, invalid=_Invalid):
    """The references of a filepicker's value; `invalid(message)` is raised for anything else,
    for a second file where `multiple` is off and for a type outside `accept`."""
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, list) else [raw]
    refs = []
    for item in items:
        ref = normalized(item)
        if ref is None:
            raise invalid(INVALID)
        if ref not in refs:
            refs.append(ref)
    if len(refs) > 1 and not f.allows_many(context):
        raise invalid(ONE_FILE)
    entries = f.accept_entries(context)
    for ref in refs:
        media = ref["metadata"]["contentType"]
        if not files.accepts(entries, media):
            raise invalid(NOT_ACCEPTED.format(name=ref["metadata"]["fileName"], label=files.LABELS.get(media, media),
                                              allowed=files.accept_label(entries)))
    return refs


# ---------------------------------------------------------------- render (called by render._Renderer)

def _link(ref):
    meta = ref["metadata"]
    kind = files.LABELS.get(meta["contentType"], "Datei")
    size = f", {files.human_size(meta['size'])}" if isinstance(meta.get("size"), int) else ""
    url = DOWNLOAD_URL.format(id=escape(ref["documentId"]))
    return (f'<a href="{url}">{escape(meta["fileName"] or "Dokument")}</a>'
            f' <span class="zsa-document-meta">({escape(kind)}{escape(size)})</span>')


def value_row(renderer, f):
    """A filepicker in a read-only form: the file names as download links."""
    refs = references_in(renderer.value(f))
    shown = "".join(f"<li>{_link(ref)}</li>" for ref in refs)
    body = f'<ul class="zsa-document-list">{shown}</ul>' if shown else escape(NO_DOCUMENTS)
    return (f'<div class="zsa-field zsa-field--filepicker"><dt>{escape(f.label or f.key)}</dt>'
            f"<dd>{body}</dd></div>")


def render_field(renderer, f, hidden, extra):
    """The file input, the documents already taken (checked boxes: unticking drops one), hints, error."""
    from .render import _attrs

    fid, error = renderer.ids[f.name], renderer.errors.get(f.name)
    scope = renderer.scope
    readonly = f.is_readonly(scope)
    disabled = f.disabled or hidden or readonly
    kept = references_in(renderer.value(f))
    entries = f.accept_entries(scope)
    many = f.allows_many(scope)
    shown_required = f.required and not (readonly or f.disabled)
    hint_id, err_id = fid + "-hint", (fid + "-error" if error else None)
    desc_id = fid + "-desc" if f.description else None
    from ..limits import max_document_bytes

    hint = (f"{'Eine oder mehrere Dateien' if many else 'Eine Datei'}: {files.accept_label(entries or ('.pdf', '.jpg', '.png'))}, "
            f"höchstens {files.human_size(max_document_bytes())} je Datei.")
    notes = f'<p class="zsa-description"{_attrs(id=desc_id)}>{escape(f.description)}</p>' if desc_id else ""
    notes += f'<p class="zsa-description"{_attrs(id=hint_id)}>{escape(hint)}</p>'
    if err_id:
        notes += (f'<p class="zsa-error"{_attrs(id=err_id)}><span class="zsa-sr-only">Fehler: </span>'
                  f"{escape(error)}</p>")
    items = []
    for index, ref in enumerate(kept, start=1):
        box = f"{fid}-datei-{index}"
        items.append(f'<li><input{_attrs(type="checkbox", id=box, name=f.name, value=ref["documentId"], checked=True, disabled=disabled)}>'
                     f'<label for="{escape(box)}">behalten: {escape(ref["metadata"]["fileName"] or "Dokument")}</label> '
                     f"{_link(ref)}</li>")
    listing = f'<ul class="zsa-document-list">{"".join(items)}</ul>' if items else ""
    marker = '<span class="zsa-required" aria-hidden="true">*</span>' if shown_required else ""
    required = shown_required and not hidden and not kept
    accept = ",".join(entries) or ",".join(m for m, *_ in files.TYPES)
    control = (f"<input{_attrs(type='file', id=fid, name=f.name, accept=accept, multiple=many, required=required, aria_required='true' if required else None, disabled=disabled, aria_describedby=' '.join(x for x in (desc_id, hint_id, err_id) if x), aria_invalid='true' if error else None)}>")
    classes = "zsa-field zsa-field--filepicker" + (" zsa-field--invalid" if error else "")
    label = escape(f.label or f.key)
    return f'<div class="{classes}"{extra}><label for="{fid}">{label}{marker}</label>{notes}{listing}{control}</div>'


def render_preview(renderer, comp, extra):
    """The documents a documentPreview names: PDFs in an <iframe>, images as <img>, each with a download link."""
    from .render import _attrs

    refs = comp.references(renderer.scope)
    heading_id = renderer.unique_id("vorschau-" + comp.id)
    title = escape(comp.label or "Dokumente")
    parts = [f'<section class="zsa-document-preview"{_attrs(aria_labelledby=heading_id)}{extra}>'
             f'<p class="zsa-group-title"{_attrs(id=heading_id)}>{title}</p>']
    if not refs:
        parts.append(f"<p>{escape(NO_DOCUMENTS)}</p>")
    for ref in refs:
        parts.append(preview_figure(ref, comp.max_height))
    parts.append("</section>")
    return "".join(parts)


def preview_figure(ref, max_height=None):
    """One document's preview (shared by forms and the case and task pages)."""
    from .render import _attrs

    meta = ref["metadata"]
    url = DOCUMENT_URL.format(id=ref["documentId"])
    name = meta["fileName"] or "Dokument"
    if meta["contentType"] == "application/pdf":
        body = (f"<iframe{_attrs(src=url, title='Vorschau: ' + name, height=max_height or DEFAULT_PREVIEW_HEIGHT)}"
                ' class="zsa-document-frame" loading="lazy"></iframe>')
    elif meta["contentType"].startswith("image/"):
        body = f'<img{_attrs(src=url, alt="Vorschau: " + name)} class="zsa-document-image" loading="lazy">'
    else:
        body = ""
    return f'<figure class="zsa-document">{body}<figcaption>{_link(ref)}</figcaption></figure>'
