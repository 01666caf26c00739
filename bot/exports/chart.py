"""PNG chart of task progress per organisation."""

from __future__ import annotations

import textwrap
from io import BytesIO
from typing import TYPE_CHECKING

from bot.domain.reports import OrgProgress, Report
from bot.texts.formatting import plural

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_ORGS = 40
MAX_LABEL = 56
LABEL_LINE = 34
DPI = 120
WIDTH_INCHES = 11.0
MIN_HEIGHT = 4.0
# Inches per bar, with one-line and two-line labels; above the bars up to three title lines,
# below them the axis and the legend.
ROW = 0.32
ROW_WRAPPED = 0.44
TOP = 1.0
BOTTOM = 1.0
LEGEND_COLUMNS = 3
SEGMENTS = (
    ("выполнено", "#2e7d32"),
    ("снято без полного выполнения", "#8d6e63"),
    ("на проверке", "#1976d2"),
    ("в работе", "#bdbdbd"),
    ("просрочено", "#d32f2f"),
)
SUBTOTAL_LABEL = "Итого: {name}"


def build_chart(report: Report) -> bytes:
    """Return a PNG with stacked bars per organisation, the most overdue on top.

    A region's chart groups the bars by municipality, each under its subtotal bar.
    """
    return _png(chart_figure(report))


def chart_figure(report: Report) -> Figure:
    """The chart as a figure: legend in rows under the bars, height by the number of bars."""
    # Matplotlib is loaded by the first chart, not by the bot's start.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bars = chart_bars(report)
    labels = [_label(org, subtotal) for org, subtotal in bars]
    row = ROW_WRAPPED if any("\n" in label for label in labels) else ROW
    title = _title(report, sum(1 for _, subtotal in bars if not subtotal))
    height = max(MIN_HEIGHT, TOP + BOTTOM + row * len(bars))
    # A bare Figure, not pyplot: no global state, so this may run in a worker thread.
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(title, fontsize=12)
    axes = figure.add_subplot()
    if not bars:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Нет данных", ha="center", va="center", fontsize=14)
        return figure
    positions = range(len(bars))
    left = [0] * len(bars)
    columns = zip(*(segment_values(org) for org, _ in bars), strict=True)
    for (name, colour), values in zip(SEGMENTS, columns, strict=True):
        axes.barh(positions, values, left=left, color=colour, label=name, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for position, (org, _) in zip(positions, bars, strict=True):
        axes.annotate(
            f"{org.done}/{org.total}",
            (org.total, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_yticks(list(positions), labels)
    for tick, (_, subtotal) in zip(axes.get_yticklabels(), bars, strict=True):
        tick.set_fontsize(9)
        if subtotal:
            tick.set_fontweight("bold")
    axes.invert_yaxis()
    axes.set_xlabel("Задачи")
    axes.margins(x=0.08, y=0.01)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    # Under the plot and in rows: five entries in one row are wider than the figure.
    handles, names = axes.get_legend_handles_labels()
    # Matplotlib fills a legend column by column; this order reads left to right by rows.
    order = sorted(range(len(names)), key=lambda i: (i % LEGEND_COLUMNS, i))
    figure.legend(
        [handles[i] for i in order],
        [names[i] for i in order],
        loc="outside lower center",
        ncols=LEGEND_COLUMNS,
        frameon=False,
        fontsize=9,
    )
    return figure


def segment_values(org: OrgProgress) -> tuple[int, int, int, int, int]:
    """Done, closed undone, on review, in work on time, in work overdue: they sum to the total.

    ``overdue`` also counts tasks on review past their date; these are drawn as on review.
    """
    in_time = org.open - org.open_overdue
    return (org.done, org.closed, org.on_review, in_time, org.open_overdue)


def chart_bars(report: Report) -> list[tuple[OrgProgress, bool]]:
    """The bars top to bottom, each with whether it is a municipal subtotal."""
    # Beyond MAX_ORGS bars the labels are unreadable; an officer needs the laggards first.
    ranked = sorted(report.orgs, key=_worst_first)
    if not report.municipalities:
        return [(org, False) for org in ranked[:MAX_ORGS]]
    groups = sorted(report.municipalities, key=_worst_first)[:MAX_ORGS]
    kept = {org.org_id for org in ranked[: MAX_ORGS - len(groups)]}
    chosen = [org for org in ranked if org.org_id in kept]
    bars = [(org, False) for org in chosen if org.municipality_id is None]
    for group in groups:
        bars.append((group, True))
        bars += [(org, False) for org in chosen if org.municipality_id == group.org_id]
    return bars


def _worst_first(org: OrgProgress) -> tuple[int, int, int, str]:
    return (-org.overdue, -org.open, -org.total, org.name)


def _title(report: Report, shown: int) -> str:
    title = _plain(f"{report.title}\n{report.scope}" if report.scope else report.title)
    if shown < len(report.orgs):
        total = plural(len(report.orgs), "организации", "организаций", "организаций")
        title += f"\nпоказаны {shown} из {total} с наибольшей просрочкой"
    return title


def _label(org: OrgProgress, subtotal: bool) -> str:
    """The bar's name, cut to MAX_LABEL and wrapped into at most two lines."""
    name = " ".join(org.name.split())
    if subtotal:
        name = SUBTOTAL_LABEL.format(name=name)
    if len(name) > MAX_LABEL:
        # Long official names differ at the end («… № 17»), so cut from the middle.
        tail = MAX_LABEL // 3
        name = name[: MAX_LABEL - tail - 1].rstrip() + "…" + name[-tail:].lstrip()
    lines = textwrap.wrap(name, LABEL_LINE, break_on_hyphens=False)
    if len(lines) > 2:
        lines = textwrap.wrap(name, LABEL_LINE, max_lines=2, placeholder="…")
    return _plain("\n".join(lines))


def _plain(text: str) -> str:
    # Matplotlib reads text between dollar signs as math and fails on what it cannot parse.
    return text.replace("$", r"\$")


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
