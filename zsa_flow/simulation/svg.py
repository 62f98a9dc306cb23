"""Small inline SVG charts for the simulation report: no external assets, no JavaScript. Every text is
escaped (markupsafe); numbers are German ("38,5 %", "1.234"). Each function returns Markup."""
from markupsafe import Markup, escape

COLOURS = ("#1f5f8b", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#2c7a7b", "#4a5568")
FONT = 'font-family="sans-serif" font-size="12"'


def num(value, digits=1, suffix=""):
    """German number: 1.234,5"""
    if value is None:
        return "–"
    if round(value, digits) == 0:
        value = 0.0  # no "-0,0"
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text + suffix


def pct(value, digits=1):
    return "–" if value is None else num(value * 100, digits, " %")


def _svg(width, height, body, title):
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" {FONT}><title>{escape(title)}</title>{"".join(body)}</svg>')


def short(text, limit=44):
    """A label that fits the chart's left margin (the full text stays in the tables)."""
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _text(x, y, text, anchor="start", extra=""):
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {extra}>{escape(text)}</text>'


def _scale(high):
    """A round upper axis limit ≥ high."""
    if not high or high <= 0:
        return 1.0
    step = 10 ** len(str(int(high))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= high:
            return step * factor
    return step * 10


def box_plot(rows, unit, title):
    """rows: [(label, [p5, p25, p50, p75, p95], mean)] as horizontal box plots."""
    left, width, row_h = 300, 420, 34
    high = _scale(max((q[-1] or 0 for _l, q, _m in rows), default=1))
    x = lambda v: left + width * (v or 0) / high  # noqa: E731
    body = []
    for i, (label, q, mean) in enumerate(rows):
        y = 20 + i * row_h
        colour = COLOURS[i % len(COLOURS)]
        body.append(_text(left - 8, y + 15, short(label), "end"))
        if None in q:
            continue
        body.append(f'<line x1="{x(q[0]):.1f}" x2="{x(q[4]):.1f}" y1="{y + 11}" y2="{y + 11}" stroke="#555"/>')
        body.append(f'<rect x="{x(q[1]):.1f}" y="{y}" width="{max(x(q[3]) - x(q[1]), 1):.1f}" height="22" '
                    f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"/>')
        body.append(f'<line x1="{x(q[2]):.1f}" x2="{x(q[2]):.1f}" y1="{y}" y2="{y + 22}" stroke="{colour}" stroke-width="3"/>')
        if mean is not None:
            body.append(f'<circle cx="{x(mean):.1f}" cy="{y + 11}" r="4" fill="#fff" stroke="#000"/>')
    axis_y = 20 + len(rows) * row_h
    body.append(_axis(left, width, axis_y, high, unit))
    return _svg(left + width + 40, axis_y + 40, body, title)


def _axis(left, width, y, high, unit):
    parts = [f'<line x1="{left}" x2="{left + width}" y1="{y}" y2="{y}" stroke="#333"/>']
    for i in range(5):
        value = high * i / 4
        xx = left + width * i / 4
        parts.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{y}" y2="{y + 4}" stroke="#333"/>')
        parts.append(_text(xx, y + 17, num(value, 0 if float(high / 4).is_integer() else 1), "middle"))
    parts.append(_text(left + width, y + 32, unit, "end"))
    return "".join(parts)


def bars(rows, title, limit=1.0, percent=True, marker=None):
    """rows: [(label, value)] as horizontal bars from 0 to `limit`; `marker`: a vertical target line."""
    left, width, row_h = 300, 380, 26
    high = limit if percent else _scale(max((v or 0 for _l, v in rows), default=1))
    body = []
    for i, (label, value) in enumerate(rows):
        y = 12 + i * row_h
        body.append(_text(left - 8, y + 14, short(label), "end"))
        w = width * min(max(value or 0, 0), high) / high
        body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="18" fill="{COLOURS[i % len(COLOURS)]}"/>')
        body.append(_text(left + w + 5, y + 14, pct(value) if percent else num(value)))
    bottom = 12 + len(rows) * row_h
    if marker is not None:
        mx = left + width * marker / high
        body.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="6" y2="{bottom}" stroke="#c53030" stroke-dasharray="4 3"/>')
    body.append(f'<line x1="{left}" x2="{left}" y1="6" y2="{bottom}" stroke="#333"/>')
    return _svg(left + width + 80, bottom + 10, body, title)


def lines(series, title, x_unit="Tag", y_unit="offene Fälle"):
    """series: [(label, [values per day])] as a line chart with a legend."""
    left, width, height, top = 60, 560, 200, 14
    length = max((len(v) for _l, v in series), default=0)
    high = _scale(max((max((x for x in v if x is not None), default=0) for _l, v in series), default=1))
    body = [f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + height}" stroke="#333"/>',
            f'<line x1="{left}" x2="{left + width}" y1="{top + height}" y2="{top + height}" stroke="#333"/>']
    for i in range(5):
        yy = top + height - height * i / 4
        body.append(_text(left - 6, yy + 4, num(high * i / 4, 0 if float(high / 4).is_integer() else 1), "end"))
    for i, (label, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(f"{left + width * d / max(length - 1, 1):.1f},{top + height - height * (v or 0) / high:.1f}"
                          for d, v in enumerate(values))
        if points:
            body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{points}"/>')
        ly = top + height + 36 + i * 16
        body.append(f'<rect x="{left}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>')
        body.append(_text(left + 18, ly, label))
    body.append(_text(left + width, top + height + 16, f"{x_unit} 1 … {num(length, 0)}", "end"))
    body.append(_text(left, top - 2, y_unit))
    return _svg(left + width + 20, top + height + 40 + 16 * len(series), body, title)


def waterfall(start_label, steps, end_label, title):
    """Start at 100 % (as-is), one bar per part (a reduction goes down), end at the to-be level."""
    left, width, height, top = 60, 520, 220, 16
    level = 1.0
    bars_ = [(start_label, 0.0, 1.0, "#4a5568")]
    for label, share in steps:
        share = share or 0.0
        bars_.append((label, level - share, level, "#2f855a" if share >= 0 else "#c53030"))
        level -= share
    bars_.append((end_label, 0.0, level, "#1f5f8b"))
    low = min(0.0, *(min(a, b) for _l, a, b, _c in bars_))
    high = max(1.0, *(max(a, b) for _l, a, b, _c in bars_))
    y = lambda v: top + height * (high - v) / (high - low)  # noqa: E731
    slot = width / len(bars_)
    body = [f'<line x1="{left}" x2="{left + width}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="#333"/>']
    for i, (label, a, b, colour) in enumerate(bars_):
        x0 = left + i * slot + slot * 0.15
        lo, hi = min(a, b), max(a, b)
        body.append(f'<rect x="{x0:.1f}" y="{y(hi):.1f}" width="{slot * 0.7:.1f}" height="{max(y(lo) - y(hi), 1):.1f}" '
                    f'fill="{colour}"/>')
        if i in (0, len(bars_) - 1):
            shown = pct(b)
        else:
            share = steps[i - 1][1] or 0.0
            shown = ("−" if share >= 0 else "+") + pct(abs(share))
        body.append(_text(x0 + slot * 0.35, y(hi) - 4, shown, "middle"))
        body.append(_text(x0 + slot * 0.35, top + height + 16, label, "middle"))
    return _svg(left + width + 20, top + height + 30, body, title)


def staffing(points, smallest, title, target):
    """Sweep: smallest staff per volume (bars) — unreachable volumes marked."""
    rows = [(f"{num(float(v), 2)} × Fälle", n) for v, n in smallest.items()]
    left, width, row_h = 160, 400, 26
    high = max([n for _l, n in rows if n] + [1])
    body = []
    for i, (label, n) in enumerate(rows):
        yy = 12 + i * row_h
        body.append(_text(left - 8, yy + 14, label, "end"))
        if n is None:
            body.append(_text(left + 4, yy + 14, f"Service-Level-Ziel {pct(target, 0)} im Bereich nicht erreichbar",
                              extra='fill="#c53030"'))
            continue
        w = width * n / high
        body.append(f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="18" fill="#1f5f8b"/>')
        body.append(_text(left + w + 5, yy + 14, f"{num(n, 0)} Personen"))
    bottom = 12 + len(rows) * row_h
    body.append(f'<line x1="{left}" x2="{left}" y1="6" y2="{bottom}" stroke="#333"/>')
    return _svg(left + width + 260, bottom + 10, body, title)
