"""Key figures of a process model for comparing the to-be process with as-is variants.

- steps: activities (tasks, call activities, sub-processes);
- handovers: sequence flows from one lane to another (work changes hands), plus
  handover_marks: steps marked `zsa:handover` (work arrives from / goes to another office);
- media_breaks: steps marked `zsa:media-break` (typed in again, printed, scanned).
See processes/README.md for the zsa:* properties.
"""
from .bpmn_index import TASKS, index_process


def model_stats(data: bytes, process_id: str, filename: str = "<bpmn>") -> dict:
    """{"steps", "handovers", "handover_marks", "media_breaks", "lanes"} of one process."""
    elements = index_process(data, process_id, filename)
    steps = [e for e in elements.values() if e.type in TASKS]
    handovers = 0
    for flow in elements.values():
        if flow.type != "sequenceFlow":
            continue
        ends = dict(pair.split("=", 1) for pair in flow.facets.get("Verbindung", "").split(", ") if "=" in pair)
        source, target = elements.get(ends.get("sourceRef")), elements.get(ends.get("targetRef"))
        if source and target and source.lane and target.lane and source.lane != target.lane:
            handovers += 1
    return {
        "steps": len(steps),
        "handovers": handovers,
        "handover_marks": sum(1 for e in elements.values() if e.properties.get("zsa:handover") == "true"),
        "media_breaks": sum(1 for e in steps if e.properties.get("zsa:media-break") == "true"),
        "lanes": sorted({e.lane for e in elements.values() if e.lane}),
    }
