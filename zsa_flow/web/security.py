"""Web security for every request: CSRF tokens, security headers, secure session cookie defaults.

CSRF: a random token per session (`csrf_token()` in templates, hidden input `csrf_token`). Every
POST/PUT/PATCH/DELETE must echo it as that form field or as the `X-CSRF-Token` header. API requests
authenticated by `Authorization: Bearer` are exempt (a browser never attaches that header by itself),
and API requests without a logged-in session are left to the API's own 401.
"""
import hmac
import os
import secrets

from flask import jsonify, render_template, request, session
from flask.sessions import SecureCookieSessionInterface

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


HSTS = "max-age=31536000; includeSubDomains"  # browsers use only HTTPS for a year once they saw TLS
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session; Secure everywhere except plain HTTP on the loopback interface.

    `make run` serves http://127.0.0.1:5000 where no network can eavesdrop; any other host gets a
    Secure cookie, so a session never travels over an unencrypted network connection.
    """

    def get_cookie_secure(self, app):
        if not app.config["SESSION_COOKIE_SECURE"]:
            return False
        return request.is_secure or request.host.rsplit(":", 1)[0] not in LOOPBACK


def init_app(app):
    """Install CSRF checking, security headers and cookie defaults on the app."""
    # Secure cookies unless debugging/testing (see SessionInterface for plain HTTP on loopback);
    # ZSA_SECURE_COOKIES=0 (config or environment) allows plain HTTP on other hosts.
    secure = app.config.get("ZSA_SECURE_COOKIES", os.environ.get("ZSA_SECURE_COOKIES"))
    if secure is None:
        secure = not (app.debug or app.testing)
    app.config["SESSION_COOKIE_SECURE"] = str(secure).lower() not in ("0", "false", "no", "")
    app.session_interface = SessionInterface()
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.before_request(_body_limit)  # before anything reads the body (the CSRF check reads forms)
    app.before_request(check_csrf)
    app.after_request(add_headers)


UPLOAD_ENDPOINTS = frozenset({"inbox.task_submit", "api.case_documents_upload"})


def _body_limit():
    """Views that take documents accept bodies up to twice the document limit (the app's stays small)."""
    if request.endpoint in UPLOAD_ENDPOINTS and request.method == "POST":
        from .documents import allow_upload_size

        allow_upload_size()


def csrf_token() -> str:
    """This session's CSRF token (created on first use)."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def new_csrf_token() -> str:
    """Replace the token (on login, so a token seen before login is worthless after)."""
    session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _is_api() -> bool:
    return request.path.startswith("/api/")


def check_csrf():
    """Refuse a state-changing request whose CSRF token is missing or wrong (nothing is changed)."""
    if request.method not in STATE_CHANGING:
        return None
    if request.path.startswith("/engine-rest/"):
        return None  # Camunda's REST API authenticates every request by header, never by the session cookie
    if _is_api() and (request.headers.get("Authorization", "").startswith("Bearer ") or not session.get("user")):
        return None
    expected = session.get("csrf")
    given = request.headers.get(CSRF_HEADER) or (request.form.get(CSRF_FIELD) if request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data") else None)
    if expected and given and hmac.compare_digest(str(expected), str(given)):
        return None
    message = "Die Sicherheitsprüfung (CSRF-Token) ist fehlgeschlagen. Bitte die Seite neu laden und erneut senden."
    if _is_api():
        return jsonify({"error": "csrf_failed", "message": message}), 400
    return render_template("error.html", title="Anfrage abgelehnt", message=message), 400


def add_headers(response):
    """Security headers on every response; pages of logged-in users are not cached."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:  # TLS here or at the proxy (X-Forwarded-Proto via ZSA_PROXY_HOPS/ProxyFix)
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if session.get("user") and request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
