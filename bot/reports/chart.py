"""PNG chart of task progress per organisation."""

from __future__ import annotations

from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.formatting import plural
from bot.reports.model import OrgProgress, Report

MAX_ORGS = 40
MAX_LABEL = 45
DPI = 120
WIDTH_INCHES = 11.0
SEGMENTS = (
    ("выполнено", "#2e7d32"),
    ("на проверке", "#1976d2"),
    ("в работе", "#bdbdbd"),
    ("просрочено", "#d32f2f"),
)


def build_chart(report: Report) -> bytes:
    """Return a PNG with stacked bars per organisation, the most overdue on top."""
    shown = _pick(report.orgs)
    height = max(4.0, 1.8 + 0.32 * len(shown))
    # A bare Figure, not pyplot: no global state, so this may run in a worker thread.
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(_title(report, len(shown)), fontsize=12)
    axes = figure.add_subplot()
    if not shown:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Нет данных", ha="center", va="center", fontsize=14)
        return _png(figure)
    labels = [_label(org) for org in shown]
    positions = range(len(shown))
    left = [0] * len(shown)
    for (name, colour), values in zip(SEGMENTS, _segments(shown), strict=True):
        axes.barh(positions, values, left=left, color=colour, label=name, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for position, org in zip(positions, shown, strict=True):
        axes.annotate(
            f"{org.done}/{org.total}",
            (org.total, position),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_yticks(list(positions), labels, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel("Задачи")
    axes.margins(x=0.08, y=0.01)
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=len(SEGMENTS), frameon=False)
    return _png(figure)


def _pick(orgs: list[OrgProgress]) -> list[OrgProgress]:
    # Beyond MAX_ORGS bars the labels are unreadable; an officer needs the laggards first.
    ranked = sorted(orgs, key=lambda o: (-o.overdue, -o.open, -o.total, o.name))
    return ranked[:MAX_ORGS]


def _segments(orgs: list[OrgProgress]) -> list[list[int]]:
    # Overdue tasks are a part of the open ones; draw them apart so the bar sums to the total.
    overdue = [min(o.overdue, o.open) for o in orgs]
    in_work = [o.open - late for o, late in zip(orgs, overdue, strict=True)]
    return [[o.done for o in orgs], [o.on_review for o in orgs], in_work, overdue]


def _title(report: Report, shown: int) -> str:
    title = _plain(f"{report.title}\n{report.scope}" if report.scope else report.title)
    if shown < len(report.orgs):
        total = plural(len(report.orgs), "организации", "организаций", "организаций")
        title += f"\nпоказаны {shown} из {total} с наибольшей просрочкой"
    return title


def _label(org: OrgProgress) -> str:
    name = " ".join(org.name.split())
    if len(name) > MAX_LABEL:
        # Long official names differ at the end («… № 17»), so cut from the middle.
        tail = MAX_LABEL // 3
        name = name[: MAX_LABEL - tail - 1].rstrip() + "…" + name[-tail:].lstrip()
    return _plain(name)


def _plain(text: str) -> str:
    # Matplotlib reads text between dollar signs as math and fails on what it cannot parse.
    return text.replace("$", r"\$")


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
