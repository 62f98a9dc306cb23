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

from .coerce import LOCAL_TZ, Invalid, coerce, german_number
from .feel import Condition
from .markdown import html_as_text, render_markdown
from .validate import lookup, scope_for, submitted_values

EMPTY = "keine Angabe"
CHOOSE = "Bitte wählen …"
SUMMARY = "Bitte prüfen Sie Ihre Eingaben:"
REQUIRED_NOTE = "Felder mit * sind Pflichtfelder."
TRUE_WORDS = ("on", "true", "1", "ja", "yes")


def render_form(form, values, errors, *, readonly=False, submitted=None):
    return Markup(_Renderer(form, values, errors, readonly, submitted).render())


def _attrs(**pairs):
    out = []
    for name, value in pairs.items():
        if value is None or value is False:
            continue
        name = name.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(out)


class _Renderer:
    def __init__(self, form, values, errors, readonly, submitted):
        self.form, self.values, self.errors, self.readonly = form, values, errors, readonly
        self.scope = scope_for(form, values, submitted)
        self.raw = submitted_values(form, submitted, values)[0] if submitted is not None else None
        self.used, self.ids = set(), {}
        for f in form.fields:
            self.ids[f.name] = self.unique_id(f.name)

    def unique_id(self, name):
        base = "zsa-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "feld")
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
        if self.errors:
            head += self.summary()
        if any(f.required and not self.inactive(f) for f in self.form.fields):
            head += f'<p class="zsa-required-note">{escape(REQUIRED_NOTE)}</p>'
        return f'<div class="zsa-form"{_attrs(data_zsa_form=self.form.id)}>{head}{body}</div>'

    def inactive(self, f):
        return f.disabled or f.is_readonly(self.scope) or f.is_hidden(self.scope)

    def summary(self):
        labels = {f.name: f for f in self.form.fields}
        items = []
        for name, message in self.errors.items():
            f = labels.get(name)
            text = escape(f"{(f.label or f.key) if f else name} – {message}")
            if f is not None:
                target = self.ids[name] + ("-1" if f.type in ("radio", "checklist", "taglist") else "")
                items.append(f'<li><a href="#{escape(target)}">{text}</a></li>')
            else:
                items.append(f"<li>{text}</li>")
        return ('<div class="zsa-error-summary" id="zsa-error-summary" role="alert" tabindex="-1">'
                f'<p class="zsa-error-summary-title">{escape(SUMMARY)}</p><ul>{"".join(items)}</ul></div>')

    # ---------------------------------------------------------------- tree

    def components(self, components, hidden):
        parts, run = [], []
        for comp in components:
            comp_hidden = hidden or bool(comp.hide and comp.hide.holds(self.scope))
            if self.readonly and comp_hidden:
                continue
            html = self.component(comp, comp_hidden)
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

    def hide_attrs(self, comp, hidden):
        source = comp.hide.source if comp.hide and isinstance(comp.hide.source, str) else None
        return _attrs(hidden=hidden and not self.readonly, data_zsa_hide=source)

    def component(self, comp, hidden):
        extra = self.hide_attrs(comp, hidden)
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
        return ""  # spacer, image, button: the page brings its own buttons

    # ---------------------------------------------------------------- values

    def value(self, f):
        """What the input shows: submitted input, else case data, else the default."""
        if self.raw is not None and not (f.disabled or f.is_readonly(self.scope)):
            if f.name in self.raw:
                return self.raw[f.name]
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
        if f.type in ("number", "datetime"):
            try:
                value = coerce(f, value, True, {})
            except Invalid:
                return str(value)
            if value is None:
                return ""
            if f.type == "number":
                return format(value, "f")
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
            clean = coerce(f, value, True, {})
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
        text = escape(self.display(f, self.value(f))).replace("\n", Markup("<br>"))
        return (f'<div class="zsa-field zsa-field--{f.type}"><dt>{escape(f.label or f.key)}</dt>'
                f"<dd>{text}</dd></div>")

    # ---------------------------------------------------------------- inputs

    def field(self, f, hidden, extra):
        fid, error = self.ids[f.name], self.errors.get(f.name)
        readonly = f.is_readonly(self.scope)
        disabled = f.disabled or hidden
        required = f.required and not (readonly or disabled)
        desc_id = fid + "-desc" if f.description else None
        err_id = fid + "-error" if error else None
        aria = dict(aria_describedby=" ".join(x for x in (desc_id, err_id) if x) or None,
                    aria_invalid="true" if error else None)
        marker = '<span class="zsa-required" aria-hidden="true">*</span>' if required else ""
        label = escape(f.label or f.key)
        notes = ""
        if desc_id:
            notes += f'<p class="zsa-description"{_attrs(id=desc_id)}>{escape(f.description)}</p>'
        if err_id:
            notes += (f'<p class="zsa-error"{_attrs(id=err_id)}><span class="zsa-sr-only">Fehler: </span>'
                      f"{escape(error)}</p>")
        classes = f"zsa-field zsa-field--{f.type}" + (" zsa-field--invalid" if error else "")
        value = self.value(f)
        if f.type in ("radio", "checklist", "taglist"):
            if f.multiple and f.required and not (readonly or disabled):
                marker += '<span class="zsa-sr-only"> (Pflichtfeld)</span>'
            options = self.options(f, fid, value, required and f.type == "radio", readonly or disabled, aria)
            return (f'<fieldset class="{classes}"{_attrs(id=fid + "-group", aria_describedby=aria["aria_describedby"])}'
                    f"{extra}><legend>{label}{marker}</legend>{notes}{options}</fieldset>")
        common = dict(id=fid, name=f.name, required=required, aria_required="true" if required else None,
                      disabled=disabled, **aria)
        if f.type == "checkbox":
            box = (f'<input type="checkbox" value="on"'
                   f"{_attrs(**common, checked=self.checked(value) or None, disabled_=readonly and not disabled)}>")
            return f'<div class="{classes}"{extra}>{box}<label for="{fid}">{label}{marker}</label>{notes}</div>'
        if f.type == "select":
            control = self.select(f, value, common, readonly)
        else:
            control = self.text_input(f, value, common, readonly)
        return f'<div class="{classes}"{extra}><label for="{fid}">{label}{marker}</label>{notes}{control}</div>'

    def text_input(self, f, value, common, readonly):
        shown = self.input_value(f, value)
        if f.type == "textarea":
            attrs = _attrs(**common, rows=4, readonly=readonly, minlength=f.min_length, maxlength=f.max_length)
            return f"<textarea{attrs}>{escape(shown)}</textarea>"
        lengths = dict(minlength=f.min_length, maxlength=f.max_length, pattern=f.pattern)
        if f.type == "number":
            step = f.increment if f.increment is not None else (
                "any" if f.decimal_digits is None else format(Decimal(1).scaleb(-f.decimal_digits), "f"))
            kind, rules = "number", dict(inputmode="decimal", step=step, min=f.min, max=f.max)
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
        attrs = _attrs(**common, disabled_=readonly and not common["disabled"])
        return f"<select{attrs}>{''.join(options)}</select>"

    def options(self, f, fid, value, required, locked, aria):
        chosen = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        chosen = {str(v) for v in chosen}
        kind = "radio" if f.type == "radio" else "checkbox"
        parts = []
        for index, option in enumerate(f.options_for(self.scope), start=1):
            oid = f"{fid}-{index}"
            attrs = _attrs(type=kind, id=oid, name=f.name, value=option.value, checked=str(option.value) in chosen,
                           required=required, disabled=locked, **aria)
            parts.append(f'<div class="zsa-option"><input{attrs}><label for="{escape(oid)}">'
                         f"{escape(option.label)}</label></div>")
        return "".join(parts)
