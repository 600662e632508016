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
from django.utils.translation import gettext_lazy as _lazy

from programmes.models import Programme, ReportingPeriod
from programmes.overview import (
    PeriodInfo,
    ProgrammeOverview,
    ProjectStatus,
    period_info,
    programme_overview,
)
from programmes.status import EvaluationStatus
from reports.common import ReportKind, report_filename, row_fits
from reports.ordering import in_agenda_order
from reports.provenance import Provenance, provenance

TEMPLATE = "reports/agenda_overview.html"

# Characters per line of the seven columns (their widths in agenda_overview.html, on A4
# landscape at 7.2 pt), and how many lines a row may take and still be kept on one page
# (about 40 % of the page): see reports.common.row_fits.
COLUMN_CHARS = (20, 22, 24, 40, 24, 18, 24)
KEEP_LINES = 12


@dataclass(frozen=True)
class AgendaSection:
    number: int | None  # 1, 2, ... in pillar order; None when the programme has no pillars
    name: str
    projects: tuple[ProjectStatus, ...]


@dataclass(frozen=True)
class AgendaColumn:
    key: str  # "action", "intended_result", ... (the template picks the cell by it)
    label: str
    width: int  # per cent of the table, the Titel column included


# The columns after "Titel", with their share of the width when all are present.
_COLUMNS = (
    ("action", _lazy("Actie"), 13),
    ("intended_result", _lazy("Beoogd resultaat"), 14),
    ("achieved_result", _lazy("Behaald resultaat"), 22),
    ("follow_up", _lazy("Vervolg / borging"), 14),
    ("partners", _lazy("Betrokken partijen"), 11),
    ("public_funds", _lazy("Inzet regionale publieke middelen"), 14),
)
TITLE_WIDTH = 12


def _has_text(project: ProjectStatus, key: str) -> bool:
    if key == "partners":
        return bool(project.owner or project.partners)
    if key == "achieved_result":
        return bool(project.achieved_result or (project.report and project.report.summary))
    if key == "public_funds":
        return bool(project.public_funds or project.extra_info)
    return bool(getattr(project, key))


def agenda_columns(projects) -> tuple[AgendaColumn, ...]:
    """The columns that hold text in at least one row, widened to fill the page: a plan
    without results (Gorinchem, Zuid-Limburg) gets no column of dashes, and its
    description columns the room."""
    present = [c for c in _COLUMNS if any(_has_text(p, c[0]) for p in projects)]
    if not present:
        return ()
    room = 100 - TITLE_WIDTH
    total = sum(width for _key, _label, width in present)
    widths = [width * room // total for _key, _label, width in present]
    widths[-1] += room - sum(widths)
    return tuple(
        AgendaColumn(key=key, label=str(label), width=w)
        for (key, label, _width), w in zip(present, widths, strict=True)
    )


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
    columns: tuple[AgendaColumn, ...]  # the columns with text in at least one row
    title_width: int
    provenance: Provenance
    filename: str


def build(
    *, programme: Programme, period: ReportingPeriod, drafts: bool = True
) -> AgendaOverviewData:
    """`drafts=False` for a reader: only submitted and approved reports count."""
    # periods=(): no lights matrix, which the overview never prints.
    overview = programme_overview(
        programme=programme, period=period, periods=(), show_drafts=drafts
    )
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
    phases = Counter(p.evaluation_status for p in overview.projects)
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
            for value, label in EvaluationStatus.choices
            if phases[value]
        ),
        keep_together=frozenset(
            p.pk for p in overview.projects if row_fits(_row_cells(p), max_lines=KEEP_LINES)
        ),
        columns=agenda_columns(overview.projects),
        title_width=TITLE_WIDTH,
        provenance=provenance([overview]),
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
