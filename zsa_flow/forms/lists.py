"""Dynamic lists (`dynamiclist`) and computed values (`expression`) in submitted data.

A dynamic list's entries arrive from HTML as `path.N.key` (N from 0, nested lists as
`path.N.inner.M.key`) with a count `_zsa_items.path` (prefixed like its entries when nested), so an
entry whose only inputs are unticked boxes is not lost; from JSON as a list of objects. Each entry
is validated like a form of its own, in form-js's scope: the entry's fields by their own names
over the outer data, `this` (the entry), `parent` (the outer data) and `i` (1-based indexes).
Errors are keyed `path.N.key` and their message names the entry ("Haushaltsmitglieder, Eintrag
2: Geburtsdatum – Pflichtfeld: bitte ausfüllen.").

Without script, the buttons "Eintrag hinzufügen" / "Eintrag entfernen" submit `_zsa_list` =
`add:path` / `remove:path.N`; `apply_list_action` returns the submission with the entry added or
removed (nothing else changed), for the page to be drawn again.
"""
import re
from datetime import date, datetime, time
from decimal import Decimal

from . import validate as _v
from .model import LIST_TYPE, MAX_ITEMS
from .messages import INVALID, MAX_ITEMS_MESSAGE, MIN_ITEMS_MESSAGE

COUNT = "_zsa_items."
ACTION = "_zsa_list"
_INDEX = re.compile(r"^\d{1,6}$")
_LAST_INDEX = re.compile(r"^(.*\.(?:\d+|__INDEX__)\.)?([^.].*)$")  # __INDEX__: the entry template


def count_name(list_name):
    """`_zsa_items.path` for a top-level list, `outer.0._zsa_items.path` inside an entry."""
    prefix, rel = _LAST_INDEX.match(list_name).groups()
    return (prefix or "") + COUNT + rel


def items_from_html(f, group):
    """Entries of list `f` (flat dicts, names relative to the entry) from its part of an HTML submission.

    Raises ValueError with the German message when there are more entries than allowed."""
    count, entries, unknown = 0, {}, []
    for name, value in group.items():
        if name == COUNT + f.name:
            text = value[0] if isinstance(value, list) and value else value
            count = int(text) if isinstance(text, str) and _INDEX.match(text) else 0
            continue
        index, _, rest = name[len(f.name) + 1:].partition(".")
        if not _INDEX.match(index) or not rest:
            unknown.append(name)
            continue
        entries.setdefault(int(index), {})[rest] = value
    size = max(count, max(entries) + 1 if entries else 0)
    if size > min(f.max_items, MAX_ITEMS):
        raise ValueError(MAX_ITEMS_MESSAGE.format(n=min(f.max_items, MAX_ITEMS)))
    return [entries.get(i, {}) for i in range(size)], unknown


def item_scope(outer, values, index):
    """form-js's scope of one entry: its fields over the outer data, `this`, `parent`, `i`."""
    indexes = list(outer.get("_i_") or []) if isinstance(outer.get("_i_"), list) else []
    indexes.append(index + 1)
    special = {"this": values, "parent": outer, "i": indexes}
    return {**outer, **values, **special, **{f"_{k}_": v for k, v in special.items()}}


def validate_list(f, raw, from_html, scope, context, errors):
    """The clean entries of list `f` (list of dicts); problems go into `errors`."""
    label = f.prop("label", scope) or f.key
    if raw is _v._MISSING:  # not submitted (a partial JSON submission): the stored list stays
        if f.min_items:
            errors[f.name] = MIN_ITEMS_MESSAGE.format(n=f.min_items)
        return _v._MISSING
    if raw is None:
        items = []
    elif isinstance(raw, dict):
        try:
            items, unknown = items_from_html(f, raw)
        except ValueError as exc:
            errors[f.name] = str(exc)
            return _v._MISSING
        for name in unknown:
            errors[name] = _v.UNKNOWN
    elif isinstance(raw, list) and all(isinstance(item, dict) for item in raw):
        items = raw
    else:
        errors[f.name] = INVALID
        return _v._MISSING
    limit = min(f.max_items, MAX_ITEMS)
    if len(items) > limit:
        errors[f.name] = MAX_ITEMS_MESSAGE.format(n=limit)
        return _v._MISSING
    if len(items) < f.min_items:
        errors[f.name] = MIN_ITEMS_MESSAGE.format(n=f.min_items)
    stored = _v.lookup(context, f.path)
    stored = stored if isinstance(stored, list) else []
    clean = []
    for index, item in enumerate(items):
        before = stored[index] if index < len(stored) and isinstance(stored[index], dict) else {}
        values = _v.submitted_values(f.item, item, before)[1] if item else {}
        inner = item_scope(scope, _v._merge(before, values), index)
        entry, problems = _v.validate_form(f.item, item, from_html=from_html, context=inner)
        for sub in f.item.fields:  # read-only and disabled values stay as stored
            if (sub.disabled or sub.is_readonly(inner)) and not sub.is_hidden(inner):
                kept = _v.lookup(before, sub.path)
                if kept is not None:
                    _v._set(entry, sub.path, kept)
        where = f"{label}, Eintrag {index + 1}: "
        for name, message in problems.items():
            sub = next((x for x in f.item.fields if x.name == name), None)
            what = f"{sub.prop('label', inner) or sub.key} – " if sub is not None else ""
            errors[f"{f.name}.{index}.{name}"] = where + what + message
        clean.append(entry)
    return clean


def computed(form, scope):
    """The scope with every `expression` field's value, computed from the data (never the client's)."""
    fields = [f for f in form.fields if f.type == "expression"]
    for _ in range(min(len(fields), 10)):  # one expression may read another's value
        changed = False
        for f in fields:
            value = json_value(f.compute.evaluate(scope))
            if _v.lookup(scope, f.path) != value:
                nested = {}
                _v._set(nested, f.path, value)
                scope, changed = _v._merge(scope, nested), True
        if not changed:
            break
    return scope


def computed_value(f, raw, from_html, scope, context, errors):
    """An `expression` field's value in the clean data: what the server computed."""
    return _v.lookup(scope, f.path)


def json_value(value):
    """A FEEL result as JSON data (numbers int/float, dates ISO text)."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return None if callable(value) else str(value)


def entry_count(f, values, raw, prefix=""):
    """How many entries list `f` shows: the submission's, else the stored list's, else `defaultRepetitions`."""
    if raw is not None:
        name = prefix + f.name
        group = {k: v for k, v in raw.items() if k.startswith(name + ".") or k == count_name(name)}
        renamed = {(k[len(prefix):] if k.startswith(prefix) else k): v for k, v in group.items()}
        renamed = {(COUNT + f.name if k == count_name(name) else k): v for k, v in renamed.items()}
        try:
            return len(items_from_html(f, renamed)[0])
        except ValueError:
            return min(f.max_items, MAX_ITEMS)
    stored = _v.lookup(values, f.path)
    if isinstance(stored, list):
        return min(len(stored), f.max_items, MAX_ITEMS)
    return max(f.default_repetitions, f.min_items)


def apply_list_action(form, submitted):
    """The submission (a flat dict) with the entry that `_zsa_list` asks for added or removed."""
    data = {k: v for k, v in submitted.items() if k != ACTION}
    action = submitted.get(ACTION)
    action = action[0] if isinstance(action, list) and action else action
    if not isinstance(action, str) or ":" not in action:
        return data
    verb, _, target = action.partition(":")
    if verb == "add":
        f = _list_named(form, target)
        if f is None:
            return data
        count = _count(f, target, data)
        data[count_name(target)] = str(min(count + 1, f.max_items, MAX_ITEMS))
        return data
    name, _, index = target.rpartition(".")
    f = _list_named(form, name)
    if verb != "remove" or f is None or not _INDEX.match(index):
        return data
    count, gone, out = _count(f, name, data), int(index), {}
    for key, value in data.items():
        if key.startswith(name + "."):
            head, _, rest = key[len(name) + 1:].partition(".")
            if _INDEX.match(head):
                number = int(head)
                if number == gone:
                    continue
                key = f"{name}.{number - 1 if number > gone else number}.{rest}"
        out[key] = value
    out[count_name(name)] = str(max(count - 1, 0))
    return out


def _count(f, name, data):
    group = {(COUNT + f.name if k == count_name(name) else f.name + k[len(name):]): v
             for k, v in data.items() if k.startswith(name + ".") or k == count_name(name)}
    try:
        return len(items_from_html(f, group)[0])
    except ValueError:
        return min(f.max_items, MAX_ITEMS)


def _list_named(form, name):
    """The list field of a full entry name such as `mitglieder.0.einkommen`."""
    parts = name.split(".")
    fields, f, i = form.fields, None, 0
    while i < len(parts):
        match = None
        for j in range(len(parts), i, -1):
            candidate = ".".join(parts[i:j])
            match = next((x for x in fields if x.is_list and x.name == candidate), None)
            if match:
                i = j
                break
        if match is None:
            return None
        f = match
        if i == len(parts):
            return f
        if not _INDEX.match(parts[i]):
            return None
        fields, i = f.item.fields, i + 1
    return None


def submitted_fields(form, submitted, prefix=""):
    """{name: raw value} of a form's inputs in an HTML submission, list entries and counts included."""
    out = {}
    for f in form.fields:
        name = prefix + f.name
        if f.is_list:
            for key in submitted.keys():
                if key.startswith(name + ".") or key == count_name(name):
                    values = submitted.getlist(key) if hasattr(submitted, "getlist") else [submitted.get(key)]
                    out[key] = values if len(values) != 1 else values[0]
        elif f.type == "expression":
            continue
        elif f.multiple:
            values = submitted.getlist(name) if hasattr(submitted, "getlist") else submitted.get(name)
            if values:
                out[name] = values
        elif name in submitted:
            out[name] = submitted.get(name)
    return out


VALIDATORS = {LIST_TYPE: validate_list, "expression": computed_value}
