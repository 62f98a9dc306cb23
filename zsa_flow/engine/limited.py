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

`map_limited(prepare, work, args, items, workers=2)` runs many items (the replications of a
simulation) on a few such children, each prepared once.
"""
import multiprocessing
import time

from ..bpmn import script_codec
from ..bpmn.script_pool import WorkerFailed
from .. import limits


def _child(connection, prepare, run, args, memory_bytes, cpu_seconds, result_bytes):
    from ..bpmn.script_worker import lock_down
    from ..rules.functions import preload

    def job():
        preload()
        state = prepare(*args)
        lock_down(memory_bytes, cpu_seconds, keep=(connection.fileno(),))
        return run(state)

    _answer(connection, job, result_bytes)
    connection.close()


def _answer(connection, job, result_bytes):
    """Send `job()`'s result, or its failure, to the parent as bounded tagged JSON."""
    try:
        reply = {"ok": True, "value": job()}
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


def _map_child(connection, prepare, work, args, memory_bytes, cpu_seconds, result_bytes):
    from ..bpmn.script_worker import lock_down
    from ..rules.functions import preload

    try:
        preload()
        state = prepare(*args)
        lock_down(memory_bytes, cpu_seconds, keep=(connection.fileno(),))
        ready = {"ok": True, "value": None}
    except Exception as error:  # noqa: BLE001 - reported to the parent as the job's failure
        state, ready = None, {"ok": False, "message": f"{type(error).__name__}: {error}"[:2000]}
    connection.send_bytes(script_codec.dumps(ready, 1 << 20))
    if not ready["ok"]:
        return
    while True:
        try:
            item = script_codec.loads(connection.recv_bytes(1 << 20))
        except (EOFError, OSError):
            return
        if item is None:
            return
        _answer(connection, lambda: work(state, item), result_bytes)


def map_limited(prepare, work, args, items, *, workers=2, memory_bytes=None, cpu_seconds=3600,
                wall_seconds=3600, result_bytes=256 * 1024 * 1024):
    """Yield `(item, work(state, item))` for every item, in the order they finish, from `workers`
    limited child processes that each called `state = prepare(*args)` once before locking down.

    Like `run_limited`, but a child serves many items (JSON-compatible, e.g. job numbers) one after
    another, so its start-up and `prepare` are paid once per child, not per item. WorkerFailed when
    a child fails or all items together take longer than `wall_seconds`."""
    from multiprocessing.connection import wait

    items = list(items)
    if not items:
        return
    context = multiprocessing.get_context("spawn")
    memory_bytes = memory_bytes or limits.script_memory_bytes()
    children, pending, busy = [], list(reversed(items)), {}
    deadline = time.monotonic() + wall_seconds
    try:
        for _ in range(max(1, min(workers, len(items)))):
            parent_end, child_end = context.Pipe(duplex=True)
            child = context.Process(target=_map_child, daemon=True, args=(
                child_end, prepare, work, tuple(args), memory_bytes, cpu_seconds, result_bytes))
            child.start()
            child_end.close()
            children.append((child, parent_end))
            busy[parent_end] = _START
        while busy:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerFailed(f"Zeitlimit von {wall_seconds:g} s überschritten – Auftrag abgebrochen",
                                   timed_out=True)
            for connection in wait(list(busy), timeout=remaining):
                item = busy.pop(connection)
                try:
                    reply = script_codec.loads(connection.recv_bytes(maxlength=result_bytes))
                except (EOFError, OSError, ValueError):
                    raise WorkerFailed("Auftrag wurde beendet (Speicher- oder Rechenzeitgrenze überschritten?)",
                                       "MemoryError") from None
                if not reply.get("ok"):
                    raise WorkerFailed(reply.get("message") or "Auftrag fehlgeschlagen", "JobError")
                if item is not _START:
                    yield item, reply["value"]
                if pending:
                    busy[connection] = pending.pop()
                    connection.send_bytes(script_codec.dumps(busy[connection], 1 << 20))
                else:
                    connection.send_bytes(script_codec.dumps(None, 64))
    finally:
        for child, connection in children:
            child.join(timeout=0.5 if not busy else 0)
            if child.is_alive():
                child.kill()
                child.join()
            connection.close()


_START = object()  # a child's first reply: prepared and locked down
