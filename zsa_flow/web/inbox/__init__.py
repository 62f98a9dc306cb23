"""The caseworkers' web UI: security (CSRF, headers), login, and the inbox pages."""


def register(app):
    """Install web security and register the UI blueprints (called by create_app)."""
    from .. import admin, audit_pages, auth, console, security, simulation_pages

    security.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(audit_pages.bp)
    app.register_blueprint(simulation_pages.bp)
    _register_inbox(app)


def _register_inbox(app):
    """Task list, task page, case pages (zsa_flow/web/inbox/*_views.py attach to one blueprint)."""
    from . import case_views, document_views, task_views  # noqa: F401  (importing attaches the routes)
    from .blueprint import bp

    app.register_blueprint(bp)
