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
from reports.charts import ProgressBar, progress_bar
from reports.common import ReportKind, report_filename

TEMPLATE = "reports/programme_monitor.html"


@dataclass(frozen=True)
class TargetLine:
    target: TargetStatus
    bar: ProgressBar


@dataclass(frozen=True)
class ProgrammeMonitorData:
    kind: ReportKind
    title: str  # "Monitor Werken aan Werk"
    period: PeriodInfo
    overview: ProgrammeOverview
    targets: tuple[TargetLine, ...]
    sections: tuple[PillarGroup, ...]  # pillars with at least one active project
    finished: tuple[ProjectStatus, ...]
    filename: str


def build(*, programme: Programme, period: ReportingPeriod) -> ProgrammeMonitorData:
    overview = programme_overview(programme=programme, period=period)
    period_data = overview.period or period_info(period)
    info = overview.programme
    return ProgrammeMonitorData(
        kind=ReportKind.MONITOR,
        title=_("Monitor %(programme)s") % {"programme": info.name},
        period=period_data,
        overview=overview,
        targets=tuple(
            TargetLine(target=t, bar=progress_bar(target=t.target, realised=t.realised))
            for t in overview.targets
        ),
        sections=tuple(group for group in overview.pillars if group.projects),
        finished=overview.finished,
        filename=report_filename(
            ReportKind.MONITOR,
            region_code=info.region_code,
            subject=info.name,
            peildatum=period_data.peildatum,
        ),
    )
