"""The one read model of a programme and its projects: dashboard, PDFs and exports all use it.

`programme_overview(programme=..., period=...)`, `programme_overviews(programmes=[...])` and
`project_overview(project=..., period=...)` load everything with a fixed number of queries
(17 for one or several programmes, 13 for a project, whatever the number of projects or
periods) and return frozen dataclasses holding plain values only: no model instances, so a
template or a PDF cannot trigger a lazy query, and every output shows the same figures.

Typical use (a PDF or an export):

    overview = programme_overview(programme=programme, period=period)
    for group in overview.pillars:            # active projects, pillar by pillar
        for project in group.projects:        # ProjectStatus
            project.reported_light, project.computed_light, project.lights_differ
            for row in project.indicators:    # IndicatorRow: target, expected, actual, light
                ...
            project.budget                    # status.BudgetStatus or None
    overview.finished                         # completed, stopped, on hold: shown apart
    overview.targets, overview.positive_highlights, overview.adjusted_highlights

Every light, expected value, progress ratio and budget figure comes from
`programmes.status`; this module only selects the inputs for it. It must never compute a
light itself, check permissions (callers pass a programme the user may read, see
`programmes.selectors`) or write anything.

Choices made once, here:

- Which report counts: the period's report whatever its state. Its state is exposed
  (`ReportInfo.state`, `.state_label`, `.is_approved`) so that screens and PDFs can label
  figures that are not approved yet ("concept", "ingediend").
- Value at a period: the realisation entered in that period's report. The indicator light at
  a period uses that value; without one the light is grey ("geen gegevens").
- Realisation to date (programme targets, chart tables): for a cumulative indicator the
  latest value at or before the period (the stand carries forward when a project skipped a
  period); for a per-period indicator the sum of its values over the periods up to it.
- The streefwaarde at a period is the one in force at its peildatum: the newest revision
  made on or before it, otherwise the original (the first revision's previous value), so a
  later revision never silently changes an earlier light. Both are shown.
- The default period is the latest one with an approved report, so that a reader first sees
  figures a manager has approved; without approved reports the latest one with any report;
  without reports, the latest period; without periods, None (everything grey). Later
  periods stay one click away in the period filter.
- The matrix shows the periods up to and including the selected one, unless `periods` is
  given.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from programmes import status
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    BudgetPlan,
    FundingLine,
    Indicator,
    IndicatorValue,
    Pillar,
    PlannedValue,
    PlanningChange,
    Programme,
    ProgrammeTarget,
    ProgressReport,
    Project,
    ReportingPeriod,
    TargetRevision,
)
from programmes.status import BudgetStatus, BudgetYear, IndicatorStatus, Light, Thresholds

ZERO = Decimal("0")


# --- The data objects ------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodInfo:
    pk: int
    peildatum: datetime.date
    label: str  # "peildatum 1-7-2021"
    key: str  # "2021-H1"
    deadline: datetime.date | None
    is_closed: bool


@dataclass(frozen=True)
class ProgrammeInfo:
    pk: int
    slug: str
    name: str
    funder: str
    description: str
    start_date: datetime.date
    end_date: datetime.date
    source: str
    region_pk: int
    region_code: str
    region_name: str
    thresholds: Thresholds


@dataclass(frozen=True)
class RevisionInfo:
    """A revised streefwaarde: the original stays visible with the date and the reason."""

    previous_value: Decimal
    new_value: Decimal
    revised_on: datetime.date
    reason: str


@dataclass(frozen=True)
class IndicatorPoint:
    """One indicator at one peildatum (a row of the chart's table)."""

    period: PeriodInfo
    target: Decimal  # in force at this peildatum
    planned: Decimal | None
    expected: Decimal | None
    actual: Decimal | None  # the value entered for this period
    realised_to_date: Decimal | None
    light: Light


@dataclass(frozen=True)
class IndicatorRow:
    pk: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal  # in force at the selected peildatum
    current_target: Decimal  # the streefwaarde as it stands today
    original_target: Decimal  # before any revision
    revisions: tuple[RevisionInfo, ...]
    target_date: datetime.date | None
    is_cumulative: bool
    higher_is_better: bool
    programme_target_pk: int | None
    planned: Decimal | None
    expected: Decimal | None
    actual: Decimal | None
    realised_to_date: Decimal | None
    previous: Decimal | None  # the value entered for the previous period
    note: str
    status: IndicatorStatus
    history: tuple[IndicatorPoint, ...]

    @property
    def light(self) -> Light:
        return self.status.light

    @property
    def is_revised(self) -> bool:
        return bool(self.revisions)


@dataclass(frozen=True)
class ReportInfo:
    pk: int
    state: str
    state_label: str
    is_approved: bool
    summary: str
    reported_light: Light | None
    light_explanation: str
    light_cause: str
    light_consequences: str
    light_recovery: str
    highlight: str
    highlight_label: str
    highlight_text: str
    is_demo_data: bool
    source: str
    budget_note: str
    stated_cost_total: Decimal | None
    stated_income_total: Decimal | None
    stated_totals_note: str
    return_reason: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    updated_at: datetime.datetime | None


@dataclass(frozen=True)
class BudgetLineRow:
    year: int | None  # None for the totals row
    budget: Decimal | None
    spent: Decimal | None
    forecast: Decimal | None


@dataclass(frozen=True)
class PlanLineRow:
    """The cost of one calendar year as the project plan gives it (BudgetPlan)."""

    year: int
    amount: Decimal


@dataclass(frozen=True)
class FundingLineRow:
    source: str  # "Totaal" for the totals row
    budgeted: Decimal | None
    received: Decimal | None
    committed: Decimal | None
    to_request: Decimal | None
    note: str = ""


@dataclass(frozen=True)
class ActivityRow:
    year: int | None
    activity: str
    progress: str


@dataclass(frozen=True)
class PlanningChangeRow:
    year: int
    original_description: str
    changed_description: str


@dataclass(frozen=True)
class PeriodStatus:
    """A project at one peildatum: a cell of the matrix and a step of the narrative."""

    period: PeriodInfo
    report_pk: int | None
    state: str | None
    state_label: str
    summary: str
    reported_light: Light | None
    computed_light: Light
    lights_differ: bool


@dataclass(frozen=True)
class ProjectStatus:
    pk: int
    code: str
    number: int | None
    title: str
    status: str
    status_label: str
    is_active: bool
    start_date: datetime.date | None
    end_date: datetime.date | None
    pillar_pk: int | None
    pillar_name: str
    owner: str
    partners: tuple[str, ...]
    action: str
    intended_result: str
    achieved_result: str
    follow_up: str
    public_funds: str
    extra_info: str
    estimated_cost: Decimal | None  # for the whole duration, from the project plan
    plan_lines: tuple[PlanLineRow, ...]  # planned cost per year, from the project plan
    programme_pk: int
    programme_slug: str
    period: PeriodInfo | None
    report: ReportInfo | None
    indicators: tuple[IndicatorRow, ...]
    computed_light: Light
    reported_light: Light | None
    lights_differ: bool
    explanation_required: bool
    budget: BudgetStatus | None
    budget_lines: tuple[BudgetLineRow, ...]
    budget_total: status.CostTotals | None  # column sums, naming the lines they leave out
    funding_lines: tuple[FundingLineRow, ...]
    funding_total: status.FundingTotals | None
    activities: tuple[ActivityRow, ...]
    planning_changes: tuple[PlanningChangeRow, ...]
    history: tuple[PeriodStatus, ...]  # one per matrix period, oldest first

    @property
    def plan_total(self) -> Decimal | None:
        """The sum of the planned cost per year, or None without a plan per year."""
        return _sum(line.amount for line in self.plan_lines) if self.plan_lines else None

    @property
    def planned_cost(self) -> Decimal | None:
        """What the project plan says the project costs: the plan per year where there is
        one, else the estimated total."""
        return self.plan_total if self.plan_lines else self.estimated_cost

    @property
    def stated_cost(self) -> status.StatedTotal | None:
        """The report's stated total spending beside the computed one (realisation and
        forecast), with the difference."""
        return _stated(self.report, "stated_cost_total", self.budget_total, "expected")

    @property
    def stated_income(self) -> status.StatedTotal | None:
        """The report's stated total of the income table's "Begroot" column, with the
        difference from the computed one."""
        return _stated(self.report, "stated_income_total", self.funding_total, "budgeted")

    @property
    def shown_light(self) -> Light:
        """The reported light where there is one, else the computed one (for counts)."""
        return self.reported_light or self.computed_light


@dataclass(frozen=True)
class PillarGroup:
    pk: int | None  # None: projects without a pillar
    name: str
    order: int
    projects: tuple[ProjectStatus, ...]


@dataclass(frozen=True)
class TargetStatus:
    """A programme target with the realisation of the indicators that count towards it."""

    pk: int
    name: str
    unit: str
    target: Decimal
    original_target: Decimal
    revisions: tuple[RevisionInfo, ...]
    description: str
    realised: Decimal | None
    progress: Decimal | None  # ratio of the target, from status.target_progress
    indicator_count: int


@dataclass(frozen=True)
class Highlight:
    project_pk: int
    project_code: str
    project_title: str
    kind: str  # "positive" or "adjusted"
    text: str
    state: str
    state_label: str


@dataclass(frozen=True)
class ProgrammeOverview:
    programme: ProgrammeInfo
    period: PeriodInfo | None
    periods: tuple[PeriodInfo, ...]  # every period of the programme (for a period choice)
    matrix_periods: tuple[PeriodInfo, ...]  # the columns of the lights matrix
    pillars: tuple[PillarGroup, ...]  # active projects (planned, running), in pillar order
    finished: tuple[ProjectStatus, ...]  # completed, stopped, on hold
    targets: tuple[TargetStatus, ...]
    positive_highlights: tuple[Highlight, ...]
    adjusted_highlights: tuple[Highlight, ...]
    computed_counts: dict[Light, int] = field(hash=False)  # active projects
    reported_counts: dict[Light, int] = field(hash=False)  # active projects with a light
    unreported_count: int = 0  # active projects without a reported light
    budget: BudgetStatus | None = None  # all projects' year lines summed per year
    budget_years: tuple[BudgetLineRow, ...] = ()

    @property
    def budget_total(self) -> status.CostTotals | None:
        """The column totals of `budget_years` (each the sum of its column's cells)."""
        return status.cost_totals(_budget_years(self.budget_years)) if self.budget_years else None

    @property
    def projects(self) -> tuple[ProjectStatus, ...]:
        """Active projects in pillar order, then the finished ones."""
        return tuple(p for group in self.pillars for p in group.projects) + self.finished

    @property
    def active_projects(self) -> tuple[ProjectStatus, ...]:
        return tuple(p for group in self.pillars for p in group.projects)

    @property
    def unapproved_count(self) -> int:
        """Projects whose report for the period is not approved yet (concept, ingediend,
        teruggestuurd): screens and PDFs say so next to the figures."""
        return sum(1 for p in self.projects if p.report and not p.report.is_approved)

    @property
    def differing_count(self) -> int:
        return sum(1 for p in self.active_projects if p.lights_differ)

    @property
    def planned_cost(self) -> Decimal | None:
        """The planned cost of all projects according to their plans (finished ones too),
        or None when no project has a plan figure."""
        return _sum(p.planned_cost for p in self.projects)

    @property
    def planned_cost_count(self) -> int:
        """How many projects have a plan figure (the reader must know the sum is partial)."""
        return sum(1 for p in self.projects if p.planned_cost is not None)

    def project(self, pk: int) -> ProjectStatus | None:
        return next((p for p in self.projects if p.pk == pk), None)

    def filtered(
        self,
        *,
        pillar: int | None = None,
        light: Light | str | None = None,
        project_status: str | None = None,
    ) -> ProgrammeOverview:
        """The same overview showing only matching projects; counts and targets unchanged.

        `light` matches the computed or the reported light of the selected period.
        """

        def keep(project: ProjectStatus) -> bool:
            if pillar is not None and project.pillar_pk != pillar:
                return False
            if light and Light(light) not in (project.computed_light, project.reported_light):
                return False
            return not (project_status and project.status != project_status)

        groups = tuple(
            replace(group, projects=tuple(p for p in group.projects if keep(p)))
            for group in self.pillars
        )
        return replace(
            self,
            pillars=tuple(g for g in groups if g.projects),
            finished=tuple(p for p in self.finished if keep(p)),
        )


# --- Public entry points ---------------------------------------------------------------------


def thresholds_for(programme: Programme) -> Thresholds:
    return Thresholds(green=programme.green_threshold, amber=programme.amber_threshold)


def programme_overview(
    *,
    programme: Programme,
    period: ReportingPeriod | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
) -> ProgrammeOverview:
    """Everything the dashboard, the programme monitor PDF and the export show of a programme.

    `period` is the peildatum to show (default: the latest with a report); `periods` the
    columns of the lights matrix (default: every period up to the selected one).
    """
    if period is not None and period.programme_id != programme.pk:
        raise ValueError("The period belongs to another programme.")
    (overview,) = _build_overviews(
        [programme], chosen={programme.pk: period} if period else {}, matrix_periods=periods
    )
    return overview


def programme_overviews(
    *, programmes: Iterable[Programme], with_history: bool = True
) -> list[ProgrammeOverview]:
    """Several programmes, each at its default period, with the same fixed number of queries
    as one (the home page of a ministry reader shows every region).

    `with_history=False` leaves out the lights matrix (empty `matrix_periods` and project
    `history`): every figure of the selected period stays the same, at a tenth of the work
    for a programme with ten periods. The home page needs no matrix.
    """
    programmes = list(programmes)
    if not programmes:
        return []
    return _build_overviews(programmes, chosen={}, matrix_periods=None if with_history else ())


def project_overview(
    *,
    project: Project,
    period: ReportingPeriod | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
) -> ProjectStatus:
    """One project as the programme overview shows it, with its history for the charts.

    Built by the same code as `programme_overview`, so the project page, the project PDF and
    the programme dashboard show the same light for the same period. The default period is
    the latest with a report of this project.
    """
    programme = project.programme
    if period is not None and period.programme_id != programme.pk:
        raise ValueError("The period belongs to another programme.")
    periods_by_programme = _load_periods([programme.pk])
    latest = {} if period else _latest_reported(Q(project=project))
    context = _context(
        programme,
        periods_by_programme[programme.pk],
        chosen=period,
        latest=latest.get(programme.pk),
        matrix_periods=periods,
    )
    (result,) = _build_projects(Project.objects.filter(pk=project.pk), {programme.pk: context})
    return result


def programme_info(programme: Programme) -> ProgrammeInfo:
    """The programme's own fields as plain values (its region must be loaded)."""
    return ProgrammeInfo(
        pk=programme.pk,
        slug=programme.slug,
        name=programme.name,
        funder=programme.funder,
        description=programme.description,
        start_date=programme.start_date,
        end_date=programme.end_date,
        source=programme.source,
        region_pk=programme.region.pk,
        region_code=programme.region.code,
        region_name=programme.region.name,
        thresholds=thresholds_for(programme),
    )


def period_info(period: ReportingPeriod) -> PeriodInfo:
    return PeriodInfo(
        pk=period.pk,
        peildatum=period.peildatum,
        label=str(period.label),
        key=period.key,
        deadline=period.deadline,
        is_closed=period.is_closed,
    )


# --- Loading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What the building of one programme's projects needs besides the loaded rows."""

    programme_slug: str
    all_periods: tuple[PeriodInfo, ...]
    selected: PeriodInfo | None
    matrix: tuple[PeriodInfo, ...]
    thresholds: Thresholds
    programme_start: datetime.date
    programme_end: datetime.date


@dataclass(frozen=True, slots=True)
class _ReportRow:
    """The columns of a ProgressReport the overview shows; plain values, cheap to load."""

    pk: int
    project_id: int
    period_id: int
    state: str
    summary: str
    reported_light: str
    light_explanation: str
    light_cause: str
    light_consequences: str
    light_recovery: str
    highlight: str
    highlight_text: str
    is_demo_data: bool
    source: str
    budget_note: str
    stated_cost_total: Decimal | None
    stated_income_total: Decimal | None
    stated_totals_note: str
    return_reason: str
    submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    updated_at: datetime.datetime | None

    @property
    def is_approved(self) -> bool:
        return self.state == ProgressReport.State.APPROVED


_REPORT_FIELDS = [f.name for f in dataclasses.fields(_ReportRow)]


@dataclass(frozen=True)
class _Loaded:
    """Rows loaded once for every project being built, keyed for lookups."""

    partners: dict[int, tuple[str, ...]]  # project pk -> organisation names
    indicators: dict[int, list[Indicator]]  # project pk -> its indicators, in order
    revisions: dict[int, tuple[RevisionInfo, ...]]  # indicator pk -> oldest first
    reports: dict[tuple[int, int], _ReportRow]  # (project pk, period pk)
    values: dict[tuple[int, int], tuple[Decimal | None, str]]  # (indicator pk, period pk)
    planned: dict[tuple[int, int], Decimal]  # (indicator pk, period pk)
    plan_lines: dict[int, list[PlanLineRow]]  # project pk -> planned cost per year
    # Choice labels translated once per build: get_FOO_display per row is slow.
    state_labels: dict[str, str]
    highlight_labels: dict[str, str]
    status_labels: dict[str, str]


def _build_overviews(
    programmes: list[Programme],
    *,
    chosen: dict[int, ReportingPeriod],
    matrix_periods: Sequence[ReportingPeriod] | None,
) -> list[ProgrammeOverview]:
    """Queries: regions (only when not loaded yet), periods, latest reported period, the
    project queries of `_build_projects`, pillars, targets and their revisions."""
    if any("region" not in p._state.fields_cache for p in programmes):
        by_pk = Programme.objects.select_related("region").in_bulk([p.pk for p in programmes])
        programmes = [by_pk[p.pk] for p in programmes]
    ids = [p.pk for p in programmes]
    periods_by_programme = _load_periods(ids)
    missing = [pk for pk in ids if pk not in chosen]
    latest = _latest_reported(Q(period__programme_id__in=missing)) if missing else {}
    contexts = {
        p.pk: _context(
            p,
            periods_by_programme[p.pk],
            chosen=chosen.get(p.pk),
            latest=latest.get(p.pk),
            matrix_periods=matrix_periods,
        )
        for p in programmes
    }
    projects_by_programme: dict[int, list[ProjectStatus]] = defaultdict(list)
    for project in _build_projects(Project.objects.filter(programme_id__in=ids), contexts):
        projects_by_programme[project.programme_pk].append(project)
    pillars_by_programme: dict[int, list[Pillar]] = defaultdict(list)
    for pillar in Pillar.objects.filter(programme_id__in=ids).order_by("order", "name"):
        pillars_by_programme[pillar.programme_id].append(pillar)
    targets_by_programme: dict[int, list[ProgrammeTarget]] = defaultdict(list)
    for target in (
        ProgrammeTarget.objects.filter(programme_id__in=ids)
        .order_by("order", "name")
        .prefetch_related("revisions")
    ):
        targets_by_programme[target.programme_id].append(target)
    return [
        _programme(
            programme,
            contexts[programme.pk],
            projects_by_programme[programme.pk],
            pillars_by_programme[programme.pk],
            targets_by_programme[programme.pk],
        )
        for programme in programmes
    ]


def _load_periods(programme_ids: list[int]) -> dict[int, list[ReportingPeriod]]:
    periods: dict[int, list[ReportingPeriod]] = {pk: [] for pk in programme_ids}
    for period in ReportingPeriod.objects.filter(programme_id__in=programme_ids).order_by(
        "peildatum"
    ):
        periods[period.programme_id].append(period)
    return periods


def _latest_reported(condition: Q) -> dict[int, datetime.date]:
    """Per programme, the latest peildatum with an approved report matching `condition`, or
    without any approved one the latest with any report (one query)."""
    rows = (
        ProgressReport.objects.filter(condition)
        .values("period__programme_id")
        .annotate(
            latest_approved=Max("period__peildatum", filter=Q(state=ProgressReport.State.APPROVED)),
            latest=Max("period__peildatum"),
        )
        .values_list("period__programme_id", "latest_approved", "latest")
    )
    return {programme: approved or latest for programme, approved, latest in rows}


def _context(
    programme: Programme,
    periods: list[ReportingPeriod],
    *,
    chosen: ReportingPeriod | None,
    latest: datetime.date | None,
    matrix_periods: Sequence[ReportingPeriod] | None,
) -> _Context:
    all_periods = tuple(period_info(p) for p in periods)
    if chosen is not None:
        selected = period_info(chosen)
    elif all_periods:
        selected = next((p for p in all_periods if p.peildatum == latest), all_periods[-1])
    else:
        selected = None
    if matrix_periods is not None:
        matrix = tuple(period_info(p) for p in sorted(matrix_periods, key=lambda p: p.peildatum))
    elif selected is not None:
        matrix = tuple(p for p in all_periods if p.peildatum <= selected.peildatum)
    else:
        matrix = ()
    return _Context(
        programme_slug=programme.slug,
        all_periods=all_periods,
        selected=selected,
        matrix=matrix,
        thresholds=thresholds_for(programme),
        programme_start=programme.start_date,
        programme_end=programme.end_date,
    )


_DIGITS = re.compile(r"(\d+)")


def project_order_key(project: Project | ProjectStatus) -> tuple:
    """The order of projects within a pillar: by number where the source numbers them (the
    Gooi en Vechtstreek monitor), else by code read naturally (WNW-2 before WNW-10: the
    Zuid-Kennemerland evaluation codes its activities in the source's order), then title.
    """
    code = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in _DIGITS.split(project.code or "")
    )
    return (project.number is None, project.number or 0, code, project.title, project.pk)


def _build_projects(projects, contexts: dict[int, _Context]) -> list[ProjectStatus]:
    """Load the projects with a fixed number of queries and turn them into ProjectStatus.

    Queries: projects (with pillar and owner), partners, indicators, their revisions, reports,
    indicator values, planned values, the plan's cost per year, and for the selected periods'
    reports the budget lines, funding lines (with source), activities and planning changes.
    Projects come in programme order: by pillar, then as `project_order_key` says.
    """
    # Keyed lookups below need no order from the database: `.order_by()` drops the models'
    # default ordering, whose joins and sort were most of these queries' time (19 of 20 ms
    # for the indicator values of 200 projects).
    project_list = sorted(
        projects.select_related("pillar", "owner").order_by(),
        key=lambda p: (
            p.programme_id,
            p.pillar is None,
            p.pillar.order if p.pillar else 0,
            p.pillar_id or 0,
            *project_order_key(p),
        ),
    )
    project_ids = [p.pk for p in project_list]
    # Partners, indicators and revisions are grouped here rather than with prefetch_related:
    # the same number of queries, without a queryset per project (a third of the time).
    partners: dict[int, list[str]] = defaultdict(list)
    for project_id, name in (
        Project.partners.through.objects.filter(project_id__in=project_ids)
        .order_by("organisation__name")
        .values_list("project_id", "organisation__name")
    ):
        partners[project_id].append(name)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(project_id__in=project_ids).order_by("order", "pk"):
        indicators[indicator.project_id].append(indicator)
    indicator_ids = [i.pk for items in indicators.values() for i in items]
    # The queries below filter on the ids already loaded instead of joining back to the
    # projects: at national size the join made PostgreSQL scan every indicator value in the
    # country (250,940 rows, 195 ms) to return a programme's few thousand (5 ms by id).
    revisions: dict[int, list[RevisionInfo]] = defaultdict(list)
    for indicator_id, *fields in (
        TargetRevision.objects.filter(indicator_id__in=indicator_ids)
        .order_by("revised_on", "pk")
        .values_list("indicator_id", "previous_value", "new_value", "revised_on", "reason")
    ):
        revisions[indicator_id].append(RevisionInfo(*fields))
    reports = {
        (row[1], row[2]): _ReportRow(*row)
        for row in ProgressReport.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list(*_REPORT_FIELDS)
    }
    period_of_report = {report.pk: period_id for (_, period_id), report in reports.items()}
    loaded = _Loaded(
        partners={pk: tuple(names) for pk, names in partners.items()},
        indicators=indicators,
        revisions={pk: tuple(items) for pk, items in revisions.items()},
        reports=reports,
        values={
            (indicator_id, period_of_report[report_id]): (value, note)
            for indicator_id, report_id, value, note in IndicatorValue.objects.filter(
                report_id__in=list(period_of_report)
            )
            .order_by()
            .values_list("indicator_id", "report_id", "value", "note")
        },
        planned={
            (indicator_id, period_id): value
            for indicator_id, period_id, value in PlannedValue.objects.filter(
                indicator_id__in=indicator_ids
            )
            .order_by()
            .values_list("indicator_id", "period_id", "value")
        },
        plan_lines=_group(
            BudgetPlan.objects.filter(project_id__in=project_ids)
            .order_by("year")
            .values_list("project_id", "year", "amount"),
            PlanLineRow,
        ),
        state_labels={value: str(label) for value, label in ProgressReport.State.choices},
        highlight_labels={value: str(label) for value, label in ProgressReport.Highlight.choices},
        status_labels={value: str(label) for value, label in Project.Status.choices},
    )

    def selected_report(project: Project) -> _ReportRow | None:
        selected = contexts[project.programme_id].selected
        return loaded.reports.get((project.pk, selected.pk)) if selected else None

    selected_reports = {p.pk: selected_report(p) for p in project_list}
    report_ids = [r.pk for r in selected_reports.values() if r is not None]
    # The selected periods' tables, read as plain rows in their display order.
    budget_lines = _group(
        BudgetLine.objects.filter(report_id__in=report_ids)
        .order_by("year")
        .values_list("report_id", "year", "budget", "spent", "forecast"),
        BudgetLineRow,
    )
    funding_lines = _group(
        FundingLine.objects.filter(report_id__in=report_ids)
        .order_by("source__order", "source__name")
        .values_list(
            "report_id", "source__name", "budgeted", "received", "committed", "to_request", "note"
        ),
        FundingLineRow,
    )
    activities = _group(
        ActivityProgress.objects.filter(report_id__in=report_ids)
        .order_by("order", "pk")
        .values_list("report_id", "year", "activity", "progress"),
        ActivityRow,
    )
    planning_changes = _group(
        PlanningChange.objects.filter(report_id__in=report_ids)
        .order_by("year")
        .values_list("report_id", "year", "original_description", "changed_description"),
        PlanningChangeRow,
    )

    result = []
    for project in project_list:
        report = selected_reports[project.pk]
        report_pk = report.pk if report else None
        result.append(
            _project_status(
                project,
                contexts[project.programme_id],
                loaded,
                budget_lines=budget_lines.get(report_pk, []),
                funding_lines=funding_lines.get(report_pk, []),
                activities=activities.get(report_pk, []),
                planning_changes=planning_changes.get(report_pk, []),
            )
        )
    return result


def _group(rows, row_class) -> dict[int, list]:
    """Rows of (key, *fields) as `row_class(*fields)` lists per key (a report or project pk)."""
    grouped: dict[int, list] = defaultdict(list)
    for report_id, *fields in rows:
        grouped[report_id].append(row_class(*fields))
    return grouped


# --- Building --------------------------------------------------------------------------------


def _programme(
    programme: Programme,
    context: _Context,
    projects: list[ProjectStatus],
    pillars: list[Pillar],
    targets: list[ProgrammeTarget],
) -> ProgrammeOverview:
    active = [p for p in projects if p.is_active]
    groups = [
        PillarGroup(
            pillar.pk,
            pillar.name,
            pillar.order,
            tuple(p for p in active if p.pillar_pk == pillar.pk),
        )
        for pillar in pillars
    ]
    orphans = tuple(p for p in active if p.pillar_pk is None)
    if orphans:
        groups.append(PillarGroup(None, str(_("Overige projecten")), 10_000, orphans))
    highlights = [_highlight(p) for p in projects if p.report and p.report.highlight]
    budget, budget_years = _programme_budget(projects, context.selected, context.thresholds)
    return ProgrammeOverview(
        programme=programme_info(programme),
        period=context.selected,
        periods=context.all_periods,
        matrix_periods=context.matrix,
        pillars=tuple(groups),
        finished=tuple(p for p in projects if not p.is_active),
        targets=_targets(targets, projects),
        positive_highlights=tuple(h for h in highlights if h.kind == "positive"),
        adjusted_highlights=tuple(h for h in highlights if h.kind == "adjusted"),
        computed_counts=status.count_lights(p.computed_light for p in active),
        reported_counts=status.count_lights(p.reported_light for p in active if p.reported_light),
        unreported_count=sum(1 for p in active if not p.reported_light),
        budget=budget,
        budget_years=budget_years,
    )


def _revisions(indicator_or_target) -> tuple[RevisionInfo, ...]:
    revisions = sorted(indicator_or_target.revisions.all(), key=lambda r: (r.revised_on, r.pk))
    return tuple(
        RevisionInfo(r.previous_value, r.new_value, r.revised_on, r.reason) for r in revisions
    )


def realised_to_date(
    *, is_cumulative: bool, values_up_to: Iterable[Decimal | None]
) -> Decimal | None:
    """Realisation up to a peildatum from the values of the periods up to it, oldest first.

    Cumulative: the latest value entered. Per period: the sum of the values entered.
    None when no value was entered at all.
    """
    entered = [v for v in values_up_to if v is not None]
    if not entered:
        return None
    return entered[-1] if is_cumulative else sum(entered, ZERO)


def _indicator_point(
    indicator: Indicator,
    project: Project,
    revisions: tuple[RevisionInfo, ...],
    planned: dict[int, Decimal],
    to_date: Decimal | None,
    period: PeriodInfo,
    context: _Context,
    loaded: _Loaded,
) -> IndicatorPoint:
    planned_value = planned.get(period.pk)
    actual = loaded.values.get((indicator.pk, period.pk), (None, ""))[0]
    start_date, target_date = status.expectation_line(
        project_start=project.start_date,
        project_end=project.end_date,
        programme_start=context.programme_start,
        programme_end=context.programme_end,
        target_date=indicator.target_date,
    )
    at = status.indicator_at(
        peildatum=period.peildatum,
        baseline=indicator.baseline,
        current_target=indicator.target_value,
        revisions=revisions,
        planned=planned_value,
        actual=actual,
        is_cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
        start_date=start_date,
        target_date=target_date,
        thresholds=context.thresholds,
    )
    return IndicatorPoint(
        period, at.target, planned_value, at.expected, actual, to_date, at.status.light
    )


def _indicator_row(
    indicator: Indicator, project: Project, context: _Context, loaded: _Loaded
) -> tuple[IndicatorRow, dict[int, Light]]:
    """The indicator at the selected period, its history, and its light per period pk."""
    revisions = loaded.revisions.get(indicator.pk, ())
    planned = {
        period.pk: loaded.planned[(indicator.pk, period.pk)]
        for period in context.all_periods
        if (indicator.pk, period.pk) in loaded.planned
    }
    # realised_to_date over (stand so far, this period's value) per period: the same rule in
    # one pass instead of rescanning the earlier periods for every period.
    to_date: dict[int, Decimal | None] = {}
    running = None
    for period in context.all_periods:
        value = loaded.values.get((indicator.pk, period.pk), (None, ""))[0]
        running = realised_to_date(
            is_cumulative=indicator.is_cumulative, values_up_to=(running, value)
        )
        to_date[period.pk] = running
    history_periods = {p.pk: p for p in context.matrix}
    if context.selected is not None:
        history_periods.setdefault(context.selected.pk, context.selected)
    points = {
        pk: _indicator_point(
            indicator, project, revisions, planned, to_date.get(pk), period, context, loaded
        )
        for pk, period in history_periods.items()
    }
    original = revisions[0].previous_value if revisions else indicator.target_value
    selected = context.selected
    if selected is None:
        row_status = status.indicator_status(
            baseline=indicator.baseline,
            target=indicator.target_value,
            expected=None,
            actual=None,
            thresholds=context.thresholds,
            higher_is_better=indicator.higher_is_better,
        )
        point = None
    else:
        point = points[selected.pk]
        row_status = status.indicator_status(
            baseline=indicator.baseline,
            target=point.target,
            expected=point.expected,
            actual=point.actual,
            thresholds=context.thresholds,
            higher_is_better=indicator.higher_is_better,
        )
    previous = None
    note = ""
    if selected is not None:
        earlier = [p for p in context.all_periods if p.peildatum < selected.peildatum]
        if earlier:
            previous = loaded.values.get((indicator.pk, earlier[-1].pk), (None, ""))[0]
        note = loaded.values.get((indicator.pk, selected.pk), (None, ""))[1]
    row = IndicatorRow(
        pk=indicator.pk,
        name=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline,
        target=point.target if point else indicator.target_value,
        current_target=indicator.target_value,
        original_target=original,
        revisions=revisions,
        target_date=indicator.target_date,
        is_cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
        programme_target_pk=indicator.programme_target_id,
        planned=point.planned if point else None,
        expected=row_status.expected,
        actual=row_status.actual,
        realised_to_date=point.realised_to_date if point else None,
        previous=previous,
        note=note,
        status=row_status,
        history=tuple(points[p.pk] for p in context.matrix),
    )
    return row, {pk: point.light for pk, point in points.items()}


def _report_info(report: _ReportRow, loaded: _Loaded) -> ReportInfo:
    return ReportInfo(
        pk=report.pk,
        state=report.state,
        state_label=loaded.state_labels.get(report.state, report.state),
        is_approved=report.is_approved,
        summary=report.summary,
        reported_light=Light(report.reported_light) if report.reported_light else None,
        light_explanation=report.light_explanation,
        light_cause=report.light_cause,
        light_consequences=report.light_consequences,
        light_recovery=report.light_recovery,
        highlight=report.highlight,
        highlight_label=loaded.highlight_labels.get(report.highlight, "")
        if report.highlight
        else "",
        highlight_text=report.highlight_text,
        is_demo_data=report.is_demo_data,
        source=report.source,
        budget_note=report.budget_note,
        stated_cost_total=report.stated_cost_total,
        stated_income_total=report.stated_income_total,
        stated_totals_note=report.stated_totals_note,
        return_reason=report.return_reason,
        submitted_at=report.submitted_at,
        reviewed_at=report.reviewed_at,
        updated_at=report.updated_at,
    )


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _budget_years(rows: Iterable[BudgetLineRow]) -> list[BudgetYear]:
    return [BudgetYear(r.year, r.budget, r.spent, r.forecast) for r in rows]


def _budget(
    lines: list[BudgetLineRow], peildatum: datetime.date | None, thresholds: Thresholds
) -> tuple[BudgetStatus | None, tuple[BudgetLineRow, ...], status.CostTotals | None]:
    """A report's cost table: its budget light and its column totals, for every surface."""
    if not lines or peildatum is None:
        return None, (), None
    rows = tuple(lines)
    years = _budget_years(rows)
    budget = status.budget_status(years, peildatum=peildatum, thresholds=thresholds)
    return budget, rows, status.cost_totals(years)


def _funding(
    lines: list[FundingLineRow],
) -> tuple[tuple[FundingLineRow, ...], status.FundingTotals | None]:
    """A report's income table and its column totals, for every surface."""
    if not lines:
        return (), None
    rows = tuple(lines)
    total = status.funding_totals(
        [
            status.FundingYear(r.source, r.budgeted, r.received, r.committed, r.to_request, r.note)
            for r in rows
        ]
    )
    return rows, total


def _stated(report, field_name: str, totals, column: str) -> status.StatedTotal | None:
    if report is None:
        return None
    computed = getattr(totals, column) if totals is not None else None
    return status.stated_total(
        getattr(report, field_name), computed, note=report.stated_totals_note
    )


@dataclass(frozen=True)
class ReportFinances:
    """The cost and income tables of one report with their totals, light and stated totals:
    what the report page shows, computed as the dashboard and the PDFs compute it."""

    budget: BudgetStatus | None
    budget_lines: tuple[BudgetLineRow, ...]
    budget_total: status.CostTotals | None
    funding_lines: tuple[FundingLineRow, ...]
    funding_total: status.FundingTotals | None
    report: ProgressReport

    stated_cost = ProjectStatus.stated_cost
    stated_income = ProjectStatus.stated_income


def report_finances(report: ProgressReport, thresholds: Thresholds) -> ReportFinances:
    """The finances of one report (two queries), through `_budget` and `_funding`."""
    budget_rows = [
        BudgetLineRow(line.year, line.budget, line.spent, line.forecast)
        for line in report.budget_lines.order_by("year")
    ]
    funding_rows = [
        FundingLineRow(
            line.source.name,
            line.budgeted,
            line.received,
            line.committed,
            line.to_request,
            line.note,
        )
        for line in report.funding_lines.select_related("source").order_by(
            "source__order", "source__name"
        )
    ]
    budget, budget_lines, budget_total = _budget(budget_rows, report.period.peildatum, thresholds)
    funding_lines, funding_total = _funding(funding_rows)
    return ReportFinances(budget, budget_lines, budget_total, funding_lines, funding_total, report)


def _project_status(
    project: Project,
    context: _Context,
    loaded: _Loaded,
    *,
    budget_lines: list[BudgetLineRow],
    funding_lines: list[FundingLineRow],
    activities: list[ActivityRow],
    planning_changes: list[PlanningChangeRow],
) -> ProjectStatus:
    indicator_rows = []
    lights_by_period: dict[int, list[Light]] = defaultdict(list)
    for indicator in loaded.indicators.get(project.pk, []):
        row, lights = _indicator_row(indicator, project, context, loaded)
        indicator_rows.append(row)
        for period_pk, light in lights.items():
            lights_by_period[period_pk].append(light)

    history = []
    for period in context.matrix:
        report = loaded.reports.get((project.pk, period.pk))
        computed = status.project_light(lights_by_period[period.pk])
        reported = Light(report.reported_light) if report and report.reported_light else None
        history.append(
            PeriodStatus(
                period=period,
                report_pk=report.pk if report else None,
                state=report.state if report else None,
                state_label=loaded.state_labels.get(report.state, "") if report else "",
                summary=report.summary if report else "",
                reported_light=reported,
                computed_light=computed,
                lights_differ=status.lights_differ(reported=reported, computed=computed),
            )
        )

    selected = context.selected
    report = loaded.reports.get((project.pk, selected.pk)) if selected else None
    report_info = _report_info(report, loaded) if report else None
    computed = status.project_light(row.light for row in indicator_rows)
    reported = report_info.reported_light if report_info else None
    budget, budget_rows, budget_total = _budget(
        budget_lines, selected.peildatum if selected else None, context.thresholds
    )
    funding_rows, funding_total = _funding(funding_lines)
    return ProjectStatus(
        pk=project.pk,
        code=project.code,
        number=project.number,
        title=project.title,
        status=project.status,
        status_label=loaded.status_labels.get(project.status, project.status),
        is_active=project.is_active,
        start_date=project.start_date,
        end_date=project.end_date,
        pillar_pk=project.pillar_id,
        pillar_name=project.pillar.name if project.pillar else "",
        owner=project.owner.name if project.owner else "",
        partners=loaded.partners.get(project.pk, ()),
        action=project.action,
        intended_result=project.intended_result,
        achieved_result=project.achieved_result,
        follow_up=project.follow_up,
        public_funds=project.public_funds,
        extra_info=project.extra_info,
        estimated_cost=project.estimated_cost,
        plan_lines=tuple(loaded.plan_lines.get(project.pk, ())),
        programme_pk=project.programme_id,
        programme_slug=context.programme_slug,
        period=selected,
        report=report_info,
        indicators=tuple(indicator_rows),
        computed_light=computed,
        reported_light=reported,
        lights_differ=status.lights_differ(reported=reported, computed=computed),
        explanation_required=status.explanation_required(reported=reported, computed=computed),
        budget=budget,
        budget_lines=budget_rows,
        budget_total=budget_total,
        funding_lines=funding_rows,
        funding_total=funding_total,
        activities=tuple(activities),
        planning_changes=tuple(planning_changes),
        history=tuple(history),
    )


def _highlight(project: ProjectStatus) -> Highlight:
    report = project.report
    return Highlight(
        project_pk=project.pk,
        project_code=project.code,
        project_title=project.title,
        kind=report.highlight,
        text=report.highlight_text or report.summary,
        state=report.state,
        state_label=report.state_label,
    )


def _targets(
    targets: list[ProgrammeTarget], projects: list[ProjectStatus]
) -> tuple[TargetStatus, ...]:
    """Programme targets; realisation = sum of the realisation to date of linked indicators."""
    linked: dict[int, list[IndicatorRow]] = defaultdict(list)
    for project in projects:
        for row in project.indicators:
            if row.programme_target_pk is not None:
                linked[row.programme_target_pk].append(row)
    result = []
    for target in targets:
        rows = linked.get(target.pk, [])
        realised = _sum(row.realised_to_date for row in rows)
        revisions = _revisions(target)
        result.append(
            TargetStatus(
                pk=target.pk,
                name=target.name,
                unit=target.unit,
                target=target.target_value,
                original_target=revisions[0].previous_value if revisions else target.target_value,
                revisions=revisions,
                description=target.description,
                realised=realised,
                progress=status.target_progress(target=target.target_value, realised=realised),
                indicator_count=len(rows),
            )
        )
    return tuple(result)


def _programme_budget(
    projects: list[ProjectStatus], selected: PeriodInfo | None, thresholds: Thresholds
) -> tuple[BudgetStatus | None, tuple[BudgetLineRow, ...]]:
    """All projects' year lines at the selected period, summed per year, through the same
    budget rule as a single project."""
    by_year: dict[int, list[BudgetLineRow]] = defaultdict(list)
    for project in projects:
        for row in project.budget_lines:
            by_year[row.year].append(row)
    if not by_year or selected is None:
        return None, ()
    rows = tuple(
        BudgetLineRow(
            year,
            _sum(r.budget for r in by_year[year]),
            _sum(r.spent for r in by_year[year]),
            _sum(r.forecast for r in by_year[year]),
        )
        for year in sorted(by_year)
    )
    budget = status.budget_status(
        _budget_years(rows), peildatum=selected.peildatum, thresholds=thresholds
    )
    return budget, rows
