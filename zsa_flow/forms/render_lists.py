"""HTML of dynamic lists and tables (see render.py; `RENDERERS` there dispatches to these).

A dynamic list is a fieldset with one fieldset per entry ("Eintrag 2"), a hidden count
(`_zsa_items.path`) and, with `allowAddRemove`, the buttons "Eintrag hinzufügen" and "Eintrag 2
entfernen". Without script they submit the form (`_zsa_list`) and the server draws it again with
the entry added or removed; static/zsa-form.js instead clones the `<template>` entry (names with
`__INDEX__`) and renumbers the entries, without a round trip.
"""
import re
from decimal import Decimal

from markupsafe import escape

from .coerce import german_number
from .lists import ACTION, count_name, entry_count, item_scope, items_from_html
from .messages import ADD_ITEM, ITEM, REMOVE_ITEM
from .model import MAX_ITEMS
from .schema import TABLE_ROWS
from .validate import lookup, scope_for

PLACEHOLDER = "__INDEX__"


def render_list(r, comp, hidden, extra):
    """A dynamic list's entries as fieldsets, with add/remove buttons and the entry template."""
    f = comp.field
    name = r.full(f)
    label = f.prop("label", r.scope) or f.key
    stored = lookup(r.values, f.path)
    stored = stored if isinstance(stored, list) else []
    raw_items = None
    if r.raw is not None and not r.readonly:
        try:
            raw_items = items_from_html(f, r.raw.get(f.name) or {})[0] if isinstance(r.raw.get(f.name), dict) else []
        except ValueError:
            raw_items = []
    if raw_items is not None:
        count = len(raw_items)
    else:  # read-only: what is stored, no empty entries to fill in
        count = len(stored) if r.readonly else entry_count(f, r.values, None)
    count = min(count, f.max_items, MAX_ITEMS)
    editable = f.allow_add_remove and not r.readonly
    entries = []
    for index in range(count):
        before = stored[index] if index < len(stored) and isinstance(stored[index], dict) else {}
        submitted = raw_items[index] if raw_items is not None else None
        entries.append(_entry(r, f, name, index, before, submitted, hidden, editable and count > f.min_items))
    lid = r.unique_id("liste-" + name)
    if r.readonly:
        inner = "".join(entries) or f'<p class="zsa-entries-empty">{escape("Keine Einträge")}</p>'
        return (f'<div class="zsa-dynlist" role="group" aria-labelledby="{lid}"{extra}>'
                f'<p class="zsa-group-title" id="{lid}">{escape(label)}</p>{inner}</div>')
    error = r.errors.get(f.name)
    note = (f'<p class="zsa-error" id="{lid}-error"><span class="zsa-sr-only">Fehler: </span>{escape(error)}</p>'
            if error else "")
    tail = f'<input type="hidden" name="{escape(count_name(name))}" value="{count}" data-zsa-count>'
    tail += '<p class="zsa-sr-only" aria-live="polite" data-zsa-status></p>'  # "Eintrag 3 hinzugefügt" (script)
    if editable:
        template = _entry(r, f, name, PLACEHOLDER, {}, None, False, True, template=True)
        disabled = " disabled" if count >= min(f.max_items, MAX_ITEMS) else ""
        tail += (f'<template class="zsa-entry-template">{template}</template>'
                 f'<button type="submit" class="zsa-button zsa-button--secondary zsa-entry-add" name="{ACTION}" '
                 f'value="add:{escape(name)}" formnovalidate{disabled}>{escape(ADD_ITEM)}</button>')
    attrs = (f' data-zsa-list="{escape(name)}" data-zsa-min="{f.min_items}" '
             f'data-zsa-max="{min(f.max_items, MAX_ITEMS)}" id="{lid}"')
    described = f' aria-describedby="{lid}-error"' if error else ""
    return (f'<fieldset class="zsa-dynlist"{attrs}{described}{extra}><legend>{escape(label)}</legend>{note}'
            f'<div class="zsa-entries">{"".join(entries)}</div>{tail}</fieldset>')


def _entry(r, f, name, index, before, submitted, hidden, removable, template=False):
    prefix = f"{name}.{index}."
    number = index + 1 if isinstance(index, int) else PLACEHOLDER
    relative = f"{f.name}.{index}."
    errors = {k[len(relative):]: v for k, v in r.errors.items() if k.startswith(relative)}
    values = scope_for(f.item, before, submitted)
    scope = item_scope(r.scope, values, index if isinstance(index, int) else 0)
    child = r.__class__(f.item, before, errors, r.readonly, submitted, with_summary=False, prefix=prefix,
                        scope=scope, used=set() if template else r.used)
    body = child.components(f.item.components, hidden)
    title = ITEM.format(n=number)
    if r.readonly:
        return f'<div class="zsa-entry"><p class="zsa-entry-title">{escape(title)}</p>{body}</div>'
    button = ""
    if removable:
        button = (f'<button type="submit" class="zsa-button zsa-button--secondary zsa-entry-remove" name="{ACTION}" '
                  f'value="remove:{escape(name)}.{index}" formnovalidate>{escape(REMOVE_ITEM.format(n=number))}</button>')
    return (f'<fieldset class="zsa-entry" data-zsa-prefix="{escape(prefix)}" data-zsa-item="{escape(f.id)}">'
            f'<legend>{escape(title)}</legend>{body}{button}</fieldset>')


def render_table(r, comp, hidden, extra):
    """A read-only table: rows from `dataSource`, columns static or from `columnsExpression`."""
    spec = comp.data
    label = spec["label"].prop("label", r.scope) if spec["label"] is not None else ""
    source = spec["source"]
    rows = source.evaluate(r.scope) if hasattr(source, "evaluate") else lookup(r.scope, source)
    rows = [row for row in rows[:TABLE_ROWS] if isinstance(row, dict)] if isinstance(rows, list) else []
    if spec["columns_expression"] is not None:
        raw = spec["columns_expression"].evaluate(r.scope)
        columns = [(str(c.get("label") or c["key"]), str(c["key"])) for c in (raw if isinstance(raw, list) else [])[:50]
                   if isinstance(c, dict) and c.get("key") not in (None, "")]
    else:
        columns = list(spec["columns"])
    tid = r.unique_id("tabelle-" + comp.id)
    head = "".join(f'<th scope="col">{escape(text)}</th>' for text, _ in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(_cell(row.get(key)))}</td>" for _, key in columns) + "</tr>"
                   for row in rows)
    if not rows:
        body = f'<tr><td colspan="{max(len(columns), 1)}">{escape("Keine Einträge")}</td></tr>'
    caption = f"<caption>{escape(label)}</caption>" if label else ""
    paged = f' data-zsa-row-count="{spec["row_count"]}"' if spec["row_count"] else ""
    return (f'<div class="zsa-table"{extra}><table id="{tid}"{paged}>{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nein"
    if isinstance(value, (int, float, Decimal)):
        return german_number(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    return str(value)
