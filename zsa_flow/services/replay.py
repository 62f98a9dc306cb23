"""Audit replay: re-execute a case from its start on its pinned version, one engine step at a time,
feeding the recorded external inputs in order, and check every engine decision against the record.

`replay_case(platform, number)` returns a plain dict (the CLI prints it, the browser page and
`--json` show it): the numbered trail, per-step snapshots (data, visited and active elements),
the chain check, the deployed files' content check and the first divergence with its likely cause.

Inputs are fed by `INPUTS[event type]` (one small function each). A case that was migrated to
another version starts on the version recorded in `case_started` and moves at `case_migrated` with
the engine's own migration (the target checked against the recorded content hash);
`case_migration_undone` restores the state before that migration, as the undo did.
"""
import hashlib
import time
from datetime import datetime

from sqlalchemy import select

from ..clock import FakeClock
from ..engine.definitions import build_definition
from ..engine.migration import migrate as migrate_run
from ..engine.diagram import DONE_EVENTS, start_events
from ..engine.prune import prune_history
from ..engine.runner import COMPLETED, INCIDENT, CaseRun
from ..engine.strategies import SINGLE_STEP
from ..errors import ZsaError
from ..storage.tables import event, process_definition
from . import replay_compare as rc
from .deployments import load_contents
from .case_diagram import process_xml
from .history import verify_rows
from .runs import get_case_row

CONSISTENT = "replay consistent"


class Divergence(Exception):
    """The replay stops here: `message` says what differs, `missing` marks an event the record lacks."""

    def __init__(self, message, missing=False):
        super().__init__(message)
        self.message, self.missing = message, missing


def load_case(platform, number):
    """The case row, its version's row, the stored files (sha256 -> bytes) and its events."""
    with platform.uow(readonly=True) as uow:
        case_row = dict(get_case_row(uow, number=number))
        row = uow.execute(select(process_definition).where(
            process_definition.c.id == case_row["definition_id"])).mappings().one()
        contents = load_contents(uow, row)
        events = [{
            "seq": e.seq, "type": e.type, "element_id": e.element_id, "element_name": e.element_name,
            "actor": e.actor, "at": e.at.isoformat(), "data": e.data, "hash": e.hash, "prev_hash": e.prev_hash,
            "chain_version": e.chain_version, "definition_hash": e.definition_hash,
        } for e in uow.execute(select(event).where(event.c.case_id == case_row["id"]).order_by(event.c.seq))]
        definition = None
        changed = changed_files(row, contents)
        if not changed:
            definition = platform.definition(uow, row["id"])  # verified: the cached parse is the pinned one
    return case_row, dict(row), contents, events, changed, definition


def changed_files(row, contents):
    """[(path, problem)] for every deployed file whose stored content no longer matches its SHA-256."""
    found = []
    for f in row["files"]:
        content = contents.get(f["sha256"])
        if content is None:
            found.append((f["path"], "fehlt"))
        elif hashlib.sha256(content).hexdigest() != f["sha256"]:
            found.append((f["path"], "Inhalt passt nicht zur SHA-256"))
    return found


def replay_case(platform, number, snapshots=True, with_xml=False):
    """Replay one case; see the module docstring for the result (`with_xml`: plus the BPMN XML of
    the case's process for the browser's diagram)."""
    started = time.perf_counter()
    case_row, row, contents, events, changed, definition = load_case(platform, number)
    chain = verify_rows(number, events)
    truncated = None
    if events and (events[-1]["seq"] != case_row["last_seq"] or events[-1]["hash"] != case_row["last_hash"]):
        truncated = f"der Vorgang verweist auf Ereignis {case_row['last_seq']}, das letzte vorhandene ist {events[-1]['seq']}"
    replay = Replay(row, contents, definition, events, snapshots,
                    load_version=lambda version: _load_version(platform, row["process_id"], version))
    replay.run_all()
    if replay.divergence is None:
        replay.check_final(case_row)
    divergence = replay.divergence
    if divergence is None and (changed or chain or truncated):
        divergence = {"step": None, "seq": None, "message": "Die Wiederholung stimmt überein, der Nachweis aber nicht"}
    if divergence is not None:
        default = rc.CAUSE_MISSING if divergence.get("missing") else rc.CAUSE_UNKNOWN
        divergence["cause"] = rc.likely_cause(chain, changed, truncated, default)
    return {
        "number": number, "process_id": row["process_id"], "version": row["version"],
        "process_name": row["name"], "kommune": case_row["kommune"], "state": case_row["state"],
        "consistent": divergence is None, "result": CONSISTENT if divergence is None else "replay diverges",
        "divergence": divergence, "chain": [{"seq": s, "problem": p} for s, p in chain],
        "changed_files": [{"path": p, "problem": q} for p, q in changed], "truncated": truncated,
        "trail": replay.trail, "snapshots": replay.snapshots if snapshots else [],
        "final": {"state": replay.final_state(), "data": replay.final_data()},
        "ms": round((time.perf_counter() - started) * 1000, 1),
        **({"xml": process_xml(row, contents)} if with_xml else {}),
    }


class Replay:
    """Drives one SINGLE_STEP run against the recorded events (oldest first)."""

    def __init__(self, row, contents, definition, events, snapshots=True, load_version=None):
        self.row, self.contents, self.definition, self.events = row, contents, definition, events
        self.load_version = load_version  # version -> (row, Definition); for migrated cases
        self.before_migration = []  # (definition, stored state) before each replayed migration
        self.keep_snapshots = snapshots
        self.run, self.clock = None, None
        self.pos = 0
        self.trail, self.snapshots = [], []
        self.task_ids = {}  # recorded task id -> replayed task id
        self.opened = []  # replayed task ids in the order they were created
        self.visited = []
        self.divergence = None

    # -- the loop -----------------------------------------------------------------------------

    def run_all(self):
        try:
            if self.definition is None:
                try:
                    self.definition = build_definition(self.row, self.contents)
                except (ZsaError, KeyError) as exc:
                    raise Divergence(f"Die bereitgestellte Version lässt sich nicht laden: {getattr(exc, 'message', exc)}")
            while self.pos < len(self.events):
                recorded = self.events[self.pos]
                if rc.trail_only(recorded["type"]):
                    self._service_event(recorded)
                    continue
                if recorded["type"] in rc.NOT_REPLAYED_YET:
                    raise Divergence(rc.NOT_REPLAYED_YET[recorded["type"]])
                feed = INPUTS.get(recorded["type"])
                if feed is None or self.run is None and recorded["type"] != "case_started":
                    raise Divergence(f"Aufgezeichnet ist {rc.label(recorded['type'])} "
                                     f"'{recorded.get('element_name') or recorded.get('element_id') or ''}', "
                                     "die Wiederholung wartet aber auf eine Eingabe")
                self._operation(recorded, feed)
        except Divergence as exc:
            step = len(self.trail) + 1
            seq = self.events[self.pos]["seq"] if self.pos < len(self.events) else None
            self.divergence = {"step": step, "seq": seq, "message": exc.message, "missing": exc.missing}

    def _operation(self, recorded, feed):
        """Feed one input at its recorded time, step until the case waits, match the window."""
        if self.clock is None:
            self.clock = FakeClock(_parse(recorded["at"]))
        else:
            self.clock.set(_parse(recorded["at"]))
        try:
            generated = [(e, self._snapshot()) for e in feed(self, recorded).events]
        except ZsaError as exc:
            raise Divergence(f"Eingabe '{rc.label(recorded['type'])}' nicht möglich: {exc.message}") from None
        while self.run.step():
            prune_history(self.run.workflow)  # harmless: only finished, linear history goes
            snap = self._snapshot()
            generated.extend((e, snap) for e in self.run.take_effects().events)
        snap = self._snapshot()
        generated.extend((e, snap) for e in self.run.take_effects().events)
        prune_history(self.run.workflow)  # as production does after every operation
        self._match(generated)

    def _match(self, generated):
        """Pair the recorded events of this operation with the generated ones and compare."""
        ordered = [g for g in generated if g[0]["type"] not in rc.SETTLE_EVENTS]
        settled = [g for g in generated if g[0]["type"] in rc.SETTLE_EVENTS]
        for _ in range(len(generated)):
            if self.pos >= len(self.events) or self.events[self.pos]["type"] not in rc.ENGINE_EVENTS:
                missing = (ordered or settled)[0][0]
                raise Divergence(f"Die Wiederholung ergibt {rc.label(missing['type'])} "
                                 f"'{missing.get('element_name') or missing.get('element_id')}', "
                                 "das in der Aufzeichnung fehlt", missing=True)
            recorded = self.events[self.pos]
            pool = settled if recorded["type"] in rc.SETTLE_EVENTS else ordered
            index = next((i for i, (e, _) in enumerate(pool) if e["type"] == recorded["type"]
                          and e.get("element_id") == recorded.get("element_id")), 0) \
                if pool is settled else 0
            if not pool:
                raise Divergence(f"Aufgezeichnet ist {rc.label(recorded['type'])} "
                                 f"'{recorded.get('element_name') or recorded.get('element_id')}', "
                                 "die Wiederholung ergibt nichts dergleichen")
            replayed, snap = pool.pop(index)
            problem = rc.compare(recorded, replayed, self.task_ids)
            if problem:
                raise Divergence(problem)
            if replayed["type"] == "task_created":
                self.opened.append(replayed["data"]["task_id"])
            self._add(recorded, snap)

    def _service_event(self, recorded):
        kind = recorded["type"]
        if kind == "case_completed" and (self.run is None or self.run.state() != COMPLETED):
            raise Divergence("Aufgezeichnet ist der Abschluss des Vorgangs, die Wiederholung ist nicht beendet")
        if kind == "incident_resolved" and self.run is not None and self.run.state() == INCIDENT:
            raise Divergence("Aufgezeichnet ist die Behebung der Störung, die Wiederholung steht noch in der Störung")
        self._add(recorded, self.snapshots[-1] if self.snapshots else self._snapshot())

    def _add(self, recorded, snap):
        if recorded["type"] in DONE_EVENTS and recorded.get("element_id"):
            self.visited.append(recorded["element_id"])
        self.snapshots.append(dict(snap, visited=list(dict.fromkeys(self.visited))) if self.keep_snapshots else None)
        self.trail.append({
            "step": len(self.trail) + 1, "seq": recorded["seq"], "type": recorded["type"],
            "label": rc.label(recorded["type"]), "element_id": recorded.get("element_id"),
            "element_name": recorded.get("element_name") or recorded.get("element_id") or "",
            "actor": recorded.get("actor"), "at": recorded["at"], "time": rc.de_time(recorded["at"]),
            "changed": rc.shown_change(recorded),
        })
        self.pos += 1

    def _snapshot(self):
        if not self.keep_snapshots or self.run is None:
            return {"data": {}, "active": [], "incident": []}
        active, incident = self.run.active_elements()
        return {"data": rc.normalized(self.run.case_data()), "active": sorted(active), "incident": sorted(incident)}

    # -- the end ------------------------------------------------------------------------------

    def check_final(self, case_row):
        """The replayed final state and data must be those stored on the case row."""
        if self.run is None:
            self.divergence = {"step": None, "seq": None, "message": "Kein Vorgangsbeginn aufgezeichnet",
                               "missing": True}
            return
        expected = "running" if case_row["state"] == "cancelled" else case_row["state"]
        problem = None
        if self.run.state() != expected:
            problem = f"Endzustand aufgezeichnet '{case_row['state']}', wiederholt '{self.run.state()}'"
        else:
            want, got = rc.normalized(case_row["data"]), self.final_data()
            if want != got:
                problem = (f"Vorgangsdaten am Ende weichen ab: aufgezeichnet {rc.difference(want, got, 'want')}, "
                           f"wiederholt {rc.difference(want, got, 'got')}")
        if problem:
            self.divergence = {"step": len(self.trail) + 1, "seq": None, "message": problem, "missing": False}

    def final_state(self):
        return self.run.state() if self.run is not None else None

    def final_data(self):
        return rc.normalized(self.run.case_data()) if self.run is not None else {}


# -- inputs: one function per recorded input type ------------------------------------------------

def _start(replay, recorded):
    data = recorded.get("data") or {}
    if replay.run is not None:
        raise Divergence("Der Vorgang wurde ein zweites Mal begonnen")
    migrated = any(e["type"] == "case_migrated" for e in replay.events)
    if data.get("version") not in (None, replay.row["version"]):
        if not migrated or replay.load_version is None:
            raise Divergence(f"Aufgezeichnet ist Version {data.get('version')}, der Vorgang steht auf "
                             f"Version {replay.row['version']}")
        replay.definition = _version_definition(replay, data["version"], None)
    replay.run = CaseRun.new(replay.definition, replay.clock, SINGLE_STEP)
    effects = replay.run.start(data.get("data") or {}, message=data.get("message"))
    replay.visited.extend(sorted(start_events(replay.definition, data.get("message"))))
    replay._add(recorded, replay._snapshot())
    return effects


def _complete(replay, recorded):
    open_ids = {t.task_id: t for t in replay.run.open_tasks() if t.element_id == recorded.get("element_id")}
    task_id = next((t for t in replay.opened if t in open_ids), None)
    if task_id is None:
        raise Divergence(f"Aufgezeichnet ist der Abschluss von '{recorded.get('element_name')}', "
                         "in der Wiederholung ist diese Aufgabe nicht offen")
    return replay.run.complete_task(task_id, (recorded.get("data") or {}).get("data") or {})


def _message(replay, recorded):
    data = recorded.get("data") or {}
    return replay.run.deliver_message(data.get("message"), data.get("payload") or {})


def _timer(replay, _recorded):
    return replay.run.fire_due_timers()


def _retry(replay, recorded):
    return replay.run.retry((recorded.get("data") or {}).get("data") or None)


def _migrated(replay, recorded):
    data = recorded.get("data") or {}
    target = _version_definition(replay, data.get("to_version"), data.get("to_hash"))
    replay.before_migration.append((replay.definition, replay.run.stored_state()))
    checked, effects = migrate_run(replay.run, target, data.get("mapping") or {})
    if not checked.migratable:
        raise Divergence(f"Aufgezeichnet ist die Migration auf Version {data.get('to_version')}, in der "
                         f"Wiederholung ist sie nicht möglich: {checked.reason()}")
    replay.definition = target
    replay._add(recorded, replay._snapshot())
    return effects


def _migration_undone(replay, recorded):
    if not replay.before_migration:
        raise Divergence("Aufgezeichnet ist das Rückgängigmachen einer Migration, die es nicht gab")
    definition, stored = replay.before_migration.pop()
    replay.definition = definition
    replay.run = CaseRun.restore(definition, stored, replay.clock, SINGLE_STEP)
    replay._add(recorded, replay._snapshot())
    return replay.run.take_effects()


def _version_definition(replay, version, expected_hash):
    try:
        row, definition = replay.load_version(int(version))
    except (ZsaError, TypeError, ValueError) as exc:
        raise Divergence(f"Version {version} lässt sich nicht laden: {getattr(exc, 'message', exc)}") from None
    if expected_hash and row["content_hash"] != expected_hash:
        raise Divergence(f"Version {version} hat nicht mehr den aufgezeichneten Inhalt (Hash weicht ab)")
    return definition


def _load_version(platform, process_id, version):
    """A deployed version's row and Definition, its files checked against their SHA-256."""
    from .deployments import definition_row

    with platform.uow(readonly=True) as uow:
        row = dict(definition_row(uow, process_id, version))
        contents = load_contents(uow, row)
        changed = changed_files(row, contents)
        if changed:
            raise ZsaError(f"bereitgestellte Datei geändert: {changed[0][0]}")
        return row, platform.definition(uow, row["id"])


INPUTS = {
    "case_migrated": _migrated,
    "case_migration_undone": _migration_undone,
    "case_started": _start,
    "task_completed": _complete,
    "message_received": _message,
    "timer_fired": _timer,
    "retried": _retry,
}


def _parse(value):
    return datetime.fromisoformat(value)


def note_access(platform, actor, what, case_number=None, process_id=None):
    """Record an auditor's access in the verifiable log (services/audit.record_access, when present)."""
    try:
        from .audit import record_access
    except ImportError:
        return None
    return record_access(platform, actor, what, case_number=case_number, process_id=process_id)
