"""Deploying a process library: immutable, numbered versions identified by content hash."""

from sqlalchemy import bindparam, func, insert, select

from ..errors import ModelError, NotFound
from ..library.loader import read_library
from ..storage.tables import artifact, form_definition, process_definition


def deploy(platform, paths, actor="system"):
    """Deploy every executable process under `paths`; unchanged ones keep their version."""
    library = read_library(paths)
    _validate(platform, library)
    now = platform.clock.now()
    results = []
    with platform.uow() as uow:
        stored = set()
        for f in library.files:
            if f.sha256 not in stored and uow.execute(
                select(artifact.c.sha256).where(artifact.c.sha256 == f.sha256)
            ).first() is None:
                uow.execute(insert(artifact).values(sha256=f.sha256, kind=f.kind, content=f.content))
            stored.add(f.sha256)
        for form_id_, f in sorted(library.forms.items()):
            _deploy_form(uow, form_id_, f, now)
        for pid, info in sorted(library.processes.items()):
            if not info.executable:
                continue
            results.append(_deploy_process(uow, library, info, now, actor))
        uow.commit()
    return results


def _deploy_process(uow, library, info, now, actor):
    bundle = library.bundle(info.process_id)
    digest = library.bundle_hash(info.process_id)
    latest = uow.execute(
        select(process_definition.c.version, process_definition.c.content_hash)
        .where(process_definition.c.process_id == info.process_id)
        .order_by(process_definition.c.version.desc()).limit(1)
    ).first()
    if latest is not None and latest.content_hash == digest:
        return {"process_id": info.process_id, "version": latest.version, "created": False}
    version = (latest.version if latest else 0) + 1
    prefix = info.properties.get("zsa:case-prefix") or info.process_id[:4].upper()
    uow.execute(insert(process_definition).values(
        process_id=info.process_id, version=version, name=info.name, content_hash=digest,
        case_prefix=prefix, service=info.properties.get("zsa:service"), properties=info.properties,
        files=[{"path": f.path, "kind": f.kind, "sha256": f.sha256} for f in bundle],
        start_form=info.start_form, message_starts=info.message_starts, deployed_at=now, deployed_by=actor,
    ))
    return {"process_id": info.process_id, "version": version, "created": True}


def _deploy_form(uow, form_id_, f, now):
    latest = uow.execute(
        select(form_definition.c.version, form_definition.c.sha256)
        .where(form_definition.c.form_id == form_id_).order_by(form_definition.c.version.desc()).limit(1)
    ).first()
    if latest is not None and latest.sha256 == f.sha256:
        return
    uow.execute(insert(form_definition).values(
        form_id=form_id_, version=(latest.version if latest else 0) + 1, sha256=f.sha256, deployed_at=now))


def _validate(platform, library):
    """Refuse to deploy what cannot run: every script, condition and timer/due-date expression must
    pass the sandbox policy (as `zsa-flow check` reports it), every executable process must parse."""
    from ..engine.definitions import definition_from_bundle

    _check_expressions(library)
    for pid, info in library.processes.items():
        if info.executable:
            definition_from_bundle(info, library.bundle(pid))
    if not any(i.executable for i in library.processes.values()):
        raise ModelError("Keine ausführbaren Prozesse gefunden (isExecutable=\"true\")")


def _check_expressions(library):
    from ..library.check_expr import check_expressions
    from ..xmlsafe import parse_xml

    problems = []
    for f in library.files:
        if f.kind == "bpmn":
            check_expressions(f.path, parse_xml(f.content, f.path).getroot(), problems)
    errors = sorted((p for p in problems if p.is_error), key=lambda p: (p.file, p.line))
    if errors:
        more = f" (und {len(errors) - 1} weitere – `zsa-flow check` zeigt alle)" if len(errors) > 1 else ""
        raise ModelError(f"{errors[0]}{more}", details={"problems": [str(p) for p in errors[:50]]})


def list_processes(platform):
    """Every deployed process with its latest version and number of versions (one query)."""
    pd = process_definition
    summary = (select(pd.c.process_id, func.max(pd.c.version).label("latest"), func.count().label("versions"))
               .group_by(pd.c.process_id).subquery())
    query = (select(pd, summary.c.versions)
             .join(summary, (summary.c.process_id == pd.c.process_id) & (summary.c.latest == pd.c.version))
             .order_by(pd.c.process_id))
    with platform.uow(readonly=True) as uow:
        return [{"process_id": d["process_id"], "name": d["name"], "version": d["version"], "versions": d["versions"],
                 "case_prefix": d["case_prefix"], "service": d["service"], "start_form": d["start_form"],
                 "variant": (d["properties"] or {}).get("zsa:variant", "to-be"),
                 "message_starts": d["message_starts"], "deployed_at": d["deployed_at"].isoformat()}
                for d in uow.execute(query).mappings()]


_LATEST = (select(process_definition).where(process_definition.c.process_id == bindparam("b_pid"))
           .order_by(process_definition.c.version.desc()).limit(1))
_VERSION = select(process_definition).where(process_definition.c.process_id == bindparam("b_pid"),
                                            process_definition.c.version == bindparam("b_version"))


def definition_row(uow, process_id, version=None):
    """The row of a named version, or of the latest one."""
    if version:
        row = uow.execute(_VERSION, {"b_pid": process_id, "b_version": int(version)}).mappings().first()
    else:
        row = uow.execute(_LATEST, {"b_pid": process_id}).mappings().first()
    if row is None:
        what = f"Version {version} von '{process_id}'" if version else f"Prozess '{process_id}'"
        raise NotFound(f"{what} ist nicht bereitgestellt")
    return row


def load_contents(uow, row):
    """sha256 -> file content for every file of a deployed version."""
    shas = [f["sha256"] for f in row["files"]]
    return {r.sha256: r.content for r in uow.execute(select(artifact.c.sha256, artifact.c.content).where(artifact.c.sha256.in_(shas)))}


