"""Sandbox for untrusted BPMN scripts and expressions (script tasks, conditions, timers, due dates).

Every source is parsed, checked against a policy (no imports, classes, decorators, generators,
`with`, `match`, `global`, no names/attributes starting with `_`, no frame or `format` attributes,
no `eval`/`open`/`type`/... names) and compiled with RestrictedPython plus a transformer of ours
that routes `+ * ** << %` and f-string values through size guards (`script_guards`) and calls a
deadline check at the top of every loop body, comprehension step, function and lambda call. The
check needs neither signals nor `sys.settrace`, so it works in any thread; once expired it raises on
every later check, and a run that swallowed it with a bare `except:` is failed afterwards anyway.

Task data written by a script must be JSON-compatible: Decimal becomes its string (money travels
as text), date/datetime their ISO string, tuples lists; sets, generators, non-finite floats,
non-text keys and anything else are rejected naming the variable. Top-level functions a script
defines are dropped, as SpiffWorkflow does. Nothing is written back when a script fails (in-place
changes of existing lists/dicts excepted). Memory is bounded per operation, not per run, so the
process needs an OS memory limit as well.
"""
import ast
import math
import re
import sys
import textwrap
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, IOPERATOR_TO_STR, RestrictingNodeTransformer
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .script_guards import BUILTINS, GUARDS, MAX_FORMAT_WIDTH, MAX_ITEMS, SandboxViolation

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
RESULT_TYPES = (type(None), bool, int, float, str, list, tuple, dict, set, Decimal, date, datetime, timedelta)


class ScriptError(Exception):
    """A script or expression failed; `message` is user-facing, `line` is the script line or None."""

    def __init__(self, message, line=None, error_type="ScriptError"):
        super().__init__(message)
        self.message, self.line, self.error_type = message, line, error_type


# ----------------------------------------------------------------------------- static policy
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
def _analyse(source, mode):
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
    _, problems, free = _analyse(source, mode)
    found = sorted(set(problems) | {(line, f"'{name}' ist nicht erlaubt") for line, name in free})
    return [f"Line {line}: {message}" for line, message in found]


def check_script(source) -> list[str]:
    """Syntax and policy problems of a script task's script, without running it."""
    return _report(textwrap.dedent(source or ""), "exec")


def check_expression(source) -> list[str]:
    """Syntax and policy problems of a condition / timer / due-date expression, without running it."""
    return _report((source or "").strip(), "eval")


# ----------------------------------------------------------------------------- running
class _Deadline:
    __slots__ = ("limit", "end", "line")

    def __init__(self, limit):
        self.limit, self.end, self.line = limit, time.monotonic() + limit, None

    def tick(self):
        if time.monotonic() > self.end:
            if self.line is None:
                self.line = sys._getframe(1).f_lineno
            raise SandboxViolation(self.message())
        return True

    def message(self):
        return f"Zeitlimit von {self.limit:g} s überschritten (Endlosschleife?)"


def _script_line(tb):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(error):
    if isinstance(error, NameError) and getattr(error, "name", None):
        return f"Name '{error.name}' ist nicht definiert"
    if isinstance(error, ZeroDivisionError):
        return "Division durch null"
    if isinstance(error, KeyError) and error.args:
        return f"Schlüssel {error.args[0]!r} ist nicht vorhanden"
    return f"{type(error).__name__}: {error}"


class _Json:
    """Converts a script's variables to JSON-compatible task data, with a total size budget."""

    def __init__(self):
        self.budget = MAX_ITEMS

    def convert(self, value, path, depth=0):
        self.budget -= 1
        if self.budget < 0 or depth > 100:
            raise ScriptError(f"Variable '{path}' ist zu groß oder zu tief verschachtelt", error_type="DataError")
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return value
        if isinstance(value, Decimal) and value.is_finite():
            return str(value)
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, dict):
            bad = next((k for k in value if not isinstance(k, str)), None)
            if bad is not None:
                raise ScriptError(f"Variable '{path}': Schlüssel {bad!r} ist kein Text", error_type="DataError")
            return {k: self.convert(v, f"{path}.{k}", depth + 1) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.convert(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
        hint = " (Menge: list(...) verwenden)" if isinstance(value, (set, frozenset)) else ""
        raise ScriptError(f"Variable '{path}': Wert vom Typ '{type(value).__name__}' kann nicht in den "
                          f"Falldaten gespeichert werden{hint}", error_type="DataError")


class SandboxEnvironment(TaskDataEnvironment):
    """SpiffWorkflow environment that runs everything restricted; `globals` are the domain functions."""

    def __init__(self, functions=None, time_limit=2.0):
        super().__init__(dict(functions or {}))
        self.time_limit = time_limit

    def evaluate(self, expression, context, external_context=None):
        code = self._code(str(expression).strip(), "eval", context, external_context)
        result = self._run(code, self._namespace(context, external_context))
        if not isinstance(result, RESULT_TYPES):
            raise ScriptError(f"Ausdruck liefert einen Wert vom Typ '{type(result).__name__}'", 1)
        return result

    def execute(self, script, context, external_context=None):
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        namespace = self._namespace(context, external_context)
        self._run(self._code(textwrap.dedent(script), "exec", context, external_context), namespace)
        reserved = set(self.globals) | set(external_context)
        json, new = _Json(), {}
        for key, value in namespace.items():
            if not (key.startswith("_") or key in reserved or callable(value)):
                new[key] = json.convert(value, key)
        for key in [k for k in context if not k.startswith("_") and k not in namespace]:
            del context[key]  # `del x` in the script
        context.update(new)
        return True

    def check_for_overwrite(self, context, external_context):
        clash = sorted((set(self.globals) | set(external_context)) & set(context))
        if clash:
            raise ScriptError(f"Falldaten überdecken freigegebene Funktionen ({', '.join(clash)}); "
                              "bitte die Felder umbenennen", error_type="DataError")

    def _code(self, source, mode, context, external_context):
        code, problems, free = _analyse(source, mode)
        if problems:
            raise ScriptError(problems[0][1], problems[0][0], "PolicyViolation")
        known = set(context) | set(external_context or ()) | set(self.globals)
        for line, name in free:
            if name not in known:
                raise ScriptError(f"'{name}' ist nicht erlaubt", line, "PolicyViolation")
        return code

    def _namespace(self, context, external_context):
        namespace = dict(self.globals)
        namespace.update(external_context or {})
        namespace.update(context)
        for key in [k for k in namespace if k.startswith("_")]:
            del namespace[key]
        namespace.update(GUARDS)
        namespace["__builtins__"] = BUILTINS
        return namespace

    def _run(self, code, namespace):
        deadline = _Deadline(self.time_limit)
        namespace["_zsa_tick_"] = deadline.tick
        try:
            result = eval(code, namespace)
        except SandboxViolation as violation:
            raise ScriptError(str(violation), _script_line(violation.__traceback__), "SandboxViolation") from None
        except RecursionError as error:
            raise ScriptError("Rekursion zu tief (eine Funktion ruft sich zu oft selbst auf)",
                              _script_line(error.__traceback__), "RecursionError") from None
        except Exception as error:
            raise ScriptError(_describe(error), _script_line(error.__traceback__), type(error).__name__) from error
        if deadline.line is not None:
            raise ScriptError(deadline.message(), deadline.line, "SandboxViolation")
        return result


def _task_error(task, kind, source, error):
    spec = task.task_spec
    name = getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or spec.name
    where = f" Zeile {error.line}" if error.line and kind == "Skript" else ""
    message = f"{kind} in '{name}'{where}: {error.message}"
    if kind == "Ausdruck":
        message += f" (Ausdruck: {textwrap.shorten(str(source), 120)!r})"
    lines = str(source).strip().splitlines() if kind == "Ausdruck" else textwrap.dedent(source).splitlines()
    error_line = lines[error.line - 1] if error.line and 0 < error.line <= len(lines) else ""
    wrapped = WorkflowTaskException(message, task=task, line_number=error.line, error_line=error_line)
    wrapped.error_type = error.error_type
    return wrapped


class ZsaScriptEngine(PythonScriptEngine):
    """SpiffWorkflow script engine running scripts/expressions in the sandbox with a time limit."""

    def __init__(self, functions=None, time_limit=2.0):
        super().__init__(environment=SandboxEnvironment(functions, time_limit))

    def _guarded(self, task, kind, source, run):
        try:
            return run()
        except ScriptError as error:
            raise _task_error(task, kind, source, error) from error
        except SpiffWorkflowException:
            raise
        except Exception as error:
            raise _task_error(task, kind, source, ScriptError(_describe(error), None, type(error).__name__)) from error

    def evaluate(self, task, expression, external_context=None):
        return self._guarded(task, "Ausdruck", expression,
                             lambda: self.environment.evaluate(expression, task.data, external_context))

    def execute(self, task, script, external_context=None):
        return self._guarded(task, "Skript", script,
                             lambda: self.environment.execute(script, task.data, external_context or {}))
