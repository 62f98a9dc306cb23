"""Login, logout and the logged-in user (`g.user`), session lifetime, `login_required`/`role_required`.

Sessions are Flask's signed cookie holding only the username, the account's session epoch, the login
and last-seen times and the CSRF token. Every request reloads the account, so a disabled account, a changed password or
a logout (which moves the account's session epoch on) ends existing sessions at once — also a copy
of the cookie. Idle and absolute timeouts: ZSA_SESSION_IDLE_MINUTES, ZSA_SESSION_MAX_HOURS.
"""
import functools
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from werkzeug.routing import BuildError

from ..services import users
from ..services.scope import CASEWORK, READ_ALL_TASKS, READ_ONLY, Scope
from . import get_platform
from .security import STATE_CHANGING, new_csrf_token

bp = Blueprint("auth", __name__)

IDLE_MINUTES = 30  # config ZSA_SESSION_IDLE_MINUTES
MAX_HOURS = 12  # config ZSA_SESSION_MAX_HOURS: log in again after a working day at the latest
TOUCH_SECONDS = 60  # refresh "last seen" at most once a minute (fewer cookie rewrites)

# Navigation of base.html: (label, endpoint, who sees it). Links to endpoints not registered are left out.
NAV = [
    ("Aufgaben", "inbox.tasks", lambda s: bool(s.roles & (CASEWORK | READ_ALL_TASKS))),
    ("Vorgänge", "inbox.cases", lambda s: s.sees_cases),
    ("Neuer Vorgang", "inbox.new_case", lambda s: s.can_start_cases),
    ("Prozesse", "console.index", lambda s: s.can_deploy),
    ("Simulation", "simulation.index", lambda s: s.can_deploy),
    ("Verwaltung", "admin.index", lambda s: s.can_manage_accounts or s.can_deploy),
    ("Prüfung", "pruefung.index", lambda s: s.can_audit),
]


def _now() -> float:
    return get_platform().clock.now().timestamp()


def current_scope() -> Scope:
    """The Scope of the logged-in user (anonymous: sees nothing), cached for the request."""
    if "scope" not in g:
        g.scope = Scope(g.get("user"))
    return g.scope


@bp.before_app_request
def load_logged_in_user():
    """Set g.user from the session: None when anonymous, idle too long, disabled or password changed."""
    g.user = None
    if request.endpoint == "static" or not session.get("user"):
        return
    now, cfg = _now(), _session_limits()
    if (now - session.get("seen", 0) > cfg["idle"] or now - session.get("auth_at", 0) > cfg["max"]):
        session.clear()
        flash("Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.", "info")
        return
    user = users.get_user(get_platform(), session["user"])
    if user is None or not user["active"] or user["epoch"] != session.get("epoch"):
        session.clear()
        return
    if now - session.get("seen", 0) > TOUCH_SECONDS:
        session["seen"] = now
    g.user = user


def _session_limits():
    """Idle and absolute session limits in seconds (configurable for tests and operators)."""
    return {"idle": 60 * current_app.config.get("ZSA_SESSION_IDLE_MINUTES", IDLE_MINUTES),
            "max": 3600 * current_app.config.get("ZSA_SESSION_MAX_HOURS", MAX_HOURS)}


@bp.before_app_request
def refuse_read_only_writes():
    """Auditors may read everything in scope; any state-changing request of theirs is refused."""
    if g.get("user") and request.method in STATE_CHANGING and current_scope().read_only \
            and request.endpoint not in ("auth.login", "auth.logout"):
        return forbidden(READ_ONLY)
    return None


def forbidden(message="Dafür fehlt Ihnen die Berechtigung."):
    """A 403 response: JSON under /api/, a German page otherwise."""
    if request.path.startswith("/api/"):
        return jsonify({"error": "forbidden", "message": message}), 403
    return render_template("error.html", title="Keine Berechtigung", message=message), 403


def start_session(user) -> None:
    """A fresh session for the user (the old one, and its CSRF token, are discarded)."""
    session.clear()
    now = _now()
    session.update(user=user["username"], epoch=user["epoch"], auth_at=now, seen=now)
    new_csrf_token()


def login_required(view):
    """Anonymous users go to the login page (API: 401) and come back afterwards."""
    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.get("user") is None:
            if request.path.startswith("/api/"):
                return jsonify({"error": "unauthorized", "message": "Anmeldung erforderlich"}), 401
            target = request.full_path.rstrip("?") if request.method == "GET" else request.path
            return redirect(url_for("auth.login", next=target))
        return view(**kwargs)
    return wrapped


def role_required(*roles):
    """Like login_required, and the user must hold one of `roles` (else 403)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            if not g.user["roles"] & set(roles):
                return forbidden()
            return view(**kwargs)
        return login_required(wrapped)
    return decorator


def safe_next(target):
    """A same-site path to return to after login, or None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _url(endpoint):
    try:
        return url_for(endpoint)
    except BuildError:
        return None


def home_url():
    """Where a user lands after login: the first page of the navigation they may use."""
    for _label, endpoint, allowed in NAV:
        url = _url(endpoint)
        if url and allowed(current_scope()):
            return url
    return url_for("auth.login")


@bp.app_context_processor
def _template_helpers():
    def nav_items():
        if not g.get("user"):
            return []
        scope = current_scope()
        items = [(label, _url(endpoint), request.endpoint == endpoint)
                 for label, endpoint, allowed in NAV if allowed(scope)]
        return [item for item in items if item[1]]

    return {"nav_items": nav_items, "scope": current_scope(), "role_labels": users.ROLES}


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Show the login form; check username and password (throttled)."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            user = users.authenticate(get_platform(), username, request.form.get("password", ""),
                                      request.remote_addr)
        except (users.LoginFailed, users.LoginThrottled) as exc:
            flash(exc.message, "error")
            return render_template("auth/login.html", username=username, next=next_url), exc.status
        start_session(user)
        g.user, g.scope = user, Scope(user)
        return redirect(next_url or home_url())
    return render_template("auth/login.html", username="", next=next_url)


@bp.post("/logout")
def logout():
    """End the session server-side: the account's session epoch moves on, so a copied cookie stops working
    (the account's sessions in other browsers end too)."""
    if g.get("user"):
        users.end_sessions(get_platform(), g.user["username"])
    session.clear()
    flash("Sie wurden abgemeldet.", "info")
    return redirect(url_for("auth.login"))
