"""Charts as inline SVG strings, written in Python: no JavaScript, no chart library.

Each chart has ``role="img"`` with a ``<title>`` and ``<desc>`` (what it shows, for screen
readers) and sits next to the table holding the same numbers, so nothing is only in the
picture. Coordinates are rounded to 0.1 px so the same data gives the same bytes.
Every piece of text is escaped: model names come from user configuration.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_INK = "#1f2328"
_MUTED = "#57606a"
_ACCENT = "#0b5cad"
_BAND = "#eef3f8"
_GRID = "#d0d7de"


@dataclass(frozen=True)
class IntervalRow:
    label: str
    value: float | None
    low: float | None
    high: float | None
    band: bool = False  # shade the row (alternate tie groups)
    highlight: bool = False


@dataclass(frozen=True)
class ParetoPoint:
    label: str
    cost: float  # cost per solved task, > 0
    rate: float  # pass rate, 0..1
    frontier: bool  # not dominated: nobody is both cheaper and better


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(width: int, height: int, title: str, desc: str, chart_id: str) -> list[str]:
    return [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]


def interval_chart(
    rows: Sequence[IntervalRow], *, title: str, desc: str, chart_id: str = "ci"
) -> Markup:
    """A dot per row at its rate and a whisker across its 95% interval, on 0-100%."""
    label_w, plot_w, row_h, top = 220, 360, 22, 26
    width = label_w + plot_w + 20
    height = top + row_h * max(len(rows), 1) + 8
    out = _open(width, height, title, desc, chart_id)

    def x(v: float) -> float:
        return label_w + plot_w * min(max(v, 0.0), 1.0)

    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        tx = _n(x(tick))
        out.append(f'<line x1="{tx}" y1="{top - 6}" x2="{tx}" y2="{height - 4}" stroke="{_GRID}"/>')
        out.append(
            f'<text x="{tx}" y="{top - 10}" font-size="11" text-anchor="middle" '
            f'fill="{_MUTED}">{tick * 100:.0f}%</text>'
        )
    for i, row in enumerate(rows):
        y = top + row_h * i + row_h / 2
        if row.band:
            out.append(
                f'<rect x="0" y="{_n(y - row_h / 2)}" width="{width}" height="{row_h}" '
                f'fill="{_BAND}"/>'
            )
        weight = ' font-weight="bold"' if row.highlight else ""
        out.append(
            f'<text x="{label_w - 8}" y="{_n(y + 4)}" font-size="12" text-anchor="end" '
            f'fill="{_INK}"{weight}>{escape(_clip(row.label, 34))}</text>'
        )
        if row.low is not None and row.high is not None:
            y_s = _n(y)
            out.append(
                f'<line x1="{_n(x(row.low))}" y1="{y_s}" x2="{_n(x(row.high))}" y2="{y_s}" '
                f'stroke="{_INK}" stroke-width="2"/>'
            )
            for end in (row.low, row.high):
                out.append(
                    f'<line x1="{_n(x(end))}" y1="{_n(y - 5)}" x2="{_n(x(end))}" '
                    f'y2="{_n(y + 5)}" stroke="{_INK}" stroke-width="2"/>'
                )
        if row.value is not None:
            out.append(f'<circle cx="{_n(x(row.value))}" cy="{_n(y)}" r="4.5" fill="{_ACCENT}"/>')
    out.append("</svg>")
    return Markup("".join(out))


def pareto_chart(
    points: Sequence[ParetoPoint], *, title: str, desc: str, chart_id: str = "pareto"
) -> Markup:
    """Pass rate (up) against cost per solved task (right, log scale); the frontier joined.

    A log scale because model prices span orders of magnitude: on a linear axis every
    cheap model would sit in one corner.
    """
    left, bottom, plot_w, plot_h, top = 56, 40, 440, 240, 14
    width, height = left + plot_w + 150, top + plot_h + bottom
    out = _open(width, height, title, desc, chart_id)
    costs = [p.cost for p in points if p.cost > 0]
    if costs:
        lo = math.floor(math.log10(min(costs)) * 2) / 2
        hi = math.ceil(math.log10(max(costs)) * 2) / 2
    else:
        lo, hi = -2.0, 0.0
    if hi - lo < 1:
        lo, hi = lo - 0.5, hi + 0.5

    def x(cost: float) -> float:
        return left + plot_w * (math.log10(cost) - lo) / (hi - lo)

    def y(rate: float) -> float:
        return top + plot_h * (1 - min(max(rate, 0.0), 1.0))

    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{_MUTED}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{_MUTED}"/>'
    )
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        ty = _n(y(tick))
        out.append(
            f'<line x1="{left}" y1="{ty}" x2="{left + plot_w}" y2="{ty}" stroke="{_GRID}"/>'
            f'<text x="{left - 6}" y="{_n(y(tick) + 4)}" font-size="11" text-anchor="end" '
            f'fill="{_MUTED}">{tick * 100:.0f}%</text>'
        )
    exponent = math.ceil(lo)
    while exponent <= hi:
        tx = _n(x(10.0**exponent))
        out.append(
            f'<line x1="{tx}" y1="{top}" x2="{tx}" y2="{top + plot_h}" stroke="{_GRID}"/>'
            f'<text x="{tx}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
            f'fill="{_MUTED}">${_tick_money(exponent)}</text>'
        )
        exponent += 1
    out.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" font-size="11" '
        f'text-anchor="middle" fill="{_MUTED}">cost per solved task (log scale)</text>'
    )
    frontier = sorted((p for p in points if p.frontier and p.cost > 0), key=lambda p: p.cost)
    if len(frontier) > 1:
        path = " ".join(f"{_n(x(p.cost))},{_n(y(p.rate))}" for p in frontier)
        out.append(f'<polyline points="{path}" fill="none" stroke="{_ACCENT}" stroke-width="1.5"/>')
    for p in sorted(points, key=lambda p: (p.cost, p.label)):
        if p.cost <= 0:
            continue
        px, py = x(p.cost), y(p.rate)
        fill = _ACCENT if p.frontier else "#ffffff"
        out.append(
            f'<circle cx="{_n(px)}" cy="{_n(py)}" r="5" fill="{fill}" stroke="{_ACCENT}" '
            f'stroke-width="1.5"/>'
            f'<text x="{_n(px + 8)}" y="{_n(py + 4)}" font-size="11" fill="{_INK}">'
            f"{escape(_clip(p.label, 28))}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def _tick_money(exponent: int) -> str:
    value = 10.0**exponent
    return f"{value:g}" if exponent < 0 else f"{value:,.0f}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
