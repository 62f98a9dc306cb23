"""Bounded case data: every input is measured before it is used, every run's result before it is stored.

Inputs (form submissions, drafts, start data, message payloads, retry corrections) over the limits
of `zsa_flow.limits` are refused with a ValidationFailed naming the fields. Scripts and decisions
are bounded per value where they run (script worker, DecisionTask); `oversized_result` is the last
check before `runs.save_run` persists a run: a case whose data would exceed the case limit is put
into an incident instead, and nothing of the run is stored.
"""
from .. import limits
from ..errors import ValidationFailed

SUMMARY_KEYS = 8
SUMMARY_TEXT = 80


def check_input(data, what="Daten"):
    """Raise ValidationFailed when `data` (a dict) has a value or a total size over the limits."""
    if data is None:
        return
    if not isinstance(data, dict):
        raise ValidationFailed(f"{what} müssen ein Objekt (JSON) sein", details={"fields": {"": "Objekt erwartet"}})
    try:
        problems = limits.oversized(data)
    except (TypeError, ValueError) as error:
        raise ValidationFailed(f"{what} sind ungültig: {error}", details={"fields": {"": str(error)}}) from None
    if problems:
        raise ValidationFailed(f"{what} sind zu groß", details={"fields": problems})


def oversized_result(data) -> str | None:
    """The incident message when a run's case data exceeds the case limit, else None."""
    if not data:
        return None
    problems = limits.oversized(data)
    if not problems:
        return None
    fields = ", ".join(f"'{k}'" for k in problems if k)
    where = f" (Feld {fields})" if fields else ""
    return (f"Falldaten wären zu groß{where}: Grenze {limits.json_bytes(limits.max_value_bytes())} je Wert, "
            f"{limits.json_bytes(limits.max_case_bytes())} je Vorgang – Ergebnis wurde nicht gespeichert")


def summary(data) -> dict:
    """A few short top-level values of case data for lists (the full data: GET /cases/<nr>)."""
    out = {}
    for key, value in (data or {}).items():
        if len(out) >= SUMMARY_KEYS:
            break
        if isinstance(value, str):
            out[key] = value if len(value) <= SUMMARY_TEXT else value[:SUMMARY_TEXT] + "…"
        elif value is None or isinstance(value, (bool, int, float)):
            out[key] = value
    return out
