"""Process versions for process owners: history with case counts, files, suspend/resume, diff.

Read models return plain dicts; `suspend`/`resume` are use cases (one transaction each). Callers
from the web pass their Scope: only process owners may suspend, resume or look at models.
"""
from sqlalchemy import case as sql_case
from sqlalchemy import func, select, update

from ..errors import NotFound
from ..library.diff import diff_versions, main_file, markers
from ..library.loader import LibraryFile
from ..library.model_stats import model_stats
from ..storage.tables import deployment, process_definition, vorgang
from .deployments import definition_row, load_contents

FINISHED = ("completed", "cancelled")
OWNERS_ONLY = "Nur die Prozessverantwortung sieht und ändert Prozessversionen"


def _require(scope):
    if scope is not None:
        scope.require(scope.can_deploy, OWNERS_ONLY)


def versions(platform, process_id, scope=None) -> list:
    """Every version of a process, newest first, with deployment and running/finished case counts."""
    _require(scope)
    pd = process_definition
    running = func.sum(sql_case((vorgang.c.state.notin_(FINISHED), 1), else_=0)).label("running")
    finished = func.sum(sql_case((vorgang.c.state.in_(FINISHED), 1), else_=0)).label("finished")
    counts = (select(vorgang.c.definition_id, running, finished).group_by(vorgang.c.definition_id).subquery())
    query = (select(pd.c.id, pd.c.version, pd.c.name, pd.c.deployed_at, pd.c.deployed_by, pd.c.suspended_at,
                    pd.c.suspended_by, pd.c.content_hash, pd.c.properties, counts.c.running, counts.c.finished,
                    deployment.c.id.label("deployment_id"), deployment.c.source, deployment.c.name.label("deployment_name"))
             .outerjoin(counts, counts.c.definition_id == pd.c.id)
             .outerjoin(deployment, deployment.c.id == pd.c.deployment_id)
             .where(pd.c.process_id == process_id).order_by(pd.c.version.desc()))
    with platform.uow(readonly=True) as uow:
        rows = [dict(r) for r in uow.execute(query).mappings()]
    if not rows:
        raise NotFound(f"Prozess '{process_id}' ist nicht bereitgestellt")
    for r in rows:
        r["running"], r["finished"] = int(r["running"] or 0), int(r["finished"] or 0)
        r["variant"] = (r.pop("properties") or {}).get("zsa:variant", "to-be")
    return rows


def version_files(platform, process_id, version, scope=None) -> dict:
    """A version's row and its files ([LibraryFile], the main BPMN first)."""
    _require(scope)
    with platform.uow(readonly=True) as uow:
        row = dict(definition_row(uow, process_id, version))
        contents = load_contents(uow, row)
    files = [LibraryFile(f["path"], f["kind"], contents[f["sha256"]]) for f in row["files"]]
    main = main_file(process_id, files)
    return {"row": row, "main": main, "files": [main] + [f for f in files if f is not main]}


def definition_by_camunda_id(platform, ref) -> dict:
    """A version by Camunda's process definition id `key:version:id`, or the latest by bare key."""
    key, version, row_id = (ref.split(":") + [None, None])[:3] if ref.count(":") == 2 else (ref, None, None)
    try:
        with platform.uow(readonly=True) as uow:
            row = definition_row(uow, key, int(version) if version else None)
    except (NotFound, ValueError):
        row = None
    if row is None or (row_id is not None and str(row["id"]) != row_id):
        raise NotFound(f"Keine Prozessdefinition mit der id '{ref}'")
    properties = row["properties"] or {}
    main = next((f["path"] for f in row["files"] if f["kind"] == "bpmn"), None)
    return {"id": f"{row['process_id']}:{row['version']}:{row['id']}", "process_id": row["process_id"],
            "version": row["version"], "definition_id": row["id"], "name": row["name"],
            "deployment_id": row["deployment_id"], "suspended": row["suspended_at"] is not None,
            "variant": properties.get("zsa:variant", "to-be"), "resource": main}


def set_suspended(platform, process_id, version, suspended, actor, scope=None):
    """Suspend a version (no new cases; running ones go on) or resume it."""
    _require(scope)
    with platform.uow() as uow:
        row = definition_row(uow, process_id, version)
        values = ({"suspended_at": platform.clock.now(), "suspended_by": actor} if suspended
                  else {"suspended_at": None, "suspended_by": None})
        uow.execute(update(process_definition).where(process_definition.c.id == row["id"]).values(**values))
        uow.commit()


def diff(platform, process_id, old_version, new_version, scope=None) -> dict:
    """Changes from one version to another plus the element ids to mark in both diagrams."""
    old = version_files(platform, process_id, old_version, scope)
    new = version_files(platform, process_id, new_version, scope)
    changes = diff_versions(process_id, old["files"], new["files"])
    return {"process_id": process_id, "old": old["row"]["version"], "new": new["row"]["version"],
            "changes": changes, "markers": markers(changes)}


def deployments(platform, scope=None, limit=100) -> list:
    """The latest deployments, newest first."""
    _require(scope)
    with platform.uow(readonly=True) as uow:
        return [dict(r) for r in uow.execute(select(deployment).order_by(deployment.c.id.desc()).limit(limit)).mappings()]


def deployment_record(platform, deployment_id, scope=None) -> dict:
    """One recorded deployment; NotFound if there is none with this number."""
    _require(scope)
    with platform.uow(readonly=True) as uow:
        row = uow.execute(select(deployment).where(deployment.c.id == deployment_id)).mappings().first()
    if row is None:
        raise NotFound(f"Bereitstellung {deployment_id} nicht gefunden")
    return dict(row)


def services(platform, scope=None) -> list:
    """Each service with its to-be processes and as-is variants side by side (latest versions, key figures)."""
    _require(scope)
    grouped = {}
    for p in platform.processes():
        files = version_files(platform, p["process_id"], None)
        stats = model_stats(files["main"].content, p["process_id"], files["main"].path)
        with platform.uow(readonly=True) as uow:
            props = definition_row(uow, p["process_id"])["properties"] or {}
        entry = {**p, **stats, "kommune": props.get("zsa:kommune")}
        service = grouped.setdefault(p["service"] or "(ohne Leistung)", {"to_be": [], "as_is": []})
        service["as_is" if p["variant"] == "as-is" else "to_be"].append(entry)
    return [{"service": name, **groups} for name, groups in sorted(grouped.items())]
