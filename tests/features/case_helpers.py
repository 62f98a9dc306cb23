"""Helpers for the Gherkin steps: case data from data tables, German values, and looking at and
acting on the current case through the service layer.

Data tables are `| Feld | Wert |` rows (the first row is that header). A value is converted by the
type of the form field with that key in the library's forms (forms/**/*.form):
checkbox "ja"/"nein" -> true/false; number "5.000.000" or "11,25" -> 5000000 / 11.25; date
"20.02.2026" -> "2026-02-20"; checklist/taglist "a; b" -> ["a", "b"]; every other field keeps its
text (so a postcode "06108" or a radio value "ja" stays text). Keys no form knows (message data) are
guessed the same way: ja/nein, whole numbers, German dates, else text.

Used by the generic steps (conftest.py) and the service-specific step modules.
"""
import json
import re
from functools import cache
from pathlib import Path

from pytest_bdd import parsers, then

from zsa_flow.forms import parse_form

USER = "sachbearbeitung"  # who claims and completes tasks unless a step names a user
ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Feld", "Wert"]
GERMAN_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
WHOLE = re.compile(r"^-?\d{1,3}(\.\d{3})*$|^-?\d+$")
DECIMAL = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$")
MONEY = re.compile(r"^(-?\d+),(\d{2}) €$")
YES_NO = {"ja": True, "nein": False}


@cache
def field_types():
    """{key: (type, subtype)} of every input field in the library's forms."""
    types = {}
    for path in sorted((ROOT / "forms").rglob("*.form")):
        for f in parse_form(path.read_bytes(), str(path)).fields:
            types.setdefault(f.name, (f.type, f.subtype))
    return types


def iso_day(text):
    """'20.02.2026' -> '2026-02-20' (ISO text passes unchanged)."""
    match = GERMAN_DATE.match(text.strip())
    return f"{match[3]}-{match[2]}-{match[1]}" if match else text.strip()


def german_number(text):
    """'5.000.000' -> 5000000, '11,25' -> 11.25."""
    plain = text.strip().replace(".", "").replace(",", ".")
    return float(plain) if "." in plain else int(plain)


def table_value(key, text):
    """A data table cell as the value the form field `key` takes."""
    kind, subtype = field_types().get(key, (None, None))
    text = text.strip()
    if kind == "checkbox":
        return YES_NO[text.lower()]
    if kind == "number":
        return german_number(text) if text else None
    if kind == "datetime" and subtype == "date":
        return iso_day(text)
    if kind in ("checklist", "taglist"):
        return [item.strip() for item in text.split(";") if item.strip()]
    if kind is not None:
        return text
    if text.lower() in YES_NO:
        return YES_NO[text.lower()]
    if WHOLE.match(text) and (text == "0" or not text.startswith("0")):  # "06108" stays text
        return german_number(text)
    return iso_day(text)


def data_from(datatable=None):
    """The case data of a step's `| Feld | Wert |` table (none: empty)."""
    if not datatable:
        return {}
    header, *rows = datatable
    assert [cell.strip() for cell in header] == HEADER, f"data tables start with | Feld | Wert |, not {header}"
    return {key.strip(): table_value(key.strip(), value) for key, value in rows}


def expected_value(text):
    """A value written in a step: ja/nein, "text", 16,00 € (money text "16.00"), 01.03.2026, 253, 2,5."""
    text = text.strip()
    if text.lower() in YES_NO:
        return YES_NO[text.lower()]
    if text.startswith('"') and text.endswith('"'):
        return text[1:-1]
    money = MONEY.match(text)
    if money:
        return f"{money[1]}.{money[2]}"
    if GERMAN_DATE.match(text):
        return iso_day(text)
    if WHOLE.match(text) or DECIMAL.match(text):
        return german_number(text)
    return json.loads(text)


def money_text(text):
    """'96,00' (as written in a step) -> '96.00' (money text in the case data)."""
    return text.strip().replace(".", "").replace(",", ".")


def then_both(dann, und):
    """A `then` step under both word orders: after "Dann" (verb first: "Dann ist der Vorgang …") and
    after "Und" (subject first: "Und der Vorgang ist …")."""
    def register(function):
        return then(parsers.parse(dann), stacklevel=2)(then(parsers.parse(und), stacklevel=2)(function))
    return register


def state_of(zsa, number):
    """The case state and incident, for assertion messages."""
    case = zsa.case(number)
    return f"{case['state']} {case.get('incident') or ''}".strip()


def open_task(zsa, number, task_name):
    """The one open task of the case with this name (or BPMN id)."""
    open_tasks = zsa.tasks(case=number)
    tasks = [t for t in open_tasks if task_name in (t["name"], t["task_def"])]
    assert len(tasks) == 1, (f"{len(tasks)} open tasks {task_name!r}; open: {[t['name'] for t in open_tasks]}; "
                             f"{state_of(zsa, number)}")
    return tasks[0]


def complete_task(zsa, number, task_name, data, user=USER, group=None):
    """Claim and complete an open task (checking its candidate group if given)."""
    task = open_task(zsa, number, task_name)
    if group is not None:
        assert group in task["candidate_groups"], f"{task_name!r} is for {task['candidate_groups']}, not {group!r}"
    zsa.claim(task["id"], user=user)
    zsa.complete(task["id"], data, user=user)


def assert_no_incident(zsa, number):
    assert zsa.case(number)["state"] != "incident", state_of(zsa, number)


def sent_messages(zsa, number, message):
    """The message_sent events of the case for this message name."""
    return [e for e in zsa.events(number) if e["type"] == "message_sent" and e["data"].get("message") == message]
