"""A script worker process: runs restricted scripts/expressions for the server, one at a time.

Started by `script_pool` as `python -m zsa_flow.bpmn.script_worker MEMORY_BYTES` with the channel on
stdin/stdout (length-prefixed frames, tagged JSON from `script_codec`) and stderr on /dev/null. After
importing what it needs it locks itself down, so a script that escaped every guard would still find:
- RLIMIT_AS: at most MEMORY_BYTES of address space (`b'x' * 1500000000` → MemoryError);
- RLIMIT_CPU: a few seconds of CPU per request (SIGXCPU kills it, also if the server is gone);
- RLIMIT_NOFILE 3, RLIMIT_FSIZE 0, RLIMIT_NPROC 0, RLIMIT_CORE 0: every descriptor but the channel
  closed, no new files, sockets or processes;
- its own session (`start_new_session`), so the server kills it and only it by process group.
The server enforces the wall-clock deadline (it kills and replaces a worker stuck in one C call)
and the parent's death ends the worker: the channel reaches EOF and the worker exits.

A request is three frames: header `{"op": "eval"|"exec", "source", "now", "time_limit",
"value_bytes", "case_bytes"}` (the server's limits at the time of the request), the task data, the
external context. The reply is two frames:
`{"ok": true, "value"|"context", "cpu"}` or `{"ok": false, "message", "line", "error_type", "cpu"}`.
"""
import os
import resource
import struct
import sys

from .. import limits

HEADER = struct.Struct(">I")
CPU_PER_REQUEST = 10  # seconds of CPU a single request may use before the kernel ends the worker
CPU_RETIRE = 600  # a worker that has used this much CPU in total is replaced


def read_exact(read, size):
    chunks, left = [], size
    while left:
        chunk = read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(read, max_bytes):
    head = read_exact(read, HEADER.size)
    if head is None:
        return None
    (size,) = HEADER.unpack(head)
    if size > max_bytes:
        raise ValueError(f"frame of {size} bytes")
    return read_exact(read, size)


def frames(*parts) -> bytes:
    return b"".join(HEADER.pack(len(p)) + p for p in parts)


def is_limited_process() -> bool:
    """True in a process that `lock_down` limited (a script worker, or a simulation job run in one):
    scripts may run in-process there, the OS limits already bound them."""
    return limits.locked_down()


def write_all(write, data):
    view = memoryview(data)
    while view:
        view = view[write(view):]


def lock_down(memory_bytes, cpu_seconds=CPU_PER_REQUEST, keep=()):
    """Close every descriptor but stdin/stdout/stderr and set the OS limits (irreversible). A script
    worker calls it once before its first request; a whole simulation job may call it in its own child
    process (after `rules.functions.preload()`), and its scripts then run in-process."""
    fds = [2] + sorted(fd for fd in keep if fd > 2) + [65536]
    for low, high in zip(fds, fds[1:]):
        os.closerange(low + 1, high)
    used = int(sum(resource.getrusage(resource.RUSAGE_SELF)[:2]))
    rlimits = [(resource.RLIMIT_AS, memory_bytes), (resource.RLIMIT_NOFILE, 3), (resource.RLIMIT_FSIZE, 0),
              (resource.RLIMIT_NPROC, 0), (resource.RLIMIT_CORE, 0)]
    for kind, value in rlimits:
        resource.setrlimit(kind, (value, value))
    resource.setrlimit(resource.RLIMIT_CPU, (used + cpu_seconds, used + CPU_RETIRE + cpu_seconds))
    limits.mark_locked_down(memory_bytes)


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _FixedClock:
    def __init__(self, now):
        self._now = now

    def now(self):
        return self._now


def main():
    memory_bytes = int(sys.argv[1])
    channel_in, channel_out = os.fdopen(0, "rb"), os.fdopen(1, "wb", buffering=0)
    sys.stdout = sys.stderr  # nothing but frames goes to the channel
    from datetime import datetime

    from . import runtime, script_codec
    from .script_engine import SandboxEnvironment, ScriptError
    from ..rules.functions import SCRIPT_FUNCTIONS, preload

    def heute() -> str:
        return runtime.now().date().isoformat()

    functions = {**SCRIPT_FUNCTIONS, "heute": heute}
    try:
        preload()  # parameter sets and decision tables: no file access after lock_down
    except Exception:  # noqa: BLE001 - a broken table fails the scripts that use it, with its message
        pass
    lock_down(memory_bytes)
    channel_out.write(frames(b'{"ready":true}'))
    cpu = _cpu()
    while True:
        try:
            parts = [read_frame(channel_in.read, 1 << 30) for _ in range(3)]
        except (ValueError, MemoryError):
            return
        if any(p is None for p in parts):
            return  # the server closed the channel (or died)
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if cpu + CPU_PER_REQUEST > soft:  # each request gets at least CPU_PER_REQUEST seconds
            resource.setrlimit(resource.RLIMIT_CPU, (min(int(cpu) + 2 * CPU_PER_REQUEST, hard), hard))
        retire, request = False, {}
        try:
            request = script_codec.loads(parts[0])
            os.environ["ZSA_MAX_VALUE_BYTES"] = str(request["value_bytes"])  # the server's limit now
            context, external = script_codec.loads(parts[1]), script_codec.loads(parts[2])
            env = SandboxEnvironment(functions, request["time_limit"])
            with runtime.using_clock(_FixedClock(datetime.fromisoformat(request["now"]))):
                if request["op"] == "eval":
                    reply = {"ok": True, "value": env.evaluate(request["source"], context, external)}
                else:
                    env.execute(request["source"], context, external)
                    reply = {"ok": True, "context": context}
            body = script_codec.dumps(reply, request["case_bytes"] + 64)  # the case data plus the envelope
        except ScriptError as error:
            reply = {"ok": False, "message": error.message, "line": error.line, "error_type": error.error_type}
            retire = error.error_type == "MemoryError"
        except script_codec.TooLarge as error:
            from ..limits import json_bytes
            what = "Falldaten wären nach dem Skript" if request.get("op") == "exec" else "Ergebnis wäre"
            reply = {"ok": False, "message": f"{what} zu groß (über {json_bytes(error.limit - 64)}) – "
                     "nicht übernommen", "line": None, "error_type": "DataError"}
        except MemoryError:
            reply = {"ok": False, "message": "Speichergrenze des Skript-Prozesses überschritten",
                     "line": None, "error_type": "MemoryError"}
            retire = True
        except Exception as error:  # noqa: BLE001 - any failure is the script's, reported as such
            reply = {"ok": False, "message": f"{type(error).__name__}: {error}", "line": None,
                     "error_type": type(error).__name__}
        if not reply["ok"]:
            reply["message"] = str(reply["message"])[:2000]
            body = script_codec.dumps(reply, 1 << 20)
        now_cpu = _cpu()
        retire = retire or now_cpu > CPU_RETIRE
        tail = script_codec.dumps({"cpu": now_cpu - cpu, "retire": retire}, 1024)
        cpu = now_cpu
        write_all(channel_out.write, frames(body, tail))
        if retire:
            return


if __name__ == "__main__":
    main()
