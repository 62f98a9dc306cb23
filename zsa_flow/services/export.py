"""Event-log export for process mining: IEEE 1849 XES (pm4py, ProM, Disco read it) and CSV.

One trace per case (finished cases; running, incident and cancelled ones only on request), one
event per executed BPMN element: human tasks as `start` (task created) and `complete` (task
completed, `org:resource` = the person), automatic steps as `complete` with `org:resource` =
`zsa-flow`; `org:group` = the task's candidate groups. Gateways and merges are not activities
and are left out. No case data (form fields) is exported at all; `pseudonymise` replaces case
numbers and user names with keyed hashes (HMAC-SHA256, key from ZSA_PSEUDONYM_KEY or the file
named by ZSA_PSEUDONYM_KEY_FILE), so the same person gets the same pseudonym in every export made
with that key, and nobody without the key can reverse or recompute it.

Both formats stream: rows come from one ordered query with a server-side cursor and are written
as they arrive (lxml.etree.xmlfile), so memory stays flat however large the log.
"""
import csv
import hashlib
import hmac
import itertools
import os
from datetime import datetime, time, timedelta, timezone

from lxml import etree
from sqlalchemy import select

from ..bpmn.flow_graph import read_graph
from ..errors import ValidationFailed, ZsaError
from ..storage.tables import event, process_definition, vorgang
from .deployments import definition_row, load_contents

XES_NS = "http://www.xes-standard.org/"
EXTENSIONS = [("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
              ("Time", "time", "http://www.xes-standard.org/time.xesext"),
              ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
              ("Organizational", "org", "http://www.xes-standard.org/org.xesext")]
AUTOMATIC = "zsa-flow"
# recorded event type -> lifecycle transition; human tasks: task_created starts, task_completed completes
LIFECYCLE = {"task_created": "start", "task_completed": "complete", "task_cancelled": "ate_abort",
             "script_executed": "complete", "decision_evaluated": "complete", "message_sent": "complete",
             "message_received": "complete", "timer_fired": "complete", "end_event": "complete"}
CSV_COLUMNS = ["case", "process_id", "process_version", "kommune", "seq", "activity", "element_id", "element_type",
               "lifecycle", "timestamp", "resource", "group", "event_type"]
FINISHED = ("completed",)


def pseudonym_key():
    """The HMAC key for pseudonymised exports (environment or key file), or a clear error."""
    key = os.environ.get("ZSA_PSEUDONYM_KEY")
    path = os.environ.get("ZSA_PSEUDONYM_KEY_FILE")
    if not key and path:
        try:
            with open(path, encoding="utf-8") as fh:
                key = fh.read().strip()
        except OSError as exc:
            raise ZsaError(f"Schlüsseldatei {path} nicht lesbar: {exc.strerror}") from None
    if not key or len(key) < 16:
        raise ZsaError("Für --pseudonymise ist ein Schlüssel nötig (mindestens 16 Zeichen): "
                       "ZSA_PSEUDONYM_KEY oder ZSA_PSEUDONYM_KEY_FILE setzen")
    return key.encode()


class Pseudonymiser:
    """HMAC-SHA256(key, kind:value), shortened to 16 hex digits; None keeps values as they are."""

    def __init__(self, key: bytes | None):
        self.key = key

    def __call__(self, kind, value):
        if self.key is None or value in (None, "", AUTOMATIC):
            return value
        digest = hmac.new(self.key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:16]
        return f"{kind}-{digest}"


def parse_day(value, what):
    """'2026-03-01' (or '01.03.2026') -> date, or a German validation error."""
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValidationFailed(f"{what}: '{value}' ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)")


def export_rows(platform, process_id, version=None, kommune=None, day_from=None, day_to=None,
                include_running=False, pseudonymise=False, kommunen=None):
    """(header dict, iterator of (case dict, [event dicts])): the log's content, streamed.

    Cases are selected by their start day (`day_from` <= created < `day_to` + 1 day, UTC);
    `kommunen` (None: all) limits them to a person's Kommunen."""
    names = Pseudonymiser(pseudonym_key() if pseudonymise else None)
    with platform.uow(readonly=True) as uow:
        row = definition_row(uow, process_id, version)  # NotFound for unknown processes/versions
        versions = [row] if version else uow.execute(select(process_definition).where(
            process_definition.c.process_id == process_id)).mappings().all()
        kinds = {}
        for version_row in versions:
            contents = load_contents(uow, version_row)
            for f in version_row["files"]:
                if f["kind"] == "bpmn" and f["sha256"] in contents:
                    graph = read_graph(contents[f["sha256"]], process_id, f["path"])
                    kinds.update(graph.kinds)
    header = {"process_id": process_id, "version": row["version"] if version else None}
    return header, _stream(platform, process_id, version and row["id"], kommune, day_from, day_to,
                           include_running, names, kinds, kommunen)


def _stream(platform, process_id, definition_id, kommune, day_from, day_to, include_running, names, kinds,
            kommunen):
    cond = [vorgang.c.process_id == process_id]
    if kommunen is not None:
        cond.append(vorgang.c.kommune.in_(list(kommunen)))
    if definition_id:
        cond.append(vorgang.c.definition_id == definition_id)
    if kommune:
        cond.append(vorgang.c.kommune == kommune)
    if day_from:
        cond.append(vorgang.c.created_at >= datetime.combine(day_from, time(), timezone.utc))
    if day_to:
        cond.append(vorgang.c.created_at < datetime.combine(day_to + timedelta(days=1), time(), timezone.utc))
    if not include_running:
        cond.append(vorgang.c.state.in_(FINISHED))
    query = (select(vorgang.c.id.label("case_id"), vorgang.c.number, vorgang.c.kommune, vorgang.c.state,
                    process_definition.c.version, event.c.seq, event.c.type, event.c.element_id,
                    event.c.element_name, event.c.actor, event.c.at, event.c.data)
             .join(process_definition, process_definition.c.id == vorgang.c.definition_id)
             .join(event, event.c.case_id == vorgang.c.id)
             .where(*cond, event.c.type.in_(list(LIFECYCLE)))
             .order_by(vorgang.c.id, event.c.seq)
             .execution_options(stream_results=True, yield_per=2000))
    with platform.engine.connect() as conn:
        for _case_id, rows in itertools.groupby(conn.execute(query), key=lambda r: r.case_id):
            rows = list(rows)
            first = rows[0]
            case = {"number": names("vorgang", first.number), "kommune": first.kommune,
                    "process_id": process_id, "version": first.version, "state": first.state}
            yield case, list(_events(rows, names, kinds))


def _events(rows, names, kinds):
    groups = {}  # element id -> candidate groups of its last created task
    last = None
    for r in rows:
        data = r.data or {}
        if r.type == "task_created":
            groups[r.element_id] = ",".join(data.get("candidate_groups") or [])
        human = r.type in ("task_created", "task_completed", "task_cancelled")
        key = (r.element_id, r.type if human else "auto")
        if not human and last == key:
            continue  # one element, two events (a message end event: message_sent + end_event)
        last = key
        yield {"seq": r.seq, "activity": r.element_name or r.element_id, "element_id": r.element_id,
               "element_type": kinds.get(r.element_id, ""), "lifecycle": LIFECYCLE[r.type],
               "timestamp": r.at, "resource": _resource(r, names),
               "group": groups.get(r.element_id, "") if human else "", "event_type": r.type}


def _resource(row, names):
    """Who did it: the person completing a human task; `zsa-flow` for automatic steps; nobody
    for a task becoming ready or withdrawn (the actor then is whoever moved the case on)."""
    if row.type == "task_completed":
        return names("person", row.actor)
    return None if row.type in ("task_created", "task_cancelled") else AUTOMATIC


def write_xes(out, header, cases):
    """Write an IEEE 1849 XES document to the binary stream `out`; returns (traces, events)."""
    counts = [0, 0]
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        # children are written without a namespace of their own: textually they are in the log's
        # default namespace, without repeating xmlns on every trace
        with xf.element(f"{{{XES_NS}}}log", {"xes.version": "1849-2016", "xes.features": "nested-attributes"},
                        nsmap={None: XES_NS}):
            for name, prefix, uri in EXTENSIONS:
                xf.write(etree.Element("extension", name=name, prefix=prefix, uri=uri))
            xf.write(_global("trace", [("string", "concept:name", "__INVALID__")]))
            xf.write(_global("event", [("string", "concept:name", "__INVALID__"),
                                       ("date", "time:timestamp", "1970-01-01T00:00:00.000+00:00"),
                                       ("string", "lifecycle:transition", "complete")]))
            xf.write(etree.Element("classifier", name="Aktivität", keys="concept:name"))
            xf.write(etree.Element("classifier", name="Aktivität und Übergang", keys="concept:name lifecycle:transition"))
            xf.write(_attr("string", "concept:name", f"zsa-flow {header['process_id']}"))
            for case, events in cases:
                trace = etree.Element("trace")
                trace.append(_attr("string", "concept:name", case["number"]))
                trace.append(_attr("string", "kommune", case["kommune"]))
                trace.append(_attr("string", "process_id", case["process_id"]))
                trace.append(_attr("int", "process_version", str(case["version"])))
                trace.append(_attr("string", "state", case["state"]))
                for e in events:
                    node = etree.SubElement(trace, "event")
                    node.append(_attr("string", "concept:name", e["activity"]))
                    node.append(_attr("date", "time:timestamp", _xes_time(e["timestamp"])))
                    node.append(_attr("string", "lifecycle:transition", e["lifecycle"]))
                    if e["resource"]:
                        node.append(_attr("string", "org:resource", e["resource"]))
                    if e["group"]:
                        node.append(_attr("string", "org:group", e["group"]))
                    node.append(_attr("string", "element_id", e["element_id"] or ""))
                    node.append(_attr("string", "element_type", e["element_type"]))
                    counts[1] += 1
                xf.write("\n", trace)
                counts[0] += 1
            xf.write("\n")
    return tuple(counts)


def write_csv(out, header, cases):
    """Write one CSV row per event to the text stream `out`; returns (cases, events)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    counts = [0, 0]
    for case, events in cases:
        for e in events:
            writer.writerow([case["number"], case["process_id"], case["version"], case["kommune"], e["seq"],
                             e["activity"], e["element_id"], e["element_type"], e["lifecycle"],
                             _xes_time(e["timestamp"]), e["resource"], e["group"], e["event_type"]])
            counts[1] += 1
        counts[0] += 1
    return tuple(counts)


def _global(scope, attributes):
    node = etree.Element("global", scope=scope)
    for kind, key, value in attributes:
        node.append(_attr(kind, key, value))
    return node


def _attr(kind, key, value):
    return etree.Element(kind, key=key, value=value)


def _xes_time(moment):
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")
