"""DMN model: dataclasses and parsing of DMN 1.1-1.3 files as Camunda Modeler writes them.

Every cell is compiled once here. Problems are collected as (line, element_id, message); a strict
parse (the default) raises the first as ModelError, a lenient one keeps them for `zsa-flow check`
and turns broken cells into cells that raise ModelError when evaluated.
"""
from dataclasses import dataclass, field

from ..errors import ModelError
from ..xmlsafe import parse_xml
from .boxed import BoxedCompiler, child_expression
from .drg import ItemDefs, conform, conform_args
from .feel_eval import CompiledExpression, CompiledUnaryTests, to_python
from .feel_lexer import FeelSyntaxError
from .model_drg import read_drg
from .table import evaluate_table, table_value

DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",  # DMN 1.3 (Camunda Modeler 4+)
    "http://www.omg.org/spec/DMN/20180521/MODEL/",  # DMN 1.2
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",  # DMN 1.1
    "https://www.omg.org/spec/DMN/20211108/MODEL/",  # DMN 1.4
    "https://www.omg.org/spec/DMN/20230324/MODEL/",  # DMN 1.5
)
CAMUNDA_NS = "http://camunda.org/schema/1.0/dmn"
HIT_POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")
SINGLE_HIT = ("UNIQUE", "FIRST", "PRIORITY", "ANY")


@dataclass
class Input:
    id: str
    label: str
    expression: str
    type_ref: str | None
    input_variable: str = "cellInput"
    compiled: object = field(default=None, repr=False, compare=False)


@dataclass
class Output:
    id: str
    name: str
    label: str
    type_ref: str | None
    output_values: list = field(default_factory=list)  # literal values, for PRIORITY / OUTPUT ORDER
    default: str | None = None  # defaultOutputEntry text
    compiled_default: object = field(default=None, repr=False, compare=False)


@dataclass
class Rule:
    id: str
    input_entries: list[str]
    output_entries: list[str]
    description: str = ""
    line: int = 0
    tests: list = field(default_factory=list, repr=False, compare=False)  # CompiledUnaryTests
    conclusions: list = field(default_factory=list, repr=False, compare=False)  # CompiledExpression|None


@dataclass
class Decision:
    id: str
    name: str
    kind: str  # "table" or "literal"
    line: int = 0
    hit_policy: str = "UNIQUE"
    aggregation: str | None = None
    inputs: list[Input] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    required: list[str] = field(default_factory=list)  # ids of required decisions, in order
    required_imports: list[str] = field(default_factory=list)  # "namespace#id" of imported decisions
    expression: str | None = None  # literalExpression text
    variable: str | None = None  # literalExpression result name
    variable_type: str | None = None
    compiled_expression: object = field(default=None, repr=False, compare=False)
    broken: str | None = field(default=None, repr=False)  # why it cannot be evaluated at all

    @property
    def single_hit(self):
        """One result at most (a literal expression, or a single-hit / aggregating table)."""
        return self.kind != "table" or self.hit_policy in SINGLE_HIT or (self.hit_policy == "COLLECT" and self.aggregation is not None)

    @property
    def output_names(self):
        if self.kind != "table":
            return [self.variable]
        return [o.name for o in self.outputs]


class _Broken:
    """Stands in for a cell that did not compile (lenient parse): evaluation raises."""

    is_any = False

    def __init__(self, message):
        self.message = message

    def __call__(self, env):
        raise ModelError(self.message)

    def matches(self, env):
        raise ModelError(self.message)


def _text(element, ns, child="text"):
    if element is None:
        return None
    node = element.find(f"{{{ns}}}{child}")
    return None if node is None else (node.text or "").strip()


class _Builder:
    def __init__(self, tree, filename):
        self.filename = filename
        self.root = tree.getroot()
        self.ns = self.root.tag[1:].split("}")[0] if self.root.tag.startswith("{") else ""
        self.problems = []
        self.names = frozenset(n for n in (e.get("name") for e in self.root.iter() if isinstance(e.tag, str)) if n)
        self.item_defs = ItemDefs()
        if self.ns not in DMN_NAMESPACES or self.root.tag.split("}")[-1] != "definitions":
            raise ModelError(
                f"{filename}:{self.root.sourceline}: not a DMN file (root element {self.root.tag})",
                details={"file": filename, "line": self.root.sourceline},
            )

    def q(self, tag):
        return f"{{{self.ns}}}{tag}"

    def problem(self, element, element_id, message):
        line = getattr(element, "sourceline", None) or 0
        self.problems.append((line, element_id, message))
        return f"{self.filename}:{line}: {element_id}: {message}"

    def compile(self, factory, text, element, element_id, where):
        try:
            if factory is CompiledExpression:
                return factory(text, names=self.names, types=self.item_defs)
            return factory(text, names=self.names)
        except FeelSyntaxError as exc:
            return _Broken(self.problem(element, element_id, f"{where}: cell {text!r}: {exc}"))

    def conform_param(self, value, type_ref):
        return conform(value, type_ref, self.item_defs)

    def conform_args(self, args, types):
        return conform_args(args, types, self.item_defs)

    def build_table(self, element, owner_id):
        """A decision table inside a boxed expression, as fn(env) -> value."""
        table = Decision(id=owner_id, name=owner_id, kind="table", line=element.sourceline or 0)
        self.table(table, element)
        where = f"{self.filename}:{table.line}: decision {owner_id!r}"
        return lambda env: table_value(table, evaluate_table(table, env, where)[0])

    def build(self):
        read_drg(self)
        decisions = {}
        for element in self.root.iter(self.q("decision")):
            decision = self.decision(element)
            if decision.id in decisions:
                self.problem(element, decision.id, "duplicate decision id")
            decisions[decision.id] = decision
        for decision in decisions.values():
            for req in decision.required:
                if req not in decisions:
                    decision.broken = self.problem(
                        self._element_of(decision), decision.id, f"required decision {req!r} not found in this file")
        self._check_cycles(decisions)
        return decisions

    def _element_of(self, decision):
        for element in self.root.iter(self.q("decision")):
            if element.get("id") == decision.id:
                return element
        return None

    def _check_cycles(self, decisions):
        state = {}

        def visit(did, path):
            if state.get(did) == "done" or did not in decisions:
                return
            if state.get(did) == "active":
                cycle = path[path.index(did):] + [did]
                message = self.problem(self._element_of(decisions[did]), did,
                                       f"cycle in required decisions: {' -> '.join(cycle)}")
                for member in cycle:
                    decisions[member].broken = message
                return
            state[did] = "active"
            for req in decisions[did].required:
                visit(req, path + [did])
            state[did] = "done"

        for did in decisions:
            visit(did, [])

    def decision(self, element):
        did = element.get("id") or element.get("name") or ""
        if not element.get("id"):
            self.problem(element, "?", "decision without id")
        decision = Decision(id=did, name=element.get("name") or did, kind="table", line=element.sourceline or 0)
        for req in element.iter(self.q("requiredDecision")):
            href = req.get("href") or ""
            if "#" in href and href.split("#")[0] == self.root.get("namespace"):
                href = "#" + href.split("#", 1)[1]  # a qualified reference into this model
            if "#" in href and href.split("#")[0] in self.imports:
                decision.required_imports.append(href)
                continue
            if not href.startswith("#"):
                self.problem(req, did, f"requiredDecision href {href!r} must point into this file ('#id')")
                continue
            decision.required.append(href[1:])
        table = element.find(self.q("decisionTable"))
        literal = element.find(self.q("literalExpression"))
        variable = element.find(self.q("variable"))
        if variable is not None:
            decision.variable_type = variable.get("typeRef")
        boxed = child_expression(element)
        if table is not None:
            self.table(decision, table)
        elif literal is not None:
            self.literal(decision, element, literal)
        elif boxed is not None:
            decision.kind = "boxed"
            decision.hit_policy = None
            decision.variable = (variable.get("name") if variable is not None else None) or decision.name
            decision.compiled_expression = BoxedCompiler(self, did).compile(boxed)
        else:
            decision.broken = self.problem(
                element, did, "decision has no decision logic (no decision table, literal or boxed expression)")
        return decision

    def literal(self, decision, element, literal):
        decision.kind = "literal"
        decision.hit_policy = None
        variable = element.find(self.q("variable"))
        decision.variable = (variable.get("name") if variable is not None else None) or decision.id
        decision.variable_type = variable.get("typeRef") if variable is not None else None
        decision.expression = _text(literal, self.ns) or ""
        decision.compiled_expression = self.compile(
            CompiledExpression, decision.expression, literal, decision.id, "literal expression")

    def table(self, decision, table):
        did = decision.id
        policy = (table.get("hitPolicy") or "UNIQUE").upper().replace("_", " ")
        if policy not in HIT_POLICIES:
            self.problem(table, did, f"unknown hit policy {policy!r}")
            policy = "UNIQUE"
        decision.hit_policy = policy
        aggregation = table.get("aggregation")
        if aggregation:
            aggregation = aggregation.upper()
            if aggregation not in AGGREGATIONS:
                self.problem(table, did, f"unknown aggregation {aggregation!r}")
                aggregation = None
            elif policy != "COLLECT":
                self.problem(table, did, f"aggregation {aggregation} requires hit policy COLLECT")
                aggregation = None
        decision.aggregation = aggregation

        for index, element in enumerate(table.findall(self.q("input")), 1):
            expr_el = element.find(self.q("inputExpression"))
            text = _text(expr_el, self.ns) or ""
            inp = Input(
                id=element.get("id") or f"input{index}",
                label=element.get("label") or text,
                expression=text,
                type_ref=expr_el.get("typeRef") if expr_el is not None else None,
                input_variable=element.get(f"{{{CAMUNDA_NS}}}inputVariable") or "cellInput",
            )
            if not text:
                inp.compiled = _Broken(self.problem(element, did, f"input {inp.label or inp.id!r} has no expression"))
            else:
                inp.compiled = self.compile(CompiledExpression, text, expr_el, did, f"input expression {inp.label!r}")
            decision.inputs.append(inp)

        for index, element in enumerate(table.findall(self.q("output")), 1):
            out = Output(
                id=element.get("id") or f"output{index}",
                name=element.get("name") or element.get("label") or element.get("id") or f"output{index}",
                label=element.get("label") or "",
                type_ref=element.get("typeRef"),
            )
            values_text = _text(element.find(self.q("outputValues")), self.ns)
            if values_text:
                out.output_values = self.literal_list(values_text, element, did, out.name)
            default_text = _text(element.find(self.q("defaultOutputEntry")), self.ns)
            if default_text:
                out.default = default_text
                out.compiled_default = self.compile(
                    CompiledExpression, default_text, element, did, f"default output {out.name!r}")
            decision.outputs.append(out)
        if not decision.outputs:
            self.problem(table, did, "decision table has no output")
        if aggregation and len(decision.outputs) != 1:
            self.problem(table, did, f"aggregation {aggregation} needs exactly one output, "
                                     f"found {len(decision.outputs)}")
        if policy in ("PRIORITY", "OUTPUT ORDER") and not any(o.output_values for o in decision.outputs):
            self.problem(table, did, f"hit policy {policy} needs output values (priority list) on an output")

        for index, element in enumerate(table.findall(self.q("rule")), 1):
            decision.rules.append(self.rule(decision, element, index))

    def literal_list(self, text, element, did, name):
        try:
            tests = CompiledUnaryTests(text)
            values = []
            for test in tests.ast[1] if tests.ast[0] == "tests" else []:
                if test[0] != "ut_expr" or test[1][0] != "lit":
                    raise FeelSyntaxError("output values must be literals")
                values.append(to_python(test[1][1]))
            return values
        except FeelSyntaxError as exc:
            self.problem(element, did, f"output values of {name!r}: {text!r}: {exc}")
            return []

    def rule(self, decision, element, index):
        did = decision.id
        rid = element.get("id") or f"rule{index}"
        inputs = [(e, _text(e, self.ns) or "") for e in element.findall(self.q("inputEntry"))]
        outputs = [(e, _text(e, self.ns) or "") for e in element.findall(self.q("outputEntry"))]
        rule = Rule(
            id=rid, input_entries=[t for _, t in inputs], output_entries=[t for _, t in outputs],
            description=_text(element, self.ns, "description") or "", line=element.sourceline or 0,
        )
        if len(inputs) != len(decision.inputs) or len(outputs) != len(decision.outputs):
            message = self.problem(
                element, did, f"rule {rid}: has {len(inputs)} input and {len(outputs)} output entries, "
                              f"the table has {len(decision.inputs)} inputs and {len(decision.outputs)} outputs")
            rule.tests = [_Broken(message)]
            return rule
        for (cell, text), inp in zip(inputs, decision.inputs):
            where = f"rule {rid}: input {inp.label or inp.id!r}"
            rule.tests.append(self.compile(
                lambda t, names, var=inp.input_variable: CompiledUnaryTests(t, var, names), text, cell, did, where))
        for (cell, text), out in zip(outputs, decision.outputs):
            if not text:
                rule.conclusions.append(None)  # empty output entry: the output is not set (Camunda)
                continue
            conclusion = self.compile(CompiledExpression, text, cell, did, f"rule {rid}: output {out.name!r}")
            rule.conclusions.append(conclusion)
            if out.output_values and decision.hit_policy in ("PRIORITY", "OUTPUT ORDER") \
                    and isinstance(conclusion, CompiledExpression) and conclusion.is_literal \
                    and to_python(conclusion.constant()) not in out.output_values:
                self.problem(cell, did, f"rule {rid}: output {out.name!r} value {text} is not in the "
                                        f"output values {out.output_values}")
        return rule


def build_decisions(data: bytes, filename: str):
    """Parse DMN bytes -> the builder: .decisions (by id), .problems, .bkms, .services, .inputs,
    .item_defs, .imports (see model_drg.py)."""
    builder = _Builder(parse_xml(data, filename), filename)
    builder.decisions = builder.build()
    return builder
