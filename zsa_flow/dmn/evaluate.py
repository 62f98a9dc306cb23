"""Evaluating decisions: hit policies, aggregation, required decisions (DRD) and the result API."""
import datetime as dt
import re
from decimal import Decimal

from ..errors import ModelError, NotFound
from .feel_eval import Env, compare, equals, parse_date, parse_datetime, to_feel, to_jsonable, to_python
from .model import build_decisions

NUMBER_TYPES = {"integer", "long", "double", "number", "decimal", "float", "int"}
_NUMBER_RE = re.compile(r"\s*[-+]?\d+(\.\d+)?\s*")


class DecisionError(ModelError):
    """A decision could not be evaluated with the given data (hit policy violated, bad input type)."""

    code = "decision_error"


def coerce_type(value, type_ref, what):
    """Apply a typeRef to a FEEL value the way Camunda's type transformers do (strings from forms)."""
    if value is None or not type_ref:
        return value
    type_ref = type_ref.lower().rsplit(":", 1)[-1]  # DMN 1.1 files may write "feel:number"
    if type_ref in NUMBER_TYPES:
        if isinstance(value, str) and _NUMBER_RE.fullmatch(value):
            return Decimal(value.strip())
        if isinstance(value, Decimal):
            return value
    elif type_ref == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
    elif type_ref == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Decimal):
            return format(value, "f")
        return value
    elif type_ref in ("date", "datetime", "date and time"):
        if isinstance(value, (dt.date, dt.datetime)):
            return value
        if isinstance(value, str):
            parsed = parse_date(value.strip()) or parse_datetime(value.strip())
            if parsed is not None:
                return parsed
    else:
        return value  # unknown/custom typeRefs are not enforced
    raise DecisionError(f"{what}: value {to_jsonable(to_python(value))!r} is not of type {type_ref}")


class DecisionResult:
    """Result of one decision: one dict per matched rule (or one aggregated dict)."""

    def __init__(self, decision_id, outputs, matched_rules, hit_policy=None, required=None):
        self.decision_id = decision_id
        self.outputs = outputs
        self.matched_rules = matched_rules
        self.hit_policy = hit_policy
        self.required = required or {}  # id -> DecisionResult of required decisions evaluated first

    def __repr__(self):
        return f"DecisionResult({self.decision_id!r}, outputs={self.outputs!r}, matched_rules={self.matched_rules!r})"

    # Camunda's camunda:mapDecisionResult
    def single_result(self):
        """The one result dict, None if nothing matched; error if there are several."""
        if not self.outputs:
            return None
        if len(self.outputs) > 1:
            raise DecisionError(
                f"decision {self.decision_id!r} returned {len(self.outputs)} results "
                f"(rules {', '.join(self.matched_rules)}), singleResult expects at most one")
        return dict(self.outputs[0])

    def single_entry(self):
        """The value of the single output of the single result (None if nothing matched)."""
        result = self.single_result()
        if not result:
            return None
        if len(result) > 1:
            raise DecisionError(
                f"decision {self.decision_id!r} result has {len(result)} outputs ({', '.join(result)}), "
                "singleEntry expects exactly one")
        return next(iter(result.values()))

    def result_list(self):
        return [dict(o) for o in self.outputs]

    def collect_entries(self, name=None):
        """The values of one output over all results (the only output unless `name` is given)."""
        values = []
        for output in self.outputs:
            if name is not None:
                if name in output:
                    values.append(output[name])
                continue
            if len(output) > 1:
                raise DecisionError(
                    f"decision {self.decision_id!r} result has {len(output)} outputs ({', '.join(output)}), "
                    "collectEntries expects exactly one")
            values.extend(output.values())
        return values

    def to_json(self):
        """JSON-compatible summary (Decimals as exact strings, dates as ISO strings)."""
        return {
            "decision_id": self.decision_id,
            "outputs": to_jsonable(self.outputs),
            "matched_rules": list(self.matched_rules),
        }

    def jsonable(self):
        """A copy whose output values are JSON-compatible (for task data)."""
        return DecisionResult(self.decision_id, to_jsonable(self.outputs), list(self.matched_rules),
                              self.hit_policy, {k: v.jsonable() for k, v in self.required.items()})


class DmnDocument:
    """All decisions of one DMN file."""

    def __init__(self, decisions, problems, filename):
        self.decisions = decisions
        self.filename = filename
        self._problems = problems

    def problems(self):
        """[(line, element_id, message)] found while compiling every cell (nothing is evaluated)."""
        return list(self._problems)

    def decision(self, decision_id):
        try:
            return self.decisions[decision_id]
        except KeyError:
            raise NotFound(
                f"{self.filename}: no decision {decision_id!r} (decisions: {', '.join(self.decisions) or 'none'})",
                details={"file": self.filename, "decision": decision_id},
            ) from None

    def evaluate(self, decision_id, context=None) -> DecisionResult:
        """Evaluate a decision; its required decisions are evaluated first (each once)."""
        self.decision(decision_id)
        return self._evaluate(decision_id, dict(context or {}), {}, ())

    def _evaluate(self, decision_id, context, memo, stack):
        if decision_id in memo:
            return memo[decision_id]
        decision = self.decision(decision_id)
        if decision_id in stack:
            raise ModelError(f"{self.filename}: {decision_id}: cycle in required decisions: "
                             f"{' -> '.join(stack + (decision_id,))}")
        if decision.broken:
            raise ModelError(decision.broken)
        required = {}
        variables = context
        if decision.required:
            variables = dict(context)
            for req in decision.required:
                result = self._evaluate(req, context, memo, stack + (decision_id,))
                required[req] = result
                _publish(self.decisions[req], result, variables)
        where = f"{self.filename}:{decision.line}: decision {decision.id!r}"
        if decision.kind == "literal":
            value = decision.compiled_expression(Env(variables))
            value = coerce_type(value, decision.variable_type, f"{where}: result {decision.variable!r}")
            result = DecisionResult(decision.id, [{decision.variable: to_python(value)}], [], None, required)
        else:
            outputs, matched = _evaluate_table(decision, variables, where)
            result = DecisionResult(decision.id, outputs, matched, decision.hit_policy, required)
        memo[decision_id] = result
        return result


def _publish(decision, result, variables):
    """Make a required decision's result visible (Camunda semantics + under the decision id)."""
    names = decision.output_names
    if decision.single_hit:
        single = result.outputs[0] if result.outputs else None
        for name in names:
            variables[name] = single.get(name) if single else None
        if len(names) == 1:
            variables[decision.id] = single.get(names[0]) if single else None
        else:
            variables[decision.id] = dict(single) if single else None
    else:
        for name in names:
            variables[name] = [o[name] for o in result.outputs if name in o]
        if len(names) == 1:
            variables[decision.id] = variables[names[0]]
        else:
            variables[decision.id] = [dict(o) for o in result.outputs]


def _evaluate_table(decision, variables, where):
    base = Env(variables)
    envs = []
    for inp in decision.inputs:
        value = to_feel(inp.compiled(base))
        value = coerce_type(value, inp.type_ref, f"{where}: input {inp.label or inp.id!r}")
        envs.append(Env(variables, value, inp.input_variable))

    first_only = decision.hit_policy == "FIRST"
    matched = []
    for rule in decision.rules:
        for test, env in zip(rule.tests, envs):
            if not test.is_any and test.matches(env) is not True:
                break
        else:
            if len(rule.tests) != len(envs):  # a broken rule (entry count mismatch) raises here
                rule.tests[0].matches(base)
            matched.append(rule)
            if first_only:
                break

    if not matched:
        if decision.aggregation == "COUNT":
            return [{decision.outputs[0].name: 0}], []
        return _defaults(decision, base, where), []
    rows = [_conclude(decision, rule, base, where) for rule in matched]
    ids = [rule.id for rule in matched]
    policy = decision.hit_policy
    if policy == "UNIQUE":
        if len(rows) > 1:
            raise DecisionError(f"{where}: hit policy UNIQUE violated, {len(rows)} rules match: {', '.join(ids)}",
                                details={"decision": decision.id, "rules": ids})
        return rows, ids
    if policy == "FIRST":
        return rows[:1], ids[:1]
    if policy == "ANY":
        for row, rid in zip(rows[1:], ids[1:]):
            if not _same(row, rows[0]):
                raise DecisionError(
                    f"{where}: hit policy ANY violated, rules {ids[0]} and {rid} match with different outputs",
                    details={"decision": decision.id, "rules": ids})
        return rows[:1], ids[:1]
    if policy in ("PRIORITY", "OUTPUT ORDER"):
        keys = [_priority(decision, row, rid, where) for row, rid in zip(rows, ids)]
        order = sorted(range(len(rows)), key=lambda i: keys[i])  # stable: rule order breaks ties
        if policy == "PRIORITY":
            return [rows[order[0]]], [ids[order[0]]]
        return [rows[i] for i in order], [ids[i] for i in order]
    if policy == "COLLECT" and decision.aggregation:
        return _aggregate(decision, rows, where), ids
    return rows, ids  # COLLECT, RULE ORDER


def _conclude(decision, rule, env, where):
    row = {}
    for conclusion, out in zip(rule.conclusions, decision.outputs):
        if conclusion is None:
            continue
        value = coerce_type(conclusion(env), out.type_ref, f"{where}: rule {rule.id}: output {out.name!r}")
        row[out.name] = to_python(value)
    return row


def _defaults(decision, env, where):
    if not any(out.compiled_default for out in decision.outputs):
        return []
    row = {}
    for out in decision.outputs:
        value = None
        if out.compiled_default:
            value = coerce_type(out.compiled_default(env), out.type_ref, f"{where}: default output {out.name!r}")
        row[out.name] = to_python(value)
    return [row]


def _same(a, b):
    return a.keys() == b.keys() and all(equals(to_feel(a[k]), to_feel(b[k])) is True for k in a)


def _priority(decision, row, rule_id, where):
    key = []
    for out in decision.outputs:
        if not out.output_values:
            continue
        value = row.get(out.name)
        for index, candidate in enumerate(out.output_values):
            if equals(to_feel(value), to_feel(candidate)) is True:
                key.append(index)
                break
        else:
            raise DecisionError(f"{where}: rule {rule_id}: output {out.name!r} value {value!r} is not in the "
                                f"output values {out.output_values} (needed for the hit policy priority)")
    return tuple(key)


def _aggregate(decision, rows, where):
    name = decision.outputs[0].name
    values = [to_feel(row[name]) for row in rows if row.get(name) is not None]
    aggregation = decision.aggregation
    if aggregation == "COUNT":
        return [{name: len(values)}]
    if not values:
        return []
    if aggregation == "SUM":
        if not all(isinstance(v, Decimal) for v in values):
            raise DecisionError(f"{where}: COLLECT SUM over non-numeric values {to_jsonable(to_python(values))}")
        total = Decimal(0)
        for v in values:
            total += v
        return [{name: to_python(total)}]
    best = values[0]
    for v in values[1:]:
        c = compare(v, best)
        if c is None:
            raise DecisionError(f"{where}: COLLECT {aggregation} over values that cannot be compared: "
                                f"{to_jsonable(to_python(values))}")
        if (aggregation == "MIN" and c < 0) or (aggregation == "MAX" and c > 0):
            best = v
    return [{name: to_python(best)}]


def parse_dmn(data: bytes, filename: str = "<dmn>", *, strict: bool = True) -> DmnDocument:
    """Parse and compile a DMN file. strict: raise ModelError on the first problem; otherwise keep
    all problems for `DmnDocument.problems()` (broken cells raise ModelError when evaluated)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    decisions, problems = build_decisions(data, filename)
    if strict and problems:
        lines = [f"{filename}:{line}: {element_id}: {message}" for line, element_id, message in problems]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ModelError(lines[0] + more, details={"file": filename, "line": problems[0][0],
                                                   "element": problems[0][1], "problems": lines})
    return DmnDocument(decisions, problems, filename)
