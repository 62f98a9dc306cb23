"""Prüfung: case replay with slider and diagram, conformance report, event-log export (German UI).

Auditors (`pruefung`) and process owners (`prozessverantwortung`) replay cases and read
conformance reports of their Kommunen; only auditors export event logs (the file leaves the
system). Every page call is one `note_access` line, recorded in the verifiable log once
services/audit.record_access exists.
"""
import io
import tempfile

from flask import Blueprint, jsonify, render_template, request, send_file

from ..errors import ValidationFailed, ZsaError
from ..services import export as ex
from ..services import inbox, inbox_queries
from ..services.conformance import conformance_report
from ..services.replay import note_access, replay_case
from . import get_platform
from .auth import current_scope, login_required
from .inbox.blueprint import TITLES

bp = Blueprint("pruefung", __name__, url_prefix="/pruefung")
SPOOL = 8 * 1024 * 1024  # exports up to 8 MB stay in memory, larger ones spill to a temporary file


def _scope():
    scope = current_scope()
    scope.require(scope.can_audit, "Nur Prüfung und Prozessverantwortung sehen diese Seiten")
    return scope


@bp.get("/")
@login_required
def index():
    """Forms: conformance report and event-log export of a process."""
    scope, platform = _scope(), get_platform()
    return render_template("audit/index.html", processes=platform.processes(), can_export=scope.can_export_logs,
                           kommunen=inbox_queries.kommune_names(platform, scope.kommunen))


@bp.get("/vorgaenge/<number>")
@login_required
def replay_page(number):
    """A case's replay: the steps, the final data and the verdict (the slider and diagram need JS)."""
    scope, platform = _scope(), get_platform()
    case = inbox.visible_case(platform, number, scope)
    note_access(platform, scope.username, "replay", case_number=number)
    result = replay_case(platform, number, snapshots=False)
    return render_template("audit/replay.html", case=case, result=result)


@bp.get("/vorgaenge/<number>/wiederholung.json")
@login_required
def replay_json(number):
    """The replay with per-step snapshots and the BPMN XML for static/replay.js."""
    scope, platform = _scope(), get_platform()
    inbox.visible_case(platform, number, scope)
    return jsonify(replay_case(platform, number, snapshots=True, with_xml=True))


@bp.get("/konformitaet")
@login_required
def conformance():
    """The conformance report of a process version (cases of the user's Kommunen)."""
    scope, platform = _scope(), get_platform()
    process_id = (request.args.get("prozess") or "").strip()
    if not process_id:
        raise ValidationFailed("Bitte einen Prozess wählen")
    version = _int(request.args.get("version"), "Version")
    note_access(platform, scope.username, "conformance", process_id=process_id)
    report = conformance_report(platform, process_id, version, kommunen=scope.kommunen)
    return render_template("audit/conformance.html", report=report)


@bp.get("/export")
@login_required
def export():
    """Download an XES or CSV log of the chosen process, version, Kommune and start days."""
    scope, platform = _scope(), get_platform()
    scope.require(scope.can_export_logs, "Ereignisprotokolle exportiert nur die Prüfung")
    args = request.args
    kind = "csv" if args.get("format") == "csv" else "xes"
    process_id = (args.get("prozess") or "").strip()
    if not process_id:
        raise ValidationFailed("Bitte einen Prozess wählen")
    kommune = args.get("kommune") or None
    if kommune and kommune not in scope.kommunen:
        raise ValidationFailed("Diese Kommune gehört nicht zu Ihrem Bereich")
    header, cases = ex.export_rows(platform, process_id, _int(args.get("version"), "Version"), kommune,
                                   ex.parse_day(args.get("von"), "Von"), ex.parse_day(args.get("bis"), "Bis"),
                                   include_running=bool(args.get("laufende")), pseudonymise=bool(args.get("pseudonym")),
                                   kommunen=scope.kommunen)
    note_access(platform, scope.username, f"export {kind}", process_id=process_id)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)
    if kind == "xes":
        ex.write_xes(spool, header, cases)
    else:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        ex.write_csv(text, header, cases)
        text.flush()
        text.detach()
    spool.seek(0)
    mimetype = "text/csv" if kind == "csv" else "application/xml"
    return send_file(spool, mimetype=mimetype, as_attachment=True, download_name=f"{process_id}.{kind}")


def _int(value, what):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ValidationFailed(f"{what}: '{value}' ist keine Zahl") from None


@bp.errorhandler(ZsaError)
def _error(exc):
    """Domain errors of these pages as the German error page with the matching status."""
    if request.path.endswith(".json"):
        return jsonify(exc.to_dict()), exc.status
    return render_template("error.html", title=TITLES.get(exc.status, "Fehler"), message=exc.message), exc.status
