"""Where the gain comes from (issue 10, item 6): the to-be change against the case-weighted as-is
average, split into *process*, *pooling/specialisation* and *IT* by intermediate scenarios on the
same arrival stream, replications and seed:

  A   the as-is variants (each Gemeinde its own process and staff)
  P   the as-is process with pooled central staff: each as-is variant runs the to-be's whole arrival
      stream (every Gemeinde) in one central office per pool, staffed with its own persons per case
      (its staff × total cases / its own cases); its Gemeinde's cases are measured
  M1  the to-be process *without its automated checks*, staffed *per Gemeinde* (the to-be process
      with municipal staffing): every central pool's staff is split among the Gemeinden in
      proportion to their cases (same total staff, no pooling)
  M2  the to-be process without its automated checks, with its central (pooled) staff
  T   the to-be process as modelled

  Process and pooling are measured in both orders and averaged (A → P → M2 and A → M1 → M2 reach the
  same M2), IT last:
  pooling = ((A − P) + (M1 − M2)) / 2A,  process = ((A − M1) + (P − M2)) / 2A,  IT = (M2 − T) / A
  — per replication, so the three parts add up to the total change (A − T) / A exactly; 95 %
  intervals over replications.

Each measure (cycle time, effort per case) is the case-weighted mean over the Gemeinden that have an
as-is variant, weighted with the as-is case counts (the same weights as `comparison`).

"Without automated checks": every automated step of the to-be (script and business-rule tasks) is
done by hand — it gets the manual effort (`zsa:duration`) of the as-is step with the most similar
name (across all as-is variants, best match by difflib ratio; no match ≥ 0.3: the mean as-is step)
and occupies a person of the to-be's central pool for that time (simulator._occupy). Send tasks stay
automated (dispatch is not a check).
"""
import copy
import difflib
import statistics

from . import results
from .model import HUMAN

AUTOMATED = {"scriptTask", "businessRuleTask"}
PARTS = ("process", "pooling", "it")


def _central_pool(model):
    pools = [e.pool for e in model.elements.values() if e.pool and not e.municipal and e.tag in HUMAN]
    return max(set(pools), key=pools.count) if pools else None


def manual_equivalents(to_be, as_is_variants):
    """{to-be automated element id: (as-is element, similarity)} — the hand-done step it replaces."""
    steps = [e for v in as_is_variants for e in v.model.elements.values() if e.tag in HUMAN and e.duration]
    found = {}
    for element in to_be.model.elements.values():
        if element.tag not in AUTOMATED:
            continue
        scored = [(difflib.SequenceMatcher(None, element.name.lower(), s.name.lower()).ratio(), s) for s in steps]
        best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        found[element.id] = (best[1], round(best[0], 2)) if best[0] >= 0.3 else (None, 0.0)
    return found


def _without_automation(to_be, as_is_variants):
    variant = copy.copy(to_be)
    variant.model = copy.deepcopy(to_be.model)
    pool = _central_pool(variant.model)
    steps = [e for v in as_is_variants for e in v.model.elements.values() if e.tag in HUMAN and e.duration]
    fallback = steps[len(steps) // 2].duration if steps else None
    for element_id, (match, _score) in manual_equivalents(to_be, as_is_variants).items():
        element = variant.model.elements[element_id]
        element.duration = match.duration if match else fallback
        element.pool = pool
    return variant


def _municipal(variant):
    variant = copy.copy(variant)
    total = sum(variant.arrivals.values()) or 1.0
    shares = {k: n / total for k, n in variant.arrivals.items()}
    variant.split = {e.pool: shares for e in variant.model.elements.values() if e.pool and not e.municipal}
    return variant


def _pooled(as_is, to_be):
    """P for one as-is variant: its process, the to-be's arrival stream, one central office per pool
    with the same persons per case as the variant has (its staff × total / own cases)."""
    variant = copy.copy(as_is)
    variant.model = copy.deepcopy(as_is.model)
    own = sum(as_is.arrivals.values())
    total = sum(to_be.arrivals.values())
    factor = total / own if own else 1.0
    for element in variant.model.elements.values():
        element.municipal = False
    variant.arrivals = dict(to_be.arrivals)
    variant.staff = {pool: as_is.staff.get(pool, 1.0) * factor for pool in sorted(variant.model.pools())}
    variant.split = {}
    return variant


def _weighted(levels, weights, measure, reps):
    """Per replication and level: the case-weighted mean of `measure` over the Gemeinden that have a value
    on every level in that replication (levels: {name: by_kommune})."""
    out = {name: [] for name in levels}
    for r in range(reps):
        usable = [k for k in weights if all(k in by and by[k][measure][r] is not None for by in levels.values())]
        total = sum(weights[k][r] for k in usable)
        for name, by in levels.items():
            out[name].append(sum(by[k][measure][r] * weights[k][r] for k in usable) / total if total else None)
    return out


def attribute(scenario, result, run):
    """The `attribution` document; `run(scenario)` simulates a scenario and returns its result."""
    to_be = [v for v in scenario.variants if v.role == "to-be"]
    as_is = [v for v in scenario.variants if v.role == "as-is"]
    if len(to_be) != 1 or not as_is:
        return None
    to_be = to_be[0]
    reps = scenario.replications
    weights = {}
    for v in as_is:
        kommune = next(iter(v.arrivals))
        own = result["variants"][v.process_id]["by_kommune"].get(kommune)
        if own:
            weights[kommune] = own["cases"]
    manual = _without_automation(to_be, as_is)
    steps = {}
    for element_id, (match, score) in manual_equivalents(to_be, as_is).items():
        steps[element_id] = {"name": to_be.model.elements[element_id].name,
                             "as_is_step": match.name if match else None, "similarity": score,
                             "minutes": round(manual.model.elements[element_id].duration.mean * 60, 1)
                             if manual.model.elements[element_id].duration else None}
    runs = {}
    for key, variant in (("m1", _municipal(manual)), ("m2", manual)):
        what_if = copy.copy(scenario)
        what_if.variants = [variant]
        runs[key] = run(what_if)["variants"][to_be.process_id]["by_kommune"]
    pooled = [_pooled(v, to_be) for v in as_is]
    what_if = copy.copy(scenario)
    what_if.variants = pooled
    pooled_result = run(what_if)["variants"]
    runs["p"] = {}
    for v in as_is:
        kommune = next(iter(v.arrivals))
        found = pooled_result[v.process_id]["by_kommune"].get(kommune)
        if found:
            runs["p"][kommune] = found
    as_is_by_kommune = {}
    for v in as_is:
        kommune = next(iter(v.arrivals))
        if kommune in weights:
            as_is_by_kommune[kommune] = result["variants"][v.process_id]["by_kommune"][kommune]
    document = {"method": "A (Ist) → P (Ist-Prozess, zentral gebündelt) bzw. M1 (Soll ohne Automatik, Personal je "
                          "Gemeinde) → M2 (Soll ohne Automatik, gebündelt) → T (Soll)",
                "automated_steps": steps, "measures": {},
                "pooled_as_is": {p.process_id: {"staff": {k: round(n, 3) for k, n in p.staff.items()},
                                                "cases_per_year": round(sum(p.arrivals.values()), 1)}
                                 for p in pooled}}
    for measure in ("cycle_time_hours", "effort_minutes"):
        levels = _weighted({"a": as_is_by_kommune, "p": runs["p"], "m1": runs["m1"], "m2": runs["m2"],
                            "t": result["variants"][to_be.process_id]["by_kommune"]}, weights, measure, reps)
        a, p, m1, m2, t = levels["a"], levels["p"], levels["m1"], levels["m2"], levels["t"]
        per_rep = {"process": [], "pooling": [], "it": [], "total": []}
        for r in range(reps):
            if not a[r]:
                continue
            per_rep["process"].append(((a[r] - m1[r]) + (p[r] - m2[r])) / 2 / a[r])
            per_rep["pooling"].append(((a[r] - p[r]) + (m1[r] - m2[r])) / 2 / a[r])
            per_rep["it"].append((m2[r] - t[r]) / a[r])
            per_rep["total"].append((a[r] - t[r]) / a[r])
        document["measures"][measure] = {
            "levels": {name: _mean(values) for name, values in (("as_is", a), ("as_is_pooled", p), ("m1", m1),
                                                               ("m2", m2), ("to_be", t))},
            **{part: {"share": _mean(values), "ci95": results.ci95(values)} for part, values in per_rep.items()}}
    return document


def _mean(values):
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None
