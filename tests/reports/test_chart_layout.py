"""Chart layout: the legend and the names stay inside the picture at any size."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.reports import Report, sum_progress
from bot.exports.chart import LABEL_LINE, SEGMENTS, chart_figure
from tests.support.reports import MIXED, MSK, progress

LONG = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {}»"


def _region(schools: int) -> Report:
    rows = [MIXED] + [
        progress(i, LONG.format(i), 10, total=6, done=2, open=4, overdue=1, open_overdue=1)
        for i in range(20, 20 + schools)
    ]
    subtotal = sum_progress(rows, 10, "Ангарский городской округ")
    return Report(
        "Исполнение планов мероприятий",
        datetime(2024, 3, 19, tzinfo=MSK),
        "Министерство образования (демо)",
        rows,
        [],
        [subtotal],
    )


def _inside(figure, artist) -> bool:
    box, frame = artist.get_window_extent(), figure.bbox
    return frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1


@pytest.mark.parametrize("schools", [1, 12, 60])
def test_legend_and_names_fit_the_figure(schools):
    figure = chart_figure(_region(schools))
    figure.canvas.draw()
    (legend,) = figure.legends
    # Read in rows, top to bottom and left to right, the entries keep the bars' order.
    boxes = [(t.get_window_extent(), t.get_text()) for t in legend.get_texts()]
    reading = sorted(boxes, key=lambda item: (-round(item[0].y0), item[0].x0))
    assert [text for _, text in reading] == [name for name, _ in SEGMENTS]
    assert len({round(box.y0) for box, _ in boxes}) == 2
    assert _inside(figure, legend)
    (axes,) = figure.axes
    # The legend sits under the plot, not over the bars or the title.
    assert legend.get_window_extent().y1 <= axes.get_window_extent().y0
    for label in axes.get_yticklabels():
        assert _inside(figure, label), label.get_text()
        lines = label.get_text().split("\n")
        assert len(lines) <= 2 and all(len(line) <= LABEL_LINE for line in lines)


def test_long_names_keep_their_distinct_end_and_height_follows_the_bars():
    small, large = chart_figure(_region(3)), chart_figure(_region(30))
    labels = [t.get_text() for t in small.axes[0].get_yticklabels()]
    assert any(label.endswith("№ 21»") for label in labels)
    assert large.get_size_inches()[1] > small.get_size_inches()[1]
