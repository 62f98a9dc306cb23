"""Flask application factory (as in Flask's tutorial): configuration, platform, blueprints."""
import os
import secrets
from pathlib import Path

from flask import Flask, jsonify

from ..errors import ZsaError
from ..services.platform import Platform
from ..storage.db import database_url


def create_app(test_config=None, instance_path=None):
    """Create the zsa-flow web app. `test_config` may carry a ready `PLATFORM`."""
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.from_mapping(
        ZSA_DATABASE_URL=database_url(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):  # Flask's default config holds SECRET_KEY = None
        app.config["SECRET_KEY"] = configured_secret() or _instance_secret(app)
    hops = int(os.environ.get("ZSA_PROXY_HOPS", "0") or 0)
    if hops:  # behind a reverse proxy: client IP (login throttling) and scheme from its headers
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    platform = app.config.get("PLATFORM") or Platform.connect(app.config["ZSA_DATABASE_URL"])
    app.extensions["zsa"] = platform

    from . import api, engine_rest, error_pages, format, ops

    ops.install(app)
    app.register_blueprint(api.bp)
    app.register_blueprint(engine_rest.bp)
    _register_optional_blueprints(app)

    error_pages.init_app(app)
    format.init_app(app)

    return app


def zsa_error(exc):
    """{"error", "message", "details"} with the error's status (Retry-After when it says when)."""
    response = jsonify(exc.to_dict())
    if "retry_after" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after"])
    return response, exc.status


HTTP_MESSAGES = {
    400: "Ungültige Anfrage", 404: "Nicht gefunden", 405: "Diese Methode ist hier nicht erlaubt",
    413: "Die Anfrage ist zu groß", 415: "Bitte JSON senden", 429: "Zu viele Anfragen",
}


def api_error(exc):
    """{"error", "message", "details"} for a werkzeug HTTPException under /api/."""
    code = exc.code or 500
    error = (exc.name or "error").lower().replace(" ", "_")
    response = jsonify({"error": error, "message": HTTP_MESSAGES.get(code, exc.name), "details": {}})
    if code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response, code


def _register_optional_blueprints(app):
    """Inbox, auth and admin blueprints live in their own modules (registered when present)."""
    try:
        from .inbox import register as register_inbox
    except ImportError:
        return
    register_inbox(app)


def configured_secret() -> str | None:
    """The secret key from ZSA_SECRET_KEY or the file named by ZSA_SECRET_KEY_FILE (Docker/systemd secrets)."""
    if os.environ.get("ZSA_SECRET_KEY"):
        return os.environ["ZSA_SECRET_KEY"]
    path = os.environ.get("ZSA_SECRET_KEY_FILE")
    if path:
        try:
            secret = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ZsaError(f"ZSA_SECRET_KEY_FILE {path} nicht lesbar: {exc.strerror}") from None
        if not secret:
            raise ZsaError(f"ZSA_SECRET_KEY_FILE {path} ist leer")
        return secret
    return None


def _instance_secret(app) -> str:
    """A random secret kept in the instance folder, so sessions survive restarts; never a default."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def get_platform() -> Platform:
    from flask import current_app

    return current_app.extensions["zsa"]
