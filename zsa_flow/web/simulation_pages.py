"""Simulation pages for process owners (/simulation): choose a service and scenario, start a run in the
background, watch its progress (meta refresh, no script) and read the stored report. Views only
translate; services.simulations checks the permission and runs the simulation."""
from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from ..errors import ZsaError
from ..services import simulations
from . import get_platform
from .auth import current_scope, login_required

bp = Blueprint("simulation", __name__, url_prefix="/simulation")
TITLES = {403: "Keine Berechtigung", 404: "Nicht gefunden"}
STATES = {"wartet": "wartet", "läuft": "läuft", "fertig": "fertig", "fehler": "fehlgeschlagen",
          "abgebrochen": "abgebrochen (Server neu gestartet?)"}
# The stored report carries its own <style> (it is also opened from disk); it runs no script.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


@bp.errorhandler(ZsaError)
def _error(exc):
    return render_template("error.html", title=TITLES.get(exc.status, "Fehler"), message=exc.message), exc.status


def _root():
    return current_app.config.get("SIMULATION_ROOT", simulations.ROOT)


@bp.get("/")
@login_required
def index():
    scope = current_scope()
    services = simulations.services(_root(), scope)
    chosen = request.args.get("leistung")
    return render_template("simulation/index.html", services=services, chosen=chosen,
                           runs=simulations.runs(get_platform(), chosen if chosen in services else None, scope),
                           states=STATES)


@bp.get("/bericht")
@login_required
def latest_report():
    """The console's link: the newest finished report of a service, else the start page for it."""
    service = request.args.get("leistung", "")
    for row in simulations.runs(get_platform(), service, current_scope()):
        if row["state"] == "fertig":
            return redirect(url_for("simulation.report", run_id=row["id"]))
    return redirect(url_for("simulation.index", leistung=service))


@bp.post("/")
@login_required
def start():
    scope = current_scope()
    choice = request.form.get("szenario", "")
    service, _, scenario = choice.partition("/")
    options = {"quick": request.form.get("kurzlauf") == "ja", "sweep": request.form.get("kapazitaet") == "ja"}
    run_id = simulations.start(get_platform(), service, scenario, scope.username, options, root=_root(),
                               scope=scope, workers=current_app.config.get("SIMULATION_WORKERS"))
    return redirect(url_for("simulation.run", run_id=run_id))


@bp.get("/laeufe/<int:run_id>")
@login_required
def run(run_id):
    row = simulations.run(get_platform(), run_id, current_scope())
    return render_template("simulation/run.html", run=row, states=STATES,
                           refresh=row["state"] in ("wartet", "läuft"))


@bp.get("/laeufe/<int:run_id>/bericht")
@login_required
def report(run_id):
    html = simulations.report_html(get_platform(), run_id, current_scope())
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = REPORT_CSP
    return response


@bp.get("/laeufe/<int:run_id>/ergebnis.json")
@login_required
def result(run_id):
    return jsonify(simulations.result(get_platform(), run_id, current_scope()))
