"""Evaluating decisions: required decisions (DRD), BKMs and decision services, the result API.

Two modes share one evaluation: `DmnDocument.evaluate` keeps Camunda's semantics (typeRef
conversions of results, required results published under their output names), while
`decision_value` / `service_values` follow the DMN specification (values conform to their
typeRef or are null; required decisions are visible under their names only).
"""
from ..errors import ModelError, NotFound
from .drg import bkm_function, conform
from .feel_eval import Env, to_feel, to_jsonable, to_python
from .feel_types import Function
from .model import build_decisions
from .table import DecisionError, coerce_type, evaluate_table, table_value

__all__ = ["DecisionError", "DecisionResult", "DmnDocument", "parse_dmn"]


class DecisionResult:
    """Result of one decision: one dict per matched rule (or one aggregated dict)."""

    def __init__(self, decision_id, outputs, matched_rules, hit_policy=None, required=None, value=None):
        self.value = value  # the DMN value (FEEL form): one output's value, a context, or a list of them
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
                              self.hit_policy, {k: v.jsonable() for k, v in self.required.items()},
                              to_jsonable(self.value))


class DmnDocument:
    """All decisions of one DMN file (with its BKMs, decision services, input data and types)."""

    def __init__(self, decisions, problems, filename, drg=None):
        self.decisions = decisions
        self.filename = filename
        self._problems = problems
        self.drg = drg
        self.imported = {}  # import name -> DmnDocument
        self._functions = {}
        if drg is not None:
            for bkm in drg.bkms.values():
                self._functions[bkm.name] = bkm_function(bkm, self._scope, drg.item_defs)
            for service in drg.services.values():
                self._functions[service.name] = self._service_function(service)

    def _scope(self):
        """What BKM bodies see besides their parameters: the model's functions and imports."""
        scope = dict(self._functions)
        for name, doc in self.imported.items():
            scope[name] = dict(doc._functions)
        return scope

    def problems(self):
        """[(line, element_id, message)] found while compiling every cell (nothing is evaluated)."""
        return list(self._problems)

    def decision(self, decision_id):
        try:
            return self.decisions[decision_id]
        except KeyError:
            for decision in self.decisions.values():
                if decision.name == decision_id:
                    return decision
            raise NotFound(
                f"{self.filename}: no decision {decision_id!r} (decisions: {', '.join(self.decisions) or 'none'})",
                details={"file": self.filename, "decision": decision_id},
            ) from None

    def evaluate(self, decision_id, context=None) -> DecisionResult:
        """Evaluate a decision; its required decisions are evaluated first (each once)."""
        self.decision(decision_id)
        return self._evaluate(decision_id, dict(context or {}), {}, ())

    # -- DMN semantics
    def _conform_inputs(self, inputs):
        """Inputs by name; "{namespace}name" keys address this model (or an imported one)."""
        context = dict(inputs)
        namespace = self.drg.root.get("namespace") if self.drg is not None else None
        for key, value in inputs.items():
            if key.startswith("{") and key[1:].split("}", 1)[0] == namespace:
                context[key.split("}", 1)[1]] = value
        if self.drg is not None:
            for name, type_ref in self.drg.inputs.values():
                if name in context:
                    context[name] = conform(to_feel(context[name]), type_ref, self.drg.item_defs)
        return context

    def decision_value(self, name, inputs=None, memo=None):
        """The value of a decision (by name or id) as the DMN specification defines it."""
        decision = self.decision(name)
        return self._evaluate(decision.id, self._conform_inputs(inputs or {}), {} if memo is None else memo,
                              (), spec=True).value

    def service_values(self, name, inputs=None):
        """{output decision name: value} of a decision service invoked with the given inputs."""
        service = next((s for s in self.drg.services.values() if s.name == name or s.id == name), None) \
            if self.drg else None
        if service is None:
            raise NotFound(f"{self.filename}: no decision service {name!r}")
        context = self._conform_inputs(inputs or {})
        memo = {}
        for did in service.input_decisions:
            decision = self.decisions.get(did)
            if decision is not None:
                value = conform(to_feel(context.get(decision.name)), decision.variable_type, self.drg.item_defs)
                memo[did] = DecisionResult(did, [], [], None, None, value)
        values = {self.decisions[did].name: self._evaluate(did, context, memo, (), spec=True).value
                  for did in service.outputs if did in self.decisions}
        result = next(iter(values.values())) if len(values) == 1 else values
        if result is not None and conform(result, service.type_ref, self.drg.item_defs) is None:
            return {name: None for name in values}  # the service's result does not conform to its type
        return values

    def _service_function(self, service):
        def run(args):
            context = {}
            for (kind, ref), value in zip(service.order, args):
                if kind == "inputData" and ref in self.drg.inputs:
                    name, type_ref = self.drg.inputs[ref]
                elif ref in self.decisions:
                    name, type_ref = self.decisions[ref].name, self.decisions[ref].variable_type
                else:
                    continue
                conformed = conform(value, type_ref, self.drg.item_defs)
                if conformed is None and value is not None:
                    return None
                context[name] = conformed
            values = self.service_values(service.id, context)
            return next(iter(values.values())) if len(values) == 1 else values
        params = [self._ref_name(kind, ref) for kind, ref in service.order]
        return Function(service.name, params, run)

    def _ref_name(self, kind, ref):
        if kind == "inputData":
            return self.drg.inputs.get(ref, (ref, None))[0]
        return self.decisions[ref].name if ref in self.decisions else ref

    def _evaluate(self, decision_id, context, memo, stack, spec=False):
        if decision_id in memo:
            return memo[decision_id]
        decision = self.decision(decision_id)
        decision_id = decision.id
        if decision_id in stack:
            raise ModelError(f"{self.filename}: {decision_id}: cycle in required decisions: "
                             f"{' -> '.join(stack + (decision_id,))}")
        if decision.broken:
            raise ModelError(decision.broken)
        required = {}
        variables = context
        if decision.required or self._functions or self.imported:
            variables = self._scope()
            variables.update(context)
            for req in decision.required:
                result = self._evaluate(req, context, memo, stack + (decision_id,), spec)
                required[req] = result
                if not spec:
                    _publish(self.decisions[req], result, variables)
                if spec or self.decisions[req].name not in context:
                    variables[self.decisions[req].name] = result.value
            for href in decision.required_imports:
                self._publish_import(href, context, variables)
        where = f"{self.filename}:{decision.line}: decision {decision.id!r}"
        defs = self.drg.item_defs if self.drg else {}
        if decision.kind in ("literal", "boxed"):
            raw = to_feel(decision.compiled_expression(Env(variables)))
            value = conform(raw, decision.variable_type, defs)
            if decision.kind == "literal" and not spec:
                raw = coerce_type(raw, decision.variable_type, f"{where}: result {decision.variable!r}")
                value = raw
            result = DecisionResult(decision.id, [{decision.variable: to_python(value)}], [], None, required, value)
        else:
            outputs, matched = evaluate_table(decision, Env(variables), where)
            value = conform(table_value(decision, outputs), decision.variable_type, defs)
            result = DecisionResult(decision.id, outputs, matched, decision.hit_policy, required, value)
        memo[decision_id] = result
        return result

    def _publish_import(self, href, context, variables):
        namespace, did = href.split("#", 1)
        name = self.drg.imports.get(namespace)
        doc = self.imported.get(name)
        if doc is None or did not in doc.decisions:
            return
        prefix = name + "."
        inner = {k: v for k, v in context.items() if k.startswith("{")}
        inner.update({k[len(prefix):]: v for k, v in context.items() if k.startswith(prefix)})
        inner.update(context.get(name) if isinstance(context.get(name), dict) else {})
        space = dict(variables.get(name) or {}) if isinstance(variables.get(name), dict) else {}
        space[doc.decisions[did].name] = doc.decision_value(did, inner)
        variables[name] = space


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


def parse_dmn(data: bytes, filename: str = "<dmn>", *, strict: bool = True, imports=()) -> DmnDocument:
    """Parse and compile a DMN file. strict: raise ModelError on the first problem; otherwise keep
    all problems for `DmnDocument.problems()` (broken cells raise ModelError when evaluated).
    imports: paths of other DMN files; those whose namespace this file imports are loaded."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    drg = build_decisions(data, filename)
    decisions, problems = drg.decisions, drg.problems
    if strict and problems:
        lines = [f"{filename}:{line}: {element_id}: {message}" for line, element_id, message in problems]
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ModelError(lines[0] + more, details={"file": filename, "line": problems[0][0],
                                                   "element": problems[0][1], "problems": lines})
    document = DmnDocument(decisions, problems, filename, drg)
    if drg.imports:
        _load_imports(document, list(imports))
    return document


def _load_imports(document, paths):
    import re
    for path in paths:
        data = path.read_bytes()
        match = re.search(rb'<(?:\w+:)?definitions[^>]*?\snamespace="([^"]*)"', data)
        namespace = match.group(1).decode() if match else None
        if namespace in document.drg.imports and path.name != document.filename:
            name = document.drg.imports[namespace]
            document.imported[name] = parse_dmn(data, path.name, strict=False, imports=paths)
