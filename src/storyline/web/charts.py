"""Small SVG charts drawn on the server, so the pages need no script to show them.

Everything is positioned with SVG attributes, never ``style=``: the pages'
Content-Security-Policy forbids inline styles, and colours come from the
stylesheet through class names. Every label is escaped here, since the
result is inserted into the page as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["Mark", "Row", "bar_chart", "gantt", "time_axis"]

_WIDTH = 640
_PAD = 24


@dataclass(frozen=True, slots=True)
class Mark:
    """A point or a span on a time axis, with the list entry it stands for."""

    start: date
    end: date
    label: str
    href: str
    kind: str = ""
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """One bar of a Gantt chart: a story from its first to its last article."""

    start: date
    end: date
    label: str
    href: str
    lang: str = ""


class _Scale:
    def __init__(self, first: date, last: date, left: float, right: float) -> None:
        # One day of margin on each side keeps marks at the ends off the frame.
        self.first = first - timedelta(days=1)
        self.days = max((last - first).days + 2, 2)
        self.left, self.right = left, right

    def x(self, day: date) -> float:
        return round(self.left + (day - self.first).days / self.days * (self.right - self.left), 1)

    def day_width(self) -> float:
        return (self.right - self.left) / self.days


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Readable dates to label: days for a few weeks, months for longer, years beyond two."""
    span = (last - first).days
    if span <= 45:
        step = max(1, -(-span // 7))
        days = [first + timedelta(days=i) for i in range(0, span + 1, step)]
        return [(d, d.strftime("%b %d").replace(" 0", " ")) for d in days]
    months = []
    d = date(first.year, first.month, 1)
    while d <= last:
        if d >= first:
            months.append(d)
        d = date(d.year + d.month // 12, d.month % 12 + 1, 1)
    if span > 730:
        return [(d, str(d.year)) for d in months if d.month == 1]
    every = max(1, -(-len(months) // 8))
    return [
        (d, d.strftime("%b %Y" if d.month == 1 or i == 0 else "%b")) for i, d in enumerate(months[::every])
    ]


def _axis(scale: _Scale, first: date, last: date, y: float, top: float) -> list[str]:
    out = [f'<line class="axis" x1="{scale.left}" y1="{y}" x2="{scale.right}" y2="{y}"/>']
    for day, text in _ticks(first, last):
        x = scale.x(day)
        out.append(f'<line class="grid" x1="{x}" y1="{top}" x2="{x}" y2="{y + 4}"/>')
        out.append(f'<text class="tick" x="{x}" y="{y + 16}" text-anchor="middle">{escape(text)}</text>')
    return out


def _svg(height: float, label: str, parts: list[str], css: str) -> Markup:
    return Markup(
        f'<svg class="chart {css}" viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{escape(label)}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{"".join(parts)}</svg>'
    )


def bar_chart(counts: Mapping[str, int], label: str, height: int = 90) -> Markup:
    """Counts by ISO day as bars, one per day, or per week when the days span more than ten weeks."""
    days = sorted((date.fromisoformat(k[:10]), n) for k, n in counts.items() if n)
    if not days:
        return Markup("")
    first, last = days[0][0], days[-1][0]
    weekly = (last - first).days > 70
    buckets: dict[date, int] = {}
    for day, n in days:
        key = day - timedelta(days=day.weekday()) if weekly else day
        buckets[key] = buckets.get(key, 0) + n
    if weekly:
        first = min(buckets)
    scale = _Scale(first, last, _PAD, _WIDTH - _PAD)
    base = height - 22
    top = max(buckets.values())
    width = max(2.0, scale.day_width() * (7 if weekly else 1) - 1)
    parts = _axis(scale, first, last, base, 4)
    for day, n in sorted(buckets.items()):
        h = max(2.0, round(n / top * (base - 10), 1))
        x = round(scale.x(day) - (0 if weekly else width / 2), 1)
        what = f"{'week of ' if weekly else ''}{day.isoformat()}: {n}"
        parts.append(
            f'<rect class="bar" x="{x}" y="{round(base - h, 1)}" width="{round(width, 1)}" height="{h}">'
            f"<title>{escape(what)}</title></rect>"
        )
    parts.append(f'<text class="tick" x="{_PAD}" y="10">{top}</text>')
    return _svg(height, label, parts, "bars")


def time_axis(marks: Sequence[Mark], label: str) -> Markup:
    """Dated entries on one axis: a dot for a day, a bar for a span; marks that would touch go to
    the next lane up. Each mark links to its entry in the list beside the chart."""
    if not marks:
        return Markup("")
    first = min(m.start for m in marks)
    last = max(m.end for m in marks)
    scale = _Scale(first, last, _PAD, _WIDTH - _PAD)
    lanes: list[float] = []  # the right edge of the last mark in each lane
    placed = []
    for m in sorted(marks, key=lambda m: (m.start, m.end)):
        x0, x1 = scale.x(m.start), max(scale.x(m.end + timedelta(days=1)), scale.x(m.start) + 8)
        lane = next((i for i, right in enumerate(lanes) if right + 6 < x0), len(lanes))
        if lane == len(lanes):
            lanes.append(x1)
        lanes[lane] = x1
        placed.append((m, x0, x1, lane))
    lane_h = 16
    base = 12 + len(lanes) * lane_h + 6
    parts = _axis(scale, first, last, base, 4)
    for m, x0, x1, lane in placed:
        y = base - 12 - lane * lane_h
        title = f"{m.start.isoformat()}{' – ' + m.end.isoformat() if m.end != m.start else ''}: {m.label}"
        shape = (
            f'<circle cx="{round((x0 + x1) / 2, 1)}" cy="{y}" r="5"/>'
            if m.end == m.start
            else f'<rect x="{x0}" y="{y - 4}" width="{round(x1 - x0, 1)}" height="8" rx="3"/>'
        )
        number = (
            f'<text class="num" x="{round(x1 + 3, 1)}" y="{y + 4}">{m.number}</text>'
            if m.number is not None
            else ""
        )
        parts.append(
            f'<a href="{escape(m.href)}" class="mark {escape(m.kind)}">'
            f"<title>{escape(title)}</title>{shape}{number}</a>"
        )
    return _svg(base + 22, label, parts, "axis-chart")


def gantt(rows: Sequence[Row], label: str) -> Markup:
    """One row per item from its start to its end, titled, in the order given."""
    if not rows:
        return Markup("")
    first = min(r.start for r in rows)
    last = max(r.end for r in rows)
    scale = _Scale(first, last, _PAD, _WIDTH - _PAD)
    row_h = 22
    base = len(rows) * row_h + 8
    parts = _axis(scale, first, last, base, 0)
    for i, r in enumerate(rows):
        y = 6 + i * row_h
        x0 = scale.x(r.start)
        x1 = max(scale.x(r.end + timedelta(days=1)), x0 + 4)
        # The title goes on the side with more room, so that it stays inside the frame.
        right = _WIDTH - x1 > x0
        tx, anchor = (x1 + 4, "start") if right else (x0 - 4, "end")
        text = r.label if len(r.label) <= 48 else r.label[:47] + "…"
        lang = f' lang="{escape(r.lang)}"' if r.lang else ""
        parts.append(
            f'<a href="{escape(r.href)}" class="row"><title>{escape(r.label)}</title>'
            f'<rect x="{x0}" y="{y}" width="{round(x1 - x0, 1)}" height="12" rx="3"/>'
            f'<text x="{round(tx, 1)}" y="{y + 10}" text-anchor="{anchor}"{lang}>{escape(text)}</text></a>'
        )
    return _svg(base + 22, label, parts, "gantt")
