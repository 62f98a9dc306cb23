"""FEEL external Java functions (`function(x) external {java: {class: "java.lang.Math", method
signature: "cos(double)"}}`): a fixed whitelist of side-effect-free java.lang methods, implemented in
Python. Nothing is loaded or executed by name; anything else is a function that returns null."""
import math
import re
from decimal import Decimal

_INTEGRAL = {"int", "long", "short", "byte", "java.lang.Integer", "java.lang.Long", "java.lang.Short",
             "java.lang.Byte"}
_FLOATING = {"double", "float", "java.lang.Double", "java.lang.Float"}


def _arg(value, java_type):
    """A FEEL value as the Java parameter type (ValueError if it does not fit)."""
    if java_type in _INTEGRAL:
        if not isinstance(value, Decimal) or value != value.to_integral_value():
            raise ValueError("integral number expected")
        return int(value)
    if java_type in _FLOATING:
        if not isinstance(value, Decimal):
            raise ValueError("number expected")
        return float(value)
    if java_type in ("char", "java.lang.Character"):
        if not isinstance(value, str) or len(value) != 1:
            raise ValueError("one character expected")
        return value
    if java_type == "java.lang.String":
        if not isinstance(value, str):
            raise ValueError("string expected")
        return value
    return value  # java.lang.Object and arrays of it


def _number(value):
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else Decimal(repr(value))
    return Decimal(value)


def _java_format(template, *args):
    def one(match):
        spec = match.group()
        if spec == "%%":
            return "%"
        value = next(values)
        return str(int(value)) if spec == "%d" else str(value)
    values = iter(args[0] if len(args) == 1 and isinstance(args[0], list) else args)
    return re.sub(r"%[sd%]", one, template)


_MATH = {name: getattr(math, name) for name in ("cos", "sin", "tan", "acos", "asin", "atan", "exp", "log",
                                                "log10", "sqrt", "floor", "ceil", "pow")}
_MATH.update({"max": max, "min": min, "abs": abs, "signum": lambda x: float((x > 0) - (x < 0))})
_VALUE_OF = {"java.lang.Integer": int, "java.lang.Long": int, "java.lang.Short": int, "java.lang.Byte": int,
             "java.lang.Float": Decimal, "java.lang.Double": Decimal}


def _method(class_name, name):
    if class_name == "java.lang.Math" and name in _MATH:
        return lambda *a: _number(_MATH[name](*a))
    if class_name in _VALUE_OF and name in ("valueOf", "parseInt", "parseLong", "parseDouble", "parseFloat"):
        convert = _VALUE_OF[class_name]
        return lambda a: Decimal(convert(a.strip() if isinstance(a, str) else a))
    if class_name == "java.lang.String" and name == "valueOf":
        return lambda a: a if isinstance(a, str) else str(a)
    if class_name == "java.lang.String" and name == "format":
        return _java_format
    return None


def java_function(mapping):
    """fn(args) -> FEEL value for a `{class, method signature}` mapping, or None if not supported."""
    if not isinstance(mapping, dict):
        return None
    spec = mapping.get("java") if isinstance(mapping.get("java"), dict) else mapping
    class_name, signature = spec.get("class"), spec.get("method signature")
    if not isinstance(class_name, str) or not isinstance(signature, str):
        return None
    match = re.fullmatch(r"\s*(\w+)\s*\((.*)\)\s*", signature)
    if not match:
        return None
    method = _method(class_name.strip(), match.group(1))
    if method is None:
        return None
    types = [t.strip() for t in match.group(2).split(",") if t.strip()]
    if class_name.strip() == "java.lang.Math" and not all(t in _INTEGRAL | _FLOATING for t in types):
        return None  # java.lang.Math has numeric methods only

    def run(args):
        try:
            if types and types[-1].startswith("[L"):  # varargs: the rest as one array
                fixed = [_arg(a, t) for a, t in zip(args, types[:-1])]
                return method(*fixed, list(args[len(types) - 1:]))
            if len(args) != len(types):
                return None
            return method(*(_arg(a, t) for a, t in zip(args, types)))
        except (ValueError, TypeError, ArithmeticError, OverflowError, StopIteration):
            return None
    return run
