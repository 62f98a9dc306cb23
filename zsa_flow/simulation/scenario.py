"""Scenario files (YAML): what to simulate, for how long, with whom. Documented in
processes/README.md §8 with an example per service (processes/<service>/simulation.yaml).

Every problem is one ScenarioError line naming the file and the key, e.g.
`processes/x.yaml: staff.Steueramt: unbekannter Pool (bekannt: …)`.
"""
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..errors import ModelError, ZsaError
from ..library.loader import read_library
from . import distributions
from .model import KNOWN, read_model

TOP_KEYS = {"name", "period", "warmup", "drain", "replications", "seed", "calendar", "working_hours",
            "service_level", "start", "variants", "staff", "cost_per_hour", "kommunen", "paper_share", "library"}
VARIANT_KEYS = {"process", "file", "arrivals", "kommunen", "properties", "staff"}
OVERRIDABLE = {"zsa:duration", "zsa:wait", "zsa:probability", "zsa:resource", "zsa:handover", "zsa:media-break"}


class ScenarioError(ZsaError):
    """A scenario file that cannot be simulated; the message names the file and the key."""


@dataclass
class Variant:
    process_id: str
    model: object  # model.ProcessModel (with the scenario's property overrides applied)
    info: object  # library ProcessInfo
    bundle: list
    arrivals: dict  # Gemeinde -> cases per year
    role: str  # to-be | as-is
    staff: dict = field(default_factory=dict)  # this variant's own staffing (over the scenario's)
    split: dict = field(default_factory=dict)  # what-if: pool -> {Gemeinde: share} (central pool split up)
    staffing: tuple | None = None  # what-if: a staffing rule sized in the worker (runner.resolve_staffing)


@dataclass
class Scenario:
    path: str
    name: str
    period_h: float
    warmup_h: float
    drain_h: float
    replications: int
    seed: int
    calendar: str
    hours: tuple
    service_level_h: float
    start: str
    variants: list = field(default_factory=list)
    staff: dict = field(default_factory=dict)
    cost_per_hour: dict = field(default_factory=dict)
    paper_share: float = 0.3


def load_scenario(path) -> Scenario:
    path = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except OSError as exc:
        raise ScenarioError(f"{path}: Datei nicht lesbar: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ScenarioError(f"{path}{where}: kein gültiges YAML: {getattr(exc, 'problem', exc)}") from None
    return build_scenario(doc, path)


def build_scenario(doc, path="<scenario>") -> Scenario:
    def fail(key, message):
        raise ScenarioError(f"{path}: {key}: {message}")

    if not isinstance(doc, dict):
        fail("(Datei)", "erwartet eine Zuordnung mit name, period, variants …")
    for key in doc:
        if key not in TOP_KEYS:
            fail(key, f"unbekannter Schlüssel (erlaubt: {', '.join(sorted(TOP_KEYS))})")
    base = _base_dir(path)

    def duration(key, default):
        text = doc.get(key, default)
        try:
            return distributions.hours(str(text))
        except distributions.DistributionError as exc:
            fail(key, str(exc))

    def number(mapping, key, where, kind=float, low=0):
        value = mapping.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
            fail(where, f"erwartet eine Zahl ≥ {low}, nicht {value!r}")
        return kind(value)

    calendar = doc.get("calendar", "workdays")
    if calendar not in ("workdays", "always"):
        fail("calendar", f"'{calendar}' ist weder 'workdays' noch 'always'")
    hours = _working_hours(doc.get("working_hours", "08:00-16:00"), fail)
    scenario = Scenario(
        path=path, name=str(doc.get("name") or Path(path).stem), period_h=duration("period", "P365D"),
        warmup_h=duration("warmup", "P30D"), drain_h=duration("drain", "P180D"),
        replications=number(doc | {"replications": doc.get("replications", 5)}, "replications", "replications", int, 1),
        seed=number(doc | {"seed": doc.get("seed", 42)}, "seed", "seed", int, 0),
        calendar=calendar, hours=hours, service_level_h=duration("service_level", "P30D"),
        start=str(doc.get("start", "2026-01-01")),
        paper_share=number(doc | {"paper_share": doc.get("paper_share", 0.3)}, "paper_share", "paper_share"),
    )
    try:
        date.fromisoformat(scenario.start)
    except ValueError:
        fail("start", f"'{scenario.start}' ist kein Datum (JJJJ-MM-TT)")
    library_paths = [str(base / p) for p in doc.get("library", ["processes", "forms"])]
    try:
        library = read_library(library_paths)
    except ModelError as exc:
        fail("library", exc.message)
    variants = doc.get("variants")
    if not isinstance(variants, list) or not variants:
        fail("variants", "erwartet eine Liste von Varianten (process: … oder file: …)")
    kommunen = doc.get("kommunen")
    for index, raw in enumerate(variants):
        scenario.variants.append(_variant(raw, f"variants[{index}]", library, library_paths, base, kommunen, fail))
    ids = [v.process_id for v in scenario.variants]
    if len(set(ids)) != len(ids):
        fail("variants", "ein Prozess ist doppelt aufgeführt")
    pools = set().union(*(v.model.pools() for v in scenario.variants))
    scenario.staff = _pools(doc.get("staff"), "staff", pools, 0.01, number, fail)
    scenario.cost_per_hour = _pools(doc.get("cost_per_hour"), "cost_per_hour", pools, 0, number, fail)
    for index, (raw, variant) in enumerate(zip(variants, scenario.variants)):
        own = _pools(raw.get("staff"), f"variants[{index}].staff", variant.model.pools(), 0.01, number, fail)
        variant.staff = scenario.staff | own
    return scenario


def _pools(mapping, key, pools, low, number, fail):
    mapping = mapping or {}
    if not isinstance(mapping, dict):
        fail(key, "erwartet eine Zuordnung Pool → Zahl")
    for pool in mapping:
        if pool not in pools:
            fail(f"{key}.{pool}", f"unbekannter Pool (bekannt: {', '.join(sorted(pools))})")
        number(mapping, pool, f"{key}.{pool}", float, low)
    return {str(k): float(v) for k, v in mapping.items()}


def _variant(raw, where, library, library_paths, base, kommunen, fail):
    if not isinstance(raw, dict):
        fail(where, "erwartet process: … oder file: …")
    for key in raw:
        if key not in VARIANT_KEYS:
            fail(f"{where}.{key}", f"unbekannter Schlüssel (erlaubt: {', '.join(sorted(VARIANT_KEYS))})")
    if "file" in raw:
        file = (base / str(raw["file"])).resolve()
        matches = [p for p in library.processes.values() if Path(p.file.path).resolve() == file and p.executable]
        if not matches:
            if not file.is_file():
                fail(f"{where}.file", f"Datei '{raw['file']}' nicht gefunden")
            try:
                library = read_library([*library_paths, str(file)])
            except ModelError as exc:
                fail(f"{where}.file", exc.message)
            matches = [p for p in library.processes.values() if Path(p.file.path).resolve() == file and p.executable]
        if not matches:
            fail(f"{where}.file", "enthält keinen ausführbaren Prozess")
        process_id = matches[0].process_id
    elif "process" in raw:
        process_id = str(raw["process"])
        if process_id not in library.processes:
            fail(f"{where}.process", f"unbekannter Prozess '{process_id}' (bekannt: {', '.join(sorted(library.processes))})")
    else:
        fail(where, "erwartet process: … oder file: …")
    info = library.processes[process_id]
    try:
        bundle = library.bundle(process_id)
        model = read_model(info.file.path, info.file.content, process_id)
    except ModelError as exc:
        fail(where, exc.message)
    _override(model, raw.get("properties") or {}, f"{where}.properties", fail)
    role = model.props.get("zsa:variant", "to-be")
    return Variant(process_id, model, info, bundle, _arrivals(raw, model, role, kommunen, where, fail), role)


def _override(model, properties, where, fail):
    """Scenario overrides of element properties: {element id: {zsa:duration: …}}."""
    from .model import _dist, _probability

    if not isinstance(properties, dict):
        fail(where, "erwartet eine Zuordnung Element → Eigenschaften")
    flows = {f.id: f for flows in model.gateways.values() for f in flows}
    for element_id, props in properties.items():
        key = f"{where}.{element_id}"
        element = model.elements.get(element_id)
        if element is None and element_id not in flows:
            fail(key, f"unbekanntes Element in {model.process_id}")
        if not isinstance(props, dict):
            fail(key, "erwartet eine Zuordnung Eigenschaft → Wert")
        for name, value in props.items():
            if name not in KNOWN or name not in OVERRIDABLE:
                fail(f"{key}.{name}", f"unbekannte Eigenschaft (erlaubt: {', '.join(sorted(OVERRIDABLE))})")
            try:
                if element_id in flows:
                    if name != "zsa:probability":
                        fail(f"{key}.{name}", "an Sequenzflüssen ist nur zsa:probability erlaubt")
                    flows[element_id].probability = _probability(model.path, element_id, str(value))
                elif name in ("zsa:duration", "zsa:wait"):
                    setattr(element, name[4:], _dist(model.path, element_id, name, {name: str(value)}))
                elif name == "zsa:resource":
                    element.pool = str(value)
                else:
                    setattr(element, name[4:].replace("-", "_"), str(value).lower() == "true")
            except ModelError as exc:
                fail(f"{key}.{name}", exc.message.split(": ")[-1])


def _arrivals(raw, model, role, kommunen, where, fail):
    value = raw.get("arrivals")
    count = raw.get("kommunen", kommunen if role == "to-be" else None)  # an as-is variant is one Gemeinde
    if isinstance(value, dict):
        arrivals = {}
        for kommune, per_year in value.items():
            if isinstance(per_year, bool) or not isinstance(per_year, (int, float)) or per_year < 0:
                fail(f"{where}.arrivals.{kommune}", f"erwartet Fälle je Jahr (Zahl ≥ 0), nicht {per_year!r}")
            arrivals[str(kommune)] = float(per_year)
    elif value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        per_year = float(value) if value is not None else model.arrivals
        arrivals = {model.kommune or "Gemeinde 001": per_year}
    else:
        fail(f"{where}.arrivals", "erwartet eine Zahl oder eine Zuordnung Gemeinde → Fälle je Jahr")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int) or count < len(arrivals):
            fail(f"{where}.kommunen", f"erwartet eine ganze Zahl ≥ {len(arrivals)} (Gemeinden mit Ankünften)")
        for n in range(1, count + 1):
            if len(arrivals) >= count:
                break
            arrivals.setdefault(f"Gemeinde {n:03d}", model.arrivals)
    return arrivals


def _working_hours(text, fail):
    try:
        opens, closes = (float(p.split(":")[0]) + float(p.split(":")[1]) / 60 for p in str(text).split("-"))
    except (ValueError, IndexError):
        fail("working_hours", f"'{text}' ist keine Zeitspanne wie 08:00-16:00")
    if not 0 <= opens < closes <= 24:
        fail("working_hours", f"'{text}': Beginn muss vor dem Ende liegen")
    return (opens, closes)


def _base_dir(path):
    here = Path(path).resolve().parent
    for candidate in (here, *here.parents):
        if (candidate / "processes").is_dir():
            return candidate
    return Path.cwd()
