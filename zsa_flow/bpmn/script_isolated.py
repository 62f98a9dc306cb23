"""`IsolatedEnvironment`: the script sandbox with execution moved into limited worker processes.

The server still does the static part: policy check and restricted compilation (`analyse`, cached)
and the check that every free name is known. Only then is the source, the task data and the engine
clock's "now" sent to a worker of `script_pool`, which runs it in the very same `SandboxEnvironment`
(same guards, builtins and domain functions, `heute()` reading the clock sent along) under OS limits.
The parent waits at most `time_limit + GRACE` seconds: the in-sandbox deadline reports loops with
their line, the kill catches everything else (one long C call such as `round(1, -2 * 10**7)`).

Comparisons only (`betrag < 10`, `fertig == True and art in ("a", "b")`: names, literals, item
lookups, `and/or/not`, no calls, no arithmetic) are evaluated here, still restricted: they cannot
loop or allocate beyond their literals, and their time is bounded by the size of the case data (1 MB). Most gateway
conditions are of this kind, so they cost no round trip.
"""
import ast
import textwrap
from functools import lru_cache

from .. import limits
from . import runtime, script_codec
from .script_engine import SandboxEnvironment, ScriptError
from .script_pool import WorkerFailed, pool
from .script_worker import is_limited_process

GRACE = 1.0  # seconds past the sandbox's own deadline before the worker is killed
_COMPARISON_NODES = (ast.Expression, ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Subscript,
                     ast.Load, ast.And, ast.Or, ast.Not, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE,
                     ast.In, ast.NotIn, ast.Is, ast.IsNot, ast.Tuple, ast.List)


@lru_cache(maxsize=4096)
def comparison_only(source: str) -> bool:
    """True for an expression made only of comparisons of names, literals and item lookups."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return False
    return all(isinstance(node, _COMPARISON_NODES) and not (isinstance(node, ast.Constant) and
               isinstance(node.value, (str, bytes)) and len(node.value) > 1000) for node in ast.walk(tree))


class IsolatedEnvironment(SandboxEnvironment):
    """Like SandboxEnvironment, but evaluate/execute run in a worker process."""

    def evaluate(self, expression, context, external_context=None):
        source = str(expression).strip()
        if is_limited_process() or comparison_only(source):  # bounded without a worker (see above)
            return super().evaluate(expression, context, external_context)
        self._code(source, "eval", context, external_context)
        return self._call("eval", source, context, external_context)["value"]

    def execute(self, script, context, external_context=None):
        if is_limited_process():
            return super().execute(script, context, external_context)
        external_context = external_context or {}
        self.check_for_overwrite(context, external_context)
        source = textwrap.dedent(script)
        self._code(source, "exec", context, external_context)
        result = self._call("exec", source, context, external_context)["context"]
        for key in [k for k in context if not k.startswith("_") and k not in result]:
            del context[key]  # `del x` in the script
        context.update(result)
        return True

    def _call(self, op, source, context, external_context):
        case_bytes = limits.max_case_bytes()
        header = {"op": op, "source": source, "now": runtime.now().isoformat(), "time_limit": self.time_limit,
                  "case_bytes": case_bytes, "value_bytes": limits.max_value_bytes()}
        data = {k: v for k, v in context.items() if not k.startswith("_")}
        try:
            parts = [script_codec.dumps(header, 4 * case_bytes), script_codec.dumps(data, 2 * case_bytes),
                     script_codec.dumps(dict(external_context or {}), 2 * case_bytes)]
        except script_codec.TooLarge as error:
            raise ScriptError(f"Falldaten sind zu groß für Skripte (über {limits.json_bytes(error.limit)})",
                              error_type="DataError") from None
        except (TypeError, ValueError) as error:
            raise ScriptError(f"Falldaten können nicht an das Skript übergeben werden: {error}",
                              error_type="DataError") from None
        try:
            reply = pool().run(parts, self.time_limit + GRACE, case_bytes + 65536)
        except WorkerFailed as failure:
            message = failure.message
            if failure.timed_out:
                message = (f"Zeitlimit von {self.time_limit:g} s überschritten – das Skript wurde abgebrochen "
                           "(Endlosschleife oder zu aufwendige Rechnung?)")
            raise ScriptError(message, error_type=failure.error_type) from None
        if not reply.get("ok"):
            raise ScriptError(reply.get("message") or "Skript fehlgeschlagen", reply.get("line"),
                              reply.get("error_type") or "ScriptError")
        return reply
