"""DMN 1.3 decision engine for decision tables as Camunda Modeler writes them (pure Python + lxml).

    doc = parse_dmn(data, "dinner.dmn")
    result = doc.evaluate("dish", {"season": "Fall", "guestCount": 8})
    result.single_entry()  # "Spareribs"

Numbers in results are int when integral, else decimal.Decimal (exact); use
`DecisionResult.jsonable()` / `.to_json()` before putting results into task data.
"""
from .evaluate import DecisionError, DecisionResult, DmnDocument, parse_dmn
from .feel import FeelSyntaxError
from .feel_eval import evaluate as evaluate_feel
from .feel_eval import matches_unary, to_jsonable
from .model import Decision, Input, Output, Rule

__all__ = [
    "parse_dmn", "DmnDocument", "DecisionResult", "DecisionError", "Decision", "Input", "Output", "Rule",
    "FeelSyntaxError", "evaluate_feel", "matches_unary", "to_jsonable",
]
