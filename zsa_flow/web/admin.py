"""Verwaltung: accounts for administrators (list, add, disable/enable), processes for process owners."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..errors import ZsaError
from ..services import users
from ..services.reference import list_kommunen
from . import get_platform
from .auth import current_scope, forbidden, login_required

bp = Blueprint("admin", __name__, url_prefix="/verwaltung")


def _page(form=None, errors=None, status=200):
    scope, platform = current_scope(), get_platform()
    return render_template(
        "admin/index.html",
        accounts=users.list_accounts(platform) if scope.can_manage_accounts else None,
        processes=platform.processes() if scope.can_deploy else None,
        kommunen=list_kommunen(platform), roles=users.ROLES, form=form or {}, errors=errors or {}), status


@bp.get("/")
@login_required
def index():
    """Accounts (administration) and deployed processes (process owners)."""
    scope = current_scope()
    if not (scope.can_manage_accounts or scope.can_deploy):
        return forbidden()
    return _page()


@bp.post("/konten")
@login_required
def add_account():
    """Create an account with an initial password."""
    if not current_scope().can_manage_accounts:
        return forbidden()
    form = {"username": request.form.get("username", "").strip(), "name": request.form.get("name", ""),
            "roles": request.form.getlist("roles"), "kommunen": request.form.getlist("kommunen"),
            "groups": [g.strip() for g in request.form.get("groups", "").split(",") if g.strip()]}
    try:
        users.add_account(get_platform(), form["username"], form["name"], form["roles"], groups=form["groups"],
                          kommunen=form["kommunen"], password=request.form.get("password", ""))
    except ZsaError as exc:
        flash(exc.message, "error")
        return _page(form, exc.details.get("fields"), exc.status)
    flash(f"Konto {form['username']} angelegt.", "success")
    return redirect(url_for("admin.index"))


@bp.post("/konten/<username>/status")
@login_required
def set_active(username):
    """Disable or re-enable an account (not one's own)."""
    scope = current_scope()
    if not scope.can_manage_accounts:
        return forbidden()
    active = request.form.get("active") == "1"
    if username == scope.username and not active:
        flash("Das eigene Konto kann nicht deaktiviert werden.", "error")
        return redirect(url_for("admin.index"))
    try:
        users.set_active(get_platform(), username, active)
    except ZsaError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.index"))
    flash(f"Konto {username} {'aktiviert' if active else 'deaktiviert'}.", "success")
    return redirect(url_for("admin.index"))
