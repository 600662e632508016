"""The project progress report (voortgangsrapportage), laid out like the Zeeland report.

Project, region, programme and peildatum; the project's own description (action, intended
and achieved result, follow-up, public funds: what an agenda such as Zuid-Kennemerland's
records instead of half-yearly reports); summary; activities with their progress;
indicators with streefwaarde, planning, realisation and light; planning changes per year;
cost per year (budget against spending, totals); income per funding source; budget note.

`build` turns one project at one peildatum into a frozen `ProjectReportData` from the shared
read model (programmes.overview); the template only lays it out. This module must never
compute a light, a total or a budget figure: they all come from the overview, which takes
them from programmes.status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from programmes.models import Project, ReportingPeriod
from programmes.overview import (
    BudgetLineRow,
    IndicatorRow,
    PeriodInfo,
    ProgrammeInfo,
    ProjectStatus,
    period_info,
    programme_info,
    project_overview,
)
from reports.charts import ProgressBar, progress_bar
from reports.common import ReportKind, report_filename

TEMPLATE = "reports/project_report.html"


@dataclass(frozen=True)
class IndicatorLine:
    row: IndicatorRow
    bar: ProgressBar
    # The streefwaarde is the planning at this peildatum (Zeeland's 200 vacatures): the
    # share then says it is measured against both, not against a separate target.
    target_is_planning: bool


@dataclass(frozen=True)
class BudgetYearLine:
    """A year of the cost table; realised when spending was reported, else planned."""

    row: BudgetLineRow
    is_realised: bool


@dataclass(frozen=True)
class DescriptionLine:
    """A field of the project's description, printed only when it holds text."""

    label: str
    text: str


@dataclass(frozen=True)
class ProjectReportData:
    kind: ReportKind
    title: str  # "Voortgangsrapportage 2 Regio Deal Zeeland"
    number: int  # the report's number: the n-th peildatum of the programme
    programme: ProgrammeInfo
    period: PeriodInfo
    project: ProjectStatus
    description: tuple[DescriptionLine, ...]
    indicators: tuple[IndicatorLine, ...]
    budget_years: tuple[BudgetYearLine, ...]
    activity_years: tuple[int, ...]
    has_progress_indicators: bool  # the third column "Voortgangsindicatoren" holds text
    filename: str


def build(*, project: Project, period: ReportingPeriod, drafts: bool = True) -> ProjectReportData:
    """The report of `project` at `period` (a period of the project's programme).
    `drafts=False` for a reader: a concept or returned report is left out."""
    programme = programme_info(project.programme)
    status = project_overview(project=project, period=period, show_drafts=drafts)
    period_data = status.period or period_info(period)
    number = report_number(period)
    return ProjectReportData(
        kind=ReportKind.PROJECT,
        title=_("Voortgangsrapportage %(number)s %(programme)s")
        % {"number": number, "programme": programme.name},
        number=number,
        programme=programme,
        period=period_data,
        project=status,
        description=_description(status),
        indicators=tuple(
            IndicatorLine(
                row=row,
                bar=progress_bar(
                    target=row.target, realised=row.realised_to_date, expected=row.expected
                ),
                target_is_planning=row.planned is not None and row.planned == row.target,
            )
            for row in status.indicators
        ),
        budget_years=tuple(
            BudgetYearLine(row=row, is_realised=row.spent is not None)
            for row in status.budget_lines
        ),
        activity_years=tuple(sorted({a.year for a in status.activities if a.year})),
        has_progress_indicators=any(a.progress_indicators for a in status.activities),
        filename=report_filename(
            ReportKind.PROJECT,
            region_code=programme.region_code,
            subject=status.title,
            peildatum=period_data.peildatum,
            region_name=programme.region_name,
            code=status.code if _title_repeats(project) else "",
        ),
    )


def report_number(period: ReportingPeriod) -> int:
    """The number of the report at `period`, as a programme such as the Regio Deal counts
    them ("Voortgangsrapportage 2" at its second peildatum): the programme's peildatums up to
    and including this one (one query)."""
    return ReportingPeriod.objects.filter(
        programme_id=period.programme_id, peildatum__lte=period.peildatum
    ).count()


def _title_repeats(project: Project) -> bool:
    """Whether another project of the programme has the same title (one query): then the
    file name needs the project's code to be unique."""
    return (
        Project.objects.filter(programme_id=project.programme_id, title=project.title)
        .exclude(pk=project.pk)
        .exists()
    )


def _description(status: ProjectStatus) -> tuple[DescriptionLine, ...]:
    # The columns of the agenda overview, in its order, so both reports read alike.
    fields = [
        (_("Actie"), status.action),
        (_("Beoogd resultaat"), status.intended_result),
        (_("Behaald resultaat"), status.achieved_result),
        (_("Vervolg / borging"), status.follow_up),
        (_("Inzet regionale publieke middelen"), status.public_funds),
        (_("Extra informatie"), status.extra_info),
    ]
    return tuple(DescriptionLine(label, text) for label, text in fields if text and text.strip())
