"""Decision tables: input typeRef coercion, rule matching, hit policies and aggregation."""
import datetime as dt
import re
from decimal import Decimal

from ..errors import ModelError
from .feel_eval import Env, compare, equals, parse_date, parse_datetime, to_feel, to_jsonable, to_python

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


def evaluate_table(decision, base, where):
    """(result rows, matched rule ids) of a decision table; `base`: the Env of the variables."""
    envs = []
    for inp in decision.inputs:
        value = to_feel(inp.compiled(base))
        value = coerce_type(value, inp.type_ref, f"{where}: input {inp.label or inp.id!r}")
        envs.append(Env(base.vars, value, inp.input_variable, base.locals, base.converted))

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




def table_value(decision, rows):
    """The DMN value of a table result: the output value (a context for several outputs);
    a list of them for multi-hit tables."""
    names = [o.name for o in decision.outputs]

    def one(row):
        return to_feel(row.get(names[0])) if len(names) == 1 else {n: to_feel(row.get(n)) for n in names}
    if decision.single_hit:
        return one(rows[0]) if rows else None
    return [one(row) for row in rows]
