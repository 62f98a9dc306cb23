"""Hundehaltung to-be process through the real engine and database (hundehaltung.feature)."""
from pytest_bdd import scenarios

from hunde_steps import *  # noqa: F401,F403  (step definitions are fixtures)

scenarios("hundehaltung.feature")
