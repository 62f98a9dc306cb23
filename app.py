"""Entry point for `flask --app app run`: the application factory lives in zsa_flow.web."""
from zsa_flow.web import create_app

__all__ = ["create_app"]
