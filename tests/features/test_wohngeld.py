"""Wohngeld to-be process through the real engine and database (wohngeld.feature)."""
from pytest_bdd import scenarios

from wohngeld_steps import *  # noqa: F401,F403  (step definitions are fixtures)

scenarios("wohngeld.feature")
