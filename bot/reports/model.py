"""Plain data a report is built from; the database layer fills it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class TaskState(StrEnum):
    OPEN = "open"
    ON_REVIEW = "on_review"
    DONE = "done"
    RETURNED = "returned"


STATE_TITLES: dict[TaskState, str] = {
    TaskState.OPEN: "В работе",
    TaskState.ON_REVIEW: "На проверке",
    TaskState.DONE: "Выполнено",
    TaskState.RETURNED: "Возвращено на доработку",
}


@dataclass(frozen=True)
class OrgProgress:
    """Counts for one organisation.

    ``total = done + on_review + open`` (``open`` includes returned tasks); ``overdue`` counts
    the not-done tasks whose due date has passed; ``due`` counts tasks whose due date has come,
    and ``done_on_time`` those of them that were done by it.
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

    @property
    def discipline(self) -> float | None:
        """Share of due tasks done on time, in percent; None when nothing is due yet."""
        if self.due == 0:
            return None
        return self.done_on_time / self.due * 100


@dataclass(frozen=True)
class TaskLine:
    """One task of one organisation; ``evidence`` is a short summary like «2 файла, 1 ссылка»."""

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

    @property
    def is_overdue(self) -> bool:
        return self.state is not TaskState.DONE and self.overdue_days > 0


@dataclass(frozen=True)
class Report:
    """A report; ``generated_at`` is aware and in the zone the reader sees times in."""

    title: str
    generated_at: datetime
    scope: str
    orgs: list[OrgProgress]
    tasks: list[TaskLine]

    @property
    def overdue(self) -> list[TaskLine]:
        """Overdue tasks, most overdue first."""
        late = [task for task in self.tasks if task.is_overdue]
        return sorted(late, key=lambda t: (-t.overdue_days, t.org, t.plan, t.number))

    @property
    def totals(self) -> OrgProgress:
        """The sum over all organisations, as a row named «Итого»."""
        return OrgProgress(
            org_id=0,
            name="Итого",
            parent=None,
            total=sum(o.total for o in self.orgs),
            done=sum(o.done for o in self.orgs),
            on_review=sum(o.on_review for o in self.orgs),
            open=sum(o.open for o in self.orgs),
            overdue=sum(o.overdue for o in self.orgs),
            due=sum(o.due for o in self.orgs),
            done_on_time=sum(o.done_on_time for o in self.orgs),
        )
