"""Validate submitted form data against a parsed form (server side, German messages).

Value types in the clean data (they stay JSON-serialisable for the workflow):
textfield/textarea -> str; number -> int when integral, else float (with `serializeToString` a
string such as "691.60", padded to `decimalDigits`; use that for money); checkbox -> bool;
radio/select -> the option's value; checklist/taglist -> list of option values; datetime -> ISO
string ("2026-03-01", "10:30", "2026-03-01T10:30+01:00" per `timeSerializingFormat`);
dynamiclist -> list of objects; expression -> the value its FEEL computes here.
Component types with a validation of their own (lists, computed values) are dispatched through
`lists.VALIDATORS` (type -> function(field, raw, from_html, scope, context, errors) -> value).
"""
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

from ..errors import ValidationFailed
from .coerce import EMAIL_RE, PHONE_RE, RESERVED_HTML, Invalid, coerce, german_number
from .patterns import matches
from .formats import check_iban, compact_iban, pattern_message
from . import lists as _lists
from .messages import (DECIMALS, EMAIL, INTEGER, MAX, MAX_LENGTH, MIN, MIN_LENGTH, PHONE, READONLY, REQUIRED, STEP,
                       UNKNOWN)

_MISSING = object()


def validate_form(form, data, *, from_html=False, context=None, ignore=()):
    """Return (clean data nested by path, {field name: German message})."""
    if not isinstance(data, Mapping) and not hasattr(data, "getlist"):
        raise ValidationFailed("Die Formulardaten müssen ein Objekt mit Feldern sein.")
    context = context or {}
    fields = {f.name: f for f in form.fields}
    flat = _flatten_html(data, fields) if from_html else _flatten_json(data, fields)
    errors, coerced, raw_errors = {}, {}, {}
    for name in flat:
        if name in fields or name in ignore:
            continue
        if from_html and (name in RESERVED_HTML or name.startswith("_")):
            continue
        errors[name] = UNKNOWN
    late = []  # options from `valuesExpression` may depend on the other fields' values
    for name, f in fields.items():
        if f.type in _lists.VALIDATORS:
            continue  # lists and computed values: below, once the scope is known
        if "values" in f.expressions:
            late.append(f)
            continue
        raw = flat.get(name, _MISSING)
        if raw is _MISSING and from_html and f.type in ("checkbox", "checklist", "taglist"):
            raw = [] if f.multiple else ""  # unchecked boxes are not sent by browsers
        if raw is _MISSING:
            continue
        try:
            coerced[name] = coerce(f, raw, from_html, context)
        except Invalid as exc:
            raw_errors[name] = str(exc)
    scope = _merge(_merge(_initial(form), context), _nest(coerced))
    for f in late:
        raw = flat.get(f.name, _MISSING)
        if raw is _MISSING and from_html and f.multiple:
            raw = []
        if raw is _MISSING:
            continue
        try:
            coerced[f.name] = coerce(f, raw, from_html, scope)
        except Invalid as exc:
            raw_errors[f.name] = str(exc)
    if late:
        scope = _merge(_merge(_initial(form), context), _nest(coerced))
    scope = _lists.computed(form, scope)
    clean = {}
    for name, f in fields.items():
        if f.is_hidden(scope) or f.disabled:
            continue  # hidden and disabled fields are neither required nor submitted
        special = _lists.VALIDATORS.get(f.type)
        if special is not None:
            value = special(f, flat.get(name, _MISSING), from_html, scope, context, errors)
            if value is not _MISSING:
                _set(clean, f.path, value)
            continue
        if f.is_readonly(scope):
            if not from_html and name in flat and _changed(f, coerced.get(name, _MISSING), context):
                errors[name] = READONLY
            continue
        if name in raw_errors:
            errors[name] = raw_errors[name]
            continue
        value = coerced.get(name, _MISSING)
        if value is _MISSING or _is_empty(f, value):
            if f.required:
                errors[name] = REQUIRED
            elif value is not _MISSING:
                _set(clean, f.path, value)
            continue
        if f.format == "iban":
            value = compact_iban(value)
        message = _check(f, value, scope)
        if message:
            errors[name] = message
        else:
            _set(clean, f.path, _output(f, value))
    _check_rules(form, fields, scope, clean, errors, context)
    return clean, errors


def _check_rules(form, fields, scope, clean, errors, context):
    """`zsa:validate` rules of the shown fields, over what would be stored (hidden fields dropped)."""
    ruled = [f for f in fields.values() if f.rules and f.name not in errors]
    if not ruled:
        return
    data = _merge(_merge(_initial_shown(form, scope), context), clean)
    for f in ruled:
        if f.is_hidden(scope) or f.disabled or f.is_readonly(scope):
            continue
        for rule in f.rules:
            if rule.broken(data):
                errors[f.name] = rule.message
                break


def _initial_shown(form, scope):
    """Initial values of the fields that are shown (a hidden field's value does not count)."""
    initial = _initial(form)
    out = {}
    for f in form.fields:
        if not f.is_hidden(scope):
            _set(out, f.path, lookup(initial, f.path))
    return out


def submitted_values(form, submitted, context=None):
    """Raw submitted values by field name, and the readable ones coerced and nested (errors ignored)."""
    fields = {f.name: f for f in form.fields}
    if hasattr(submitted, "getlist"):
        flat = _flatten_html(submitted, fields)
    else:
        flat = _flatten_json(submitted or {}, fields)
    coerced = {}
    for name, f in fields.items():
        raw = flat.get(name, _MISSING)
        if raw is _MISSING and f.type in ("checkbox", "checklist", "taglist") \
                and not f.disabled and f.readonly is False:
            raw = [] if f.multiple else ""
        if raw is _MISSING:
            continue
        try:
            coerced[name] = coerce(f, raw, True, context or {})
        except Invalid:
            pass
    return flat, _nest(coerced)


def scope_for(form, values, submitted=None):
    """The data conditions see: defaults, then case data, then readable submitted values."""
    scope = _merge(_initial(form), values or {})
    if submitted is not None:
        scope = _merge(scope, submitted_values(form, submitted, values)[1])
    return scope


def _initial(form):
    """What form-js starts a form with: each field's default or its type's empty value."""
    empty = {"checkbox": False, "checklist": [], "taglist": [], "textfield": "", "textarea": "", "dynamiclist": []}
    out = {}
    for f in form.fields:
        _set(out, f.path, f.default if f.default is not None else empty.get(f.type))
    return out


def _flatten_html(data, fields):
    flat = {}
    lists = [f for f in fields.values() if f.is_list]
    for name in data.keys():
        owner = next((f for f in lists if name.startswith(f.name + ".") or name == _lists.COUNT + f.name), None)
        if owner is not None:
            flat.setdefault(owner.name, {})[name] = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
            continue
        field = fields.get(name)
        if field is not None and field.multiple and hasattr(data, "getlist"):
            flat[name] = data.getlist(name)
        else:
            flat[name] = data.get(name)
    return flat


def _flatten_json(data, fields, prefix=""):
    flat = {}
    lists = [f for f in fields.values() if f.is_list] if not prefix else []
    for key, value in data.items():
        name = prefix + str(key)
        owner = next((f for f in lists if name.startswith(f.name + ".") or name == _lists.COUNT + f.name), None)
        if owner is not None and not isinstance(data.get(owner.name), list):  # flat `list.N.key` (a draft)
            flat.setdefault(owner.name, {})[name] = value
            continue
        if name not in fields and isinstance(value, Mapping) and any(n.startswith(name + ".") for n in fields):
            flat.update(_flatten_json(value, fields, name + "."))
        else:
            flat[name] = value
    return flat


def _nest(values):
    out = {}
    for name, value in values.items():
        _set(out, tuple(name.split(".")), _output_plain(value))
    return out


def _output_plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _merge(base, extra):
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _set(target, path, value):
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


def lookup(data, path):
    for part in path:
        if not isinstance(data, Mapping) or part not in data:
            return None
        data = data[part]
    return data


def _is_empty(f, value):
    return value is None or value == "" or value == [] or (f.type == "checkbox" and value is False)


def _changed(f, value, context):
    if value is _MISSING:
        return False
    stored = lookup(context, f.path)
    if stored is None:
        stored = f.default
    try:
        stored = coerce(f, stored, False, context) if stored is not None else None
    except Invalid:
        return True
    if _is_empty(f, value) and (stored is None or _is_empty(f, stored)):
        return False
    return value != stored


def _check(f, value, scope=None):
    """The first rule the (non-empty, coerced) value breaks, as a German message, or None.

    `min`, `max`, `minLength` and `maxLength` may be FEEL (`"=…"`), evaluated in `scope`."""
    if f.type == "number":
        if f.decimal_digits is not None and -value.normalize().as_tuple().exponent > f.decimal_digits:
            return INTEGER if f.decimal_digits == 0 else DECIMALS.format(n=f.decimal_digits)
        low, high = f.prop("min", scope), f.prop("max", scope)
        if low is not None and value < low:
            return MIN.format(n=german_number(low))
        if high is not None and value > high:
            return MAX.format(n=german_number(high))
        if f.increment is not None and value % f.increment != 0:
            lower = (value / f.increment).to_integral_value(rounding=ROUND_FLOOR) * f.increment
            return STEP.format(a=german_number(lower), b=german_number(lower + f.increment))
        return None
    if f.type in ("textfield", "textarea"):
        length = len(value.strip())
        min_length, max_length = f.prop("min_length", scope), f.prop("max_length", scope)
        if min_length is not None and length < min_length:
            return MIN_LENGTH.format(n=min_length)
        if max_length is not None and length > max_length:
            return MAX_LENGTH.format(n=max_length)
        if f.format == "iban":
            message = check_iban(value)
            if message:
                return message
        if f.regex is not None and not matches(f.regex, value):
            return pattern_message(f)
        if f.validation_type == "email" and not EMAIL_RE.match(value):
            return EMAIL
        if f.validation_type == "phone" and (not PHONE_RE.match(value) or not 6 <= sum(c.isdigit() for c in value) <= 17):
            return PHONE
    return None


def _output(f, value):
    if f.type != "number":
        return value
    if f.serialize_to_string:
        if f.decimal_digits is not None:
            value = value.quantize(Decimal(1).scaleb(-f.decimal_digits))
        return format(value, "f")
    return _output_plain(value)
