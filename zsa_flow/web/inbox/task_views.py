"""Task list and task page. Views parse the request, call one service, then render or redirect.

Actions go through services/actions.py with the form's fields only (submission.form_fields)."""
from datetime import date

from flask import flash, g, redirect, render_template, request, url_for

from ...errors import Conflict, ValidationFailed
from ...services import actions, inbox, inbox_queries
from ...services.inbox_queries import COUNT_CAP, TaskListQuery
from .. import get_platform
from ..auth import current_scope, home_url, login_required, safe_next
from .blueprint import bp
from ..documents import uploads
from .submission import form_fields

TAB_SLUGS = {"meine": "mine", "gruppe": "group", "offen": "unassigned", "ueberfaellig": "overdue", "alle": "all"}
TAB_LABELS = {"mine": "Meine Aufgaben", "group": "Gruppenaufgaben", "unassigned": "Nicht zugewiesen",
              "overdue": "Überfällig", "all": "Alle"}
SORT_LABELS = {"due": "Fälligkeit", "priority": "Priorität", "created": "Erstellung"}
MAX_TEXT = 100


def _text(args, key):
    value = (args.get(key) or "").strip()
    return value[:MAX_TEXT] or None


def _list_query(args) -> TaskListQuery:
    """The list request as a bounded query object (unknown values fall back to defaults)."""
    due = None
    try:
        due = date.fromisoformat(args["faellig_bis"]) if args.get("faellig_bis") else None
    except ValueError:
        flash("Das Fälligkeitsdatum ist ungültig und wurde ignoriert.", "error")
    try:
        page = max(1, min(int(args.get("seite", 1)), 100000))
    except ValueError:
        page = 1
    sort = args.get("sortierung")
    return TaskListQuery(tab=TAB_SLUGS.get(args.get("ansicht")), process=_text(args, "prozess"),
                         kommune=_text(args, "kommune"), name=_text(args, "name"), due_until=due,
                         search=_text(args, "suche"), sort=sort if sort in SORT_LABELS else "due", page=page)


@bp.get("/")
@login_required
def home():
    """The start page: the first area the user may use (the task list for caseworkers)."""
    return redirect(home_url())


@bp.get("/aufgaben")
@login_required
def tasks():
    """Task list with tabs and counts, filters, search, sorting and paging — always within the scope."""
    scope, platform = current_scope(), get_platform()
    page = inbox_queries.task_list(platform, scope.task_filters(), scope.username, scope.groups,
                                   _list_query(request.args), platform.clock.now())
    return render_template("inbox/tasks.html", page=page, tabs=TAB_LABELS, slugs={v: k for k, v in TAB_SLUGS.items()},
                           sorts=SORT_LABELS, processes=platform.processes(),
                           kommunen=inbox_queries.kommune_names(platform, scope.kommunen),
                           can_work=scope.can_work_tasks, cap=COUNT_CAP,
                           count_label=lambda n: f"{COUNT_CAP}+" if n > COUNT_CAP else str(n))


def _render_task(page, errors=None, submitted=None, status=200):
    task = page["task"]
    editable = page["can_act"] and task["assignee"] == g.user["username"]
    form_html = None
    if page["form"] is not None:
        if submitted is None and editable and task["draft"]:
            submitted = task["draft"]
        form_html = page["form"].render(page["data"], errors or {}, readonly=not editable,
                                        submitted=submitted if editable else None)
    return render_template("inbox/task.html", page=page, task=task, case=page["case"], form_html=form_html,
                           editable=editable, errors=errors or {}), status


@bp.get("/aufgaben/<task_id>")
@login_required
def task(task_id):
    """The task with its form (prefilled from case data, then the draft) and its Rechenweg."""
    return _render_task(inbox.task_page(get_platform(), task_id, current_scope()))


@bp.post("/aufgaben/<task_id>")
@login_required
def task_submit(task_id):
    """'Speichern' keeps a draft; 'Abschließen' validates and completes (422 with the input kept)."""
    platform, scope = get_platform(), current_scope()
    form = inbox.task_form_for(platform, task_id, scope)
    fields = form_fields(form, request.form)
    changed = form.list_action(request.form) if form is not None else None
    if changed is not None:  # "Eintrag hinzufügen/entfernen" without script: the form again, input kept
        return _render_task(inbox.task_page(platform, task_id, scope), submitted=changed)
    try:
        if request.files:  # filepicker files become documents of the case before anything else
            fields = actions.task_uploads(platform, g.user, task_id, fields, uploads())
        if request.form.get("_aktion") == "speichern":
            actions.save_draft(platform, g.user, task_id, fields)
            flash("Entwurf gespeichert.", "success")
            return redirect(url_for("inbox.task", task_id=task_id))
        page = inbox.task_page(platform, task_id, scope)
        if page["form"] is not None and page["form"].newly_shown(request.form, page["data"]):
            raise ValidationFailed("Bitte füllen Sie auch die jetzt angezeigten Felder aus.")  # drawn without script
        done = actions.complete(platform, g.user, task_id, fields, from_html=True)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        fields = (exc.details or {}).get("submitted", fields)  # files refused: the ones kept stay offered
        return _render_task(inbox.task_page(platform, task_id, scope), (exc.details or {}).get("fields", {}),
                            fields, 422)
    except Conflict as exc:
        flash(exc.message, "error")
        return _render_task(inbox.task_page(platform, task_id, scope), status=409)
    flash(f"Aufgabe „{done['name']}“ ({done['case']}) abgeschlossen.", "success")
    return redirect(url_for("inbox.tasks"))


def _back(task_id):
    return redirect(safe_next(request.form.get("next")) or url_for("inbox.task", task_id=task_id))


def _act(task_id, action, success, *args, errors=(Conflict,)):
    """Call `action(platform, user, task_id, *args)`, flash `success(task)` or the error, then go back."""
    try:
        task = action(get_platform(), g.user, task_id, *args)
    except errors as exc:
        flash(exc.message, "error")
    else:
        flash(success(task), "success")
    return _back(task_id)


@bp.post("/aufgaben/<task_id>/uebernehmen")
@login_required
def claim(task_id):
    """Take the task (first come, first served)."""
    return _act(task_id, actions.claim, lambda task: f"Sie bearbeiten jetzt „{task['name']}“ ({task['case']}).")


@bp.post("/aufgaben/<task_id>/zurueckgeben")
@login_required
def unclaim(task_id):
    """Give the task back to the group."""
    return _act(task_id, actions.unclaim,
                lambda task: f"„{task['name']}“ ({task['case']}) ist wieder für die Gruppe frei.")


@bp.post("/aufgaben/<task_id>/zuweisen")
@login_required
def assign(task_id):
    """Team leads assign or reassign the task to a named person (empty: back to the group)."""
    who = (request.form.get("bearbeitung") or "").strip()
    return _act(task_id, actions.assign,
                lambda task: f"„{task['name']}“ ist jetzt {'bei ' + who if who else 'wieder für die Gruppe frei'}.",
                request.form.get("bearbeitung"), errors=(Conflict, ValidationFailed))
