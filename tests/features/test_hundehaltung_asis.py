"""Hundehaltung as-is variants through the real engine and database (hundehaltung_asis.feature)."""
from pytest_bdd import scenarios

from hunde_steps import *  # noqa: F401,F403  (step definitions are fixtures)

scenarios("hundehaltung_asis.feature")
