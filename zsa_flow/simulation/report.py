"""The simulation report (German, for process owners): one self-contained HTML file with inline SVG
charts (svg.py), no external assets and no JavaScript — it is opened from disk or served as stored.
Everything comes from the result document (results.py, plus `structure`, `attribution`, `sweep`);
the template escapes every value (Jinja autoescape)."""
from jinja2 import Environment

from . import svg
from .report_template import TEMPLATE

ROLE = {"to-be": "Soll", "as-is": "Ist"}
FATE_CLASS = {"entfällt": "gone", "zusammengelegt": "merged", "automatisiert": "auto", "bleibt": "kept"}
PART_LABELS = {"process": "Prozess", "pooling": "Bündelung/Spezialisierung", "it": "IT"}
MEASURES = {"cycle_time_hours": "Durchlaufzeit", "effort_minutes": "Bearbeitungsaufwand je Fall"}

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_ENV.filters.update(num=svg.num, pct=svg.pct, days=lambda h, d=1: svg.num(None if h is None else h / 24, d))
_TEMPLATE = _ENV.from_string(TEMPLATE)


def _label(pid, v):
    return f"{v.get('name') or pid} ({ROLE.get(v['variant'], v['variant'])})"


def charts(result):
    variants = result["variants"]
    s = result["scenario"]
    rows = []
    for pid, v in variants.items():
        q = v["cycle_time_hours"].get("quantiles") or [None] * 19
        picks = [q[0], q[4], q[9], q[14], q[18]]
        rows.append((_label(pid, v), [None if x is None else x / 24 for x in picks],
                     None if v["cycle_time_hours"]["mean"] is None else v["cycle_time_hours"]["mean"] / 24))
    out = {
        "cycle": svg.box_plot(rows, "Tage", "Durchlaufzeit je Variante (5/25/50/75/95-%-Quantile, ○ Mittelwert)"),
        "service_level": svg.bars([(_label(pid, v), v["within_service_level"]) for pid, v in variants.items()],
                                  "Anteil der Fälle im Service-Level"),
        "utilisation": svg.bars([(f"{svg.short(v.get('name') or pid, 22)}: {pool}", u) for pid, v in variants.items()
                                 for pool, u in v["utilisation"].items()], "Auslastung je Pool"),
        "backlog": svg.lines([(_label(pid, v), v.get("backlog_daily_mean") or []) for pid, v in variants.items()],
                             f"Offene Fälle je Tag im Messzeitraum ({svg.num(s['period_days'], 0)} Tage)"),
    }
    attribution = result.get("attribution")
    if attribution:
        for measure, m in attribution["measures"].items():
            out[f"waterfall_{measure}"] = svg.waterfall(
                "Ist", [(PART_LABELS[p], m[p]["share"]) for p in ("process", "pooling", "it")], "Soll",
                f"Herkunft der Veränderung: {MEASURES[measure]} (Ist = 100 %)")
    sweep = result.get("sweep")
    if sweep:
        out["sweep"] = svg.staffing(sweep["points"], sweep["smallest_staff"],
                                    f"Kleinste Besetzung von {sweep['pool']} je Fallzahl", sweep["target"])
    return out


def render(result) -> str:
    comparison = result.get("comparison")
    comparison_rows = []
    if comparison:
        for pid, entry in comparison["as_is"].items():
            v = result["variants"][pid]
            comparison_rows.append((f"{v.get('name') or pid} (Gemeinde {entry['kommune']})", entry))
        comparison_rows.append(("Ist fallgewichtet (alle Ist-Varianten)", comparison["weighted_average"]))
    return _TEMPLATE.render(r=result, s=result["scenario"], charts=charts(result), role=ROLE,
                            comparison_rows=comparison_rows, structure=result.get("structure"),
                            fate_class=FATE_CLASS, part_labels=PART_LABELS, measures=MEASURES,
                            attribution=result.get("attribution"), sweep=result.get("sweep"))


def write_report(result, path):
    path.write_text(render(result), encoding="utf-8")
