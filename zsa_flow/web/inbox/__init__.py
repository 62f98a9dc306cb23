"""The caseworkers' web UI: security (CSRF, headers), login, and the inbox pages."""


def register(app):
    """Install web security and register the UI blueprints (called by create_app)."""
    from .. import auth, security

    security.init_app(app)
    app.register_blueprint(auth.bp)
