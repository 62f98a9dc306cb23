"""The result type of `zsa-flow check` and helpers shared by the check modules."""
import re
from dataclasses import dataclass

from ..errors import ModelError

_LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:\d+:)? (?:(?P<element>[^\s:]+): )?(?P<message>.*)$", re.S)
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
NO_ELEMENT = "-"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding; `str()` is the line the CLI prints: `file:line: element-id: message`."""

    file: str
    line: int
    element_id: str
    message: str
    severity: str = "error"  # error | warning

    def __str__(self):
        return f"{self.file}:{self.line}: {self.element_id}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "element_id": self.element_id,
                "message": self.message, "severity": self.severity}


def from_message(text: str, file: str, severity: str = "error", element_hint: str | None = None) -> Problem:
    """A Problem from a `file:line: [element: ]message` string as ModelError and friends write them.

    `element_hint` is the element as the message names it, e.g. "Field_x (key 'x')": its first
    word becomes the element id, the rest stays in the message."""
    text = " ".join(str(text).split())  # always one line
    match = _LOCATED.match(text)
    line, element = 1, None
    if match and match["file"] == file:
        line, element, text = int(match["line"]), match["element"], match["message"]
    elif text.startswith(file + ": "):
        text = text[len(file) + 2:]
    if element_hint:
        if text.startswith(element_hint + ": "):
            text = text[len(element_hint) + 2:]
        element, extra = (element_hint.split(" ", 1) + [""])[:2]
        if extra.strip(" ()"):
            text = f"{extra.strip(' ()')}: {text}"
    return Problem(file, line, element or NO_ELEMENT, text, severity)


def from_model_error(exc: ModelError, file: str, severity: str = "error") -> Problem:
    """A Problem from a ModelError, preferring its structured details over its message."""
    details = exc.details or {}
    hint = str(details["element"]) if details.get("element") else None
    if hint and hint not in exc.message:
        hint = None
    problem = from_message(exc.message, file, severity, hint)
    if details.get("line") and problem.line == 1 and str(details["line"]).isdigit():
        problem = Problem(file, int(details["line"]), problem.element_id, problem.message, severity)
    return problem


def local(node) -> str:
    """Local name of an element ('' for comments and processing instructions)."""
    tag = node.tag if isinstance(node.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def namespace(node) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def owner_id(node) -> str:
    """The id of the element or of its nearest ancestor that has one (event definitions are
    skipped: the modeller looks for the event, not for its definition's generated id)."""
    while node is not None:
        if node.get("id") and not local(node).endswith("EventDefinition"):
            return node.get("id")
        node = node.getparent()
    return NO_ELEMENT


def line_of(node) -> int:
    return getattr(node, "sourceline", None) or 1


class Reporter:
    """Collects problems for one file, locating them at an lxml element."""

    def __init__(self, file: str, problems: list):
        self.file, self.problems = file, problems

    def error(self, node, message, element_id=None, line=None):
        self.problems.append(Problem(self.file, line or line_of(node), element_id or owner_id(node), message))

    def warning(self, node, message, element_id=None):
        self.problems.append(Problem(self.file, line_of(node), element_id or owner_id(node), message, "warning"))
