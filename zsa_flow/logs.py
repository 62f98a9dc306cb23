"""Logging for servers and workers: one JSON object per line (default) or plain text.

`ZSA_LOG_FORMAT=json|text` chooses. Inside a web request every record carries the request id
(taken from the `X-Request-Id` header of the proxy, else generated) and, where known, the case
number the request is about.
"""
import json
import logging
import os
import sys
from datetime import datetime, timezone


def context():
    """(request_id, case_number) of the current web request, or (None, None) outside one."""
    try:
        from flask import g, has_request_context
    except ImportError:  # pragma: no cover
        return None, None
    if not has_request_context():
        return None, None
    return g.get("request_id"), g.get("case_number")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        request_id, case = context()
        entry = {"time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage(),
                 "pid": record.process}
        for key in ("request_id", "case", "method", "path", "status", "duration_ms"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        entry.setdefault("request_id", request_id)
        entry.setdefault("case", case)
        entry = {k: v for k, v in entry.items() if v is not None}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(log_format=None):
    """Log zsa-flow's own reports (INFO) and the libraries' warnings to stderr, once per process."""
    log_format = log_format or os.environ.get("ZSA_LOG_FORMAT", "json")
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("zsa_flow").setLevel(logging.INFO)
