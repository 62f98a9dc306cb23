"""Conformance report of one process version: the variants that occurred, the model paths that
never occurred, and every case whose replay diverges from its record.

A case's path is the sequence of element ids its record shows as executed (engine/diagram.py
DONE_EVENTS, plus the start event), consecutive repeats collapsed; the model's paths are enumerated
over its flow graph with loops bounded to one iteration (bpmn/flow_graph.py). Variants are counted
over ended cases (completed or cancelled); running cases are replayed but not counted as variants.
"""
import itertools
import statistics

from sqlalchemy import select

from ..bpmn.flow_graph import collapse, model_paths, read_graph
from ..engine.diagram import DONE_EVENTS
from ..storage.tables import event, vorgang
from .deployments import definition_row, load_contents
from .replay import replay_case

ENDED = ("completed", "cancelled")
SHOWN_KINDS = ("Task", "Event")  # a path is shown by its tasks and events; gateways only in the ids


def conformance_report(platform, process_id, version=None, kommunen=None, replay=True):
    """{"process_id", "version", "name", "cases", "running", "variants", "unused_paths", "divergent",
    "model_paths", "truncated_model"}; `kommunen` limits the cases (None: all)."""
    with platform.uow(readonly=True) as uow:
        row = definition_row(uow, process_id, version)
        contents = load_contents(uow, row)
    graph = _graph(row, contents)
    paths = model_paths(graph)
    model = {collapse(p) for p in paths}
    cases = list(_case_paths(platform, row["id"], graph, kommunen))
    ended = [c for c in cases if c["state"] in ENDED]
    variants = []
    for path, group in itertools.groupby(sorted(ended, key=lambda c: c["path"]), key=lambda c: c["path"]):
        group = list(group)
        durations = [c["duration_days"] for c in group if c["duration_days"] is not None]
        variants.append({
            "path": list(path), "steps": _shown(graph, path), "count": len(group),
            "share": round(len(group) / len(ended), 4), "in_model": path in model,
            "median_days": round(statistics.median(durations), 2) if durations else None,
            "cases": [c["number"] for c in group][:20], "states": sorted({c["state"] for c in group}),
        })
    variants.sort(key=lambda v: (-v["count"], v["path"]))
    occurred = {tuple(v["path"]) for v in variants}
    unused = [{"path": list(p), "steps": _shown(graph, p)} for p in sorted(model - occurred)]
    divergent = []
    if replay:
        for case in cases:
            result = replay_case(platform, case["number"], snapshots=False)
            if not result["consistent"]:
                divergent.append({"number": case["number"], "state": case["state"], **result["divergence"]})
    return {"process_id": process_id, "version": row["version"], "name": row["name"], "cases": len(cases),
            "ended": len(ended), "running": len(cases) - len(ended), "variants": variants,
            "unused_paths": unused, "model_paths": len(model), "divergent": divergent,
            "replayed": replay, "truncated_model": len(paths) >= 10000}


def _graph(row, contents):
    marker = f'id="{row["process_id"]}"'.encode()
    for f in row["files"]:
        data = contents.get(f["sha256"])
        if f["kind"] == "bpmn" and data and marker in data:
            return read_graph(data, row["process_id"], f["path"])
    return read_graph(b"<definitions xmlns='http://www.omg.org/spec/BPMN/20100524/MODEL'/>", row["process_id"])


def _case_paths(platform, definition_id, graph, kommunen):
    """Each case of the version with its executed path and duration, from one ordered query."""
    cond = [vorgang.c.definition_id == definition_id]
    if kommunen is not None:
        cond.append(vorgang.c.kommune.in_(list(kommunen)))
    query = (select(vorgang.c.id, vorgang.c.number, vorgang.c.state, vorgang.c.created_at, vorgang.c.ended_at,
                    event.c.type, event.c.element_id, event.c.data)
             .join(event, event.c.case_id == vorgang.c.id)
             .where(*cond, event.c.type.in_(list(DONE_EVENTS | {"case_started"})))
             .order_by(vorgang.c.id, event.c.seq)
             .execution_options(stream_results=True, yield_per=2000))
    none_starts = [s for s in graph.starts if s not in graph.message_starts]
    by_message = {name: s for s, name in graph.message_starts.items()}
    with platform.engine.connect() as conn:
        for _id, rows in itertools.groupby(conn.execute(query), key=lambda r: r.id):
            rows = list(rows)
            path = []
            for r in rows:
                if r.type == "case_started":
                    message = (r.data or {}).get("message")
                    start = by_message.get(message) if message else (none_starts[0] if none_starts else None)
                    if start:
                        path.append(start)
                elif r.element_id:
                    path.append(r.element_id)
            first = rows[0]
            duration = None
            if first.ended_at is not None:
                duration = (first.ended_at - first.created_at).total_seconds() / 86400
            yield {"number": first.number, "state": first.state, "path": collapse(path), "duration_days": duration}


def _shown(graph, path):
    return [graph.names.get(e, e) for e in path if graph.kinds.get(e, "").endswith(SHOWN_KINDS)]
