"""Where the gain comes from (issue 10, item 6): the to-be change against the case-weighted as-is
average, split into *process*, *pooling/specialisation* and *IT* by intermediate scenarios on the
same arrival stream, replications and seed:

  A   the as-is variants (each Gemeinde its own process and staff)
  P   the as-is process with pooled central staff: each as-is variant runs the to-be's whole arrival
      stream (all Gemeinden, the same office size as the to-be's central pools) in one central
      office per pool; its own Gemeinde's cases are measured. Staffed by `pooled_staff`.
  M1  the to-be process *without its automated checks*, staffed *per Gemeinde* (the to-be process
      with municipal staffing): M2's central staff split among the Gemeinden in proportion to their
      cases (same total staff, no pooling)
  M2  the to-be process without its automated checks, with central (pooled) staff sized by
      `manual_staff`
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
name (across all as-is variants, best match by difflib ratio; no match ≥ 0.3: the mean as-is step);
the case waits for a person of the to-be's main central pool and for that work before it goes on
(simulator._hold, which occupies the person through simulator._occupy like every task). Send tasks stay automated (dispatch is not a check).

Staffing of the intermediate scenarios. An intermediate scenario changes one thing at a time, so its
staff must carry its workload as the scenarios it is compared with do; the rules size staff from the
workload per case that a pilot run measures (runner.workload: steps taken × mean `zsa:duration`; the
same for every replication) and from the productive hours per person and year of the scenario's
calendar (`hours_per_fte`: working hours of the measured period, per year — 8760 with `always`):

* M2 (`manual_staff`): every central pool keeps the to-be's utilisation — its staff is the to-be's
  times (pool's hours per case by hand ÷ pool's hours per case in the to-be); the added persons are the
  added hours per year ÷ (hours per FTE × the pool's to-be utilisation). A pool that gets hand-done
  steps but had no work in the to-be is sized at the to-be's central utilisation. Gemeinde pools
  keep their staff (their work does not change). M1 has the same staff, split by cases.
* P (`pooled_staff`): each pool of the as-is process is sized to the pooled workload (all Gemeinden's
  cases × the pool's hours per case) at a utilisation no lower than the as-is variant's own in that
  pool and no lower than the to-be's central pools' (their workload ÷ their staff): pooling may save
  persons, never add slack the as-is Gemeinde or the ZSA does not have. (The earlier rule — the as-is
  persons per case — gave a 12-cases-a-year Gemeinde's 0.4 FTE hundreds of persons.) A pool without
  work in the pilot keeps the as-is staff.

Cost: M1 simulates only the as-is Gemeinden's cases. Its Gemeinden share nothing (each has its own
share of every pool, its own arrival and case random streams), so their results are exactly those of
a run over all Gemeinden. P and M2 need the whole stream: in them the other Gemeinden's cases load
the shared pools. All jobs of a study run in one `runner.run_scenarios` call.
"""
import copy
import difflib
import statistics
from datetime import date

from . import results
from .calendar import make_calendar
from .model import HUMAN
from .runner import pilot_job
from .simulator import working_hours

AUTOMATED = {"scriptTask", "businessRuleTask"}
PARTS = ("process", "pooling", "it")
LEVELS = (("as_is", "a"), ("as_is_pooled", "p"), ("m1", "m1"), ("m2", "m2"), ("to_be", "t"))


def _central_pool(model):
    pools = [e.pool for e in model.elements.values() if e.pool and not e.municipal and e.tag in HUMAN]
    return max(sorted(set(pools)), key=pools.count) if pools else None


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


def _without_automation(to_be, as_is_variants, equivalents=None):
    """The to-be variant with its automated steps done by hand (`equivalents`: manual_equivalents)."""
    variant = copy.copy(to_be)
    variant.model = copy.deepcopy(to_be.model)
    pool = _central_pool(variant.model)
    steps = [e for v in as_is_variants for e in v.model.elements.values() if e.tag in HUMAN and e.duration]
    fallback = steps[len(steps) // 2].duration if steps else None
    equivalents = equivalents if equivalents is not None else manual_equivalents(to_be, as_is_variants)
    for element_id, (match, _score) in equivalents.items():
        element = variant.model.elements[element_id]
        element.duration = match.duration if match else fallback
        element.pool = pool
    return variant


def hours_per_fte(scenario):
    """Productive hours of one person per year under the scenario's calendar and working hours."""
    if scenario.calendar == "always" or scenario.period_h <= 0:
        return 8760.0
    days = int((scenario.warmup_h + scenario.period_h) // 24) + 60
    cal = make_calendar(scenario.calendar, date.fromisoformat(scenario.start), days, scenario.hours)
    worked = working_hours(cal, scenario.warmup_h, scenario.warmup_h + scenario.period_h)
    return worked / scenario.period_h * 8760.0


def _central_utilisation(load, staff, central, cases, hours):
    """Expected utilisation of the to-be's central pools together (their workload ÷ their capacity)."""
    work = sum(cases * load["human"].get(p, 0.0) for p in central)
    capacity = sum(staff.get(p, 1.0) for p in central) * hours
    return work / capacity if capacity else 0.0


# -- staffing rules (run in the worker, runner.resolve_staffing) ----------------------------------------

def manual_staff(workloads, setup, to_be_staff, central, cases_per_year, hours_per_fte):
    """M1/M2: the to-be's staff; every central pool that gets hand-done steps grows so that its
    utilisation stays the to-be's (see the module docstring)."""
    load = workloads["to_be"]
    staff = dict(setup.staff)
    reference = _central_utilisation(load, to_be_staff, central, cases_per_year, hours_per_fte) or 0.8
    pools = {}
    for pool in central:
        human, manual = load["human"].get(pool, 0.0), load["manual"].get(pool, 0.0)
        persons = to_be_staff.get(pool, 1.0)
        if manual <= 0:
            continue
        if human > 0:
            sized = persons * (human + manual) / human
        else:
            sized = cases_per_year * manual / (reference * hours_per_fte)
        staff[pool] = max(sized, 0.01)
        pools[pool] = {"to_be_staff": round(persons, 3), "staff": round(staff[pool], 3),
                       "added_staff": round(staff[pool] - persons, 3),
                       "added_hours_per_year": round(cases_per_year * manual, 1),
                       "hours_per_case": round(human + manual, 4), "to_be_hours_per_case": round(human, 4),
                       "expected_utilisation": round(cases_per_year * (human + manual) / (staff[pool] * hours_per_fte), 4)}
    return staff, {"rule": "manual", "hours_per_fte": round(hours_per_fte, 1), "pilot_cases": load["cases"],
                   "cases_per_year": round(cases_per_year, 1), "pools": pools}


def pooled_staff(workloads, setup, own_staff, own_cases, pools, to_be_staff, central, cases_per_year, hours_per_fte):
    """P: every pool of the as-is process sized to the pooled workload at a utilisation no lower than
    the as-is variant's own and the to-be's central pools' (see the module docstring)."""
    load, to_be = workloads["self"], workloads["to_be"]
    reference = _central_utilisation(to_be, to_be_staff, central, cases_per_year, hours_per_fte)
    staff, notes = {}, {}
    for pool in pools:
        persons = own_staff.get(pool, 1.0)
        hours = load["human"].get(pool, 0.0) + load["manual"].get(pool, 0.0)
        if hours <= 0:
            staff[pool] = persons
            continue
        own = own_cases * hours / (persons * hours_per_fte)
        target = max(own, reference)
        staff[pool] = max(cases_per_year * hours / (target * hours_per_fte), 0.01)
        notes[pool] = {"own_staff": round(persons, 3), "staff": round(staff[pool], 3),
                       "own_utilisation": round(own, 4), "target_utilisation": round(target, 4),
                       "hours_per_year": round(cases_per_year * hours, 1)}
    return staff, {"rule": "pooled", "hours_per_fte": round(hours_per_fte, 1), "pilot_cases": load["cases"],
                   "cases_per_year": round(cases_per_year, 1), "to_be_central_utilisation": round(reference, 4),
                   "pools": notes}


# -- the intermediate scenarios and the document --------------------------------------------------------

def _kommune(variant):
    return next(iter(variant.arrivals))


def plan(scenario):
    """The intermediate scenarios {"p", "m1", "m2"} of a scenario with one to-be and as-is variants,
    else None. Their staff is sized in the worker by the rules above."""
    to_be = [v for v in scenario.variants if v.role == "to-be"]
    as_is = [v for v in scenario.variants if v.role == "as-is"]
    if len(to_be) != 1 or not as_is:
        return None
    to_be = to_be[0]
    total = sum(to_be.arrivals.values())
    hours = hours_per_fte(scenario)
    manual = _without_automation(to_be, as_is)
    central = sorted({e.pool for e in manual.model.elements.values() if e.pool and not e.municipal})
    pilot = pilot_job(scenario, manual)
    manual.staffing = (manual_staff, {"to_be": pilot},
                       {"to_be_staff": dict(to_be.staff), "central": central, "cases_per_year": total,
                        "hours_per_fte": hours})
    manual.split = {}
    municipal = copy.copy(manual)
    measured = {_kommune(v) for v in as_is}
    municipal.arrivals = {k: n for k, n in to_be.arrivals.items() if k in measured}  # exact: see docstring
    shares = {k: n / total for k, n in to_be.arrivals.items()} if total else {}
    municipal.split = {pool: shares for pool in central}
    pooled = []
    for v in as_is:
        variant = copy.copy(v)
        variant.model = copy.deepcopy(v.model)
        for element in variant.model.elements.values():
            element.municipal = False
        variant.arrivals = dict(to_be.arrivals)
        variant.split = {}
        variant.staff = dict(v.staff)
        variant.staffing = (pooled_staff, {"self": pilot_job(scenario, variant), "to_be": pilot},
                            {"own_staff": dict(v.staff), "own_cases": sum(v.arrivals.values()),
                             "pools": sorted(variant.model.pools()), "to_be_staff": dict(to_be.staff),
                             "central": central, "cases_per_year": total, "hours_per_fte": hours})
        pooled.append(variant)
    scenarios = {}
    for key, variants in (("p", pooled), ("m1", [municipal]), ("m2", [manual])):
        what_if = copy.copy(scenario)
        what_if.variants = variants
        scenarios[key] = what_if
    return scenarios


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


def attribute(scenario, result, what_ifs):
    """The `attribution` document from the main result and the intermediate scenarios' results
    ({"p", "m1", "m2"}: result documents of `plan`'s scenarios)."""
    to_be = next(v for v in scenario.variants if v.role == "to-be")
    as_is = [v for v in scenario.variants if v.role == "as-is"]
    reps = scenario.replications
    weights, as_is_by_kommune, pooled_by_kommune = {}, {}, {}
    for v in as_is:
        kommune = _kommune(v)
        own = result["variants"][v.process_id]["by_kommune"].get(kommune)
        if own:
            weights[kommune] = own["cases"]
            as_is_by_kommune[kommune] = own
        found = what_ifs["p"]["variants"][v.process_id]["by_kommune"].get(kommune)
        if found:
            pooled_by_kommune[kommune] = found
    equivalents = manual_equivalents(to_be, as_is)
    manual = _without_automation(to_be, as_is, equivalents)
    steps = {}
    for element_id, (match, score) in equivalents.items():
        duration = manual.model.elements[element_id].duration
        steps[element_id] = {"name": to_be.model.elements[element_id].name,
                             "as_is_step": match.name if match else None, "similarity": score,
                             "minutes": round(duration.mean * 60, 1) if duration else None}
    m1 = what_ifs["m1"]["variants"][to_be.process_id]
    m2 = what_ifs["m2"]["variants"][to_be.process_id]
    document = {"method": "A (Ist) → P (Ist-Prozess, zentral gebündelt) bzw. M1 (Soll ohne Automatik, Personal je "
                          "Gemeinde) → M2 (Soll ohne Automatik, gebündelt) → T (Soll)",
                "automated_steps": steps, "measures": {},
                "staffing_without_automation": m2.get("staffing"),
                "utilisation": {"m1": m1["utilisation"], "m2": m2["utilisation"]},
                "pooled_as_is": {}}
    for v in as_is:
        pooled = what_ifs["p"]["variants"][v.process_id]
        staffing = pooled.get("staffing") or {}
        document["pooled_as_is"][v.process_id] = {
            "staff": {pool: note["staff"] for pool, note in staffing.get("pools", {}).items()},
            "cases_per_year": pooled["arrivals_per_year"], "utilisation": pooled["utilisation"],
            "staffing": staffing}
    levels_by = {"a": as_is_by_kommune, "p": pooled_by_kommune, "m1": m1["by_kommune"], "m2": m2["by_kommune"],
                 "t": result["variants"][to_be.process_id]["by_kommune"]}
    for measure in ("cycle_time_hours", "effort_minutes"):
        levels = _weighted(levels_by, weights, measure, reps)
        a, p, mm1, mm2, t = levels["a"], levels["p"], levels["m1"], levels["m2"], levels["t"]
        per_rep = {"process": [], "pooling": [], "it": [], "total": []}
        for r in range(reps):
            if not a[r]:
                continue
            per_rep["process"].append(((a[r] - mm1[r]) + (p[r] - mm2[r])) / 2 / a[r])
            per_rep["pooling"].append(((a[r] - p[r]) + (mm1[r] - mm2[r])) / 2 / a[r])
            per_rep["it"].append((mm2[r] - t[r]) / a[r])
            per_rep["total"].append((a[r] - t[r]) / a[r])
        document["measures"][measure] = {
            "levels": {name: _mean(levels[key]) for name, key in LEVELS},
            **{part: {"share": _mean(values), "ci95": results.ci95(values)} for part, values in per_rep.items()}}
    return document


def _mean(values):
    values = [v for v in values if v is not None]
    return round(statistics.fmean(values), 4) if values else None
