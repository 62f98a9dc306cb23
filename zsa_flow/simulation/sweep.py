"""Capacity planning (issue 10, item 7): the smallest central staffing that keeps the service level as
case numbers grow.

`--sweep staff=POOL:1..10` tries 1, 2, … 10 persons in POOL; `--sweep volume=1.0..3.0[:0.5]` multiplies
the to-be's arrivals by 1.0, 1.5, … 3.0. For every volume the staff counts are tried upwards — starting
at the previous volume's answer, since more cases never need fewer people — until the share of cases
completed within the scenario's service level reaches the target (default 90 %). Only the to-be
variant is simulated. To keep run times bounded a sweep point runs with at most
`POINT_REPLICATIONS` replications and a measured period of at most `POINT_PERIOD_DAYS` days (the
scenario's warm-up stays); the replications of a point run in the runner's worker processes.
"""
import copy

from .scenario import ScenarioError

POINT_REPLICATIONS = 2
POINT_PERIOD_DAYS = 90


def parse(specs, scenario):
    """{"pool", "staff": [..], "volume": [..]} from the --sweep options (ScenarioError if malformed)."""
    pool, staff, volume = None, None, [1.0]
    for spec in specs:
        kind, _, value = spec.partition("=")
        try:
            if kind == "staff":
                pool, _, span = value.rpartition(":")
                low, high = (int(x) for x in span.split(".."))
                if not pool or not 1 <= low <= high:
                    raise ValueError
                staff = list(range(low, high + 1))
            elif kind == "volume":
                span, _, step = value.partition(":")
                low, high = (float(x) for x in span.split(".."))
                step = float(step or 0.5)
                if not 0 < low <= high or step <= 0:
                    raise ValueError
                count = int(round((high - low) / step)) + 1
                volume = [round(low + i * step, 4) for i in range(count)]
            else:
                raise ValueError
        except ValueError:
            raise ScenarioError(f"--sweep {spec}: erwartet staff=POOL:1..10 oder volume=1.0..3.0[:0.5]") from None
    to_be = _to_be(scenario)
    pools = to_be.model.pools()
    if pool is None:
        pool = _main_pool(to_be)
        staff = list(range(1, 11))
    if pool not in pools:
        raise ScenarioError(f"--sweep staff={pool}: unbekannter Pool (bekannt: {', '.join(sorted(pools))})")
    return {"pool": pool, "staff": staff, "volume": volume}


def _to_be(scenario):
    to_be = [v for v in scenario.variants if v.role == "to-be"] or scenario.variants[:1]
    return to_be[0]


def _main_pool(variant):
    pools = [e.pool for e in variant.model.elements.values() if e.pool and not e.municipal]
    if not pools:
        raise ScenarioError("--sweep: der Soll-Prozess hat keinen zentralen Pool; staff=POOL:1..10 angeben")
    return max(set(pools), key=pools.count)


def point_scenario(scenario, pool, persons, factor):
    to_be = copy.copy(_to_be(scenario))
    to_be.arrivals = {k: n * factor for k, n in to_be.arrivals.items()}
    to_be.staff = {**to_be.staff, pool: float(persons)}
    point = copy.copy(scenario)
    point.variants = [to_be]
    point.replications = min(scenario.replications, POINT_REPLICATIONS)
    point.period_h = min(scenario.period_h, POINT_PERIOD_DAYS * 24.0)
    return point


def sweep(scenario, spec, run, target=0.9, progress=None):
    """The `sweep` document; `run(scenario)` simulates one point and returns its result."""
    pool, staff, volume = spec["pool"], spec["staff"], spec["volume"]
    process_id = _to_be(scenario).process_id
    points, smallest = [], {}
    start = 0
    for factor in volume:
        found = None
        for index in range(start, len(staff)):
            result = run(point_scenario(scenario, pool, staff[index], factor))
            v = result["variants"][process_id]
            share = v["within_service_level"]
            points.append({"volume": factor, "staff": staff[index], "within_service_level": share,
                           "cycle_time_hours": v["cycle_time_hours"]["mean"],
                           "utilisation": v["utilisation"].get(pool)})
            if progress:
                progress(len(points))
            if share is not None and share >= target:
                found, start = staff[index], index
                break
        smallest[str(factor)] = found
        if found is None:
            start = len(staff)  # not reachable within the range: larger volumes are not either
    return {"pool": pool, "target": target, "service_level_days": round(scenario.service_level_h / 24, 2),
            "replications_per_point": min(scenario.replications, POINT_REPLICATIONS),
            "period_days_per_point": round(min(scenario.period_h, POINT_PERIOD_DAYS * 24.0) / 24, 2),
            "staff_range": [staff[0], staff[-1]], "volumes": volume, "points": points, "smallest_staff": smallest}
