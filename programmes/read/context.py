"""What the read model needs besides the loaded rows: thresholds, programme and period
info, the context of one programme's build, the loaded rows' containers and the project
order. It must never query more than the caller's fixed number of queries allows."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from programmes.models import (
    Indicator,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from programmes.read.rows import (
    PeriodInfo,
    PlanLineRow,
    ProgrammeInfo,
    ProjectStatus,
    RevisionInfo,
)
from programmes.status import Thresholds


def thresholds_for(programme: Programme) -> Thresholds:
    return Thresholds(green=programme.green_threshold, amber=programme.amber_threshold)


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
    # False for readers (wethouder, ministerie): drafts and returned reports are left out as
    # if they did not exist, so no draft figure or light reaches them.
    show_drafts: bool = True


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
    highlight_order: int | None = None

    @property
    def is_approved(self) -> bool:
        return self.state == ProgressReport.State.APPROVED


# The report states every reader may see: submitted (voorlopig) and approved.
READABLE_STATES = frozenset({ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED})

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
