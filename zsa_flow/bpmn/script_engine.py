"""Sandbox for untrusted BPMN scripts and expressions (script tasks, conditions, timers, due dates).

Every source is checked against a static policy and compiled with RestrictedPython plus our own
transformer (`script_policy`); it runs with the guards and the small builtin set of `script_guards`
(per-type attribute allow-list, size checks) and the allow-listed domain `functions`. The time
bound is a deadline check the transformer puts at the top of every loop body, comprehension step,
function and lambda call: it needs neither signals nor `sys.settrace`, so it works in any thread;
once expired it raises on every later check, and a run that swallowed it with a bare `except:` is
failed afterwards anyway. Results are bounded in bytes as their JSON (`limits.max_value_bytes()` per
variable or expression result). Failures raise `ScriptError` (environment level) and SpiffWorkflow's
`WorkflowTaskException` (engine level, "Skript in 'Task' Zeile 3: ...").

Task data written by a script must be JSON-compatible: Decimal becomes its string (money travels
as text), date/datetime their ISO string, tuples lists; sets, generators, non-finite floats,
non-text keys and anything else are rejected naming the variable. Top-level functions a script
defines are dropped, as SpiffWorkflow does. Nothing is written back when a script fails (in-place
changes of existing lists/dicts excepted). Memory is bounded per operation, not per run, so the
process needs an OS memory limit as well: `IsolatedEnvironment` (what `make_script_engine` uses
in production) runs the same sandbox in a pool of limited worker processes (`script_pool`,
`script_worker`) with a wall-clock deadline that holds inside a single C call; the policy check
and restricted compilation still happen here first, so a forbidden script never reaches a worker.
"""
import math
import sys
import textwrap
import time
from datetime import date, datetime, timedelta
from decimal import Decimal, Overflow, localcontext
from functools import lru_cache
from operator import methodcaller

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .. import limits
from . import script_codec
from .script_guards import BUILTINS, GUARDS, MAX_DECIMAL_EXPONENT, MAX_ITEMS, SandboxViolation
from .script_policy import FILENAME, analyse, check_expression, check_script

__all__ = ["ZsaScriptEngine", "SandboxEnvironment", "ScriptError", "check_script", "check_expression"]

_dedent = lru_cache(maxsize=4096)(textwrap.dedent)
_PRIVATE = methodcaller("startswith", "_")  # names scripts never see  # the same few scripts run again and again

RESULT_TYPES = (type(None), bool, int, float, str, list, tuple, dict, set, Decimal, date, datetime, timedelta)


class ScriptError(Exception):
    """A script or expression failed; `message` is user-facing, `line` is the script line or None."""

    def __init__(self, message, line=None, error_type="ScriptError"):
        super().__init__(message)
        self.message, self.line, self.error_type = message, line, error_type


class _Deadline:
    """Per-run deadline; `tick` is called by the transformed code at every loop step and call."""

    def __init__(self, limit):
        self.limit, self.line = limit, None
        end, now, frame = time.monotonic() + limit, time.monotonic, sys._getframe

        def tick():
            if now() > end:
                if self.line is None:
                    self.line = frame(1).f_lineno
                raise SandboxViolation(self.message())
            return True
        self.tick = tick

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
    if isinstance(error, Overflow):
        return f"Zahl wäre zu groß (Decimal-Überlauf, Exponent über {MAX_DECIMAL_EXPONENT})"
    if isinstance(error, MemoryError):
        return "Speichergrenze überschritten (das Skript braucht zu viel Speicher)"
    if isinstance(error, ZeroDivisionError):
        return "Division durch null"
    if isinstance(error, KeyError) and error.args:
        return f"Schlüssel {error.args[0]!r} ist nicht vorhanden"
    return f"{type(error).__name__}: {error}"


class _Json:
    """Converts a script's variables to JSON-compatible task data, with a total size budget.

    While converting a variable it adds up `size`, an upper bound of both its JSON length in bytes
    and `script_codec`'s running estimate of it (text 6 bytes a character, as in \\u0000; a number
    at most 24), so a variable whose bound is within the per-value limit needs no separate count."""

    def __init__(self):
        self.budget = MAX_ITEMS
        self.size = 0

    def variable(self, name, value):
        self.root, self.size = name, 0
        return self.convert(value, name)

    def convert(self, value, path, depth=0):
        self.budget -= 1
        if self.budget < 0 or depth > 100:
            raise self._too_big()
        kind = type(value)  # the common exact types first; subclasses take the isinstance chain below
        if kind is str:
            self.size += 6 * len(value) + 2
            return value
        if kind is dict:
            return self._dict(value, path, depth)
        if kind is list:
            return self._list(value, path, depth)
        if value is None or isinstance(value, bool):
            self.size += 5
            return value
        if isinstance(value, str):
            self.size += 6 * len(value) + 2
            return value
        if isinstance(value, int):
            self.size += value.bit_length() // 3 + 2
            return value
        if isinstance(value, float) and math.isfinite(value):
            self.size += 24
            return value
        if isinstance(value, Decimal) and value.is_finite():
            return self.convert(str(value), path, depth)
        if isinstance(value, (date, datetime)):
            return self.convert(value.isoformat(), path, depth)
        if isinstance(value, dict):
            return self._dict(value, path, depth)
        if isinstance(value, (list, tuple)):
            return self._list(value, path, depth)
        hint = " (Menge: list(...) verwenden)" if isinstance(value, (set, frozenset)) else ""
        raise ScriptError(f"Variable '{_text(path)}': Wert vom Typ '{type(value).__name__}' kann nicht in den "
                          f"Falldaten gespeichert werden{hint}", error_type="DataError")

    def _too_big(self):
        return ScriptError(f"Variable '{self.root}' ist zu groß (über {MAX_ITEMS} Werte) oder zu tief "
                           "verschachtelt (zyklisch?)", error_type="DataError")

    def _dict(self, value, path, depth):
        if set(map(type, value)) - {str}:  # (the usual all-text keys settled in C)
            bad = next((k for k in value if not isinstance(k, str)), None)
            if bad is not None:
                raise ScriptError(f"Variable '{_text(path)}': Schlüssel {bad!r} ist kein Text",
                                  error_type="DataError")
        self.size += 2 + 6 * sum(map(len, value)) + 4 * len(value)
        return dict(zip(value, self._items(value.items(), path, ".", depth + 1)))

    def _list(self, value, path, depth):
        self.size += 2 + len(value)
        return self._items(enumerate(value), path, "[]", depth + 1)

    def _items(self, pairs, path, kind, depth):
        """The converted values of a dict's (key, value) or a list's (index, item) pairs, in order:
        exact text, int, bool and None counted here as `convert` counts them, the rest converted."""
        out = []
        for key, v in pairs:
            kind_of = type(v)
            if kind_of is str:
                size = 6 * len(v) + 2
            elif kind_of is int:
                size = v.bit_length() // 3 + 2
            elif kind_of is bool or v is None:
                size = 5
            else:
                out.append(self.convert(v, (path, kind, key), depth))
                continue
            self.budget -= 1
            if self.budget < 0 or depth > 100:
                raise self._too_big()
            self.size += size
            out.append(v)
        return out


def _text(path):
    """'antrag.kinder[2]' from the nested (parent, kind, key) path _Json carries (built only for errors)."""
    if isinstance(path, str):
        return path
    parent, kind, key = path
    return f"{_text(parent)}.{key}" if kind == "." else f"{_text(parent)}[{key}]"


def _bounded(name, value):
    """Refuse a variable / result whose JSON would exceed the per-value byte limit."""
    limit = limits.max_value_bytes()
    try:
        script_codec.size(value, limit)
    except script_codec.TooLarge:
        raise ScriptError(f"{name} ist zu groß (über {limits.json_bytes(limit)} als JSON)",
                          error_type="DataError") from None
    except (TypeError, ValueError) as error:
        raise ScriptError(f"{name}: {error}", error_type="DataError") from None


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
        if not isinstance(result, (bool, int, float, type(None))):
            _bounded("Ergebnis des Ausdrucks", result)
        return result

    def execute(self, script, context, external_context=None):
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        namespace = self._namespace(context, external_context)
        self._run(self._code(_dedent(script), "exec", context, external_context), namespace)
        reserved = set(self.globals) | set(external_context)
        json, new, limit = _Json(), {}, limits.max_value_bytes()
        for key, value in namespace.items():
            if not (key in reserved or key.startswith("_") or callable(value)):
                new[key] = json.variable(key, value)
                if json.size > limit and not isinstance(new[key], (bool, int, float, type(None))):
                    _bounded(f"Variable '{key}'", new[key])
        for key in [k for k in context if k not in namespace and not k.startswith("_")]:
            del context[key]  # `del x` in the script
        context.update(new)
        return True

    def check_for_overwrite(self, context, external_context):
        clash = sorted((set(self.globals) | set(external_context)) & set(context))
        if clash:
            raise ScriptError(f"Falldaten überdecken freigegebene Funktionen ({', '.join(clash)}); "
                              "bitte die Felder umbenennen", error_type="DataError")

    def _code(self, source, mode, context, external_context):
        code, problems, free = analyse(source, mode)
        if problems:
            raise ScriptError(problems[0][1], problems[0][0], "PolicyViolation")
        external_context = external_context or ()
        for line, name in free:
            if name not in context and name not in external_context and name not in self.globals:
                raise ScriptError(f"'{name}' ist nicht erlaubt", line, "PolicyViolation")
        return code

    def _namespace(self, context, external_context):
        namespace = dict(self.globals)
        namespace.update(external_context or {})
        namespace.update(context)
        for key in list(filter(_PRIVATE, namespace)):
            del namespace[key]
        namespace.update(GUARDS)
        namespace["__builtins__"] = BUILTINS
        return namespace

    def _run(self, code, namespace):
        deadline = _Deadline(self.time_limit)
        namespace["_zsa_tick_"] = deadline.tick
        try:
            with localcontext() as decimals:  # the caller's context, with bounded exponents
                decimals.Emax, decimals.Emin = MAX_DECIMAL_EXPONENT, -MAX_DECIMAL_EXPONENT
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

    def __init__(self, functions=None, time_limit=2.0, isolated=False):
        if isolated:  # the worker knows exactly the functions of `engine.definitions.make_script_engine`
            from .script_isolated import IsolatedEnvironment
            environment = IsolatedEnvironment(functions, time_limit)
        else:
            environment = SandboxEnvironment(functions, time_limit)
        super().__init__(environment=environment)

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
