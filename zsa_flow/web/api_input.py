"""Strict input for /api/v1: the JSON body is scanned for depth before parsing, parsed without NaN,
Infinity or out-of-range numbers, checked for NUL characters and invalid UTF-8, then validated by a
declared pydantic model (unknown keys refused). Every refusal is a ValidationFailed (422) or a
MalformedRequest (400) with {"error", "message", "details"} — never a 500.
"""
import json
import math
import re

from flask import request
from pydantic import BaseModel, ValidationError

from ..errors import ValidationFailed, ZsaError

MAX_DEPTH = 32  # nesting of objects/arrays in a body, the envelope included
MAX_NUMBER = 10**15  # integers and decimals beyond ±10^15 are refused (amounts, counts, years fit)
MAX_KEY = 200  # characters of an object key
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


class MalformedRequest(ZsaError):
    code, status = "malformed_request", 400


def _too_deep(raw: bytes) -> bool:
    """True when brackets outside strings nest deeper than MAX_DEPTH (iterative: no recursion)."""
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub(b"", raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        else:
            depth -= 1
    return False


def _reject_constant(name):
    raise MalformedRequest(f"'{name}' ist in JSON nicht erlaubt (nur endliche Zahlen)")


def _parse_float(text):
    value = float(text)
    if not math.isfinite(value):
        raise MalformedRequest(f"Die Zahl {text[:40]} ist zu groß")
    return value


def parse_json(raw: bytes):
    """The parsed body; MalformedRequest for invalid UTF-8, bad JSON, too deep nesting, NaN/Infinity."""
    if _too_deep(raw):
        raise ValidationFailed(f"Die Daten sind tiefer als {MAX_DEPTH} Ebenen verschachtelt",
                               details={"max_depth": MAX_DEPTH})
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedRequest("Der Anfragekörper ist kein gültiges UTF-8") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_parse_float)
    except MalformedRequest:
        raise
    except (ValueError, RecursionError):  # JSONDecodeError, or an integer with thousands of digits
        raise MalformedRequest("Der Anfragekörper ist kein gültiges JSON") from None


def check_value(value, path="data", depth=0):
    """Check a parsed JSON value: no NUL or unpaired surrogates in strings, numbers finite and in range."""
    if depth > MAX_DEPTH:
        raise ValueError(f"{path}: tiefer als {MAX_DEPTH} Ebenen verschachtelt")
    if isinstance(value, str):
        check_string(value, path)
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise ValueError(f"{path}: Zahl außerhalb des erlaubten Bereichs (±10^15)")
    elif isinstance(value, dict):
        for key, item in value.items():
            if len(key) > MAX_KEY:
                raise ValueError(f"{path}: Feldname länger als {MAX_KEY} Zeichen")
            check_string(key, path)
            check_value(item, f"{path}.{key}", depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_value(item, f"{path}[{i}]", depth + 1)
    else:
        raise ValueError(f"{path}: kein JSON-Wert")
    return value


def check_string(value: str, path="Text"):
    if "\x00" in value:
        raise ValueError(f"{path}: das Zeichen NUL ist nicht erlaubt")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{path}: kein gültiges UTF-8 (einzelnes Ersatzzeichen)") from None
    return value


def _field_errors(exc: ValidationError) -> dict:
    fields = {}
    for error in exc.errors(include_url=False):
        key = ".".join(str(part) for part in error["loc"]) or "body"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unbekanntes Feld"
        elif error["type"] == "missing":
            message = "Pflichtfeld"
        fields.setdefault(key, message)
    return fields


def validate(model: type[BaseModel], data, what="Anfrage"):
    """An instance of `model` from plain data; 422 with details.fields naming each wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"Die {what} ist ungültig", details={"fields": _field_errors(exc)}) from None


def body(model: type[BaseModel]):
    """The request body validated by `model` (an empty body counts as {})."""
    raw = request.get_data(cache=True)
    if request.mimetype and raw and request.mimetype != "application/json":
        raise ZsaError("Bitte JSON senden (Content-Type: application/json)", code="unsupported_media_type",
                       status=415)
    data = parse_json(raw) if raw.strip() else {}
    if not isinstance(data, dict):
        raise ValidationFailed("Der Anfragekörper muss ein JSON-Objekt sein")
    return validate(model, data)


def query(model: type[BaseModel]):
    """The query string validated by `model` (each parameter once)."""
    args = {}
    for key in request.args:
        values = request.args.getlist(key)
        if len(values) > 1:
            raise ValidationFailed(f"Parameter '{key}' ist mehrfach angegeben",
                                   details={"fields": {key: "nur einmal erlaubt"}})
        args[key] = values[0]
    return validate(model, args, "Abfrage")
