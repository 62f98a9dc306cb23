"""DMN 1.1-1.5 decision engine with full FEEL (pure Python + lxml + the standard library).

    doc = parse_dmn(data, "dinnerDecisions.dmn")          # compiles every cell once
    result = doc.evaluate("dish", {"season": "Fall", "guestCount": 8})
    result.single_entry()                                   # "Spareribs"

    expr = CompiledExpression('anzahl >= 3')               # parse once (FeelSyntaxError if invalid)
    expr.evaluate({"anzahl": 3})                            # True; evaluate as often as needed

    doc.decision_value("Monthly Payment", {"Loan Amount": 10000})  # DMN semantics (TCK)

Modules: FEEL - `feel_lexer.py` (tokens, names with spaces), `feel.py` + `feel_unary.py` (parser ->
tuple AST), `feel_eval.py` + `feel_loops.py` (AST -> closures), `feel_values.py` (conversion,
comparison, arithmetic), `feel_types.py` (temporal values, durations, ranges, functions),
`feel_paths.py` (paths, `instance of`), `feel_builtins*.py` and `feel_regex.py` (the built-in
library). DMN - `model.py` + `model_drg.py` (parsing, compile checks), `boxed.py` (boxed
expressions), `drg.py` (item definitions, BKMs, decision services), `table.py` (hit policies,
aggregation), `evaluate.py` (DRDs, DecisionResult, DMN-semantics entry points). No model text is
ever passed to eval/exec.

Semantics chosen (all deliberate):
- Numbers are exact `decimal.Decimal` inside FEEL with 34 significant digits (DMN's decimal128;
  ints/floats from the context are converted, floats via their repr). Results: integral numbers come back as `int`, others as `Decimal`
  (never float: money stays exact). Task data must be JSON: use `DecisionResult.jsonable()` or
  `.to_json()` (Decimal -> string such as "691.60", dates -> ISO strings).
- Unknown variables and missing keys are FEEL null (no error); type mismatches in comparisons
  give null, and a null test does not match (`"8"` does not match the number 8 unless the input's
  typeRef converts it: typeRef integer/number/... reads numeric strings, boolean reads
  "true"/"false", date reads ISO dates, string turns numbers into strings - as Camunda does).
- ISO date strings compare with `date(...)` values. Output entries see the context variables,
  not the typeRef-converted input values (as in Camunda).
- Empty output entry: that output is left out of the rule's result (Camunda). No match: empty
  result, or one dict of `defaultOutputEntry` values if any output has one. COLLECT+COUNT with no
  match gives 0; SUM/MIN/MAX with no match give an empty result. PRIORITY/OUTPUT ORDER rank by
  the outputs' `outputValues` lists (ties: rule order).
- Required decisions are evaluated first, each once per evaluate() call; their result goes into
  the context under every output name (a list of values for multi-hit tables, as Camunda does)
  and under the decision id (the value for a single output, else a dict, or a list for multi-hit).
- parse_dmn(strict=True) raises ModelError on the first problem (message `file:line: id: ...`);
  strict=False keeps all for `DmnDocument.problems()` and broken cells raise when evaluated.
  Evaluation failures (hit policy violated, input of the wrong type) raise DecisionError, a
  ModelError with code "decision_error". Documents are immutable and safe to share across threads.
"""
from .evaluate import DecisionError, DecisionResult, DmnDocument, parse_dmn
from .feel_lexer import FeelSyntaxError
from .feel_eval import CompiledExpression
from .feel_eval import evaluate as evaluate_feel
from .feel_eval import matches_unary, to_jsonable
from .model import Decision, Input, Output, Rule

__all__ = [
    "parse_dmn", "DmnDocument", "DecisionResult", "DecisionError", "Decision", "Input", "Output", "Rule",
    "CompiledExpression", "FeelSyntaxError", "evaluate_feel", "matches_unary", "to_jsonable",
]
