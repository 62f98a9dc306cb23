"""DRG elements besides decisions: item definitions (types and their conformance), input data,
business knowledge models and decision services."""
from dataclasses import dataclass, field

from .feel_eval import Env
from .feel_paths import is_instance
from .feel_types import Function

# typeRef names -> parsed FEEL types (see feel.py); DMN 1.1 used XML Schema names
SIMPLE_TYPES = {
    "number": "number", "string": "string", "boolean": "boolean", "date": "date", "time": "time",
    "date and time": "date and time", "dateTime": "date and time", "days and time duration": "days and time duration",
    "dayTimeDuration": "days and time duration", "years and months duration": "years and months duration",
    "yearMonthDuration": "years and months duration", "context": "context", "list": "list",
    "function": "function", "range": "range",
    "integer": "number", "decimal": "number", "double": "number", "long": "number", "int": "number",
}


@dataclass
class ItemDef:
    name: str
    type_ref: str | None = None
    is_collection: bool = False
    components: list = field(default_factory=list)
    allowed: object = None  # CompiledUnaryTests or None
    function_type: bool = False


@dataclass
class Bkm:
    id: str
    name: str
    params: list  # [(name, typeRef)]
    body: object  # fn(env) -> value
    type_ref: str | None = None
    kind: str = "FEEL"


@dataclass
class Service:
    id: str
    name: str
    outputs: list  # decision ids
    input_decisions: list  # decision ids
    input_data: list  # input data ids
    order: list = field(default_factory=list)  # parameters: ("inputData"|"inputDecision", id), data first
    type_ref: str | None = None


def strip_prefix(type_ref):
    if type_ref and ":" in type_ref and type_ref.split(":", 1)[0] in ("feel", "FEEL", "xsd", "dmn"):
        return type_ref.split(":", 1)[1]
    return type_ref


def conform(value, type_ref, defs, depth=0):
    """The value if it conforms to the typeRef, else null; singleton lists are unwrapped."""
    type_ref = strip_prefix(type_ref)
    if value is None or not type_ref or type_ref == "Any" or depth > 20:
        return value
    item = defs.get(type_ref)
    if item is not None:
        return _conform_item(value, item, defs, depth)
    simple = SIMPLE_TYPES.get(type_ref)
    if simple is None:
        return value  # an unknown type (e.g. from an import) is not enforced
    if isinstance(value, list) and simple != "list" and len(value) == 1:
        value = value[0]  # a singleton list stands for its item (once)
    return value if is_instance(value, ("type", simple)) else None


def conform_args(args, types, defs):
    """Arguments conformed to parameter types; None if one does not conform (the call is null)."""
    result = []
    for value, type_ref in zip(args, types):
        conformed = conform(value, type_ref, defs)
        if conformed is None and value is not None:
            return None
        result.append(conformed)
    return result + list(args[len(result):])


def _conform_item(value, item, defs, depth):
    if item.is_collection:
        if not isinstance(value, list):
            value = [value]
        inner = ItemDef(item.name, item.type_ref, False, item.components, None, item.function_type)
        result = []
        for v in value:
            c = _conform_item(v, inner, defs, depth + 1) if v is not None else None
            if c is None and v is not None:
                return None
            result.append(c)
        value = result
    elif item.components:
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if not isinstance(value, dict):
            return None
        for comp in item.components:
            if comp.name not in value:
                return None
            if value[comp.name] is not None and _conform_item(value[comp.name], comp, defs, depth + 1) is None:
                return None
    elif item.function_type:
        return value if isinstance(value, Function) else None
    elif item.type_ref:
        value = conform(value, item.type_ref, defs, depth + 1)
        if value is None:
            return None
    if item.allowed is not None and not item.is_collection:
        if item.allowed.matches(Env({}, value, None)) is not True:
            return None
    return value


class ItemDefs(dict):
    """Item definitions by name; `instance_check(name)` for `x instance of name`."""

    def instance_check(self, name):
        return lambda value: def_instance(value, self[name], self)


def def_instance(value, item, defs, depth=0):
    """`value instance of` an item definition (its base type; no conversions)."""
    if value is None or depth > 20:
        return False
    if item.is_collection:
        inner = ItemDef(item.name, item.type_ref, False, item.components, item.allowed, item.function_type)
        return isinstance(value, list) and all(v is None or def_instance(v, inner, defs, depth + 1) for v in value)
    if item.components:
        if not isinstance(value, dict):
            return False
        return all(c.name in value and (value[c.name] is None or def_instance(value[c.name], c, defs, depth + 1))
                   for c in item.components)
    if item.function_type:
        return isinstance(value, Function)
    type_ref = strip_prefix(item.type_ref)
    if type_ref in defs:
        if not def_instance(value, defs[type_ref], defs, depth + 1):
            return False
    elif type_ref and type_ref != "Any":
        simple = SIMPLE_TYPES.get(type_ref)
        if simple is not None and not is_instance(value, ("type", simple)):
            return False
    return True  # allowed values constrain values, not the type: `256 instance of t255` holds


def bkm_function(bkm, globals_, defs):
    """A BKM as a FEEL function value: its body sees its parameters and the model's functions;
    arguments that do not conform to a parameter's type are null."""
    names = [p for p, _ in bkm.params]
    if bkm.kind != "FEEL":
        return Function(bkm.name, names, lambda args: None)

    def run(args):
        args = conform_args(args, [t for _, t in bkm.params], defs)
        if args is None:
            return None
        env = Env(globals_(), None, None, dict(zip(names, args)))
        return conform(bkm.body(env), bkm.type_ref, defs)
    return Function(bkm.name, names, run)
