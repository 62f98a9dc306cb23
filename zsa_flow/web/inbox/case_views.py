"""Case list, case page (data, tasks, notes, history, diagram) and the new-case page."""
from flask import flash, g, jsonify, redirect, render_template, request, url_for

from ...errors import ValidationFailed
from ...services import actions, case_display, inbox, inbox_queries
from ...services.audit import record_view_if_auditor
from ...services.case_diagram import case_diagram
from .. import get_platform
from ..auth import current_scope, login_required
from .blueprint import bp
from .submission import form_fields

CASE_PAGE = 50


@bp.get("/vorgaenge")
@login_required
def cases():
    """Cases in scope, newest first, with search by case number or applicant name."""
    scope, platform = current_scope(), get_platform()
    search = (request.args.get("suche") or "").strip()[:100] or None
    kommune = (request.args.get("kommune") or "").strip() or None
    rows = platform.cases(**scope.case_filters(kommune=kommune, search=search, limit=CASE_PAGE))
    return render_template("inbox/cases.html", cases=rows, search=search or "", kommune=kommune or "",
                           kommunen=inbox_queries.kommune_names(platform, scope.kommunen))


@bp.get("/vorgaenge/<number>")
@login_required
def case(number):
    """The case: data, open tasks, Rechenweg, notes, history timeline and the process diagram."""
    scope, platform = current_scope(), get_platform()
    page = inbox.case_page(platform, number, scope)
    record_view_if_auditor(platform, scope, number, "web")
    technical = "pruefung" in scope.roles and request.args.get("ansicht") == "technisch"
    return render_template("inbox/case.html", case=page, view=case_display.case_view(platform, page, page["events"]),
                           can_note=scope.can_work_tasks, can_see_technical="pruefung" in scope.roles,
                           technical=technical)


@bp.get("/vorgaenge/<number>/diagramm.json")
@login_required
def case_diagram_json(number):
    """BPMN XML plus completed/active/incident element ids for static/case-diagram.js."""
    platform = get_platform()
    inbox.visible_case(platform, number, current_scope())
    return jsonify(case_diagram(platform, number, platform.events(number)))


@bp.post("/vorgaenge/<number>/notizen")
@login_required
def add_note(number):
    """Add a note to the case (caseworkers and clerks; auditors are refused)."""
    try:
        actions.add_note(get_platform(), g.user, number, request.form.get("text"))
        flash("Notiz gespeichert.", "success")
    except ValidationFailed as exc:
        flash(exc.message, "error")
    return redirect(url_for("inbox.case", number=number) + "#notizen")


@bp.get("/vorgaenge/neu")
@login_required
def new_case():
    """Pick a process with a start form and a Kommune; then fill in its start form (paper application)."""
    scope, platform = current_scope(), get_platform()
    scope.require(scope.can_start_cases)
    process_id = request.args.get("prozess")
    if not process_id:
        return render_template("inbox/new_case.html", options=inbox.start_options(platform, scope), chosen=None)
    option, form = inbox.start_form(platform, process_id, scope)
    return render_template("inbox/new_case.html", chosen=option, kommune=request.args.get("kommune", ""),
                           form_html=form.render({}, {}) if form is not None else None)


@bp.post("/vorgaenge/neu")
@login_required
def new_case_submit():
    """Validate the start form and start the case; 422 with the input kept and every problem listed."""
    scope, platform = current_scope(), get_platform()
    process_id, kommune = request.form.get("_prozess", ""), request.form.get("_kommune", "")
    inbox.start_form(platform, process_id, scope)  # 404 for processes not offered here (as-is variants)
    form = inbox.start_form_of(platform, process_id)
    fields = form_fields(form, request.form)
    changed = form.list_action(request.form) if form is not None else None
    if changed is not None:  # "Eintrag hinzufügen/entfernen" without script: the form again, input kept
        option, _ = inbox.start_form(platform, process_id, scope)
        return render_template("inbox/new_case.html", chosen=option, kommune=kommune,
                               form_html=form.render({}, {}, submitted=changed))
    try:
        if form is not None and form.newly_shown(request.form):  # drawn without script: show the new fields
            raise ValidationFailed("Bitte füllen Sie auch die jetzt angezeigten Felder aus.")
        number = actions.start_case(platform, g.user, process_id, kommune, fields, from_html=True)
    except ValidationFailed as exc:
        return _new_case_again(platform, scope, process_id, kommune, exc, fields)
    flash(f"Vorgang {number} angelegt.", "success")
    return redirect(url_for("inbox.case", number=number))


def _new_case_again(platform, scope, process_id, kommune, exc, fields):
    """The new-case page with all problems at once: the Kommune and every field of the start form."""
    option, form = inbox.start_form(platform, process_id, scope)
    errors = dict((exc.details or {}).get("fields", {}))
    kommune_error = errors.pop("_kommune", None) or errors.pop("kommune", None)
    if form is not None:
        errors = {**form.validate(fields, from_html=True)[1], **errors}
    flash("Bitte die markierten Felder korrigieren" if errors and kommune_error else exc.message, "error")
    summary = form.error_summary(errors, first=[("zsa-kommune", "Kommune", kommune_error)]) if form else None
    return render_template("inbox/new_case.html", chosen=option, kommune=kommune, kommune_error=kommune_error,
                           summary_html=summary,
                           form_html=form.render({}, errors, submitted=fields, summary=False) if form else None), 422
