"""What a simulated person enters, so that the gateways after the task take a sampled branch.

Branches are sampled from the zsa:probability of the gateway's flows with a random number that
belongs to the case and the variable the gateway reads (common random numbers across variants);
the form values that make the model's own condition pick that branch are then found by trying the
literals of the conditions, booleans and the field's options. Gateways that scripts decide from
the case data are left to the engine.
"""
import ast
import zlib
from datetime import date
from itertools import product
from random import Random


def condition_names(text: str) -> list:
    """Variable names a condition reads, in order of appearance."""
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names and node.id not in ("True", "False", "None"):
            names.append(node.id)
    return names


def _literals(text: str) -> list:
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return []
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)]


class GatewayChoice:
    """One exclusive gateway: its flows in decision order (conditioned, then default) and odds."""

    def __init__(self, gateway_id, flows, default_id):
        conditioned = [f for f in flows if f.condition and f.id != default_id]
        default = [f for f in flows if f.id == default_id or not f.condition]
        self.id = gateway_id
        self.flows = conditioned + default[:1]
        self.conditioned = conditioned
        given = [f.probability for f in self.flows]
        if any(p is None for p in given):
            given = [1.0 / len(self.flows)] * len(self.flows)
        total = sum(given) or 1.0
        self.odds = [p / total for p in given]
        self.names = []
        for f in conditioned:
            self.names.extend(n for n in condition_names(f.condition) if n not in self.names)
        self.key = self.names[0] if self.names else gateway_id
        self.literals = [v for f in conditioned for v in _literals(f.condition)]

    def positive_share(self):
        return self.odds[0] if self.conditioned else None

    def pick(self, u: float) -> int:
        acc = 0.0
        for index, p in enumerate(self.odds):
            acc += p
            if u < acc:
                return index
        return len(self.odds) - 1


class ModelDecisions:
    """The exclusive gateways of one process model and the form fields that decide them."""

    def __init__(self, model, definition):
        self.gateways = [GatewayChoice(g, flows, model.defaults.get(g)) for g, flows in model.gateways.items()
                         if len(flows) > 1]
        self.share = {}
        for g in self.gateways:
            if g.names and g.positive_share() is not None:
                self.share.setdefault(g.key, g.positive_share())
        self.evaluate = definition.script_engine.environment.evaluate
        self.forms = definition.forms
        self.by_form = {}
        for form_id, form in definition.forms.items():
            keys = {f.key for f in form.fields if len(f.path) == 1}
            deciding = [g for g in self.gateways if keys & set(g.names)]
            self.by_form[form_id] = (form, keys, deciding)
        self._solved = {}

    def form_data(self, form_ref, case_data: dict, facts, today: date) -> dict:
        """The values a person enters in `form_ref`: decisions for the gateways it feeds, the case's
        current values (or plain defaults) for every other field."""
        if not form_ref or form_ref not in self.by_form:
            return {}
        form, keys, deciding = self.by_form[form_ref]
        data = {}
        for f in form.fields:
            if len(f.path) == 1 and f.key not in case_data and f.type != "expression":  # computed, not entered
                data[f.key] = _default(f, today)
        for gateway in deciding:
            index = facts.branch(gateway)
            data.update(self._solve(gateway, index, keys, case_data | data))
        return data

    def _solve(self, gateway, index, keys, context):
        own = [n for n in gateway.names if n in keys]
        others = tuple((n, _hashable(context.get(n))) for n in gateway.names if n not in keys)
        cache_key = (gateway.id, index, others)
        if cache_key in self._solved:
            return self._solved[cache_key]
        candidates = []
        for name in own:
            values = list(dict.fromkeys([*gateway.literals, True, False]))
            candidates.append(values)
        found = {}
        for combo in product(*candidates):
            trial = context | dict(zip(own, combo))
            taken = len(gateway.flows) - 1
            for i, flow in enumerate(gateway.conditioned):
                if self._true(flow.condition, trial):
                    taken = i
                    break
            if taken == index:
                found = dict(zip(own, combo))
                break
        self._solved[cache_key] = found
        return found

    def _true(self, condition, context):
        try:
            return bool(self.evaluate(condition, dict(context)))
        except Exception:
            return False


def _hashable(value):
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def _default(field, today):
    if field.default is not None:
        return field.default
    kind = field.type
    if kind == "dynamiclist":
        return []
    if kind == "checkbox":
        return bool(field.required)
    if kind == "number":
        return int(field.min) if field.min is not None else 1
    if kind in ("select", "radio") and field.options:
        return field.options[0].value
    if kind == "checklist":
        return []
    if kind == "datetime":
        return today.isoformat()
    return "Simulation" if field.required else ""


class CaseFacts:
    """The random numbers of one case, by variable and visit (common across variants)."""

    def __init__(self, seed: int, decisions: ModelDecisions):
        self.seed = seed
        self.decisions = decisions
        self.overrides = {}
        self.visits = {}

    def uniform(self, name: str, visit: int = 0) -> float:
        return Random(self.seed * 1_000_003 + zlib.crc32(f"{name}#{visit}".encode())).random()

    def fact(self, name: str, default: float) -> bool:
        """True with the model's share for the positive branch of the gateway reading `name`."""
        if name in self.overrides:
            return bool(self.overrides[name])
        return self.uniform(name) < self.decisions.share.get(name, default)

    def branch(self, gateway: GatewayChoice) -> int:
        if gateway.key in self.overrides and len(gateway.flows) == 2:
            return 0 if self.overrides[gateway.key] else 1
        visit = self.visits.get(gateway.id, 0)
        self.visits[gateway.id] = visit + 1
        return gateway.pick(self.uniform(gateway.key, visit))
