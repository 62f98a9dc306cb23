"""Boxed expressions -> closures fn(env) -> FEEL value: literal expressions, contexts,
invocations, relations, lists, function definitions, decision tables, conditionals and the
DMN 1.5 iterators (for / some / every) and filters."""
from .feel_builtins import invoke
from .feel_eval import CompiledExpression
from .feel_loops import for_loop, quantified_loop
from .feel_java import java_function
from .feel_types import Function

EXPRESSIONS = ("literalExpression", "context", "invocation", "relation", "list", "functionDefinition",
               "decisionTable", "conditional", "for", "some", "every", "filter")


def local(element):
    return element.tag.split("}")[-1] if isinstance(element.tag, str) else ""


def child_expression(element):
    """The boxed expression directly inside an element (None if there is none)."""
    for child in element:
        if local(child) in EXPRESSIONS:
            return child
    return None


def _null(env):
    return None


class BoxedCompiler:
    """Compiles boxed expressions for a model builder (`builder.compile`, `builder.build_table`,
    `builder.conform_param`, `builder.conform_args`)."""

    def __init__(self, builder, owner_id):
        self.builder = builder
        self.owner = owner_id

    def compile(self, element):
        if element is None:
            return _null
        fn = getattr(self, "_" + local(element).lower())(element)
        type_ref = element.get("typeRef")
        if type_ref and local(element) != "decisionTable":
            return lambda env: self.builder.conform_param(fn(env), type_ref)
        return fn

    def _child(self, element, name):
        for child in element:
            if local(child) == name:
                return self.compile(child_expression(child))
        return _null

    def _literalexpression(self, element):
        text = "".join(c.text or "" for c in element if local(c) == "text").strip()
        if not text:
            return _null
        compiled = self.builder.compile(CompiledExpression, text, element, self.owner, "expression")
        return compiled

    def _context(self, element):
        entries = []
        for entry in element:
            if local(entry) != "contextEntry":
                continue
            variable = next((c for c in entry if local(c) == "variable"), None)
            name = variable.get("name") if variable is not None else None
            entries.append((name, self.compile(child_expression(entry))))

        def context(env):
            scope = env.child({})
            result = {}
            for name, fn in entries:
                value = fn(scope)
                if name is None:
                    return value
                result[name] = value
                scope.locals[name] = value
            return result
        return context

    def _list(self, element):
        items = [self.compile(c) for c in element if local(c) in EXPRESSIONS]
        return lambda env: [f(env) for f in items]

    def _relation(self, element):
        columns = [c.get("name") for c in element if local(c) == "column"]
        rows = [[self.compile(c) for c in row if local(c) in EXPRESSIONS]
                for row in element if local(row) == "row"]

        def relation(env):
            return [dict(zip(columns, (f(env) for f in row))) for row in rows]
        return relation

    def _invocation(self, element):
        callee = self.compile(child_expression(element))
        bindings = []
        for binding in element:
            if local(binding) != "binding":
                continue
            param = next((c for c in binding if local(c) == "parameter"), None)
            bindings.append((param.get("name") if param is not None else "", self.compile(child_expression(binding))))

        def invocation(env):
            fn = callee(env)
            if not isinstance(fn, Function):
                return None
            return invoke(fn, None, {name: value(env) for name, value in bindings})
        return invocation

    def _functiondefinition(self, element):
        params = [(p.get("name"), p.get("typeRef")) for p in element if local(p) == "formalParameter"]
        kind = element.get("kind") or "FEEL"
        body = self.compile(child_expression(element))
        names = [p for p, _ in params]
        if kind != "FEEL":
            impl = body if kind == "Java" else (lambda env: None)
            return lambda env: Function("external", names, java_function(impl(env)) or (lambda args: None))

        def make(env):
            def run(args):
                args = self.builder.conform_args(args, [t for _, t in params])
                if args is None:
                    return None
                return body(env.child(dict(zip(names, args))))
            return Function("anonymous", names, run)
        return make

    def _decisiontable(self, element):
        return self.builder.build_table(element, self.owner)

    def _conditional(self, element):
        cond, then, other = self._child(element, "if"), self._child(element, "then"), self._child(element, "else")

        def conditional(env):
            test = cond(env)
            if test is not None and not isinstance(test, bool):
                return None
            return then(env) if test is True else other(env)
        return conditional

    def _iteration(self, element, body_tag):
        var = element.get("iteratorVariable") or "item"
        source = self._child(element, "in")
        body = self._child(element, body_tag)
        return [(var, source)], body

    def _for(self, element):
        contexts, body = self._iteration(element, "return")
        return for_loop(contexts, body)

    def _quantified(self, element, every):
        contexts, cond = self._iteration(element, "satisfies")
        return quantified_loop(contexts, cond, every)

    def _some(self, element):
        return self._quantified(element, False)

    def _every(self, element):
        return self._quantified(element, True)

    def _filter(self, element):
        source, match = self._child(element, "in"), self._child(element, "match")

        def filtered(env):
            items = source(env)
            if items is None:
                return None
            result = []
            for item in items if isinstance(items, list) else [items]:
                bindings = {"item": item}
                if isinstance(item, dict):
                    bindings.update(item)
                outcome = match(env.child(bindings))
                if outcome is not None and not isinstance(outcome, bool):
                    return None
                if outcome is True:
                    result.append(item)
            return result
        return filtered
