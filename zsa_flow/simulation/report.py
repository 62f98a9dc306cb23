"""A minimal self-contained HTML summary of a simulation result (German), one table per section.
The full report with charts (issue 10, items 5–7) builds on the same result document."""
from html import escape


def _fmt(value, digits=1, suffix=""):
    if value is None:
        return "–"
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + suffix


def _pct(value):
    return "–" if value is None else _fmt(value * 100, 1, " %")


def render(result) -> str:
    s = result["scenario"]
    rows = []
    for pid, v in result["variants"].items():
        ci = v["cycle_time_hours"]["ci95"]
        rows.append(
            f"<tr><td>{escape(pid)}</td><td>{escape(v['variant'])}</td><td>{v['kommunen']}</td>"
            f"<td>{v['cases_completed']}</td><td>{_fmt(v['cycle_time_hours']['mean'] and v['cycle_time_hours']['mean'] / 24)}</td>"
            f"<td>{_fmt(ci[0] and ci[0] / 24)} – {_fmt(ci[1] and ci[1] / 24)}</td>"
            f"<td>{_fmt(v['cycle_time_hours']['p90'] and v['cycle_time_hours']['p90'] / 24)}</td>"
            f"<td>{_fmt(v['effort_minutes_per_case'])}</td><td>{_fmt(v['handovers_per_case'], 2)}</td>"
            f"<td>{_fmt(v['media_breaks_per_case'], 2)}</td><td>{_fmt(v['cost_per_case'], 2, ' €')}</td>"
            f"<td>{_pct(v['within_service_level'])}</td>"
            f"<td>{', '.join(f'{escape(p)}: {_pct(u)}' for p, u in v['utilisation'].items())}</td></tr>")
    comparison = ""
    c = result.get("comparison")
    if c:
        lines = []
        for pid, entry in [*c["as_is"].items(), ("Ist fallgewichtet", c["weighted_average"])]:
            cyc, eff = entry["cycle_time_hours"], entry["effort_minutes"]
            lines.append(
                f"<tr><td>{escape(pid)}</td><td>{_pct(cyc['reduction'])} ({_pct(cyc['ci95'][0])} – {_pct(cyc['ci95'][1])})"
                f"</td><td>{_pct(eff['reduction'])} ({_pct(eff['ci95'][0])} – {_pct(eff['ci95'][1])})</td></tr>")
        comparison = ("<h2>Soll gegen Ist</h2><table><tr><th>Ist-Variante</th><th>Durchlaufzeit kürzer (95-%-KI)</th>"
                      "<th>Aufwand je Fall geringer (95-%-KI)</th></tr>" + "".join(lines) + "</table>")
    return f"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Simulation: {escape(s['name'])}</title>
<style>body{{font-family:sans-serif;margin:2rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.3rem .5rem;text-align:left}}</style>
</head><body><h1>Simulation: {escape(s['name'])}</h1>
<p>{s['replications']} Replikationen, Messzeitraum {_fmt(s['period_days'], 0)} Tage nach {_fmt(s['warmup_days'], 0)} Tagen Einschwingzeit,
Kalender {escape(s['calendar'])}, Startwert {s['seed']}.</p>
<table><tr><th>Prozess</th><th>Variante</th><th>Gemeinden</th><th>Fälle</th><th>Durchlaufzeit Ø (Tage)</th><th>95-%-KI</th>
<th>90-%-Quantil (Tage)</th><th>Aufwand (min/Fall)</th><th>Übergaben/Fall</th><th>Medienbrüche/Fall</th><th>Kosten/Fall</th>
<th>im Service-Level</th><th>Auslastung</th></tr>{''.join(rows)}</table>{comparison}</body></html>
"""


def write_report(result, path):
    path.write_text(render(result), encoding="utf-8")
