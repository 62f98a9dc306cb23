"""The parsed form: a component tree for rendering and a flat list of input fields for validation."""
from dataclasses import dataclass, field as dc_field
from decimal import Decimal
from typing import Any

from .feel import Condition

INPUT_TYPES = ("textfield", "textarea", "number", "checkbox", "checklist", "taglist", "radio", "select",
               "datetime")
LIST_TYPE = "dynamiclist"  # a field whose value is a list of objects, one per repetition of `item`
MAX_ITEMS = 100  # hard limit on the entries of a dynamic list (per list, whatever the form says)
MULTI_TYPES = ("checklist", "taglist")
OPTION_TYPES = ("radio", "select", "checklist", "taglist")


@dataclass(frozen=True)
class Option:
    value: Any
    label: str


@dataclass
class Field:
    """One input field; `path` is its place in the case data (group paths + key split at dots)."""

    id: str
    type: str
    key: str
    path: tuple
    label: str = ""
    description: str = ""
    default: Any = None
    required: bool = False
    min: Decimal | None = None
    max: Decimal | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    regex: Any = None
    validation_type: str | None = None
    readonly: Any = False  # bool or Condition
    disabled: bool = False
    options: tuple | None = None  # static options; None when they come from `values_key`
    values_key: str | None = None
    subtype: str | None = None  # datetime: date / time / datetime
    time_format: str = "utc_offset"  # datetime: utc_offset / utc_normalized / no_timezone
    decimal_digits: int | None = None
    increment: Decimal | None = None
    serialize_to_string: bool = False
    hide: tuple = ()  # own condition and those of enclosing groups
    format: str | None = None  # `zsa:format` property: "iban" (ISO 13616 checksum)
    pattern_message: str | None = None  # `zsa:pattern-message`: names the expected format
    rules: tuple = ()  # `zsa:validate` rules: (Rule, message)
    item: Any = None  # dynamiclist: the Form of one entry (fields relative to the entry)
    default_repetitions: int = 1  # dynamiclist: entries shown when there is no data
    allow_add_remove: bool = False  # dynamiclist: "Eintrag hinzufügen" / "Eintrag entfernen"
    min_items: int = 0  # dynamiclist: `zsa:min-items`
    max_items: int = MAX_ITEMS  # dynamiclist: `zsa:max-items` (at most MAX_ITEMS)
    expressions: dict = dc_field(default_factory=dict)  # FEEL-valued properties: name -> Condition
    compute: Any = None  # expression field: the FEEL Condition computing the value
    compute_on: str = "change"  # expression field: change / presubmit

    @property
    def name(self):
        """The HTML field name and the key of this field in validation errors."""
        return ".".join(self.path)

    @property
    def multiple(self):
        return self.type in MULTI_TYPES

    @property
    def is_list(self):
        return self.type == LIST_TYPE

    def prop(self, name, scope):
        """A property that may be FEEL (`"=…"`): its value in `scope`, else the static one."""
        expression = self.expressions.get(name)
        if expression is None:
            return getattr(self, name)
        value = expression.evaluate(scope)
        if name in ("label", "description"):
            return "" if value is None or isinstance(value, (dict, list)) else _text(value)
        if name == "readonly":
            return value is True
        number = _number(value)
        if name in ("min", "max"):
            return number
        if number is not None and number >= 0 and number == number.to_integral_value():
            return int(number)  # min_length / max_length
        return None

    def options_for(self, context):
        """Static options, the options of `valuesExpression`, or those under `values_key` in the case data."""
        if self.options is not None:
            return self.options
        if "values" in self.expressions:
            raw = self.expressions["values"].evaluate(context or {})
            return options_from(raw[:1000]) if isinstance(raw, list) else ()
        raw = _lookup(context or {}, self.values_key.split(".")) if self.values_key else None
        return options_from(raw) if isinstance(raw, list) else ()

    def is_hidden(self, context):
        return any(cond.holds(context) for cond in self.hide)

    def is_readonly(self, context):
        if "readonly" in self.expressions:
            return self.prop("readonly", context)
        if isinstance(self.readonly, Condition):
            return self.readonly.holds(context)
        return bool(self.readonly)


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return str(value)


def options_from(raw):
    """Options from `[{"label", "value"}]` or a plain list of values (form-js accepts both)."""
    out = []
    for item in raw:
        if isinstance(item, dict) and "value" in item:
            label, value = item.get("label"), _plain(item["value"])
            out.append(Option(value, _text(value) if label is None else _text(label)))
        elif isinstance(item, (str, int, float, Decimal)) and not isinstance(item, bool):
            out.append(Option(_plain(item), _text(item)))
    return tuple(out)


def _plain(value):
    """FEEL numbers (Decimal) as the JSON numbers option values are compared with."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _lookup(data, path):
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


@dataclass
class Component:
    """A node of the form as laid out: inputs, static text, groups (with children)."""

    id: str
    type: str
    label: str = ""
    text: str = ""
    field: Field | None = None
    hide: Condition | None = None
    children: list = dc_field(default_factory=list)
    data: Any = None  # component-specific settings (a table's source and columns)


@dataclass
class Form:
    """A parsed Camunda Form. Use `parse_form` to build one."""

    id: str
    filename: str
    components: list
    fields: list
    warnings: list = dc_field(default_factory=list)
    schema: dict = dc_field(default_factory=dict, repr=False)

    @property
    def keys(self):
        """Names of all input fields (dotted for nested paths), in form order."""
        return [f.name for f in self.fields]

    def field(self, name):
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    def validate(self, data, *, from_html=False, context=None, ignore=()):
        """Check submitted data; return (clean data, {field name: German message})."""
        from .validate import validate_form

        return validate_form(self, data, from_html=from_html, context=context, ignore=ignore)

    def render(self, values=None, errors=None, *, readonly=False, submitted=None, summary=True):
        """Accessible server-side HTML (markupsafe.Markup) of the form's fields, without <form>.

        `summary=False` leaves out the error summary (the page shows `error_summary` at its top)."""
        from .render import render_form

        return render_form(self, values or {}, errors or {}, readonly=readonly, submitted=submitted,
                           summary=summary)

    def error_summary(self, errors, first=()):
        """The error summary for `errors`; `first` are (target id, label, message) of page fields."""
        from .render import entry_id, error_summary, field_ids

        ids = field_ids(self)
        items = [item for item in first if item[2]]
        for name, message in (errors or {}).items():
            f = next((x for x in self.fields if x.name == name), None)
            if f is None and name.split(".")[0] in ids:  # a list entry's field: the message names it
                items.append((entry_id(name), None, message))
                continue
            items.append((ids.get(name), (f.label or f.key) if f else name, message))
        return error_summary(items)

    def owns(self, name):
        """A field's name, a dynamic-list entry's input (`list.N.key`) or an entry count."""
        from .lists import COUNT

        if any(f.name == name for f in self.fields):
            return True
        return any(f.is_list and (name.startswith(f.name + ".") or name == COUNT + f.name) for f in self.fields)

    def submitted_fields(self, submitted):
        """{field name: raw value} of an HTML submission: this form's inputs, list entries and counts."""
        from .lists import submitted_fields

        return submitted_fields(self, submitted)

    def list_action(self, submitted):
        """For "Eintrag hinzufügen/entfernen" (without script): the submission's fields with the entry
        added or removed, to draw the form again; None when the submission is no such request."""
        from .lists import ACTION, apply_list_action

        if not hasattr(submitted, "get") or not submitted.get(ACTION):
            return None
        return apply_list_action(self, {**self.submitted_fields(submitted), ACTION: submitted.get(ACTION)})

    def newly_shown(self, submitted, values=None):
        """Conditional fields a drawn form's submission shows that the person has not seen (no script ran)."""
        from .browser import newly_shown

        return newly_shown(self, submitted, values)
