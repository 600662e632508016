"""The agenda overview by pillar, laid out like the Zuid-Kennemerland en IJmond evaluation.

Per pillar a landscape table with, for every project (running and finished alike, as the
evaluation lists them): title, action, intended result, achieved result, follow-up,
partners and public funds, with the project's phase and light.

`build` regroups the shared read model (programmes.overview) by pillar; it must never
compute a light or a figure itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from programmes.models import Programme, Project, ReportingPeriod
from programmes.overview import (
    PeriodInfo,
    ProgrammeOverview,
    ProjectStatus,
    period_info,
    programme_overview,
)
from reports.common import ReportKind, report_filename

TEMPLATE = "reports/agenda_overview.html"


@dataclass(frozen=True)
class AgendaSection:
    number: int  # 1, 2, ... in pillar order
    name: str
    projects: tuple[ProjectStatus, ...]


@dataclass(frozen=True)
class PhaseCount:
    label: str  # "lopend", "afgerond", "gestopt", ...
    count: int


@dataclass(frozen=True)
class AgendaOverviewData:
    kind: ReportKind
    title: str  # "Agenda-overzicht Doe-agenda 2020-2022"
    period: PeriodInfo
    overview: ProgrammeOverview
    sections: tuple[AgendaSection, ...]
    project_count: int
    phase_counts: tuple[PhaseCount, ...]
    filename: str


def build(*, programme: Programme, period: ReportingPeriod) -> AgendaOverviewData:
    overview = programme_overview(programme=programme, period=period)
    period_data = overview.period or period_info(period)
    info = overview.programme
    # Every project under its own pillar, in the pillar's order: the overview keeps the
    # finished ones apart, the evaluation table lists them in place.
    finished_by_pillar: dict[int | None, list[ProjectStatus]] = {}
    for project in overview.finished:
        finished_by_pillar.setdefault(project.pillar_pk, []).append(project)
    sections = []
    for group in overview.pillars:
        projects = group.projects + tuple(finished_by_pillar.pop(group.pk, []))
        if projects:
            sections.append((group.name, _in_agenda_order(projects)))
    leftovers = [p for projects in finished_by_pillar.values() for p in projects]
    if leftovers:
        sections.append((_("Overige projecten"), _in_agenda_order(leftovers)))
    phases = Counter(p.status for p in overview.projects)
    return AgendaOverviewData(
        kind=ReportKind.AGENDA,
        title=_("Agenda-overzicht %(programme)s") % {"programme": info.name},
        period=period_data,
        overview=overview,
        sections=tuple(
            AgendaSection(number=index, name=name, projects=projects)
            for index, (name, projects) in enumerate(sections, start=1)
        ),
        project_count=len(overview.projects),
        phase_counts=tuple(
            PhaseCount(str(label), phases[value])
            for value, label in Project.Status.choices
            if phases[value]
        ),
        filename=report_filename(
            ReportKind.AGENDA,
            region_code=info.region_code,
            subject=info.name,
            peildatum=period_data.peildatum,
        ),
    )


def _in_agenda_order(projects) -> tuple[ProjectStatus, ...]:
    return tuple(sorted(projects, key=lambda p: (p.number is None, p.number or 0, p.title)))
