"""Turn submitted values (JSON values or HTML strings) into typed values; German messages on failure."""
import re
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from .messages import (BAD_CHARS, DATE, DATETIME, INVALID, MAX_LENGTH, NUMBER, OPTION, TEXT, TIME)

MAX_TEXT = 20000  # bounds memory and the run time of modeller-written patterns
LOCAL_TZ = ZoneInfo("Europe/Berlin")
EMAIL_RE = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                      r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")
PHONE_RE = re.compile(r"^(?:\+|00|0)[1-9][0-9 ()/.-]{4,25}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
GERMAN_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d*$")
GERMAN_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")  # "1.234" typed by a person: 1234
GERMAN_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
RESERVED_HTML = ("csrf_token",)


class Invalid(Exception):
    """The value cannot be read; the message is the German text for the user."""


def coerce(f, raw, from_html, context):
    """Turn the submitted value into its Python type; raise Invalid with a German message."""
    if f.type == "filepicker":  # a list of document references (forms/documents.py)
        from .documents import coerce_documents

        return coerce_documents(f, raw, context, Invalid)
    if from_html and isinstance(raw, list) and not f.multiple:
        raw = raw[0] if raw else ""
    if f.type in ("textfield", "textarea"):
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise Invalid(TEXT)
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        text = text.strip() if f.type == "textfield" else text
        if len(text) > MAX_TEXT:
            raise Invalid(MAX_LENGTH.format(n=MAX_TEXT))
        if CONTROL_RE.search(text) or (f.type == "textfield" and "\n" in text):
            raise Invalid(BAD_CHARS)
        return text
    if f.type == "number":
        return number(raw, german=from_html)
    if f.type == "checkbox":
        if isinstance(raw, bool):
            return raw
        if raw is None:
            return False
        if isinstance(raw, str) and (from_html or raw in ("true", "false")):
            word = raw.strip().lower()
            if word in ("on", "true", "1", "ja", "yes"):
                return True
            if word in ("", "off", "false", "0", "nein", "no"):
                return False
        raise Invalid(INVALID)
    if f.type in ("radio", "select"):
        if raw is None or raw == "":
            return None
        return _option(f, raw, context)
    if f.multiple:
        if raw is None:
            return []
        if from_html and isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list):
            raise Invalid(INVALID)
        chosen = []
        for item in raw:
            if item == "" and from_html:
                continue
            value = _option(f, item, context)
            if value not in chosen:
                chosen.append(value)
        return chosen
    if f.type == "datetime":
        if raw is None or raw == "":
            return None
        if not isinstance(raw, str):
            raise Invalid({"date": DATE, "time": TIME}.get(f.subtype, DATETIME))
        return _datetime(f, raw.strip())
    raise Invalid(INVALID)


def number(raw, german=False):
    """A Decimal from a JSON number or a string ("450,50", "1.234,56"; with `german`, "1.234" is 1234)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise Invalid(NUMBER)
    if isinstance(raw, (int, float)):
        text = repr(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace(" ", "").replace("\u00a0", "")
        if text == "":
            return None
        if "," in text:
            if "." in text and not GERMAN_GROUPED_RE.match(text):
                raise Invalid(NUMBER)
            text = text.replace(".", "").replace(",", ".")
        elif german and GERMAN_THOUSANDS_RE.match(text):
            text = text.replace(".", "")
        if len(text) > 40 or not NUMBER_RE.match(text):
            raise Invalid(NUMBER)
    else:
        raise Invalid(NUMBER)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Invalid(NUMBER) from None
    if not value.is_finite() or abs(value) > Decimal("1e15"):
        raise Invalid(NUMBER)
    return value


def _option(f, raw, context):
    if isinstance(raw, (dict, list)) or raw is None:
        raise Invalid(OPTION)
    for option in f.options_for(context):
        if option.value == raw or str(option.value) == str(raw):
            if isinstance(raw, bool) != isinstance(option.value, bool):
                continue
            return option.value
    raise Invalid(OPTION)


def _datetime(f, text):
    if f.subtype == "date":
        german = GERMAN_DATE_RE.match(text)
        try:
            if german:
                return date(int(german.group(3)), int(german.group(2)), int(german.group(1))).isoformat()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        raise Invalid(DATE)
    if f.subtype == "time":
        match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?", text)
        if not match:
            raise Invalid(TIME)
        try:
            value = time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
        except ValueError:
            raise Invalid(TIME) from None
        spec = "seconds" if value.second else "minutes"
        return value.isoformat(spec) + (match.group(4) or "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", text):
        raise Invalid(DATETIME)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(DATETIME) from None
    spec = "seconds" if value.second else "minutes"
    value = value.replace(microsecond=0)
    if value.tzinfo is None and f.time_format != "no_timezone":
        value = value.replace(tzinfo=LOCAL_TZ)  # naive input (datetime-local) is local time
    if f.time_format == "no_timezone":
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TZ).replace(tzinfo=None)
        return value.isoformat(timespec=spec)
    if f.time_format == "utc_normalized":
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec=spec) + "Z"
    return value.isoformat(timespec=spec)


def german_number(value):
    """12.5 -> "12,5" (for messages and read-only display)."""
    text = format(Decimal(str(value)).normalize(), "f") if not isinstance(value, str) else value
    return text.replace(".", ",")
