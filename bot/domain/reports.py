"""Plain data a report is built from; the database layer fills it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class TaskState(StrEnum):
    OPEN = "open"
    ON_REVIEW = "on_review"
    DONE = "done"
    RETURNED = "returned"
    # Closed by an officer («снято с контроля») although the executor reported less than done.
    CLOSED_PARTIAL = "closed_partial"
    CLOSED_NOT_DONE = "closed_not_done"


class Outcome(StrEnum):
    """The result an executor reported in a confirmation."""

    DONE = "done"
    PARTIAL = "partial"
    NOT_DONE = "not_done"


STATE_TITLES: dict[TaskState, str] = {
    TaskState.OPEN: "В работе",
    TaskState.ON_REVIEW: "На проверке",
    TaskState.DONE: "Выполнено",
    TaskState.RETURNED: "Возвращено на доработку",
    TaskState.CLOSED_PARTIAL: "Снято с контроля: частично",
    TaskState.CLOSED_NOT_DONE: "Снято с контроля: не выполнено",
}
OUTCOME_TITLES: dict[Outcome, str] = {
    Outcome.DONE: "выполнено",
    Outcome.PARTIAL: "частично",
    Outcome.NOT_DONE: "не выполнено",
}
CLOSED_STATES = (TaskState.DONE, TaskState.CLOSED_PARTIAL, TaskState.CLOSED_NOT_DONE)


@dataclass(frozen=True)
class OrgProgress:
    """Counts for one organisation, or a subtotal over several.

    ``total = done + closed_partial + closed_not_done + on_review + open`` (``open`` includes
    returned tasks; ``done`` only the fully done ones). ``overdue`` counts the tasks still under
    control whose due date has passed, ``open_overdue`` those of them not on review. ``due``
    counts the tasks whose due date has come or which are closed, ``done_on_time`` those of
    them fully done by their date. ``municipality_id`` names the subtotal the row belongs to.
    """

    org_id: int
    name: str
    parent: str | None
    total: int
    done: int
    on_review: int
    open: int
    overdue: int
    due: int
    done_on_time: int
    open_overdue: int
    closed_partial: int = 0
    closed_not_done: int = 0
    municipality_id: int | None = None

    @property
    def closed(self) -> int:
        """Tasks taken off control without being fully done."""
        return self.closed_partial + self.closed_not_done

    @property
    def discipline(self) -> float | None:
        """Share of due tasks done on time, in percent; None when nothing is due yet."""
        if self.due == 0:
            return None
        return self.done_on_time / self.due * 100


def sum_progress(
    rows: list[OrgProgress], org_id: int, name: str, parent: str | None = None
) -> OrgProgress:
    """One row with the sums of ``rows``."""
    return OrgProgress(
        org_id=org_id,
        name=name,
        parent=parent,
        total=sum(o.total for o in rows),
        done=sum(o.done for o in rows),
        on_review=sum(o.on_review for o in rows),
        open=sum(o.open for o in rows),
        overdue=sum(o.overdue for o in rows),
        due=sum(o.due for o in rows),
        done_on_time=sum(o.done_on_time for o in rows),
        open_overdue=sum(o.open_overdue for o in rows),
        closed_partial=sum(o.closed_partial for o in rows),
        closed_not_done=sum(o.closed_not_done for o in rows),
    )


@dataclass(frozen=True)
class Attachment:
    """Evidence of a confirmation: a file (``kind`` document or photo) or a link."""

    kind: str
    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class TaskLine:
    """One task of one organisation; ``evidence`` is a short summary like «2 файла, 1 ссылка».

    ``result``, ``reason``, ``comment`` and ``attachments`` come from the latest confirmation
    while it is on review or accepted; ``done_at`` is when a closed task was reported.
    """

    org: str
    parent: str | None
    plan: str
    number: str
    measure: str
    deadline_text: str
    due: date | None
    state: TaskState
    overdue_days: int
    confirmed_at: datetime | None
    confirmed_by: str | None
    evidence: str
    result: Outcome | None = None
    reason: str | None = None
    comment: str | None = None
    attachments: tuple[Attachment, ...] = ()
    done_at: datetime | None = None

    @property
    def is_overdue(self) -> bool:
        return self.state not in CLOSED_STATES and self.overdue_days > 0


@dataclass(frozen=True)
class Report:
    """A report; ``generated_at`` is aware and in the zone the reader sees times in.

    ``municipalities`` holds a subtotal per municipality under the report's root: the
    office's own tasks plus those of its schools.
    """

    title: str
    generated_at: datetime
    scope: str
    orgs: list[OrgProgress]
    tasks: list[TaskLine]
    municipalities: list[OrgProgress] = field(default_factory=list)

    @property
    def overdue(self) -> list[TaskLine]:
        """Overdue tasks, most overdue first."""
        late = [task for task in self.tasks if task.is_overdue]
        return sorted(late, key=lambda t: (-t.overdue_days, t.org, t.plan, t.number))

    @property
    def totals(self) -> OrgProgress:
        """The sum over all organisations, as a row named «Итого»."""
        return sum_progress(self.orgs, 0, "Итого")

    def done_between(self, start: datetime, end: datetime) -> int:
        """Fully done tasks reported in ``[start, end)``."""
        return sum(
            1
            for t in self.tasks
            if t.state is TaskState.DONE and t.done_at is not None and start <= t.done_at < end
        )

    def due_between(self, first: date, last: date) -> int:
        """Tasks under control due from ``first`` to ``last`` inclusive."""
        return sum(
            1
            for t in self.tasks
            if t.state not in CLOSED_STATES and t.due is not None and first <= t.due <= last
        )
