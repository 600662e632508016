"""The frozen plain dataclasses of the read model (a programme, its projects, indicators,
budget and funding rows): plain values only, so a template or a PDF cannot trigger a query.
They must never hold a model instance or compute a light."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from programmes import status
from programmes.status import (
    BudgetStatus,
    BudgetYear,
    CostTotals,
    EvaluationStatus,
    FundingTotals,
    GreyReason,
    IndicatorStatus,
    Light,
    StatedTotal,
    Thresholds,
)

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
    basis: str = ""  # what the computed light rests on, in words (status.indicator_basis)

    @property
    def light(self) -> Light:
        return self.status.light

    @property
    def grey_reason(self) -> str:
        """Why the light is grey ("geen waarde", "nog geen verwachting"); "" otherwise."""
        reason = status.grey_reason([self.status])
        return str(reason.label) if reason else ""

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
    highlight_order: int | None = None  # its place among the region's highlights


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
    progress_indicators: str = ""  # the report's "voortgangsindicatoren" column
    is_delayed: bool = False


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
    budget_total: CostTotals | None  # column sums, naming the lines they leave out
    funding_lines: tuple[FundingLineRow, ...]
    funding_total: FundingTotals | None
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
    def stated_cost(self) -> StatedTotal | None:
        """The report's stated total spending beside the computed one (realisation and
        forecast), with the difference."""
        return _stated(self.report, "stated_cost_total", self.budget_total, "expected")

    @property
    def stated_income(self) -> StatedTotal | None:
        """The report's stated total of the income table's "Begroot" column, with the
        difference from the computed one."""
        return _stated(self.report, "stated_income_total", self.funding_total, "budgeted")

    @property
    def computed_basis(self) -> str:
        """What the computed light rests on: the basis of the indicators with that light."""
        return "; ".join(
            f"{row.name}: {row.basis}"
            for row in self.indicators
            if row.light == self.computed_light
        )

    @property
    def lowest_progress(self) -> Decimal | None:
        """The progress ratio of the indicator furthest behind (for "aandacht nodig")."""
        ratios = [row.status.progress for row in self.indicators if row.status.progress is not None]
        return min(ratios) if ratios else None

    @property
    def needs_attention(self) -> bool:
        return status.needs_attention(reported=self.reported_light, computed=self.computed_light)

    @property
    def is_provisional(self) -> bool:
        """Figures from a report that is not approved yet: shown as "voorlopig"."""
        return self.report is not None and not self.report.is_approved

    @property
    def shown_light(self) -> Light:
        """The reported light where there is one, else the computed one (for counts)."""
        return self.reported_light or self.computed_light

    @property
    def grey_reason(self) -> GreyReason | None:
        """Why the computed light is grey ("geen waarde", "nog geen verwachting"), or None."""
        return status.grey_reason(i.status for i in self.indicators)

    @property
    def is_delayed(self) -> bool:
        """The report marks at least one activity as delayed (vertraagd)."""
        return any(a.is_delayed for a in self.activities)

    @property
    def evaluation_status(self) -> EvaluationStatus:
        """The state in an evaluation: the phase, or "vertraagd" (status.evaluation_status)."""
        return status.evaluation_status(phase=self.status, is_delayed=self.is_delayed)


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
    # Reported at programme level for this peildatum (ProgrammeTargetValue), used instead of
    # the sum of the indicators; its source sentence; the one of the previous peildatum.
    has_own_realisation: bool = False
    realisation_source: str = ""
    previous_realised: Decimal | None = None


@dataclass(frozen=True)
class Highlight:
    project_pk: int
    project_code: str
    project_title: str
    kind: str  # "positive" or "adjusted"
    text: str
    state: str
    state_label: str
    order: int | None = None  # its place in the source's list (ProgressReport.highlight_order)
    # The project's lights beside the highlight, so that "goed op koers" next to a computed
    # oranje is explained (the basis of the computed light).
    reported_light: Light | None = None
    computed_light: Light | None = None
    computed_basis: str = ""

    @property
    def lights_differ(self) -> bool:
        return bool(self.computed_light) and status.lights_differ(
            reported=self.reported_light, computed=self.computed_light or Light.GREY
        )


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


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _budget_years(rows: Iterable[BudgetLineRow]) -> list[BudgetYear]:
    return [BudgetYear(r.year, r.budget, r.spent, r.forecast) for r in rows if r.year is not None]


def _stated(report, field_name: str, totals, column: str) -> status.StatedTotal | None:
    if report is None:
        return None
    computed = getattr(totals, column) if totals is not None else None
    return status.stated_total(
        getattr(report, field_name), computed, note=report.stated_totals_note
    )
