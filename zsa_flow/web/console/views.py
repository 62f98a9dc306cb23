"""Console pages. Every service call carries the user's Scope; Forbidden/NotFound become German pages."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from ...errors import ZsaError
from ...services.migration import STATUS_LABELS, read_mapping_text
from ...services import deployments, uploads, versions
from .. import get_platform
from ..auth import current_scope, login_required
from .models import decision_tables, form_previews

bp = Blueprint("console", __name__, url_prefix="/prozesse")
TITLES = {400: "Bereitstellung abgelehnt", 403: "Keine Berechtigung", 404: "Nicht gefunden", 409: "Konflikt",
          422: "Eingaben unvollständig"}


@bp.errorhandler(ZsaError)
def _error(exc):
    return render_template("error.html", title=TITLES.get(exc.status, "Fehler"), message=exc.message), exc.status


@bp.get("/")
@login_required
def index():
    """Services with their to-be processes and as-is variants side by side; recent deployments."""
    scope, platform = current_scope(), get_platform()
    return render_template("console/index.html", services=versions.services(platform, scope),
                           deployments=versions.deployments(platform, scope, limit=10),
                           simulation_report=url_for("simulation.latest_report"))


@bp.route("/bereitstellen", methods=("GET", "POST"))
@login_required
def deploy():
    """Upload model files (several, or a zip); the check's findings are listed per file and line."""
    scope = current_scope()
    scope.require(scope.can_deploy, versions.OWNERS_ONLY)
    if request.method == "GET":
        return render_template("console/deploy.html", problems=None, record=None)
    try:
        contents = uploads.unpack([(f.filename, f.read()) for f in request.files.getlist("dateien")])
        record = deployments.deploy_contents(get_platform(), contents, actor=scope.username, scope=scope,
                                             source="Konsole", name=request.form.get("name") or None,
                                             tenant_id=request.form.get("tenant_id") or None)
    except deployments.DeploymentRefused as exc:
        return render_template("console/deploy.html", problems=exc.problems, record=None,
                               refused=exc.message.splitlines()[0]), 400
    except ZsaError as exc:
        flash(exc.message, "error")
        return render_template("console/deploy.html", problems=None, record=None), exc.status
    flash(f"Bereitstellung {record['id']} gespeichert.", "success")
    return render_template("console/deploy.html", problems=None, record=record)


@bp.get("/<process_id>")
@login_required
def process(process_id):
    """All versions of a process with deployment, case counts, suspension and the diff form."""
    rows = versions.versions(get_platform(), process_id, current_scope())
    return render_template("console/process.html", process_id=process_id, versions=rows)


@bp.get("/<process_id>/v<int:version>")
@login_required
def version(process_id, version):
    """One version: diagram, decision tables and forms."""
    files = versions.version_files(get_platform(), process_id, version, current_scope())
    return render_template("console/version.html", process_id=process_id, row=files["row"], files=files["files"],
                           tables=decision_tables(files["files"]), forms=form_previews(files["files"]))


@bp.get("/<process_id>/v<int:version>/diagramm.bpmn")
@login_required
def diagram(process_id, version):
    """The version's BPMN XML for static/console-diagram.js."""
    files = versions.version_files(get_platform(), process_id, version, current_scope())
    return Response(files["main"].content, mimetype="application/xml")


@bp.post("/<process_id>/v<int:version>/aussetzen")
@login_required
def suspend(process_id, version):
    """No new cases of this version (running cases go on)."""
    scope = current_scope()
    versions.set_suspended(get_platform(), process_id, version, True, scope.username, scope)
    flash(f"Version {version} ist ausgesetzt: keine neuen Vorgänge.", "success")
    return redirect(url_for("console.process", process_id=process_id))


@bp.post("/<process_id>/v<int:version>/fortsetzen")
@login_required
def resume(process_id, version):
    scope = current_scope()
    versions.set_suspended(get_platform(), process_id, version, False, scope.username, scope)
    flash(f"Version {version} ist wieder freigegeben.", "success")
    return redirect(url_for("console.process", process_id=process_id))


@bp.get("/<process_id>/vergleich")
@login_required
def compare(process_id):
    """Changes between two versions and both diagrams with the changed elements marked."""
    try:
        old, new = int(request.args.get("von", "")), int(request.args.get("bis", ""))
    except ValueError:
        flash("Bitte zwei Versionen wählen.", "error")
        return redirect(url_for("console.process", process_id=process_id))
    result = versions.diff(get_platform(), process_id, old, new, current_scope())
    return render_template("console/diff.html", process_id=process_id, diff=result)


@bp.route("/<process_id>/migration", methods=("GET", "POST"))
@login_required
def migration(process_id):
    """Running cases of one version onto another: a dry run (GET) and the migration itself (POST)."""
    scope = current_scope()
    scope.require(scope.can_deploy, versions.OWNERS_ONLY)
    form = request.values
    try:
        old, new = int(form.get("von", "")), int(form.get("bis", ""))
    except ValueError:
        flash("Bitte Quell- und Zielversion wählen.", "error")
        return redirect(url_for("console.process", process_id=process_id))
    mapping = read_mapping_text(form.get("zuordnung", ""))
    dry_run = request.method == "GET"
    summary = get_platform().migrate(process_id, old, new, mapping=mapping, dry_run=dry_run, actor=scope.username)
    if not dry_run:
        flash(f"{summary['counts'].get('migrated', 0)} Vorgänge auf Version {new} umgestellt.", "success")
    return render_template("console/migration.html", process_id=process_id, summary=summary,
                           zuordnung=form.get("zuordnung", ""), labels=STATUS_LABELS)
