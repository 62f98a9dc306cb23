"""Run a whole job (a simulation) in one child process under the script workers' OS limits.

    result = run_limited(prepare, run, args, memory_bytes=..., cpu_seconds=600, wall_seconds=900)

The child (a fresh interpreter, multiprocessing "spawn") calls `state = prepare(*args)` with full
access (read the library, build definitions), then locks itself down like a script worker
(`script_worker.lock_down`: address space, CPU time, no new files/sockets/processes) and returns
`run(state)`. Inside, scripts and expressions run in-process (`is_limited_process()`): no round
trip per expression, the limits bound the whole job. The result travels as tagged JSON
(`script_codec`, at most `result_bytes`), never as a pickle; past `wall_seconds` the child is killed.
`prepare` and `run` must be importable module-level functions; `args` must pickle. Everything `run`
needs must be imported before (at module level or in `prepare`): after lock_down no file opens.
"""
import multiprocessing

from ..bpmn import script_codec
from ..bpmn.script_pool import WorkerFailed
from .. import limits


def _child(connection, prepare, run, args, memory_bytes, cpu_seconds, result_bytes):
    from ..bpmn.script_worker import lock_down
    from ..rules.functions import preload

    try:
        preload()
        state = prepare(*args)
        lock_down(memory_bytes, cpu_seconds, keep=(connection.fileno(),))
        reply = {"ok": True, "value": run(state)}
    except MemoryError:
        reply = {"ok": False, "message": "Speichergrenze des Auftrags überschritten"}
    except Exception as error:  # noqa: BLE001 - reported to the parent as the job's failure
        reply = {"ok": False, "message": f"{type(error).__name__}: {error}"[:2000]}
    try:
        data = script_codec.dumps(reply, result_bytes)
    except script_codec.TooLarge:
        data = script_codec.dumps({"ok": False, "message": f"Ergebnis ist zu groß (über "
                                   f"{limits.json_bytes(result_bytes)})"}, 4096)
    connection.send_bytes(data)
    connection.close()


def run_limited(prepare, run, args=(), *, memory_bytes=None, cpu_seconds=600, wall_seconds=900,
                result_bytes=64 * 1024 * 1024):
    """`run(prepare(*args))` in a limited child process; its JSON-compatible result, or WorkerFailed."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, daemon=True, args=(
        sender, prepare, run, tuple(args), memory_bytes or limits.script_memory_bytes(), cpu_seconds, result_bytes))
    child.start()
    sender.close()
    try:
        if not receiver.poll(wall_seconds):
            raise WorkerFailed(f"Zeitlimit von {wall_seconds:g} s überschritten – Auftrag abgebrochen", timed_out=True)
        try:
            reply = script_codec.loads(receiver.recv_bytes(maxlength=result_bytes))
        except (EOFError, OSError, ValueError):
            raise WorkerFailed("Auftrag wurde beendet (Speicher- oder Rechenzeitgrenze überschritten?)",
                               "MemoryError") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if not reply.get("ok"):
        raise WorkerFailed(reply.get("message") or "Auftrag fehlgeschlagen", "JobError")
    return reply["value"]
