"""The result document of a simulation (issue 10, item 4), with 95 % confidence intervals over
replications (Student t). Per variant under `variants[<process id>]`; `comparison` holds the to-be
change against each as-is variant (the to-be's cases of the same Gemeinde) and against the
case-weighted as-is average, as relative reductions (0.39 = 39 % less)."""
import math
import statistics

_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}


def t95(df):
    if df <= 0:
        return float("nan")
    for limit in sorted(_T95):
        if df <= limit:
            return _T95[limit]
    return 1.96


def ci95(values):
    """[low, high] of the mean over replications (a single replication: [mean, mean])."""
    values = [v for v in values if v is not None and not math.isnan(v)]
    if not values:
        return [None, None]
    mean = statistics.fmean(values)
    if len(values) < 2:
        return [_r(mean), _r(mean)]
    half = t95(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return [_r(mean - half), _r(mean + half)]


def _r(value, digits=4):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(value, digits)


def _mean(values):
    values = [v for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _quantile(sorted_values, q):
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, int(math.ceil(q * len(sorted_values))) - 1))
    return sorted_values[index]


def _per_replication(raws, fn):
    return [fn(raw) for raw in raws]


def variant_result(scenario, variant, raws):
    cases = [c for raw in raws for c in raw.cases]
    done = sorted(c.done - c.arrival for c in cases if c.done is not None and not c.incident)
    n_done = len(done)
    rep_cycle = _per_replication(raws, lambda r: _mean([c.done - c.arrival for c in r.cases
                                                         if c.done is not None and not c.incident]))
    rep_effort = _per_replication(raws, lambda r: _mean([c.effort for c in r.cases if c.done is not None]))
    finished = [c for c in cases if c.done is not None and not c.incident]
    busy = {}
    capacity = {}
    for raw in raws:
        for pool, hours in raw.busy.items():
            busy[pool] = busy.get(pool, 0.0) + hours
        for pool, hours in raw.capacity.items():
            capacity[pool] = capacity.get(pool, 0.0) + hours
    cost_hours = sum(h * scenario.cost_per_hour.get(p, 0.0) for p, h in busy.items())
    measured = len(cases)
    tasks = {}
    for raw in raws:
        for element, waits in raw.tasks.items():
            tasks.setdefault(element, []).extend(waits)
    by_kommune = {}
    for kommune in sorted({c.kommune for c in cases}):
        reps = [_mean([c.done - c.arrival for c in r.cases if c.kommune == kommune and c.done is not None
                       and not c.incident]) for r in raws]
        effort = [_mean([c.effort for c in r.cases if c.kommune == kommune and c.done is not None]) for r in raws]
        count = [sum(1 for c in r.cases if c.kommune == kommune) for r in raws]
        by_kommune[kommune] = {"cycle_time_hours": [_r(v) for v in reps], "effort_minutes": [_r(v) for v in effort],
                               "cases": count}
    return {
        "variant": variant.role,
        "name": variant.info.name or variant.process_id,
        "kommunen": len(variant.arrivals),
        "arrivals_per_year": _r(sum(variant.arrivals.values()), 1),
        "cases_measured": measured,
        "cases_completed": n_done,
        "incidents": sum(1 for c in cases if c.incident),
        "cycle_time_hours": {"mean": _r(_mean(done)), "p50": _r(_quantile(done, 0.5)), "p90": _r(_quantile(done, 0.9)),
                             "ci95": ci95(rep_cycle), "replications": [_r(v) for v in rep_cycle],
                             "quantiles": [_r(_quantile(done, q / 20)) for q in range(1, 20)]},
        "waiting_time_hours": {"mean": _r(_mean([c.queue_wait for c in finished]))},
        "effort_minutes_per_case": _r(_mean([c.effort for c in cases if c.done is not None])),
        "effort_minutes_ci95": ci95(rep_effort),
        "effort_minutes_replications": [_r(v) for v in rep_effort],
        "handovers_per_case": _r(_mean([c.handovers for c in finished])),
        "media_breaks_per_case": _r(_mean([c.media_breaks for c in finished])),
        "utilisation": {p: _r(busy.get(p, 0.0) / capacity[p]) for p in sorted(capacity) if capacity[p] > 0},
        "cost_per_case": _r(cost_hours / measured, 2) if measured else None,
        "within_service_level": _r(sum(1 for d in done if d <= scenario.service_level_h) / measured) if measured else None,
        "cases_in_system_mean": _r(_mean([r.case_hours / scenario.period_h for r in raws])),
        "arrival_rate_per_hour": _r(_mean([sum(1 for c in r.cases) / scenario.period_h for r in raws])),
        "backlog_daily_mean": [_r(v, 1) for v in _daily_mean([r.backlog for r in raws])],
        "tasks": {e: {"queue_wait_hours": {"mean": _r(_mean(w))}, "count": len(w)} for e, w in sorted(tasks.items())},
        "by_kommune": by_kommune,
        "task_events": sum(r.task_events for r in raws),
        "cases_started": sum(r.started for r in raws),
        **({"staffing": raws[0].staffing} if raws and raws[0].staffing else {}),
    }


def _daily_mean(series):
    length = min((len(s) for s in series), default=0)
    return [statistics.fmean(s[i] for s in series) for i in range(length)]


def comparison(scenario, variants_json):
    """To-be against each as-is variant (same Gemeinde's cases) and the case-weighted as-is average."""
    to_be = [v for v in scenario.variants if v.role == "to-be"]
    as_is = [v for v in scenario.variants if v.role == "as-is"]
    if len(to_be) != 1 or not as_is:
        return None
    target = variants_json[to_be[0].process_id]
    result = {"to_be": to_be[0].process_id, "as_is": {}, "weighted_average": {}}
    reps = scenario.replications
    weighted = {m: ([0.0] * reps, [0.0] * reps, [0.0] * reps) for m in ("cycle_time_hours", "effort_minutes")}
    for variant in as_is:
        own = variants_json[variant.process_id]
        kommune = next(iter(variant.arrivals))
        mine = target["by_kommune"].get(kommune)
        theirs = own["by_kommune"].get(kommune)
        if not mine or not theirs:
            continue
        entry = {"kommune": kommune}
        for measure in ("cycle_time_hours", "effort_minutes"):
            changes = []
            for r in range(reps):
                a, b, n = theirs[measure][r], mine[measure][r], theirs["cases"][r]
                if a and b is not None:
                    changes.append(1 - b / a)
                    weighted[measure][0][r] += n * a
                    weighted[measure][1][r] += n * b
                    weighted[measure][2][r] += n
            entry[measure] = {"as_is": _r(_mean(theirs[measure])), "to_be": _r(_mean(mine[measure])),
                              "reduction": _r(_mean(changes)), "ci95": ci95(changes)}
        result["as_is"][variant.process_id] = entry
    for measure, (a_sum, b_sum, n_sum) in weighted.items():
        changes = [1 - b / a for a, b, n in zip(a_sum, b_sum, n_sum) if n and a]
        result["weighted_average"][measure] = {
            "as_is": _r(_mean([a / n for a, n in zip(a_sum, n_sum) if n])),
            "to_be": _r(_mean([b / n for b, n in zip(b_sum, n_sum) if n])),
            "reduction": _r(_mean(changes)), "ci95": ci95(changes)}
    return result


def build(scenario, raws_by_variant):
    variants = {v.process_id: variant_result(scenario, v, raws_by_variant[v.process_id]) for v in scenario.variants}
    return {
        "scenario": {"name": scenario.name, "file": scenario.path, "period_days": _r(scenario.period_h / 24, 2),
                     "warmup_days": _r(scenario.warmup_h / 24, 2), "replications": scenario.replications,
                     "seed": scenario.seed, "calendar": scenario.calendar,
                     "service_level_days": _r(scenario.service_level_h / 24, 2)},
        "variants": variants,
        "comparison": comparison(scenario, variants),
    }
