"""Structural comparison of the variants' activities (issue 10, item 5), read from the models.

Every as-is step is matched to the to-be step with the most similar name (difflib ratio ≥ MATCH):
matched to an automated to-be step → "automatisiert"; several as-is steps matched to one to-be step →
"zusammengelegt"; matched to a person's step → "bleibt"; no match → "entfällt". Handovers and media
breaks per case come from the simulation result.
"""
import difflib

from .model import HUMAN

ACTIVITIES = {"userTask", "manualTask", "scriptTask", "businessRuleTask", "serviceTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "task"}
KINDS = {"userTask": "Hand", "manualTask": "Hand", "scriptTask": "automatisch", "businessRuleTask": "automatisch",
         "serviceTask": "automatisch", "sendTask": "Versand", "receiveTask": "Eingang"}
MATCH = 0.55


def _steps(model):
    rows = []
    for e in model.elements.values():
        if e.tag not in ACTIVITIES:
            continue
        minutes = e.duration.mean * 60 if e.duration and e.tag in HUMAN else None
        rows.append({"id": e.id, "name": e.name, "kind": KINDS.get(e.tag, "Teilprozess"), "pool": e.pool,
                     "minutes": round(minutes, 1) if minutes is not None else None,
                     "handover": e.handover, "media_break": e.media_break})
    return rows


def _similar(a, b):
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def structure(scenario):
    """{"variants": {process id: {"role", "steps": [...]}}, "fate": {as-is id: {step id: (fate, to-be step)}}}."""
    document = {"variants": {}, "fate": {}}
    for v in scenario.variants:
        document["variants"][v.process_id] = {"role": v.role, "name": v.info.name or v.process_id,
                                              "steps": _steps(v.model)}
    to_be = [v for v in scenario.variants if v.role == "to-be"]
    if len(to_be) != 1:
        return document
    target = document["variants"][to_be[0].process_id]["steps"]
    for v in scenario.variants:
        if v.role != "as-is":
            continue
        matches = {}
        for step in document["variants"][v.process_id]["steps"]:
            best = max(target, key=lambda t: _similar(step["name"], t["name"]), default=None)
            if best is not None and _similar(step["name"], best["name"]) >= MATCH:
                matches[step["id"]] = best
        counts = {}
        for best in matches.values():
            counts[best["id"]] = counts.get(best["id"], 0) + 1
        fate = {}
        for step in document["variants"][v.process_id]["steps"]:
            best = matches.get(step["id"])
            if best is None:
                fate[step["id"]] = ["entfällt", None]
            elif best["kind"] == "automatisch" and step["kind"] == "Hand":
                fate[step["id"]] = ["automatisiert", best["name"]]
            elif counts[best["id"]] > 1:
                fate[step["id"]] = ["zusammengelegt", best["name"]]
            else:
                fate[step["id"]] = ["bleibt", best["name"]]
        document["fate"][v.process_id] = fate
    return document
