"""Server-side, accessible HTML for a parsed form (no inline script, style or event handlers).

`render_form` returns the fields only (no `<form>`, no buttons, no CSRF token: the page owns those).
Every label, description, value and option is escaped; static text goes through `markdown.py`.
Fields hidden by a condition are rendered with `hidden` and their inputs `disabled` (so they are not
submitted and never block the browser's own validation) and carry `data-zsa-hide` with the
expression, for an optional script that re-evaluates it. Without script, the server re-evaluates
conditions on every submission.
"""
import re
from datetime import date, datetime
from decimal import Decimal

from markupsafe import Markup, escape

from . import documents
from .coerce import LOCAL_TZ, Invalid, coerce, german_number
from .feel import Condition
from .browser import browser_context
from .markdown import html_as_text, render_markdown
from .patterns import html_pattern
from .model import LIST_TYPE
from .render_lists import render_list, render_table
from .validate import lookup, scope_for, submitted_values

EMPTY = "keine Angabe"
CHOOSE = "Bitte wählen …"
SUMMARY = "Es gibt ein Problem"
REQUIRED_NOTE = "Felder mit * sind Pflichtfelder."
TRUE_WORDS = ("on", "true", "1", "ja", "yes")


def render_form(form, values, errors, *, readonly=False, submitted=None, summary=True):
    return Markup(_Renderer(form, values, errors, readonly, submitted, summary).render())


def field_ids(form):
    """{field name: id of the element an error link jumps to} (the first option of option groups)."""
    renderer = _Renderer(form, {}, {}, False, None)
    return {f.name: renderer.ids[f.name] + ("-1" if f.type in ("radio", "checklist", "taglist") else "")
            for f in form.fields}


def entry_id(name):
    """The id of a list entry's input (`mitglieder.1.name` -> `zsa-mitglieder-1-name`)."""
    return _base_id(name)


def _base_id(name):
    return "zsa-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "feld")


def error_summary(items):
    """The GOV.UK/BITV error summary: a heading and one link per problem to its field.

    `items` are (target id or None, label, message); static/zsa-form.js moves the focus here.
    """
    if not items:
        return Markup("")
    links = []
    for target, label, message in items:
        text = escape(f"{label} – {message}" if label else message)
        links.append(f'<li><a href="#{escape(target)}">{text}</a></li>' if target else f"<li>{text}</li>")
    return Markup('<div class="zsa-error-summary" id="zsa-error-summary" role="alert" tabindex="-1" '
                  'aria-labelledby="zsa-error-summary-title">'
                  f'<h2 class="zsa-error-summary-title" id="zsa-error-summary-title">{escape(SUMMARY)}</h2>'
                  f'<ul>{"".join(links)}</ul></div>')


def _attrs(**pairs):
    out = []
    for name, value in pairs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(out)


class _Renderer:
    """Renders a form, or (with `prefix`, `scope` and the parent's `used` ids) one entry of a dynamic list."""

    def __init__(self, form, values, errors, readonly, submitted, with_summary=True, prefix="", scope=None,
                 used=None):
        self.form, self.values, self.errors, self.readonly = form, values, errors, readonly
        self.with_summary, self.prefix = with_summary, prefix
        self.scope = scope if scope is not None else scope_for(form, values, submitted)
        self.raw = submitted_values(form, submitted, values)[0] if submitted is not None else None
        self.used, self.ids = (set() if used is None else used), {}
        for f in form.fields:
            self.ids[f.name] = self.unique_id(prefix + f.name)

    def full(self, f):
        """The HTML name of a field (inside a list entry: `list.N.key`)."""
        return self.prefix + f.name

    def unique_id(self, name):
        base = _base_id(name)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def render(self):
        body = self.components(self.form.components, False)
        head = ""
        if self.readonly:
            return f'<div class="zsa-form zsa-form--readonly"{_attrs(data_zsa_form=self.form.id)}>{body}</div>'
        if self.errors and self.with_summary:
            head += self.summary()
        if any(f.required and not self.inactive(f) for f in self.form.fields):
            head += f'<p class="zsa-required-note">{escape(REQUIRED_NOTE)}</p>'
        tail = browser_context(self.form, self.values, self.scope)
        return f'<div class="zsa-form"{_attrs(data_zsa_form=self.form.id)}>{head}{body}{tail}</div>'

    def inactive(self, f):
        return f.disabled or f.is_readonly(self.scope) or f.is_hidden(self.scope)

    def summary(self):
        return str(self.form.error_summary(self.errors))  # str: what follows is HTML, not text to escape

    # ---------------------------------------------------------------- tree

    def components(self, components, hidden):
        parts, run = [], []
        for comp in components:
            own_hidden = bool(comp.hide and comp.hide.holds(self.scope))
            comp_hidden = hidden or own_hidden
            if self.readonly and comp_hidden:
                continue
            html = self.component(comp, comp_hidden, own_hidden)
            if self.readonly and comp.field is not None:
                run.append(html)  # values are <div><dt/><dd/></div>: collect runs into one <dl>
                continue
            if run:
                parts.append(f'<dl class="zsa-values">{"".join(run)}</dl>')
                run = []
            parts.append(html)
        if run:
            parts.append(f'<dl class="zsa-values">{"".join(run)}</dl>')
        return "".join(parts)

    def hide_attrs(self, comp, own_hidden):
        """`hidden` where the component's own condition holds (inside, the DOM hides what a group hides)."""
        source = comp.hide.source if comp.hide and comp.hide.supported and isinstance(comp.hide.source, str) else None
        return _attrs(hidden=own_hidden and not self.readonly, data_zsa_hide=source)

    def component(self, comp, hidden, own_hidden=False):
        extra = self.hide_attrs(comp, own_hidden)
        special = RENDERERS.get(comp.type)
        if special is not None:
            return special(self, comp, hidden, extra)
        if comp.field is not None:
            if self.readonly:
                return self.value_row(comp.field)
            return self.field(comp.field, hidden, extra)
        if comp.type == "group":
            inner = self.components(comp.children, hidden)
            if not comp.label:
                return f'<div class="zsa-group"{extra}>{inner}</div>'
            if self.readonly:
                gid = self.unique_id("gruppe-" + comp.id)
                return (f'<div class="zsa-group" role="group"{_attrs(aria_labelledby=gid)}{extra}>'
                        f'<p class="zsa-group-title"{_attrs(id=gid)}>{escape(comp.label)}</p>{inner}</div>')
            return f'<fieldset class="zsa-group"{extra}><legend>{escape(comp.label)}</legend>{inner}</fieldset>'
        if comp.type == "text":
            text = comp.text
            if text.strip().startswith("="):
                value = Condition(text).evaluate(self.scope)
                text = "" if value is None or isinstance(value, (dict, list)) else str(value)
                return f'<div class="zsa-text"{extra}><p>{escape(text)}</p></div>'
            return f'<div class="zsa-text"{extra}>{render_markdown(text, self.scope)}</div>'
        if comp.type == "html":
            return f'<div class="zsa-text"{extra}>{html_as_text(comp.text)}</div>'
        if comp.type == "separator":
            return f'<hr class="zsa-separator"{extra}>'
        if comp.type == "documentPreview":
            return documents.render_preview(self, comp, extra)
        return ""  # spacer, image, button: the page brings its own buttons

    # ---------------------------------------------------------------- values

    def value(self, f):
        """What the input shows: submitted input, else case data, else the default."""
        if self.raw is not None and not (f.disabled or f.is_readonly(self.scope)):
            if f.name in self.raw:
                raw = self.raw[f.name]
                if isinstance(raw, list) and not f.multiple:  # an entry's inputs as from getlist()
                    raw = raw[0] if raw else ""
                return raw
            if f.type == "checkbox" or f.multiple:
                return [] if f.multiple else False
        value = lookup(self.values, f.path)
        if value is None and hasattr(self.values, "get"):
            value = self.values.get(f.name) if "." in f.name else None
        return f.default if value is None and not self.readonly else value

    @staticmethod
    def checked(value):
        return value is True or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)

    def input_value(self, f, value):
        if value is None:
            return ""
        if isinstance(value, list):
            value = value[0] if value else ""
        if f.type == "number" and self.raw is not None and f.name in self.raw:
            return str(value)  # as typed: "450,50" stays "450,50"
        if f.type in ("number", "datetime"):
            try:
                value = coerce(f, value, f.type != "number", {})
            except Invalid:
                return str(value)
            if value is None:
                return ""
            if f.type == "number":
                if f.decimal_digits is not None:
                    value = value.quantize(Decimal(1).scaleb(-f.decimal_digits))
                return format(value, "f").replace(".", ",")
            if f.subtype == "time":
                return value[:5]
            if f.subtype == "datetime":
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                if moment.tzinfo is not None:
                    moment = moment.astimezone(LOCAL_TZ).replace(tzinfo=None)
                return moment.isoformat(timespec="minutes")
        return str(value)

    def display(self, f, value):
        """A read-only value as German text."""
        if value is None or value == "" or value == []:
            return EMPTY
        if f.type == "checkbox":
            return "Ja" if self.checked(value) else "Nein"
        if f.options is not None or f.values_key:
            chosen = value if isinstance(value, list) else [value]
            labels = {str(o.value): o.label for o in f.options_for(self.scope)}
            return ", ".join(labels.get(str(v), str(v)) for v in chosen)
        try:
            clean = coerce(f, value, f.type != "number", {})
        except Invalid:
            return str(value)
        if f.type == "number":
            return german_number(clean) if clean is not None else EMPTY
        if f.type == "datetime" and clean:
            if f.subtype == "date":
                return date.fromisoformat(clean).strftime("%d.%m.%Y")
            if f.subtype == "time":
                return clean[:5] + " Uhr"
            moment = datetime.fromisoformat(clean.replace("Z", "+00:00"))
            if moment.tzinfo is not None:
                moment = moment.astimezone(LOCAL_TZ)
            return moment.strftime("%d.%m.%Y, %H:%M Uhr")
        return str(clean)

    def value_row(self, f):
        if f.type == "filepicker":
            return documents.value_row(self, f)
        text = escape(self.display(f, self.value(f))).replace("\n", Markup("<br>"))
        return (f'<div class="zsa-field zsa-field--{f.type}"><dt>{escape(self.label(f))}</dt>'
                f"<dd>{text}</dd></div>")

    # ---------------------------------------------------------------- inputs

    def field(self, f, hidden, extra):
        if f.type == "filepicker":
            return documents.render_field(self, f, hidden, extra)
        fid, error = self.ids[f.name], self.errors.get(f.name)
        readonly = f.is_readonly(self.scope)
        disabled = f.disabled or hidden
        shown_required = f.required and not (readonly or f.disabled)  # required whenever the field is shown
        required = shown_required and not hidden
        description = f.prop("description", self.scope)
        desc_id = fid + "-desc" if description else None
        err_id = fid + "-error" if error else None
        aria = dict(aria_describedby=" ".join(x for x in (desc_id, err_id) if x) or None,
                    aria_invalid="true" if error else None)
        marker = '<span class="zsa-required" aria-hidden="true">*</span>' if shown_required else ""
        label = escape(self.label(f))
        notes = ""
        if desc_id:
            notes += f'<p class="zsa-description"{_attrs(id=desc_id)}>{escape(description)}</p>'
        if err_id:
            notes += (f'<p class="zsa-error"{_attrs(id=err_id)}><span class="zsa-sr-only">Fehler: </span>'
                      f"{escape(error)}</p>")
        classes = f"zsa-field zsa-field--{f.type}" + (" zsa-field--invalid" if error else "")
        if f.rules and f.type not in ("radio", "checklist", "taglist"):  # checked live by static/zsa-form.js
            extra += _attrs(data_zsa_rule=f.rules[0].source, data_zsa_rule_message=f.rules[0].message)
        value = self.value(f)
        if f.type in ("radio", "checklist", "taglist"):
            if f.multiple and shown_required:
                marker += '<span class="zsa-sr-only"> (Pflichtfeld)</span>'
            options = self.options(f, fid, value, required and f.type == "radio", readonly or disabled, aria,
                                   locked=readonly or f.disabled, shown_required=shown_required and f.type == "radio")
            return (f'<fieldset class="{classes}"{_attrs(id=fid + "-group", aria_describedby=aria["aria_describedby"])}'
                    f"{extra}><legend>{label}{marker}</legend>{notes}{options}</fieldset>")
        common = dict(id=fid, name=self.full(f), required=required, aria_required="true" if required else None,
                      disabled=disabled, data_zsa_locked=f.disabled or None,
                      data_zsa_required=shown_required and f.type != "checklist" or None, **aria)
        if f.type == "checkbox":
            locked = dict(common, data_zsa_locked=(f.disabled or readonly) or None)
            box = (f'<input type="checkbox" value="on"'
                   f"{_attrs(**locked, checked=self.checked(value) or None, disabled_=readonly and not disabled)}>")
            return f'<div class="{classes}"{extra}>{box}<label for="{fid}">{label}{marker}</label>{notes}</div>'
        if f.type == "select":
            control = self.select(f, value, common, readonly)
        else:
            control = self.text_input(f, value, common, readonly)
        return f'<div class="{classes}"{extra}><label for="{fid}">{label}{marker}</label>{notes}{control}</div>'

    def label(self, f):
        return f.prop("label", self.scope) or f.key

    def text_input(self, f, value, common, readonly):
        shown = self.input_value(f, value)
        min_length, max_length = f.prop("min_length", self.scope), f.prop("max_length", self.scope)
        if f.type == "textarea":
            attrs = _attrs(**common, rows=4, readonly=readonly, minlength=min_length, maxlength=max_length)
            return f"<textarea{attrs}>{escape(shown)}</textarea>"
        lengths = dict(minlength=min_length, maxlength=max_length,
                       pattern=html_pattern(f.pattern) if f.pattern else None)
        if f.type == "number":  # text, not type=number: German input ("450,50") reaches the server as typed
            kind = "text"
            rules = dict(inputmode="numeric" if f.decimal_digits == 0 else "decimal", autocomplete="off")
        elif f.type == "datetime":
            kind, rules = {"date": "date", "time": "time"}.get(f.subtype, "datetime-local"), {}
        else:
            kind, rules = {"email": "email", "phone": "tel"}.get(f.validation_type, "text"), lengths
        return f"<input{_attrs(type=kind, **common, value=shown, readonly=readonly, **rules)}>"

    def select(self, f, value, common, readonly):
        chosen = str(value[0] if isinstance(value, list) and value else value) if value not in (None, []) else None
        options = [f'<option value="">{escape(CHOOSE)}</option>']
        for option in f.options_for(self.scope):
            selected = chosen is not None and str(option.value) == chosen
            options.append(f"<option{_attrs(value=option.value, selected=selected)}>{escape(option.label)}</option>")
        locked = dict(common, data_zsa_locked=common["data_zsa_locked"] or readonly or None)
        attrs = _attrs(**locked, disabled_=readonly and not common["disabled"])
        return f"<select{attrs}>{''.join(options)}</select>"

    def options(self, f, fid, value, required, disabled, aria, locked=False, shown_required=False):
        chosen = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        chosen = {str(v) for v in chosen}
        kind = "radio" if f.type == "radio" else "checkbox"
        parts = []
        for index, option in enumerate(f.options_for(self.scope), start=1):
            oid = f"{fid}-{index}"
            attrs = _attrs(type=kind, id=oid, name=self.full(f), value=option.value, checked=str(option.value) in chosen,
                           required=required, disabled=disabled, data_zsa_locked=locked or None,
                           data_zsa_required=shown_required or None, **aria)
            parts.append(f'<div class="zsa-option"><input{attrs}><label for="{escape(oid)}">'
                         f"{escape(option.label)}</label></div>")
        return "".join(parts)


# Components with their own HTML: `component type -> function(renderer, component, hidden, extra attrs)`.
RENDERERS = {LIST_TYPE: render_list, "table": render_table, "expression": lambda *args: ""}
