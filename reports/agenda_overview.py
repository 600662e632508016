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
from reports.common import ReportKind, report_filename, row_fits
from reports.ordering import in_agenda_order

TEMPLATE = "reports/agenda_overview.html"

# Characters per line of the seven columns (their widths in agenda_overview.html, on A4
# landscape at 7.2 pt), and how many lines a row may take and still be kept on one page
# (about 40 % of the page): see reports.common.row_fits.
COLUMN_CHARS = (20, 22, 24, 40, 24, 18, 24)
KEEP_LINES = 20


@dataclass(frozen=True)
class AgendaSection:
    number: int | None  # 1, 2, ... in pillar order; None when the programme has no pillars
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
    keep_together: frozenset[int]  # project pks whose row is short enough to keep whole
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
    sections: list[tuple[int | None, str, tuple[ProjectStatus, ...]]] = []
    for group in overview.pillars:
        projects = group.projects + tuple(finished_by_pillar.pop(group.pk, []))
        if projects:
            sections.append((group.pk, group.name, in_agenda_order(projects)))
    leftovers = [p for projects in finished_by_pillar.values() for p in projects]
    if leftovers:
        sections.append((None, _("Overige projecten"), in_agenda_order(leftovers)))
    # A programme without pillars has one section of everything: no number, no "Overige".
    without_pillars = all(pk is None for pk, _name, _projects in sections)
    phases = Counter(p.status for p in overview.projects)
    return AgendaOverviewData(
        kind=ReportKind.AGENDA,
        title=_("Agenda-overzicht %(programme)s") % {"programme": info.name},
        period=period_data,
        overview=overview,
        sections=tuple(
            AgendaSection(
                number=None if without_pillars else index,
                name=_("Projecten") if without_pillars else name,
                projects=projects,
            )
            for index, (_pk, name, projects) in enumerate(sections, start=1)
        ),
        project_count=len(overview.projects),
        phase_counts=tuple(
            PhaseCount(str(label), phases[value])
            for value, label in Project.Status.choices
            if phases[value]
        ),
        keep_together=frozenset(
            p.pk for p in overview.projects if row_fits(_row_cells(p), max_lines=KEEP_LINES)
        ),
        filename=report_filename(
            ReportKind.AGENDA,
            region_code=info.region_code,
            subject=info.name,
            peildatum=period_data.peildatum,
            region_name=info.region_name,
        ),
    )


def _row_cells(project: ProjectStatus):
    achieved = project.achieved_result or (project.report.summary if project.report else "")
    texts = (
        project.title,
        project.action,
        project.intended_result,
        achieved,
        project.follow_up,
        ", ".join((project.owner, *project.partners) if project.owner else project.partners),
        f"{project.public_funds} {project.extra_info}",
    )
    return zip(texts, COLUMN_CHARS, strict=True)
