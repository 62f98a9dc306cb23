"""Expressions and unsupported Camunda 7 constructs in one BPMN file.

Everything zsa-flow evaluates is restricted Python (`zsa_flow.bpmn.script_engine`); Camunda's
JUEL, Java delegates, connectors, external tasks and CMMN cases have no meaning here and are named
as such instead of failing (or silently doing something else) at run time.
"""
import re
from datetime import datetime

from ..bpmn.parser import is_iso_literal
from .check_bpmn import semantic_elements
from .check_problem import BPMN_NS, CAMUNDA_NS, Reporter, local, namespace
from .check_problem import line_of as report_line

JUEL = re.compile(r"[$#]\{")
JUEL_MESSAGE = "JUEL-Ausdruck wird nicht unterstützt – bitte Python schreiben"
C = "{%s}" % CAMUNDA_NS
B = "{%s}" % BPMN_NS
EXPRESSION_TEXTS = {"conditionExpression", "completionCondition", "loopCardinality",
                    "timeDate", "timeDuration", "timeCycle"}
CAMUNDA_TEXTS = {"inputParameter", "outputParameter", "expression", "string", "value", "entry"}
_SOURCE_LINE = re.compile(r"^\(?[Ll]ine (\d+)\b")
PLAIN_NAME = re.compile(r"^[\w.@-]+$")
UNSUPPORTED_ATTRIBUTES = {
    "class": "camunda:class (Java-Delegate) wird nicht unterstützt",
    "delegateExpression": "camunda:delegateExpression (Java-Delegate) wird nicht unterstützt",
    "expression": "camunda:expression wird nicht unterstützt (die Engine führt es nicht aus) – "
                  "Scripttask mit Python verwenden",
    "caseRef": "camunda:caseRef (CMMN-Fall, Case Task) wird nicht unterstützt",
    "resource": "camunda:resource (externes Skript) wird nicht unterstützt – Skript in die Aufgabe schreiben",
}
UNSUPPORTED_ELEMENTS = {
    "connector": "camunda:connector wird nicht unterstützt",
    "executionListener": "camunda:executionListener wird nicht unterstützt (wird nicht ausgeführt)",
    "taskListener": "camunda:taskListener wird nicht unterstützt (wird nicht ausgeführt)",
}


def _checker(kind):
    from ..bpmn import script_engine

    return script_engine.check_script if kind == "script" else script_engine.check_expression


def _compile(report, node, what, source, kind="expression"):
    for message in _checker(kind)(source):
        message = " ".join(str(message).split())
        where = _SOURCE_LINE.match(message)
        if where is None:
            report.error(node, f"{what}: {message}")
            continue
        text = message[where.end():].lstrip(":) ")
        if kind == "script":  # point at that line of the file; scripts start on their element's line
            offset = int(where[1])
            report.error(node, f"{what}, Zeile {offset}: {text}", line=report_line(node) + offset - 1)
        else:
            report.error(node, f"{what}: {text}")


def _has_juel(text) -> bool:
    return bool(text) and bool(JUEL.search(text))


def _attr_name(key: str) -> str:
    if key.startswith(C):
        return "camunda:" + key[len(C):]
    return key.rsplit("}", 1)[-1]


def check_unsupported(file: str, root, problems: list):
    """JUEL anywhere, Java delegates, connectors, listeners, external tasks, CMMN, service tasks."""
    report = Reporter(file, problems)
    for node in semantic_elements(root):
        for key, value in node.attrib.items():
            if _has_juel(value):
                report.error(node, f"Attribut {_attr_name(key)}: {JUEL_MESSAGE} ({value.strip()!r})")
            if key.startswith(C) and key[len(C):] in UNSUPPORTED_ATTRIBUTES:
                report.error(node, f"{local(node)}: {UNSUPPORTED_ATTRIBUTES[key[len(C):]]} ({value!r})")
        name, ns = local(node), namespace(node)
        if node.get(C + "type") == "external":
            topic = node.get(C + "topic")
            report.error(node, f"externer Task (camunda:type=\"external\", Topic {topic!r}) wird nicht unterstützt")
        if ns == BPMN_NS and name in EXPRESSION_TEXTS and _has_juel(node.text):
            report.error(node, f"{name}: {JUEL_MESSAGE} ({node.text.strip()!r})")
        if ns == CAMUNDA_NS:
            _check_camunda_element(report, node, name)
        if ns == BPMN_NS and name == "serviceTask" and not any(
            node.get(C + a) for a in ("class", "delegateExpression", "expression", "type")
        ) and node.find(f"{B}extensionElements/{C}connector") is None:
            report.error(node, "serviceTask ohne unterstützte Implementierung (zsa-flow führt Servicetasks "
                               "nicht aus) – Scripttask (Python) oder Geschäftsregeltask verwenden")


def _check_camunda_element(report, node, name):
    if name in UNSUPPORTED_ELEMENTS:
        report.error(node, UNSUPPORTED_ELEMENTS[name])
    elif name in ("inputParameter", "outputParameter"):
        label = f"camunda:{name} {node.get('name')!r}"
        if node.find(C + "script") is not None:
            report.error(node, f"{label}: Skript-Mapping in camunda:inputOutput wird nicht unterstützt")
        elif _has_juel(node.text):
            report.error(node, f"{label}: {JUEL_MESSAGE} ({node.text.strip()!r})")
        else:
            report.warning(node, f"{label}: camunda:inputOutput wird von der Engine nicht ausgewertet "
                                 "(alle Falldaten sind in jeder Aufgabe sichtbar)")
    elif name in CAMUNDA_TEXTS and _has_juel(node.text) and node.getparent() is not None \
            and local(node.getparent()) not in ("inputParameter", "outputParameter"):
        report.error(node, f"camunda:{name}: {JUEL_MESSAGE} ({node.text.strip()!r})")


def check_expressions(file: str, root, problems: list):
    """Conditions, scripts, timers and task metadata expressions compile as restricted Python."""
    report = Reporter(file, problems)
    for node in semantic_elements(root):
        if namespace(node) != BPMN_NS:
            continue
        name = local(node)
        if name == "conditionExpression":
            _condition(report, node)
        elif name in ("completionCondition", "loopCardinality"):
            _text_expression(report, node, name)
        elif name == "scriptTask":
            _script_task(report, node)
        elif name == "timerEventDefinition":
            _timer(report, node)
        elif name in ("userTask", "manualTask"):
            _human_task(report, node)


def _condition(report, node):
    language = (node.get("language") or "").strip().lower()
    if language and language not in ("python", "text/x-python"):
        report.error(node, f"Bedingung in Sprache {node.get('language')!r} wird nicht unterstützt (nur Python)")
        return
    _text_expression(report, node, "Bedingung (conditionExpression)")


def _text_expression(report, node, what):
    text = (node.text or "").strip()
    if not text:
        report.error(node, f"{what} ist leer")
    elif not _has_juel(text):
        _compile(report, node, what, text)


def _script_task(report, node):
    fmt = (node.get("scriptFormat") or "").strip()
    if fmt.lower() not in ("", "python"):
        report.error(node, f"scriptFormat {fmt!r} wird nicht unterstützt (nur python)")
        return
    script = node.find(B + "script")
    if script is None or not (script.text or "").strip():
        if not node.get(C + "resource"):
            report.error(node, "Scripttask ohne Skript (bpmn:script ist leer)")
        return
    _compile(report, script, "Skript", script.text, kind="script")


ISO_ATTEMPT = re.compile(r"^[+-]?PT?\d[0-9A-Za-z.,]*$|^\d{4}-|^\d{1,2}\.\d{1,2}\.\d{2,4}")
ISO_EXAMPLES = "z. B. P5D, PT12H, P1M oder 2026-12-31T12:00:00"


def _iso_problem(text):
    """Why `text`, written as an ISO 8601 value, is none (None when fine or clearly an expression)."""
    if is_iso_literal(text):
        if text[0].isdigit():
            try:
                datetime.fromisoformat(text.replace(" ", "T").replace("Z", "+00:00"))
            except ValueError:
                return f"{text!r} ist kein gültiges Datum ({ISO_EXAMPLES})"
        return None
    if ISO_ATTEMPT.match(text):
        return f"{text!r} ist kein gültiger ISO-8601-Wert ({ISO_EXAMPLES})"
    return None


def _timer(report, node):
    parts = [child for child in node if local(child) in ("timeDate", "timeDuration", "timeCycle")]
    if not parts:
        report.error(node, "Timer ohne timeDate oder timeDuration")
    for part in parts:
        name = local(part)
        if name == "timeCycle":
            report.error(part, "timeCycle (wiederkehrender Timer) wird nicht unterstützt: die Engine kennt nur "
                               "Zeitpunkte (timeDate) und Dauern (timeDuration)")
            continue
        text = (part.text or "").strip()
        if not text:
            report.error(part, f"{name} ist leer")
        elif _iso_problem(text):
            report.error(part, f"{name}: {_iso_problem(text)}")
        elif not is_iso_literal(text) and not _has_juel(text):
            _compile(report, part, f"{name} (kein ISO-8601-Wert, daher Python-Ausdruck)", text)


def _human_task(report, node):
    for attr, literal in (("dueDate", is_iso_literal), ("followUpDate", is_iso_literal),
                          ("priority", lambda t: t.lstrip("-").isdigit()),
                          ("assignee", lambda t: bool(PLAIN_NAME.match(t)))):
        text = (node.get(C + attr) or "").strip()
        if text and attr in ("dueDate", "followUpDate") and _iso_problem(text):
            report.error(node, f"camunda:{attr}: {_iso_problem(text)}")
        elif text and not literal(text) and not _has_juel(text):
            _compile(report, node, f"camunda:{attr} {text!r}", text)
