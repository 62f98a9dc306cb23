"""Static policy and restricted compilation for BPMN scripts and expressions (see `script_engine`).

The policy rejects imports, classes, decorators, generators, `with`, `match`, `global`, names and
attributes starting with `_`, frame/code/`format`/`mro` attributes, `exec`/`eval`/`print`, and
reports uses of dangerous builtins (`open`, `getattr`, `type`, `vars`, ...) that the script does
not define itself. The transformer extends RestrictedPython's: `+ * ** << %`, augmented item
assignment and f-string values go through the size guards in `script_guards`, and every loop body,
comprehension step, function and lambda call first calls the deadline check `_zsa_tick_`.
"""
import ast
import re
import textwrap
from functools import lru_cache

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, IOPERATOR_TO_STR, RestrictingNodeTransformer

from .script_guards import MAX_FORMAT_WIDTH

FILENAME = "<bpmn-script>"
JUEL = re.compile(r"[$#]\{")
JUEL_MESSAGE = "JUEL expression not supported, write Python (JUEL-Ausdruck wird nicht unterstützt)"
FORBIDDEN_NAMES = frozenset(
    "eval exec compile open getattr setattr delattr hasattr globals locals vars dir type object super "
    "breakpoint input help exit quit memoryview bytearray bytes classmethod staticmethod property "
    "print format id iter next issubclass callable".split())
ALWAYS_FORBIDDEN_NAMES = frozenset({"exec", "eval", "print", "printed", "breakpoint", "builtins"})
FORBIDDEN_NODES = {
    ast.Import: "import ist nicht erlaubt", ast.ImportFrom: "import ist nicht erlaubt",
    ast.ClassDef: "Klassendefinitionen sind nicht erlaubt", ast.With: "'with' ist nicht erlaubt",
    ast.Yield: "Generatoren (yield) sind nicht erlaubt", ast.YieldFrom: "Generatoren (yield) sind nicht erlaubt",
    ast.AsyncFunctionDef: "async ist nicht erlaubt", ast.Await: "await ist nicht erlaubt",
    ast.AsyncFor: "async ist nicht erlaubt", ast.AsyncWith: "async ist nicht erlaubt",
    ast.Match: "'match' ist nicht erlaubt", ast.TryStar: "'except*' ist nicht erlaubt",
    ast.Global: "'global' ist nicht erlaubt", ast.Nonlocal: "'nonlocal' ist nicht erlaubt",
}
FORBIDDEN_ATTRIBUTES = {"mro", "format", "format_map"} | set(INSPECT_ATTRIBUTES)
GUARDED_OPS = {ast.Add: "+", ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<", ast.Mod: "%"}


class _Policy(ast.NodeVisitor):
    def __init__(self):
        self.problems, self.free, self.assigned = set(), set(), set()

    def _bad(self, node, message):
        self.problems.add((getattr(node, "lineno", 1), message))

    def generic_visit(self, node):
        if type(node) in FORBIDDEN_NODES:
            self._bad(node, FORBIDDEN_NODES[type(node)])
        super().generic_visit(node)

    def _name(self, node, name, assigned=True):
        if name and name.startswith("_"):
            self._bad(node, f"Name '{name}' ist nicht erlaubt")
        elif name and assigned:
            self.assigned.add(name)

    def visit_Name(self, node):
        self._name(node, node.id, not isinstance(node.ctx, ast.Load))
        if node.id in ALWAYS_FORBIDDEN_NAMES:
            self._bad(node, f"'{node.id}' ist nicht erlaubt")
        elif isinstance(node.ctx, ast.Load) and node.id in FORBIDDEN_NAMES:
            self.free.add((node.lineno, node.id))

    def visit_Attribute(self, node):
        if node.attr.startswith("_") or node.attr in FORBIDDEN_ATTRIBUTES:
            self._bad(node, f"Zugriff auf '{node.attr}' ist nicht erlaubt")
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        if node.decorator_list:
            self._bad(node, "Dekoratoren sind nicht erlaubt")
        self._name(node, node.name)
        self.generic_visit(node)

    def visit_arg(self, node):
        self._name(node, node.arg)

    def visit_keyword(self, node):
        self._name(node.value, node.arg, False)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        self._name(node, node.name)
        self.generic_visit(node)

    def visit_FormattedValue(self, node):
        for part in node.format_spec.values if node.format_spec else ():
            if isinstance(part, ast.FormattedValue):
                self._bad(node, "verschachtelte Formatangaben in f-Strings sind nicht erlaubt")
            elif any(int(n) > MAX_FORMAT_WIDTH for n in re.findall(r"\d+", str(part.value))):
                self._bad(node, f"Formatbreite über {MAX_FORMAT_WIDTH} ist nicht erlaubt")
        self.visit(node.value)


def _call(name, args, ref):
    node = ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[])
    for child in ast.walk(node):
        if "lineno" in child._attributes and not hasattr(child, "lineno"):
            ast.copy_location(child, ref)
    return node


class _Transformer(RestrictingNodeTransformer):
    """RestrictedPython's transformer plus size guards and deadline checks."""

    def _tick(self, ref):
        return ast.copy_location(ast.Expr(_call("_zsa_tick_", [], ref)), ref)

    def visit_BinOp(self, node):
        node = self.node_contents_visit(node)
        symbol = GUARDED_OPS.get(type(node.op))
        if symbol is None:
            return node
        return _call("_zsa_binop_", [ast.Constant(symbol), node.left, node.right], node)

    def visit_FormattedValue(self, node):
        node = self.node_contents_visit(node)
        node.value = _call("_zsa_fmt_", [node.value], node.value)
        return node

    def visit_AugAssign(self, node):
        target = node.target
        if not isinstance(target, ast.Subscript) or isinstance(target.slice, ast.Slice):
            return super().visit_AugAssign(node)
        args = [self.visit(target.value), self.visit(target.slice),
                ast.Constant(IOPERATOR_TO_STR[type(node.op)][:-1]), self.visit(node.value)]
        return ast.copy_location(ast.Expr(_call("_zsa_augitem_", args, node)), node)

    def _with_tick(self, node, visit):
        node = visit(node)
        node.body.insert(0, self._tick(node))
        return node

    def visit_While(self, node):
        return self._with_tick(node, super().visit_While)

    def visit_For(self, node):
        return self._with_tick(node, super().visit_For)

    def visit_FunctionDef(self, node):
        return self._with_tick(node, super().visit_FunctionDef)

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        node.body = ast.copy_location(ast.BoolOp(ast.And(), [_call("_zsa_tick_", [], node), node.body]), node)
        return node

    def visit_comprehension(self, node):
        node = super().visit_comprehension(node)
        node.ifs.insert(0, _call("_zsa_tick_", [], node.iter))
        return node


@lru_cache(maxsize=4096)
def analyse(source, mode):
    """(code or None, problems ((line, message), ...), forbidden free names ((line, name), ...))."""
    try:
        tree = ast.parse(source, FILENAME, mode)
    except SyntaxError as error:
        message = JUEL_MESSAGE if JUEL.search(source) else f"Syntaxfehler: {error.msg}"
        return None, ((error.lineno or 1, message),), ()
    policy = _Policy()
    policy.visit(tree)
    free = tuple(sorted((line, name) for line, name in policy.free if name not in policy.assigned))
    if policy.problems:
        return None, tuple(sorted(policy.problems)), free
    result = (compile_restricted_eval if mode == "eval" else compile_restricted_exec)(tree, FILENAME, policy=_Transformer)
    problems = []
    for error in result.errors:
        found = re.match(r"\(?[Ll]ine (\d+)\)?:?\s*(.*)", error)
        problems.append((int(found[1]), found[2]) if found else (1, error))
    return result.code, tuple(problems), free


def _report(source, mode):
    if not source.strip():
        return ["Ausdruck ist leer"] if mode == "eval" else []
    _, problems, free = analyse(source, mode)
    found = sorted(set(problems) | {(line, f"'{name}' ist nicht erlaubt") for line, name in free})
    return [f"Line {line}: {message}" for line, message in found]


def check_script(source) -> list[str]:
    """Syntax and policy problems of a script task's script, without running it."""
    return _report(textwrap.dedent(source or ""), "exec")


def check_expression(source) -> list[str]:
    """Syntax and policy problems of a condition / timer / due-date expression, without running it."""
    return _report((source or "").strip(), "eval")
