"""Deploying a process library: immutable, numbered versions identified by content hash.

One code path for `zsa-flow deploy` (paths), the console's upload and Camunda Modeler's
/engine-rest/deployment/create (files in memory): `deploy_files` overlays the given files on what
is deployed already (so a single BPMN with its form may be uploaded), runs `zsa-flow check` and
refuses on any error, stores new versions (unchanged processes keep theirs) and records the
deployment (who, when, source, name, tenant, files with sha256, process versions and decisions).
"""
from sqlalchemy import bindparam, func, insert, select, update

from ..errors import ModelError, NotFound, ValidationFailed
from ..library.check import check_files
from ..library.loader import LibraryFile, collect_files, form_id, index_files, memory_files, scan_bpmn, scan_dmn
from ..storage.prepared import Prepared
from ..storage.tables import artifact, deployment, form_definition, process_definition
from .scope import Scope

MAX_PROBLEMS_IN_MESSAGE = 50


class DeploymentRefused(ModelError):
    """`zsa-flow check` found errors: nothing was deployed; details["problems"] lists every finding."""

    code = "deployment_refused"

    def __init__(self, problems):
        errors = [p for p in problems if p.is_error]
        lines = [str(p) for p in errors[:MAX_PROBLEMS_IN_MESSAGE]]
        if len(errors) > MAX_PROBLEMS_IN_MESSAGE:
            lines.append(f"… und {len(errors) - MAX_PROBLEMS_IN_MESSAGE} weitere")
        super().__init__(f"Bereitstellung abgelehnt: {len(errors)} Fehler\n" + "\n".join(lines),
                         details={"problems": [p.to_dict() for p in problems]})
        self.problems = problems


def deploy(platform, paths, actor="system", source="zsa-flow deploy", check=True):
    """Deploy every executable process under `paths`; unchanged ones keep their version."""
    record = deploy_files(platform, collect_files(paths), actor=actor, source=source, check=check)
    return [{k: p[k] for k in ("process_id", "version", "created")} for p in record["processes"]]


def deploy_contents(platform, contents, **kwargs):
    """Deploy files given as `{name: bytes}` (console upload, Camunda Modeler)."""
    return deploy_files(platform, memory_files(contents), **kwargs)


def deploy_files(platform, files, *, actor="system", source=None, name=None, tenant_id=None, scope=None,
                 check=True):
    """Check and deploy LibraryFiles over the deployed library; return the recorded deployment.

    With a `scope` (web callers) only process owners may deploy, and a tenant-id must be a Kommune
    they serve; the CLI (an operator on the server) passes none. `check=False` exists only for
    tests proving that the runtime sandbox holds for a model that never went through the check.
    """
    if scope is not None:
        _authorize(scope, tenant_id)
    if not files:
        raise ModelError("Keine Modelldateien übergeben (.bpmn, .dmn oder .form)")
    files = list(files)
    given = {f.path for f in files}
    everything = files + _deployed_files(platform, files)
    problems = check_files(everything) if check else []
    if any(p.is_error for p in problems):
        raise DeploymentRefused([p for p in problems if p.is_error or p.file in given])
    library = index_files(everything)
    _validate(platform, library)
    own = {info.process_id for f in files if f.kind == "bpmn" for info in scan_bpmn(f)}
    now = platform.clock.now()
    with platform.uow() as uow:
        record = {"name": name or _default_name(files), "source": source, "tenant_id": tenant_id,
                  "deployed_by": actor, "deployed_at": now,
                  "files": [{"path": f.path, "kind": f.kind, "sha256": f.sha256} for f in files],
                  "processes": [], "decisions": _decisions(uow, files)}
        record["id"] = uow.execute(insert(deployment).values(**record)).inserted_primary_key[0]
        stored = set()
        for f in library.files:
            if f.sha256 not in stored and uow.execute(
                select(artifact.c.sha256).where(artifact.c.sha256 == f.sha256)
            ).first() is None:
                uow.execute(insert(artifact).values(sha256=f.sha256, kind=f.kind, content=f.content))
            stored.add(f.sha256)
        for fid, f in sorted(library.forms.items()):
            _deploy_form(uow, fid, f, now)
        for pid, info in sorted(library.processes.items()):
            if info.executable:
                result = _deploy_process(uow, library, info, now, actor, record["id"])
                if pid in own or result["created"]:
                    record["processes"].append(result)
        uow.execute(update(deployment).where(deployment.c.id == record["id"]).values(processes=record["processes"]))
        uow.commit()
    return {**record, "warnings": [p.to_dict() for p in problems]}


def _authorize(scope: Scope, tenant_id):
    scope.require(scope.can_deploy, "Nur die Prozessverantwortung darf Prozesse bereitstellen")
    if tenant_id and tenant_id not in scope.kommunen:
        raise ValidationFailed(f"tenant-id '{tenant_id}' ist kein AGS einer Kommune, die Sie betreuen",
                               details={"fields": {"tenant-id": "AGS einer eigenen Kommune oder leer"}})


def _default_name(files):
    return ", ".join(f.path.rsplit("/", 1)[-1] for f in files if f.kind == "bpmn")[:300] or "Bereitstellung"


def _ids(f):
    """The process, decision or form ids a file defines (what an upload replaces)."""
    try:
        if f.kind == "bpmn":
            return {("process", i.process_id) for i in scan_bpmn(f)}
        if f.kind == "dmn":
            return {("decision", d) for d in scan_dmn(f)}
        return {("form", form_id(f))}
    except ModelError:
        return set()  # the check reports the broken file


def _deployed_files(platform, given):
    """The latest deployed file of every process, decision and form not replaced by `given`."""
    replaced = set().union(*(_ids(f) for f in given))
    pd = process_definition
    latest = select(pd.c.process_id, func.max(pd.c.version).label("v")).group_by(pd.c.process_id).subquery()
    with platform.uow(readonly=True) as uow:
        rows = uow.execute(select(pd.c.files).join(latest, (latest.c.process_id == pd.c.process_id)
                                                    & (latest.c.v == pd.c.version))).all()
        refs = {f["sha256"]: (f["path"], f["kind"]) for r in rows for f in r.files}
        forms = uow.execute(select(form_definition.c.form_id, form_definition.c.sha256)
                            .order_by(form_definition.c.version)).all()
        for row in forms:
            # a form without id is known by its path (see bpmn/form_keys), which ends in .form
            path = row.form_id if row.form_id.endswith(".form") else f"{row.form_id}.form"
            refs.setdefault(row.sha256, (path, "form"))
        contents = dict(uow.execute(select(artifact.c.sha256, artifact.c.content)
                                    .where(artifact.c.sha256.in_(list(refs)))).all()) if refs else {}
    given_paths = {f.path for f in given}
    files, seen = [], set()
    for sha, (path, kind) in sorted(refs.items(), key=lambda item: item[1][0]):
        f = LibraryFile(path, kind, contents[sha])
        ids = _ids(f)
        if path in given_paths or path in seen or ids & replaced or not ids:
            continue
        replaced |= ids
        seen.add(path)
        files.append(f)
    return files


def _decisions(uow, files):
    """Decisions of the given DMN files, numbered like Camunda: a changed table gets the next version."""
    from ..dmn import parse_dmn

    known = {}
    for row in uow.execute(select(deployment.c.decisions).order_by(deployment.c.id)):
        for d in row.decisions or []:
            known[d["decision_id"]] = d
    result = []
    for f in files:
        if f.kind != "dmn":
            continue
        for decision in parse_dmn(f.content, f.path, strict=False).decisions.values():
            before = known.get(decision.id)
            same = before is not None and before["sha256"] == f.sha256
            version = before["version"] if same else (before["version"] + 1 if before else 1)
            result.append({"decision_id": decision.id, "name": decision.name, "version": version,
                           "file": f.path, "sha256": f.sha256, "created": not same})
    return result


def _deploy_process(uow, library, info, now, actor, deployment_id=None):
    bundle = library.bundle(info.process_id)
    digest = library.bundle_hash(info.process_id)
    pd = process_definition
    latest = uow.execute(
        select(pd.c.id, pd.c.version, pd.c.content_hash, pd.c.deployment_id, pd.c.suspended_at)
        .where(pd.c.process_id == info.process_id).order_by(pd.c.version.desc()).limit(1)
    ).first()
    result = {"process_id": info.process_id, "name": info.name, "resource": info.file.path,
              "variant": info.properties.get("zsa:variant", "to-be")}
    if latest is not None and latest.content_hash == digest:
        return {**result, "version": latest.version, "created": False, "definition_id": latest.id,
                "deployment_id": latest.deployment_id, "suspended": latest.suspended_at is not None}
    version = (latest.version if latest else 0) + 1
    prefix = info.properties.get("zsa:case-prefix") or info.process_id[:4].upper()
    definition_id = uow.execute(insert(process_definition).values(
        process_id=info.process_id, version=version, name=info.name, content_hash=digest,
        case_prefix=prefix, service=info.properties.get("zsa:service"), properties=info.properties,
        files=[{"path": f.path, "kind": f.kind, "sha256": f.sha256} for f in bundle],
        start_form=info.start_form, message_starts=info.message_starts, deployed_at=now, deployed_by=actor,
        deployment_id=deployment_id,
    )).inserted_primary_key[0]
    return {**result, "version": version, "created": True, "definition_id": definition_id,
            "deployment_id": deployment_id, "suspended": False}


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
    """Refuse to deploy what cannot run: every executable process must parse with its bundle."""
    from ..engine.definitions import definition_from_bundle

    for pid, info in library.processes.items():
        if info.executable:
            definition_from_bundle(info, library.bundle(pid))
    if not any(i.executable for i in library.processes.values()):
        raise ModelError("Keine ausführbaren Prozesse gefunden (isExecutable=\"true\")")


def list_processes(platform):
    """Every deployed process with its latest version and number of versions (one query)."""
    pd = process_definition
    summary = (select(pd.c.process_id, func.max(pd.c.version).label("latest"), func.count().label("versions"))
               .group_by(pd.c.process_id).subquery())
    query = (select(pd.c.process_id, pd.c.name, pd.c.version, pd.c.case_prefix, pd.c.service, pd.c.start_form,
                    pd.c.properties, pd.c.message_starts, pd.c.deployed_at, summary.c.versions)
             .join(summary, (summary.c.process_id == pd.c.process_id) & (summary.c.latest == pd.c.version))
             .order_by(pd.c.process_id))
    with platform.uow(readonly=True) as uow:
        return [{"process_id": d["process_id"], "name": d["name"], "version": d["version"], "versions": d["versions"],
                 "case_prefix": d["case_prefix"], "service": d["service"], "start_form": d["start_form"],
                 "variant": (d["properties"] or {}).get("zsa:variant", "to-be"),
                 "message_starts": d["message_starts"], "deployed_at": d["deployed_at"].isoformat()}
                for d in uow.execute(query).mappings()]


_LATEST = Prepared(select(process_definition).where(process_definition.c.process_id == bindparam("b_pid"))
                   .order_by(process_definition.c.version.desc()).limit(1))  # every case start
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


