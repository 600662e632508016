"""The programme monitor, laid out like the Gooi en Vechtstreek monitor.

Programme targets against realisation, highlights (positief, bijgesteld), per section
(pillar) a table with number, project, light and narrative, and the completed, stopped and
on-hold projects apart.

`build` turns one programme at one peildatum into a frozen `ProgrammeMonitorData` from the
shared read model (programmes.overview); the template only lays it out. This module must
never compute a light or a total itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from programmes.models import Programme, ReportingPeriod
from programmes.overview import (
    PeriodInfo,
    PillarGroup,
    ProgrammeOverview,
    ProjectStatus,
    TargetStatus,
    period_info,
    programme_overview,
)
from programmes.status import Light
from reports.charts import ProgressBar, progress_bar
from reports.common import ReportKind, report_filename, row_fits
from reports.ordering import in_agenda_order, pillar_ranks, section_name
from reports.provenance import Provenance, provenance

TEMPLATE = "reports/programme_monitor.html"

# Characters per line of the narrative column (57 % of an A4 portrait page at 9 pt) and of
# the project column, and how many lines a row may take and still be kept on one page
# (about 40 % of the page): see reports.common.row_fits.
NARRATIVE_CHARS = 56
TITLE_CHARS = 18
KEEP_LINES = 24


@dataclass(frozen=True)
class TargetLine:
    target: TargetStatus
    bar: ProgressBar


@dataclass(frozen=True)
class LightCount:
    light: Light | None  # None: no light reported
    count: int | None  # None: not applicable (a computed light always exists)


@dataclass(frozen=True)
class ProgrammeMonitorData:
    kind: ReportKind
    title: str  # "Monitor Werken aan Werk"
    period: PeriodInfo
    overview: ProgrammeOverview
    targets: tuple[TargetLine, ...]
    targets_without_indicators: int  # targets no project indicator counts towards yet
    sections: tuple[PillarGroup, ...]  # pillars with at least one active project
    finished: tuple[ProjectStatus, ...]
    # Reported lights of the active projects; the overview counts "none" as grijs, the
    # monitor shows how many projects reported no light at all.
    reported_counts: tuple[LightCount, ...]
    computed_counts: tuple[LightCount, ...]
    keep_together: frozenset[int]  # project pks whose row is short enough to keep whole
    report_count: int  # projects with a progress report for the peildatum
    provenance: Provenance  # sources, generated figures, approval date of the newest report
    filename: str


def build(
    *, programme: Programme, period: ReportingPeriod, drafts: bool = True
) -> ProgrammeMonitorData:
    """`drafts=False` for a reader: only submitted and approved reports count."""
    # periods=(): no lights matrix, which the monitor never prints (a tenth of the work at
    # ten periods, see docs/reports.md "Speed").
    overview = programme_overview(
        programme=programme, period=period, periods=(), show_drafts=drafts
    )
    period_data = overview.period or period_info(period)
    info = overview.programme
    groups = [group for group in overview.pillars if group.projects]
    sections = tuple(
        PillarGroup(
            pk=group.pk,
            name=section_name(group, only=len(groups) == 1),
            order=group.order,
            projects=in_agenda_order(group.projects),
        )
        for group in groups
    )
    finished = in_agenda_order(overview.finished, pillar_order=pillar_ranks(overview.pillars))
    reported = [LightCount(light, count) for light, count in overview.reported_counts.items()]
    computed = [LightCount(light, count) for light, count in overview.computed_counts.items()]
    if overview.unreported_count:
        reported.append(LightCount(None, overview.unreported_count))
        computed.append(LightCount(None, None))
    return ProgrammeMonitorData(
        kind=ReportKind.MONITOR,
        title=_("Monitor %(programme)s") % {"programme": info.name},
        period=period_data,
        overview=overview,
        targets=tuple(
            TargetLine(target=t, bar=progress_bar(target=t.target, realised=t.realised))
            for t in overview.targets
        ),
        targets_without_indicators=sum(1 for t in overview.targets if not t.indicator_count),
        sections=sections,
        finished=finished,
        reported_counts=tuple(reported),
        computed_counts=tuple(computed),
        keep_together=frozenset(
            p.pk for p in overview.projects if row_fits(_row_cells(p), max_lines=KEEP_LINES)
        ),
        report_count=sum(1 for p in overview.projects if p.report),
        provenance=provenance([overview]),
        filename=report_filename(
            ReportKind.MONITOR,
            region_code=info.region_code,
            subject=info.name,
            peildatum=period_data.peildatum,
            region_name=info.region_name,
        ),
    )


def _row_cells(project: ProjectStatus):
    report = project.report
    narrative = " ".join(
        text
        for text in (
            report.summary if report else project.achieved_result or project.intended_result,
            report.light_explanation if report else "",
            report.light_cause if report else "",
            report.light_consequences if report else "",
            report.light_recovery if report else "",
        )
        if text
    )
    return [(project.title, TITLE_CHARS), (narrative, NARRATIVE_CHARS)]
