"""Work lists of progress reporting: a coordinator's to-do list ("Mijn rapportages") and a
manager's period cockpit. Frozen rows in a fixed number of queries, whatever the size.

Rules used here and nowhere else in the read side: a project reports in a period when
`calendar.reports_on` says so; a completed, stopped or on-hold project without a report is
not "niet begonnen" (it is listed apart as finished); overdue means past the deadline and
not submitted or approved. It must never write or check permissions (callers do).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from programmes import calendar
from programmes.models import Programme, ProgressReport, Project, ReportingPeriod

NOT_STARTED = "not_started"
STATE_ORDER = (NOT_STARTED, "draft", "returned", "submitted", "approved")
STATE_LABELS = {NOT_STARTED: _("niet begonnen"), **dict(ProgressReport.State.choices)}
DONE_STATES = frozenset({ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED})


@dataclass(frozen=True)
class WorkItem:
    """One project in one period: its report if started, state, whether it is late and who
    is responsible (the project's coordinators)."""

    project: Project
    period: ReportingPeriod
    report: ProgressReport | None
    is_overdue: bool
    responsible: tuple[str, ...]

    @property
    def state(self) -> str:
        return self.report.state if self.report else NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_open(self) -> bool:
        return self.state not in DONE_STATES


@dataclass(frozen=True)
class WorkGroup:
    """The items of one programme in one period, in the source's project order."""

    programme: Programme
    period: ReportingPeriod
    items: tuple[WorkItem, ...]
    done: tuple[WorkItem, ...]

    @property
    def is_overdue(self) -> bool:
        return any(item.is_overdue for item in self.items)


@dataclass(frozen=True)
class ToDo:
    """A coordinator's to-do list: returned reports first (with the reason), then per
    programme and period by deadline."""

    returned: tuple[WorkItem, ...]
    groups: tuple[WorkGroup, ...]

    @property
    def open_count(self) -> int:
        return len(self.returned) + sum(len(group.items) for group in self.groups)

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.returned if item.is_overdue) + sum(
            1 for group in self.groups for item in group.items if item.is_overdue
        )


def _project_order(project: Project) -> tuple:
    pillar_order = project.pillar.order if project.pillar is not None else -1
    return (pillar_order, project.number if project.number is not None else 10**6, project.title)


def _person(user) -> str:
    return user.get_full_name() or user.username


def _items(
    projects: Sequence[Project], periods: Sequence[ReportingPeriod], today: datetime.date
) -> tuple[list[WorkItem], list[tuple[Project, ReportingPeriod]]]:
    """(items, finished projects without a report) for these projects and periods; one
    query for the reports."""
    reports = {
        (report.project_id, report.period_id): report
        for report in ProgressReport.objects.filter(
            project_id__in=[p.pk for p in projects], period_id__in=[p.pk for p in periods]
        ).only(
            "pk",
            "project_id",
            "period_id",
            "state",
            "reported_light",
            "return_reason",
            "unsubmitted_at_close",
            "version",
            "submitted_by_id",
        )
    }
    items: list[WorkItem] = []
    finished: list[tuple[Project, ReportingPeriod]] = []
    for period in periods:
        for project in projects:
            if project.programme_id != period.programme_id:
                continue
            if not calendar.reports_on(project, period.peildatum):
                continue
            report = reports.get((project.pk, period.pk))
            if report is None and not project.is_active:
                finished.append((project, period))
                continue
            done = report is not None and report.state in DONE_STATES
            items.append(
                WorkItem(
                    project=project,
                    period=period,
                    report=report,
                    is_overdue=bool(period.deadline and period.deadline < today and not done),
                    responsible=tuple(_person(u) for u in project.coordinators.all()),
                )
            )
    return items, finished


def coordinator_todo(*, user, today: datetime.date) -> ToDo:
    """The to-do list of a coordinator over the open periods that have begun. Four queries:
    projects, their coordinators, periods, reports."""
    if not user.is_authenticated:
        return ToDo(returned=(), groups=())
    projects = list(
        Project.objects.filter(coordinators=user)
        .select_related("programme__region", "pillar")
        .prefetch_related("coordinators")
    )
    periods = list(
        ReportingPeriod.objects.filter(
            programme_id__in={project.programme_id for project in projects},
            is_closed=False,
            peildatum__lte=today,
        ).select_related("programme")
    )
    items, _finished = _items(projects, periods, today)
    returned = sorted(
        (item for item in items if item.state == ProgressReport.State.RETURNED),
        key=lambda item: (item.period.deadline or datetime.date.max, _project_order(item.project)),
    )
    groups: dict[tuple[int, int], list[WorkItem]] = {}
    for item in items:
        groups.setdefault((item.project.programme_id, item.period.pk), []).append(item)
    built = []
    for (_programme_pk, _period_pk), group in groups.items():
        group.sort(key=lambda item: _project_order(item.project))
        work = WorkGroup(
            programme=group[0].project.programme,
            period=group[0].period,
            items=tuple(i for i in group if i.is_open and i.state != ProgressReport.State.RETURNED),
            done=tuple(i for i in group if not i.is_open),
        )
        if work.items or work.done:
            built.append(work)
    built.sort(
        key=lambda g: (g.period.deadline or datetime.date.max, g.programme.name, g.period.peildatum)
    )
    return ToDo(returned=tuple(returned), groups=tuple(built))


@dataclass(frozen=True)
class CockpitPeriod:
    """One period of a programme for its manager: counts per state, overdue, the rows and
    the finished projects that need no report."""

    period: ReportingPeriod
    items: tuple[WorkItem, ...]
    finished: tuple[Project, ...]

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(state, Dutch label, count) for every state, zeros included, in workflow order."""
        return [
            (state, str(STATE_LABELS[state]), sum(1 for i in self.items if i.state == state))
            for state in STATE_ORDER
        ]

    @property
    def open_items(self) -> tuple[WorkItem, ...]:
        return tuple(item for item in self.items if item.is_open)

    @property
    def remindable(self) -> tuple[WorkItem, ...]:
        """Open reports (not started, concept or returned): a manager can remind their
        coordinators."""
        return self.open_items

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.is_overdue)


def period_cockpit(
    *, programme: Programme, today: datetime.date, periods: Iterable[ReportingPeriod] | None = None
) -> list[CockpitPeriod]:
    """Every period of a programme (newest first), or the given ones. Four queries."""
    projects = sorted(
        programme.projects.select_related("pillar").prefetch_related("coordinators"),
        key=_project_order,
    )
    if periods is None:
        periods = programme.periods.select_related("closed_by").order_by("-peildatum")
    periods = list(periods)
    items, finished = _items(projects, periods, today)
    return [
        CockpitPeriod(
            period=period,
            items=tuple(i for i in items if i.period.pk == period.pk),
            finished=tuple(p for p, pe in finished if pe.pk == period.pk),
        )
        for period in periods
    ]
