"""Wohngeld as-is variants of Halle (Saale) and Haldensleben (wohngeld_asis.feature)."""
from pytest_bdd import scenarios

from wohngeld_steps import *  # noqa: F401,F403  (step definitions are fixtures)

scenarios("wohngeld_asis.feature")
