"""A pool of script worker processes (`script_worker`) and the round trip to one of them.

`run(header, context, external, wall_limit)` sends one script or expression to an idle worker and
waits for the reply at most `wall_limit` seconds (the parent waits in `poll`, so other requests
keep being served). A worker that misses the deadline, dies or answers garbage is killed with its
process group and replaced by a fresh one on the next request. Up to `ZSA_SCRIPT_WORKERS` idle
workers are kept; when all are busy, up to twice as many run at once, and beyond that a request
waits for one to become free.
"""
import atexit
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import script_codec
from .script_worker import HEADER, frames, write_all
from .. import limits

STARTUP_SECONDS = 30.0


class WorkerFailed(Exception):
    """The worker missed its deadline or broke; `message` is user-facing (German)."""

    def __init__(self, message, error_type="SandboxViolation", timed_out=False):
        super().__init__(message)
        self.message, self.error_type, self.timed_out = message, error_type, timed_out


def _env():
    root = str(Path(__file__).resolve().parents[2])
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
           "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
    for name in ("ZSA_MAX_CASE_BYTES", "ZSA_MAX_VALUE_BYTES", "ZSA_DECISIONS_DIR", "PATH"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


class _Worker:
    def __init__(self, memory_bytes):
        self.memory_bytes = memory_bytes
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "zsa_flow.bpmn.script_worker", str(memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, close_fds=True,
            start_new_session=True, cwd="/", env=_env(), bufsize=0)
        self.out, self.buffer = self.proc.stdout.fileno(), bytearray()
        self.poller = select.poll()
        self.poller.register(self.out, select.POLLIN | select.POLLHUP | select.POLLERR)
        try:
            ready = self._read_exact_frame(time.monotonic() + STARTUP_SECONDS, 1024)
        except TimeoutError:
            ready = None
        if ready is None:
            self.kill()
            raise WorkerFailed("Skript-Prozess konnte nicht gestartet werden", "WorkerError")

    def _read_exact(self, size, deadline):
        """`size` bytes from the worker (None at EOF); TimeoutError past `deadline`."""
        while len(self.buffer) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.poller.poll(remaining * 1000):
                raise TimeoutError
            chunk = os.read(self.out, max(size - len(self.buffer), 1 << 16))
            if not chunk:
                return None
            self.buffer += chunk
        data, self.buffer = bytes(self.buffer[:size]), self.buffer[size:]
        return data

    def call(self, parts, wall_limit, max_reply):
        """(reply, meta) or raises WorkerFailed; the worker is unusable after a failure."""
        try:
            write_all(self.proc.stdin.write, frames(*parts))
        except (BrokenPipeError, OSError):
            raise WorkerFailed("Skript-Prozess ist nicht erreichbar", "WorkerError") from None
        deadline = time.monotonic() + wall_limit
        try:
            body = self._read_exact_frame(deadline, max_reply)
            tail = self._read_exact_frame(deadline, 1024)
        except TimeoutError:
            raise WorkerFailed(f"Zeitlimit von {wall_limit:g} s überschritten – das Skript wurde "
                               "abgebrochen (Endlosschleife oder zu aufwendige Rechnung?)", timed_out=True) from None
        if body is None or tail is None:
            raise WorkerFailed("Skript-Prozess wurde beendet (Speicher- oder Rechenzeitgrenze "
                               "überschritten?)", "MemoryError")
        try:
            return script_codec.loads(body), script_codec.loads(tail)
        except ValueError:
            raise WorkerFailed("Skript-Prozess lieferte eine ungültige Antwort", "WorkerError") from None

    def _read_exact_frame(self, deadline, max_bytes):
        head = self._read_exact(HEADER.size, deadline)
        if head is None:
            return None
        (size,) = HEADER.unpack(head)
        if size > max_bytes:
            return None
        return self._read_exact(size, deadline)

    def kill(self):
        try:
            os.killpg(self.proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.proc.wait()


class WorkerPool:
    def __init__(self, size=None, memory_bytes=None):
        self.size = size or limits.script_workers()
        self.max = 2 * self.size
        self.memory_bytes = memory_bytes or limits.script_memory_bytes()
        self.cpu_seconds = 0.0  # CPU time the workers reported (the benchmark adds it)
        self.replaced = 0  # workers killed after a failure
        self._idle, self._live = [], 0
        self._cond = threading.Condition()

    def _acquire(self):
        with self._cond:
            dead = [w for w in self._idle if w.proc.poll() is not None]  # e.g. ended by the OOM killer
            for worker in dead:
                self._idle.remove(worker)
                self._live -= 1
                worker.kill()  # closes its pipes; it has exited already
            while not self._idle and self._live >= self.max:
                if not self._cond.wait(timeout=STARTUP_SECONDS):
                    raise WorkerFailed("alle Skript-Prozesse sind belegt – bitte später erneut versuchen",
                                       "WorkerError")
            if self._idle:
                return self._idle.pop()
            self._live += 1
        try:
            return _Worker(self.memory_bytes)
        except BaseException:
            self._release(None)
            raise

    def _release(self, worker, keep=True):
        with self._cond:
            if worker is not None and keep and len(self._idle) < self.size:
                self._idle.append(worker)
                worker = None
            else:
                self._live -= 1
            self._cond.notify()
        if worker is not None:
            worker.kill()

    def run(self, parts, wall_limit, max_reply):
        """Send `parts` (three encoded frames) to a worker; the decoded reply dict."""
        worker = self._acquire()
        try:
            reply, meta = worker.call(parts, wall_limit, max_reply)
        except BaseException:
            self.replaced += 1
            self._release(worker, keep=False)
            raise
        self.cpu_seconds += meta.get("cpu", 0.0)
        self._release(worker, keep=not meta.get("retire"))
        return reply

    def close(self):
        with self._cond:
            idle, self._idle = self._idle, []
            self._live -= len(idle)
        for worker in idle:
            worker.kill()


_pool = None
_pool_lock = threading.Lock()


def pool() -> WorkerPool:
    """The process-wide pool, created on first use."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                _pool = WorkerPool()
                atexit.register(_pool.close)
    return _pool


def worker_cpu_seconds() -> float:
    """CPU seconds the workers of this process's pool have reported so far (0 without a pool)."""
    return _pool.cpu_seconds if _pool is not None else 0.0


def _forget_after_fork():
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()  # a forked child starts its own workers


os.register_at_fork(after_in_child=_forget_after_fork)
