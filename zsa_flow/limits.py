"""Resource limits for untrusted input: case data sizes and the script worker processes.

Each limit is read from the environment when it is used, so a server, a test or a CLI run can set
it without code changes:

| variable | default | bounds |
|---|---|---|
| `ZSA_MAX_CASE_BYTES` | 1048576 (1 MB) | a case's data as JSON (UTF-8 bytes) |
| `ZSA_MAX_VALUE_BYTES` | 262144 (256 KB) | one top-level value of case data, a script/expression result |
| `ZSA_SCRIPT_ISOLATION` | `1` | `0` runs scripts in the server process (development only) |
| `ZSA_SCRIPT_WORKERS` | 2 | idle script worker processes kept; up to twice as many run at once |
| `ZSA_SCRIPT_MEMORY_MB` | 512 | address space of one script worker (RLIMIT_AS) |
| `ZSA_MAX_DOCUMENT_BYTES` | 20971520 (20 MB) | one uploaded document (filepicker, API) |
"""
import json
import os

__all__ = ["max_case_bytes", "max_value_bytes", "max_document_bytes", "script_isolation", "script_workers",
           "script_memory_bytes",
           "json_bytes"]


def _int(name, default):
    try:
        return max(1, int(os.environ.get(name, "") or default))
    except ValueError:
        return default


def max_case_bytes() -> int:
    return _int("ZSA_MAX_CASE_BYTES", 1024 * 1024)


def max_value_bytes() -> int:
    return _int("ZSA_MAX_VALUE_BYTES", 256 * 1024)


def script_isolation() -> bool:
    return os.environ.get("ZSA_SCRIPT_ISOLATION", "1").strip() not in ("0", "false", "no", "off")


def script_workers() -> int:
    return _int("ZSA_SCRIPT_WORKERS", 2)


def script_memory_bytes() -> int:
    return _int("ZSA_SCRIPT_MEMORY_MB", 512) * 1024 * 1024


_LOCKED = []


def mark_locked_down(memory_bytes: int):
    """Called by `bpmn.script_worker.lock_down`: this process can open no file any more."""
    _LOCKED.append(memory_bytes)


def locked_down() -> bool:
    """True in a process that `bpmn.script_worker.lock_down` limited (script worker, simulation job)."""
    return bool(_LOCKED)


def json_bytes(size: int) -> str:
    """`1.048.576 Bytes` (German thousands separators) for messages."""
    return f"{size:,} Bytes".replace(",", ".")


def json_size(value, limit) -> int | None:
    """Bytes of `value` as JSON, or None when it is over `limit` (counted without building it whole)."""
    from .bpmn.script_codec import TooLarge, size

    try:
        return size(value, limit)
    except TooLarge:
        return None


def oversized(data: dict) -> dict:
    """{field: German message} for every top-level value over the value limit, or
    {"": message} when the whole data is over the case limit; empty when `data` is within both."""
    value_limit, case_limit = max_value_bytes(), max_case_bytes()
    try:  # fast path: data whose whole JSON fits the value limit has no value over it either
        if len(_ENCODER.encode(data or {}).encode("utf-8", "surrogatepass")) <= min(value_limit, case_limit):
            return {}
    except (TypeError, ValueError, RecursionError):
        pass  # values JSON cannot write (Decimal, date): measured by the codec below
    problems = {}
    for key, value in (data or {}).items():
        if isinstance(value, (str, list, dict)) and json_size(value, value_limit) is None:
            problems[str(key)[:100]] = f"Wert ist zu groß (über {json_bytes(value_limit)})"
    if not problems and json_size(data or {}, case_limit) is None:
        problems[""] = f"Daten sind zu groß (über {json_bytes(case_limit)} insgesamt)"
    return problems


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def max_document_bytes() -> int:
    """`ZSA_MAX_DOCUMENT_BYTES`: the largest document accepted (default 20 MB)."""
    return _int("ZSA_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)
