"""What static/zsa-form.js needs to re-evaluate `conditional.hide` in the browser, as the server does.

The form carries, after its fields: a JSON data block (not executed, so the CSP is kept) with the
fields (name, path, type, option values) and the case data that the conditions name, and the hidden
input `_zsa_shown` listing the conditional fields shown when the form was drawn. The script keeps
`_zsa_shown` current; without script, `newly_shown` tells the server that a submission shows fields
the person has not seen yet, and the page is drawn again instead of losing them.
"""
import json
from datetime import date, datetime
from decimal import Decimal

from markupsafe import Markup, escape

from .validate import scope_for

SHOWN_FIELD = "_zsa_shown"


def browser_context(form, values, scope):
    """The data block (conditions and `zsa:validate` rules) and the `_zsa_shown` input (conditions)."""
    conditions = [c for c in _conditions(form.components) if c.supported]
    rules = [rule for f in form.fields for rule in f.rules]
    lists = {}
    _lists(form.fields, lists)
    if not conditions and not rules and not lists:
        return Markup("")
    names = set()
    for expression in [c._expression for c in conditions] + [rule._expression for rule in rules]:
        _names(expression.ast, names)
    base = scope_for(form, values)
    payload = {
        "data": {name: base[name] for name in sorted(names) if name in base},
        "fields": [_field(f, _conditional_input(f, base)) for f in form.fields
                   if not f.is_list and f.type != "expression"],
        "lists": lists,
    }
    text = json.dumps(payload, default=_json_value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    block = Markup(f'<script type="application/json" class="zsa-form-context">{text}</script>')
    if not conditions:
        return block
    shown = ",".join(f.name for f in form.fields if _conditional_input(f, scope) and not f.is_hidden(scope))
    return Markup(f'<input type="hidden" name="{SHOWN_FIELD}" value="{escape(shown)}">') + block


def newly_shown(form, submitted, values=None):
    """Conditional fields the submission shows that were hidden when the form was drawn (no script ran).

    Empty when the submission did not come from a drawn form (no `_zsa_shown`, e.g. the JSON API).
    """
    if form is None or not hasattr(submitted, "get") or submitted.get(SHOWN_FIELD) is None:
        return []
    seen = set(filter(None, (submitted.get(SHOWN_FIELD) or "").split(",")))
    scope = scope_for(form, values or {}, submitted)
    return [f.name for f in form.fields
            if _conditional_input(f, scope) and not f.is_hidden(scope) and f.name not in seen]


def _field(f, conditional=False):
    return {"name": f.name, "path": list(f.path), "type": f.type, "conditional": conditional,
            "options": [o.value for o in f.options] if f.options is not None else None}


def _lists(fields, out):
    """{list component id: its entry's fields}, for conditions evaluated in an entry's scope."""
    for f in fields:
        if f.is_list:
            inputs = [x for x in f.item.fields if not x.is_list and x.type != "expression"]
            out[f.id] = {"path": list(f.path), "fields": [_field(x) for x in inputs],
                         "lists": [x.id for x in f.item.fields if x.is_list]}
            _lists(f.item.fields, out)


def _conditional_input(f, scope):
    """A field with a hide condition that the person can fill in (not disabled or read-only)."""
    if f.is_list or f.type == "expression":
        return False  # entries' own conditions are evaluated by the script; computed values are no input
    return bool(f.hide) and not f.disabled and not f.is_readonly(scope)


def _conditions(components):
    for comp in components:
        if comp.hide is not None:
            yield comp.hide
        yield from _conditions(comp.children)
        if comp.field is not None and comp.field.is_list:
            yield from _conditions(comp.field.item.components)


def _names(node, out):
    """Top-level variable names an expression AST reads."""
    if isinstance(node, tuple) and node:
        if node[0] == "name":
            out.add(node[1])
            return
        for part in node[1:]:
            _names(part, out)
    elif isinstance(node, list):
        for part in node:
            _names(part, out)


def _json_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)
