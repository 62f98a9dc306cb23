"""Use cases: migrate running cases to another version of their process, and undo a migration.

One transaction per case: a case that cannot move, or fails, is left untouched and reported.
Before each migration the case's stored state, open task rows and timers are kept in
`case_migration`, so `undo` can restore them as long as the case has not moved on since.
"""
from sqlalchemy import bindparam, delete, insert, select, update

from ..engine.migration import migrate as migrate_run
from ..engine.migration import plan as plan_run
from ..errors import Conflict, NotFound, ValidationFailed, ZsaError
from ..storage.tables import case_migration, human_task, timer, vorgang, workflow_state
from .deployments import definition_row
from .history import append_events
from .runs import get_case_row, open_run, replace_candidates, save_run

STATUS_LABELS = {"migrated": "migriert", "migratable": "migrierbar", "not_migratable": "nicht migrierbar",
                 "failed": "fehlgeschlagen", "skipped": "übersprungen"}
_TASK_COLUMNS = ("id", "task_def", "name", "candidate_groups", "candidate_users", "form_ref", "form_sha256",
                 "state", "completed_at")
_OPEN_TASKS = select(*[human_task.c[c] for c in _TASK_COLUMNS]).where(
    human_task.c.case_id == bindparam("b_case"), human_task.c.state == "open")
_TIMERS = select(timer.c.id, timer.c.element_id, timer.c.due_at).where(timer.c.case_id == bindparam("b_case"))
_STATE = select(workflow_state.c.format, workflow_state.c.state).where(workflow_state.c.case_id == bindparam("b_case"))


def migrate_cases(platform, process_id, from_version, to_version, numbers=None, mapping=None, dry_run=False,
                  actor="system"):
    """Migrate the running cases of one version (or the named ones); returns a summary dict."""
    if int(from_version) == int(to_version):
        raise ValidationFailed("Quell- und Zielversion sind gleich")
    with platform.uow(readonly=True) as uow:
        source = definition_row(uow, process_id, from_version)
        target = definition_row(uow, process_id, to_version)
        if numbers is None:
            numbers = list(uow.execute(select(vorgang.c.number).where(
                vorgang.c.definition_id == source["id"], vorgang.c.state.in_(("running", "incident")))
                .order_by(vorgang.c.id)).scalars())
    results = [_migrate_one(platform, number, source, target, mapping or {}, dry_run, actor) for number in numbers]
    counts = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {"process_id": process_id, "from_version": source["version"], "to_version": target["version"],
            "dry_run": dry_run, "cases": results, "counts": counts}


def _migrate_one(platform, number, source, target, mapping, dry_run, actor):
    result = {"number": number, "status": None, "reason": "", "changed_tasks": []}
    try:
        with platform.uow() as uow:
            case_row = get_case_row(uow, number=number)
            if case_row["definition_id"] != source["id"]:
                return dict(result, status="skipped", reason=f"läuft nicht auf Version {source['version']}")
            if case_row["state"] not in ("running", "incident"):
                return dict(result, status="skipped", reason="bereits beendet")
            run, _ = open_run(platform, uow, case_row)
            target_def = platform.definition(uow, target["id"])
            if dry_run:
                checked = plan_run(run, target_def, mapping)
                status = "migratable" if checked.migratable else "not_migratable"
                return dict(result, status=status, reason=checked.reason(), changed_tasks=checked.changed_tasks)
            before = _snapshot(uow, case_row)
            checked, effects = migrate_run(run, target_def, mapping)
            if not checked.migratable:
                return dict(result, status="not_migratable", reason=checked.reason())
            now = platform.clock.now()
            uow.execute(update(vorgang).where(vorgang.c.id == case_row["id"]).values(definition_id=target["id"]))
            moved = dict(case_row, definition_hash=target["content_hash"])
            event = {"type": "case_migrated", "data": {
                "from_version": source["version"], "to_version": target["version"],
                "from_hash": source["content_hash"], "to_hash": target["content_hash"], "mapping": mapping}}
            save_run(platform, uow, moved, target_def, run, effects, actor, now, events_before=[event])
            uow.execute(insert(case_migration).values(
                case_id=case_row["id"], from_definition_id=source["id"], to_definition_id=target["id"],
                lock_version_after=case_row["lock_version"] + 1, migrated_at=now, migrated_by=actor, **before))
            uow.commit()
            return dict(result, status="migrated", changed_tasks=checked.changed_tasks)
    except Conflict as exc:
        return dict(result, status="failed", reason=exc.message)


def _snapshot(uow, case_row):
    stored = uow.execute(_STATE, {"b_case": case_row["id"]}).one()
    tasks = [dict(r) for r in uow.execute(_OPEN_TASKS, {"b_case": case_row["id"]}).mappings()]
    timers = [{"id": t.id, "element_id": t.element_id, "due_at": t.due_at.isoformat()}
              for t in uow.execute(_TIMERS, {"b_case": case_row["id"]})]
    return {"state_format": stored.format, "state_before": stored.state, "tasks_before": tasks,
            "timers_before": timers}


def undo_migration(platform, number, actor="system"):
    """Restore the case's state before its last migration (only if it has not moved on since)."""
    from datetime import datetime

    with platform.uow() as uow:
        case_row = get_case_row(uow, number=number)
        last = uow.execute(select(case_migration).where(case_migration.c.case_id == case_row["id"],
                                                         case_migration.c.undone_at.is_(None))
                           .order_by(case_migration.c.id.desc()).limit(1)).mappings().first()
        if last is None:
            raise NotFound(f"Vorgang {number} wurde nicht migriert")
        if case_row["lock_version"] != last["lock_version_after"]:
            raise Conflict(f"Vorgang {number} wurde seit der Migration weitergeführt; "
                           "die Migration lässt sich nicht mehr rückgängig machen")
        now = platform.clock.now()
        case_id = case_row["id"]
        uow.execute(update(workflow_state).where(workflow_state.c.case_id == case_id).values(
            format=last["state_format"], state=last["state_before"]))
        before_ids = {t["id"] for t in last["tasks_before"]}
        uow.execute(update(human_task).where(human_task.c.case_id == case_id, human_task.c.state == "open",
                                             human_task.c.id.notin_(before_ids))
                    .values(state="cancelled", completed_at=now))
        for task in last["tasks_before"]:
            values = {k: task[k] for k in ("task_def", "name", "candidate_groups", "candidate_users", "form_ref",
                                            "form_sha256")}
            uow.execute(update(human_task).where(human_task.c.id == task["id"]).values(
                state="open", completed_at=None, completed_by=None, **values))
            replace_candidates(uow, task["id"], task["candidate_groups"], task["candidate_users"])
        uow.execute(delete(timer).where(timer.c.case_id == case_id))
        if last["timers_before"]:
            uow.execute(insert(timer), [dict(t, case_id=case_id, due_at=datetime.fromisoformat(t["due_at"]))
                                        for t in last["timers_before"]])
        done = uow.execute(update(vorgang).where(vorgang.c.id == case_id,
                                                 vorgang.c.lock_version == case_row["lock_version"])
                           .values(definition_id=last["from_definition_id"], state="running", incident=None,
                                   ended_at=None, lock_version=case_row["lock_version"] + 1, updated_at=now))
        if done.rowcount != 1:
            raise Conflict(f"Vorgang {number} wurde gleichzeitig geändert")
        uow.execute(update(case_migration).where(case_migration.c.id == last["id"]).values(undone_at=now))
        restored = get_case_row(uow, case_id=case_id)
        append_events(uow, restored, [{"type": "case_migration_undone", "data": {
            "migration": last["id"], "definition_id": last["from_definition_id"]}}], actor, now)
        platform.workflows.take(case_id, case_row["lock_version"])
        uow.commit()


def read_mapping_text(text, source="Zuordnung"):
    """A mapping of renamed element ids, `{alte-id: neue-id}`, as JSON or YAML text ('' = none)."""
    import json

    if not text or not text.strip():
        return {}
    try:
        mapping = json.loads(text)
    except json.JSONDecodeError:
        import yaml

        try:
            mapping = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ZsaError(f"{source}: weder JSON noch YAML ({' '.join(str(exc).split())})") from None
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise ValidationFailed(f"{source}: erwartet wird eine Zuordnung alte-element-id: neue-element-id")
    return mapping
