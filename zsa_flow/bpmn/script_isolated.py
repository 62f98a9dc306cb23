"""`IsolatedEnvironment`: the script sandbox with execution moved into limited worker processes.

The server still does the static part: policy check and restricted compilation (`analyse`, cached)
and the check that every free name is known. Only then is the source, the task data and the engine
clock's "now" sent to a worker of `script_pool`, which runs it in the very same `SandboxEnvironment`
(same guards, builtins and domain functions, `heute()` reading the clock sent along) under OS limits.
The parent waits at most `time_limit + GRACE` seconds: the in-sandbox deadline reports loops with
their line, the kill catches everything else (one long C call such as `round(1, -2 * 10**7)`).
"""
import textwrap

from .. import limits
from . import runtime, script_codec
from .script_engine import SandboxEnvironment, ScriptError
from .script_pool import WorkerFailed, pool
from .script_worker import is_limited_process

GRACE = 1.0  # seconds past the sandbox's own deadline before the worker is killed


class IsolatedEnvironment(SandboxEnvironment):
    """Like SandboxEnvironment, but evaluate/execute run in a worker process."""

    def evaluate(self, expression, context, external_context=None):
        if is_limited_process():  # a limited job (simulation): the OS limits already bound it
            return super().evaluate(expression, context, external_context)
        source = str(expression).strip()
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
                  "case_bytes": 2 * case_bytes}
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
            reply = pool().run(parts, self.time_limit + GRACE, 2 * case_bytes + 65536)
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
