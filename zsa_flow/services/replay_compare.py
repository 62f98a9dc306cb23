"""Pure helpers of the audit replay: what counts as an input, how a replayed engine event is
compared with the recorded one, what a trail line shows and which cause a divergence likely has.

No database and no engine here; services/replay.py drives the engine and calls these.
"""
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from .history import canonical

LOCAL_TZ = ZoneInfo("Europe/Berlin")

# Events the engine writes (engine/runner.py); replay regenerates and compares them. Every other
# recorded type is written by the service layer around engine runs (claims, assignments, notes,
# case_completed, incident_resolved, case_cancelled, access records, ...): it changes nothing in
# the engine and appears in the trail only (case_completed / incident_resolved are checked
# against the replayed state). Inputs among both are fed to the engine (services/replay.INPUTS).
ENGINE_EVENTS = frozenset({"task_created", "task_completed", "task_cancelled", "script_executed",
                           "decision_evaluated", "gateway_taken", "gateway_passed", "timer_fired",
                           "message_received", "message_sent", "end_event", "incident_raised", "retried"})
NOT_REPLAYED_YET = {}  # recorded input types the replay cannot feed yet: type -> reason
# Inputs recorded outside the engine that change what runs: the case moved to another version.
VERSION_INPUTS = {"case_migrated", "case_migration_undone"}


def trail_only(event_type) -> bool:
    """A recorded event the engine neither produces nor consumes."""
    return (event_type not in ENGINE_EVENTS and event_type != "case_started" and event_type not in NOT_REPLAYED_YET
            and event_type not in VERSION_INPUTS)


# Engine events written at the end of an operation in production (RUN_TO_WAIT settles once), but
# after each step in SINGLE_STEP: within one operation they are matched by type and element.
SETTLE_EVENTS = frozenset({"task_created", "task_cancelled"})

LABELS = {
    "case_started": "Vorgang angelegt", "task_created": "Aufgabe erstellt", "task_claimed": "Aufgabe übernommen",
    "task_unclaimed": "Aufgabe zurückgegeben", "task_assigned": "Aufgabe zugewiesen",
    "task_completed": "Aufgabe abgeschlossen", "task_cancelled": "Aufgabe entfallen",
    "script_executed": "Berechnung ausgeführt", "decision_evaluated": "Entscheidungstabelle ausgewertet",
    "gateway_taken": "Verzweigung entschieden", "gateway_passed": "Zusammenführung",
    "timer_fired": "Frist abgelaufen", "message_received": "Nachricht empfangen",
    "message_sent": "Nachricht versendet", "end_event": "Endereignis erreicht",
    "incident_raised": "Störung aufgetreten", "incident_resolved": "Störung behoben", "retried": "Erneut ausgeführt",
    "case_completed": "Vorgang abgeschlossen", "case_cancelled": "Vorgang abgebrochen",
    "note_added": "Notiz hinzugefügt", "document_attached": "Dokument beigefügt", "case_migrated": "Vorgang migriert",
    "case_migration_undone": "Migration rückgängig gemacht",
}

CAUSE_FILE = "bereitgestellte Datei geändert"
CAUSE_EDITED = "bearbeitetes Ereignis"
CAUSE_MISSING = "fehlendes Ereignis"
CAUSE_UNKNOWN = "Modell oder Engine verhalten sich anders als bei der Aufzeichnung"


def normalized(value):
    """A value as the event table stores it (canonical JSON round trip: dates become ISO text)."""
    return json.loads(canonical(value if value is not None else {}))


def de_time(value) -> str:
    """ISO time → '02.03.2026 09:00' (German local time)."""
    if not value:
        return "–"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(LOCAL_TZ).strftime("%d.%m.%Y %H:%M")


def label(event_type) -> str:
    return LABELS.get(event_type, event_type)


def shown_change(event) -> dict:
    """The data a trail line shows for a recorded event (what the step brought in or changed)."""
    data = event.get("data") or {}
    kind = event["type"]
    if kind in ("case_started", "task_completed", "retried"):
        return data.get("data") or {}
    if kind == "script_executed":
        return data.get("changed") or {}
    if kind == "message_received":
        return data.get("payload") or {}
    if kind == "decision_evaluated":
        return {k: v for k, v in data.items() if k != "matched_rules"} or data
    if kind == "gateway_taken":
        return {"Weg": data.get("to")}
    if kind == "task_created":
        return {k: v for k, v in (("Gruppen", data.get("candidate_groups")), ("Frist", data.get("due")))
                if v}
    if kind in ("task_claimed", "task_assigned"):
        return {"Bearbeitung": data.get("assignee")}
    if kind == "case_cancelled":
        return {"Grund": data.get("reason")}
    if kind == "incident_raised":
        return {"Fehler": data.get("message")}
    if kind == "timer_fired":
        return {"fällig": data.get("due")}
    return {}


def compare(recorded, replayed, task_ids) -> str | None:
    """None when the replayed engine event matches the recorded one; else what differs (German).

    `task_ids` maps recorded task ids to replayed ones (task ids are fresh UUIDs in every run);
    a task_created pair adds its mapping."""
    if recorded["type"] != replayed["type"] or recorded.get("element_id") != replayed.get("element_id"):
        return (f"aufgezeichnet: {label(recorded['type'])} '{recorded.get('element_name') or recorded.get('element_id')}', "
                f"wiederholt: {label(replayed['type'])} '{replayed.get('element_name') or replayed.get('element_id')}'")
    if (recorded.get("element_name") or None) != (replayed.get("element_name") or None):
        return f"Elementname aufgezeichnet '{recorded.get('element_name')}', im Modell '{replayed.get('element_name')}'"
    want, got = normalized(recorded.get("data")), normalized(replayed.get("data"))
    if recorded["type"] in SETTLE_EVENTS:
        recorded_id, replayed_id = want.pop("task_id", None), got.pop("task_id", None)
        if recorded["type"] == "task_created":
            task_ids[recorded_id] = replayed_id
        elif task_ids.get(recorded_id) != replayed_id:
            return f"Aufgabe entfallen '{recorded.get('element_name')}': eine andere Aufgabe entfällt als aufgezeichnet"
    if want != got:
        what = f"{label(recorded['type'])} '{recorded.get('element_name') or recorded.get('element_id')}'"
        return f"{what}: Daten aufgezeichnet {_short(difference(want, got, 'want'))}, wiederholt {_short(difference(want, got, 'got'))}"
    return None


def difference(want, got, side):
    """The keys of two dicts that differ, from one side (whole values for non-dicts)."""
    if not (isinstance(want, dict) and isinstance(got, dict)):
        return want if side == "want" else got
    source = want if side == "want" else got
    keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
    return {k: source.get(k) for k in keys}


def changes(before: dict, after: dict) -> dict:
    """Keys whose value differs between two data snapshots: key -> (before, after)."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


def likely_cause(chain_findings, changed_files, truncated, default=CAUSE_UNKNOWN) -> str:
    """The most likely cause of a divergence, most specific first."""
    if changed_files:
        return f"{CAUSE_FILE}: " + ", ".join(f"{path} ({problem})" for path, problem in changed_files)
    for seq, problem in chain_findings:
        if problem.startswith("Lücke"):
            return f"{CAUSE_MISSING} oder eingefügtes Ereignis (Position {seq}: {problem})"
        return f"{CAUSE_EDITED} (Position {seq}: {problem})"
    if truncated:
        return f"{CAUSE_MISSING} am Ende ({truncated})"
    return default


def _short(value, limit=300):
    text = canonical(value)
    return text if len(text) <= limit else text[:limit] + " …"
