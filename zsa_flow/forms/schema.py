"""Parse Camunda Forms (form-js JSON schema as Camunda Modeler writes `.form` files).

Every problem is a ModelError whose message reads `file:line: component: message`, like the other
model checks; schema problems point at the line of the component's `"id"` in the file.
"""
import json
import re
from decimal import Decimal, InvalidOperation

from ..errors import ModelError
from ..dmn import FeelSyntaxError
from ..jsonsafe import check_json
from .documents import FILE_TYPES, PREVIEW_TYPES, parse_component
from .feel import Condition, Expression, Rule
from .patterns import compile_pattern
from .model import INPUT_TYPES, LIST_TYPE, MAX_ITEMS, OPTION_TYPES, Component, Field, Form, options_from

MAX_FORM_BYTES = 1024 * 1024
MAX_DEPTH = 20
# Layout and decoration only: accepted, never inputs (`html` content is shown as escaped text).
STATIC_TYPES = ("text", "html", "image", "spacer", "separator", "button")
# Refused by name (`zsa-flow check` lists file, component and type). Further component types plug in
# through COMPONENT_BUILDERS here and the matching entries of render.RENDERERS / validate.VALIDATORS;
# filepicker and documentPreview are built by forms/documents.py.
UNSUPPORTED_TYPES = ("iframe", "multipage", "page")
MAX_LIST_DEPTH = 5  # dynamic lists inside dynamic lists
TABLE_ROWS = 1000  # rows a table shows at most
# form-js properties that may be FEEL (`"=…"`) on input fields -> Field attribute
FEEL_PROPERTIES = {"label": "label", "description": "description", "readonly": "readonly"}
FEEL_VALIDATION = {"min": "min", "max": "max", "minLength": "min_length", "maxLength": "max_length"}
KEY_RE = re.compile(r"^[^\W\d][\w-]*(\.[^\W\d][\w-]*)*$")
SUBTYPES = ("date", "time", "datetime")
TIME_FORMATS = ("utc_offset", "utc_normalized", "no_timezone")
VALIDATION_TYPES = ("email", "phone", "custom", "", None)
_ID_OR_KEY = re.compile(r'"(id|key)"\s*:\s*("[^"\\]*(?:\\.[^"\\]*)*")')


def parse_form(data, filename="<form>", default_id=None):
    """Parse a `.form` file's content (bytes or str) into a Form; raise ModelError when broken.

    `default_id` is the id of a form without `id` (one found by its path, see bpmn/form_keys)."""
    if isinstance(data, str):
        size, text = len(data.encode("utf-8", "surrogatepass")), data
    else:
        size = len(data)
        text = None
    if size > MAX_FORM_BYTES:
        raise _error(filename, 1, None, f"file is {size} bytes, larger than the limit of {MAX_FORM_BYTES} bytes")
    if text is None:
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = bytes(data)[: exc.start].count(b"\n") + 1
            raise _error(filename, line, None, "file is not valid UTF-8") from None
    check_json(text, filename, MAX_FORM_BYTES)  # size and depth before json.loads recurses
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(
            f"{filename}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}",
            details={"file": filename, "line": exc.lineno, "column": exc.colno},
        ) from None
    except RecursionError:
        raise _error(filename, 1, None, "JSON is nested too deeply") from None
    return _Builder(filename, text).build(schema, default_id)


def _error(filename, line, element, message):
    where = f"{filename}:{line}: " + (f"{element}: " if element else "")
    details = {"file": filename, "line": line}
    if element:
        details["element"] = element
    return ModelError(where + message, details=details)


class _Builder:
    def __init__(self, filename, text):
        self.filename, self.text = filename, text
        self.fields, self.warnings = [], []
        self.seen = {}  # field name -> component label for duplicate detection
        self.prefixes = {}  # "a" and "a.b" of a field "a.b.c" -> "a.b.c" (conflicting keys, linear time)
        self.lines = None  # ("id"|"key", value) -> line, built on the first lookup
        self.list_depth = 0

    def line_of(self, comp):
        if self.lines is None:  # one pass over the text, however many components report
            self.lines, line, last = {}, 1, 0
            for match in _ID_OR_KEY.finditer(self.text):
                line += self.text.count("\n", last, match.start())
                last = match.start()
                try:
                    self.lines.setdefault((match[1], json.loads(match[2])), line)
                except ValueError:
                    continue
        for attr in ("id", "key"):
            value = comp.get(attr) if isinstance(comp, dict) else None
            if isinstance(value, str) and (attr, value) in self.lines:
                return self.lines[(attr, value)]
        return 1

    def fail(self, comp, message):
        name = None
        if isinstance(comp, dict):
            name = comp.get("id") if isinstance(comp.get("id"), str) else None
            key = comp.get("key")
            if isinstance(key, str) and key:
                name = f"{name} (key '{key}')" if name else f"key '{key}'"
        raise _error(self.filename, self.line_of(comp), name, message)

    def build(self, schema, default_id=None):
        if not isinstance(schema, dict):
            raise _error(self.filename, 1, None, "a form must be a JSON object with 'components'")
        form_id = schema.get("id")
        if (not isinstance(form_id, str) or not form_id.strip()) and default_id:
            form_id = default_id
        elif not isinstance(form_id, str) or not form_id.strip():
            raise _error(self.filename, 1, None, "form has no 'id' (camunda:formRef refers to it)")
        if schema.get("type", "default") != "default":
            raise _error(self.filename, self.line_of(schema), form_id,
                         f"form type {schema.get('type')!r} is not supported (expected 'default')")
        components = schema.get("components")
        if not isinstance(components, list):
            raise _error(self.filename, self.line_of(schema), form_id, "'components' must be a list")
        tree = self.components(components, (), (), 0)
        return Form(id=form_id, filename=self.filename, components=tree, fields=self.fields,
                    warnings=self.warnings, schema=schema)

    def components(self, items, path, hides, depth):
        if depth > MAX_DEPTH:
            raise _error(self.filename, 1, None, f"groups nested deeper than {MAX_DEPTH} levels")
        out = []
        for index, comp in enumerate(items):
            if not isinstance(comp, dict):
                raise _error(self.filename, 1, None, f"component #{index + 1} is not a JSON object")
            out.append(self.component(comp, index, path, hides, depth))
        return out

    def component(self, comp, index, path, hides, depth):
        ctype = comp.get("type")
        cid = comp.get("id") if isinstance(comp.get("id"), str) and comp.get("id") else f"{ctype}_{index + 1}"
        hide = self.condition(comp)
        own_hides = hides + ((hide,) if hide else ())
        label = self.text_prop(comp, "label")
        if ctype in UNSUPPORTED_TYPES:
            self.fail(comp, f"component type '{ctype}' is not supported by zsa-flow")
        if ctype in FILE_TYPES or ctype in PREVIEW_TYPES:  # forms/documents.py
            return parse_component(self, comp, cid, ctype, path, own_hides, hide)
        builder = COMPONENT_BUILDERS.get(ctype)
        if builder is not None:
            return builder(self, comp, cid, path, own_hides, hide, depth)
        if ctype == "group":
            sub = comp.get("components", [])
            if not isinstance(sub, list):
                self.fail(comp, "'components' of a group must be a list")
            group_path = comp.get("path")
            if group_path not in (None, ""):
                if not isinstance(group_path, str) or not KEY_RE.match(group_path):
                    self.fail(comp, f"invalid group path {group_path!r}")
                path = path + tuple(group_path.split("."))
            children = self.components(sub, path, own_hides, depth + 1)
            return Component(cid, "group", label=label, hide=hide, children=children)
        if ctype in STATIC_TYPES:
            text = comp.get("content" if ctype == "html" else "text", "")
            if ctype == "image":
                text = comp.get("alt", "")
            return Component(cid, ctype, label=label, text=text if isinstance(text, str) else "", hide=hide)
        if ctype not in INPUT_TYPES:
            self.fail(comp, f"unknown component type {ctype!r}")
        field = self.field(comp, cid, ctype, path, own_hides)
        return Component(cid, ctype, label=field.label, field=field, hide=hide)

    def text_prop(self, comp, name):
        value = comp.get(name, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(comp, f"'{name}' must be a string")
        return value

    def condition(self, comp):
        cond = comp.get("conditional")
        if cond in (None, {}):
            return None
        if not isinstance(cond, dict):
            self.fail(comp, "'conditional' must be an object")
        source = cond.get("hide")
        if source in (None, "", False):
            return None
        if not isinstance(source, (str, bool)):
            self.fail(comp, "'conditional.hide' must be an expression string")
        result = Condition(source)
        if not result.supported:
            self.warnings.append(f"{self.filename}:{self.line_of(comp)}: {comp.get('id')}: hide condition "
                                 f"{source!r} is not supported ({result.error}); the component is always shown")
        return result

    def number(self, comp, value, what):
        if value is None or value == "":
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            result = Decimal(str(value))
            if not result.is_finite():
                raise InvalidOperation
            return result
        except InvalidOperation:
            self.fail(comp, f"'{what}' must be a number, got {value!r}")

    def keyed(self, comp, cid, ctype, path, hides, attr="key"):
        """A Field for the component's `key` (or a list's `path`), registered against duplicates."""
        key = comp.get(attr)
        if not isinstance(key, str) or not key:
            self.fail(comp, f"{ctype} component has no '{attr}'")
        if not KEY_RE.match(key):
            self.fail(comp, f"invalid {attr} {key!r} (letters, digits, '_' and '-', dots for nesting)")
        f = Field(id=cid, type=ctype, key=key, path=path + tuple(key.split(".")), hide=hides)
        self.register(comp, f.name)
        return f

    def label(self, comp, f):
        if not self.feel(comp, f, comp.get("label"), "label", "label"):
            f.label = self.text_prop(comp, "label")

    def field(self, comp, cid, ctype, path, hides):
        f = self.keyed(comp, cid, ctype, path, hides)
        for name, attr in FEEL_PROPERTIES.items():
            if self.feel(comp, f, comp.get(name), attr, name):
                continue
            if name == "readonly":
                f.readonly = comp.get("readonly") is True
            else:
                setattr(f, attr, self.text_prop(comp, name))
        f.disabled = comp.get("disabled") is True
        validate = comp.get("validate") or {}
        if not isinstance(validate, dict):
            self.fail(comp, "'validate' must be an object")
        f.required = validate.get("required") is True
        for name, attr in FEEL_VALIDATION.items():
            if self.feel(comp, f, validate.get(name), attr, f"validate.{name}"):
                validate = {k: v for k, v in validate.items() if k != name}
        f.min, f.max = self.number(comp, validate.get("min"), "min"), self.number(comp, validate.get("max"), "max")
        if f.min is not None and f.max is not None and f.min > f.max:
            self.fail(comp, f"min {f.min} is greater than max {f.max}")
        for name in ("minLength", "maxLength"):
            value = self.number(comp, validate.get(name), name)
            if value is not None and (value < 0 or value != value.to_integral_value()):
                self.fail(comp, f"'{name}' must be a whole number >= 0, got {validate.get(name)!r}")
            setattr(f, "min_length" if name == "minLength" else "max_length", None if value is None else int(value))
        if f.min_length is not None and f.max_length is not None and f.min_length > f.max_length:
            self.fail(comp, f"minLength {f.min_length} is greater than maxLength {f.max_length}")
        f.validation_type = validate.get("validationType")
        if f.validation_type not in VALIDATION_TYPES:
            self.fail(comp, f"unknown validationType {f.validation_type!r} (email, phone or custom)")
        pattern = validate.get("pattern")
        if pattern not in (None, ""):
            if not isinstance(pattern, str):
                self.fail(comp, "'pattern' must be a string")
            try:
                f.regex, f.pattern = compile_pattern(pattern), pattern
            except ValueError as exc:
                self.fail(comp, f"invalid pattern {pattern!r}: {exc}")
        if ctype == "number":
            digits = self.number(comp, comp.get("decimalDigits"), "decimalDigits")
            if digits is not None and (digits < 0 or digits != digits.to_integral_value()):
                self.fail(comp, f"'decimalDigits' must be a whole number >= 0, got {comp.get('decimalDigits')!r}")
            f.decimal_digits = None if digits is None else int(digits)
            f.increment = self.number(comp, comp.get("increment"), "increment")
            if f.increment is not None and f.increment <= 0:
                self.fail(comp, f"'increment' must be positive, got {comp.get('increment')!r}")
            f.serialize_to_string = comp.get("serializeToString") is True
        if ctype == "datetime":
            f.subtype = comp.get("subtype") or "date"
            if f.subtype not in SUBTYPES:
                self.fail(comp, f"unknown datetime subtype {f.subtype!r} (date, time or datetime)")
            f.time_format = comp.get("timeSerializingFormat") or "utc_offset"
            if f.time_format not in TIME_FORMATS:
                self.fail(comp, f"unknown timeSerializingFormat {f.time_format!r}")
            if not f.label:
                date_label, time_label = comp.get("dateLabel") or "", comp.get("timeLabel") or ""
                f.label = {"date": date_label, "time": time_label}.get(f.subtype) or " / ".join(
                    x for x in (date_label, time_label) if isinstance(x, str) and x)
        if ctype in OPTION_TYPES:
            self.options(comp, f)
        self.properties(comp, f)
        f.default = comp.get("defaultValue")
        self.check_default(comp, f)
        self.fields.append(f)
        return f

    def feel(self, comp, f, value, attr, what):
        """Compile a FEEL-valued property (`"=…"`) into f.expressions[attr]; False when it is static."""
        if not (isinstance(value, str) and value.strip().startswith("=")):
            return False
        try:
            f.expressions[attr] = Expression(value)
        except FeelSyntaxError as exc:
            self.fail(comp, f"{what} {value!r} is not a valid FEEL expression: {exc}")
        return True

    def properties(self, comp, f):
        """zsa-flow's custom properties (form-js `properties`, "Custom properties" in the Modeler)."""
        props = comp.get("properties") or {}
        if not isinstance(props, dict):
            self.fail(comp, "'properties' must be an object")
        fmt = props.get("zsa:format")
        if fmt not in (None, "", "iban"):
            self.fail(comp, f"unknown zsa:format {fmt!r} (iban)")
        if fmt and f.type != "textfield":
            self.fail(comp, "zsa:format applies to text fields only")
        f.format = fmt or None
        message = props.get("zsa:pattern-message")
        if message not in (None, "") and not isinstance(message, str):
            self.fail(comp, "'zsa:pattern-message' must be a string")
        f.pattern_message = message or None
        rule, rule_message = props.get("zsa:validate"), props.get("zsa:validate-message")
        if rule in (None, ""):
            if rule_message:
                self.fail(comp, "'zsa:validate-message' without 'zsa:validate'")
            return
        if not isinstance(rule, str) or not isinstance(rule_message, str) or not rule_message.strip():
            self.fail(comp, "'zsa:validate' needs a FEEL expression and a 'zsa:validate-message'")
        try:
            f.rules = (Rule(rule, rule_message.strip()),)
        except FeelSyntaxError as exc:
            self.fail(comp, f"zsa:validate {rule!r} is not a valid FEEL expression: {exc}")

    def register(self, comp, name):
        if name in self.seen:
            self.fail(comp, f"duplicate key '{name}' (also used by {self.seen[name]})")
        if name.startswith("_"):
            self.fail(comp, f"key '{name}' starts with '_' (reserved for the form's own inputs)")
        other = self.prefixes.get(name)  # a key below this one: "a.b" after "a.b.c"
        parts = name.split(".")
        for i in range(1, len(parts)):  # a key above this one: "a.b.c" after "a.b"
            if other is None and ".".join(parts[:i]) in self.seen:
                other = ".".join(parts[:i])
        if other is not None:
            self.fail(comp, f"key '{name}' conflicts with key '{other}' of {self.seen[other]}")
        for i in range(1, len(parts)):
            self.prefixes.setdefault(".".join(parts[:i]), name)
        self.seen[name] = comp.get("id") or name

    def options(self, comp, f):
        values, values_key = comp.get("values"), comp.get("valuesKey")
        expression = comp.get("valuesExpression")
        if isinstance(expression, str) and expression.strip():
            text = expression.strip()
            self.feel(comp, f, text if text.startswith("=") else "=" + text, "values", "valuesExpression")
            return
        if isinstance(values_key, str) and values_key:
            f.values_key = values_key
            return
        if not isinstance(values, list) or not values:
            self.fail(comp, f"{f.type} component has no options ('values' or 'valuesKey')")
        for item in values:
            if not isinstance(item, dict) or "value" not in item:
                self.fail(comp, "every option needs a 'value' (and a 'label')")
        f.options = options_from(values)
        seen = set()
        for option in f.options:
            if str(option.value) in seen:
                self.fail(comp, f"duplicate option value {option.value!r}")
            seen.add(str(option.value))

    def check_default(self, comp, f):
        default = f.default
        if default is None:
            return
        if f.type == "checkbox" and not isinstance(default, bool):
            self.fail(comp, "defaultValue of a checkbox must be true or false")
        if f.type == "number" and (isinstance(default, bool) or not isinstance(default, (int, float, str))):
            self.fail(comp, f"defaultValue {default!r} of a number field is not a number")
        if f.type == "number":
            self.number(comp, default, "defaultValue")
        if f.options is not None:
            allowed = {str(o.value) for o in f.options}
            chosen = default if f.multiple and isinstance(default, list) else [default]
            if f.multiple and not isinstance(default, list):
                self.fail(comp, "defaultValue of a checklist must be a list")
            for value in chosen:
                if str(value) not in allowed:
                    self.fail(comp, f"defaultValue {value!r} is not one of the options")


def _whole(b, comp, name, default, low, high):
    value = comp.get(name)
    if value in (None, ""):
        return default
    number = b.number(comp, value, name)
    if number != number.to_integral_value() or not low <= number <= high:
        b.fail(comp, f"'{name}' must be a whole number from {low} to {high}, got {value!r}")
    return int(number)


def _dynamic_list(b, comp, cid, path, hides, hide, depth):
    """`dynamiclist`: its components repeat once per entry of the list at `path` (objects)."""
    if comp.get("isRepeating") is False:
        b.fail(comp, "a dynamiclist with isRepeating false is not supported (use a group)")
    sub = comp.get("components", [])
    if not isinstance(sub, list):
        b.fail(comp, "'components' of a dynamiclist must be a list")
    if b.list_depth >= MAX_LIST_DEPTH:
        b.fail(comp, f"dynamic lists nested deeper than {MAX_LIST_DEPTH} levels")
    f = b.keyed(comp, cid, LIST_TYPE, path, hides, attr="path")
    b.label(comp, f)
    f.allow_add_remove = comp.get("allowAddRemove") is True
    f.default_repetitions = _whole(b, comp, "defaultRepetitions", 1, 0, MAX_ITEMS)
    props = comp.get("properties") or {}
    if not isinstance(props, dict):
        b.fail(comp, "'properties' must be an object")
    f.min_items = _whole(b, props, "zsa:min-items", 0, 0, MAX_ITEMS) if props else 0
    f.max_items = _whole(b, props, "zsa:max-items", MAX_ITEMS, 1, MAX_ITEMS) if props else MAX_ITEMS
    if f.min_items > f.max_items:
        b.fail(comp, f"zsa:min-items {f.min_items} is greater than zsa:max-items {f.max_items}")
    saved = b.fields, b.seen, b.prefixes
    b.fields, b.seen, b.prefixes = [], {}, {}
    b.list_depth += 1
    try:  # the entry's own namespace: its keys are relative to one entry
        children = b.components(sub, (), (), depth + 1)
        f.item = Form(id=cid, filename=b.filename, components=children, fields=b.fields)
    finally:
        b.list_depth -= 1
        b.fields, b.seen, b.prefixes = saved
    b.fields.append(f)
    return Component(cid, LIST_TYPE, label=f.label, field=f, hide=hide)


def _expression_field(b, comp, cid, path, hides, hide, depth):
    """`expression`: a value computed from FEEL when the form is submitted (never read from input)."""
    f = b.keyed(comp, cid, "expression", path, hides)
    source = comp.get("expression")
    if not isinstance(source, str) or not source.strip().lstrip("=").strip():
        b.fail(comp, "expression component has no 'expression'")
    b.feel(comp, f, source if source.strip().startswith("=") else "=" + source, "compute", "expression")
    f.compute = f.expressions.pop("compute")
    f.compute_on = comp.get("computeOn") or "change"
    if f.compute_on not in ("change", "presubmit"):
        b.fail(comp, f"unknown computeOn {f.compute_on!r} (change or presubmit)")
    b.fields.append(f)
    return Component(cid, "expression", field=f, hide=hide)


def _table(b, comp, cid, path, hides, hide, depth):
    """`table`: read-only rows from `dataSource` (FEEL or a data path) with `columns` or `columnsExpression`."""
    spec = {"row_count": None, "columns": None, "columns_expression": None, "label": None}
    holder = Field(id=cid, type="table", key=cid, path=())
    b.label(comp, holder)
    source = comp.get("dataSource")
    if not isinstance(source, str) or not source.strip():
        b.fail(comp, "table component has no 'dataSource'")
    source = source.strip()
    if source.startswith("="):
        b.feel(comp, holder, source, "source", "dataSource")
        spec["source"] = holder.expressions.pop("source")
    elif KEY_RE.match(source):
        spec["source"] = path + tuple(source.split("."))
    else:
        b.fail(comp, f"dataSource {source!r} is neither a FEEL expression ('=…') nor a data path")
    columns, expression = comp.get("columns"), comp.get("columnsExpression")
    if isinstance(expression, str) and expression.strip():
        text = expression.strip()
        b.feel(comp, holder, text if text.startswith("=") else "=" + text, "columns", "columnsExpression")
        spec["columns_expression"] = holder.expressions.pop("columns")
    elif isinstance(columns, list) and columns:
        for column in columns:
            if not isinstance(column, dict) or not isinstance(column.get("key"), str) or not column["key"]:
                b.fail(comp, "every table column needs a 'key' (and a 'label')")
        spec["columns"] = tuple((str(c.get("label") or c["key"]), c["key"]) for c in columns)
    else:
        b.fail(comp, "table component has neither 'columns' nor 'columnsExpression'")
    if comp.get("rowCount") not in (None, ""):
        spec["row_count"] = _whole(b, comp, "rowCount", None, 1, TABLE_ROWS)
    spec["label"] = holder
    return Component(cid, "table", label=holder.label, hide=hide, data=spec)


COMPONENT_BUILDERS = {LIST_TYPE: _dynamic_list, "expression": _expression_field, "table": _table}
