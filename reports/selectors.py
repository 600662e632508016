"""Reads for the "Rapporten" page: every report a user may download, by region, programme
and period.

Scoped through programmes.permissions and loaded with four queries whatever the number of
projects (programmes with their region, periods, projects, reports). Returns frozen
dataclasses of plain values. It must never render a PDF or compute a light.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from programmes import formatting, permissions
from programmes.models import ProgressReport, Project, ReportingPeriod


@dataclass(frozen=True)
class ProjectCell:
    peildatum: datetime.date
    label: str  # "peildatum 1-7-2021"
    state_label: str  # "" when no report was made for the period


@dataclass(frozen=True)
class ProjectDownloads:
    pk: int
    number: int | None
    title: str
    status_label: str
    cells: tuple[ProjectCell, ...]  # one per period shown, newest first


@dataclass(frozen=True)
class PeriodDownloads:
    peildatum: datetime.date
    label: str
    is_closed: bool
    report_count: int


@dataclass(frozen=True)
class ProgrammeDownloads:
    slug: str
    name: str
    region_code: str
    region_name: str
    periods: tuple[PeriodDownloads, ...]  # newest first
    projects: tuple[ProjectDownloads, ...]


@dataclass(frozen=True)
class RegionDownloads:
    code: str
    name: str
    programmes: tuple[ProgrammeDownloads, ...]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class DownloadIndex:
    regions: tuple[RegionDownloads, ...]
    region_choices: tuple[Choice, ...]
    programme_choices: tuple[Choice, ...]
    peildatum_choices: tuple[Choice, ...]


def downloadable_reports(
    *,
    user,
    region: str = "",
    programme: str = "",
    peildatum: datetime.date | None = None,
) -> DownloadIndex:
    """The user's downloadable reports, optionally narrowed to a region code, a programme
    slug and a peildatum. The choices always list everything the user may see."""
    visible = list(
        permissions.visible_programmes(user)
        .select_related("region")
        .order_by("region__name", "name", "pk")
    )
    programmes = [
        p
        for p in visible
        if (not region or p.region.code == region) and (not programme or p.slug == programme)
    ]
    ids = [p.pk for p in programmes]
    all_periods = list(
        ReportingPeriod.objects.filter(programme__in=visible).order_by("-peildatum", "pk")
    )
    periods_by_programme: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in all_periods:
        if period.programme_id in ids and (peildatum is None or period.peildatum == peildatum):
            periods_by_programme[period.programme_id].append(period)
    projects_by_programme: dict[int, list[Project]] = defaultdict(list)
    for project in (
        Project.objects.filter(programme_id__in=ids)
        .only("pk", "programme_id", "number", "title", "status")
        .order_by("programme_id", "pillar__order", "number", "title", "pk")
    ):
        projects_by_programme[project.programme_id].append(project)
    states = dict(ProgressReport.State.choices)
    reports: dict[tuple[int, int], str] = {
        (project_id, period_id): str(states.get(state, state))
        for project_id, period_id, state in ProgressReport.objects.filter(
            project__programme_id__in=ids
        ).values_list("project_id", "period_id", "state")
    }
    report_counts: dict[int, int] = defaultdict(int)
    for _project_id, period_id in reports:
        report_counts[period_id] += 1

    regions: dict[str, list[ProgrammeDownloads]] = defaultdict(list)
    region_names: dict[str, str] = {}
    for item in programmes:
        periods = periods_by_programme[item.pk]
        if not periods:
            continue
        region_names[item.region.code] = item.region.name
        regions[item.region.code].append(
            ProgrammeDownloads(
                slug=item.slug,
                name=item.name,
                region_code=item.region.code,
                region_name=item.region.name,
                periods=tuple(
                    PeriodDownloads(p.peildatum, str(p.label), p.is_closed, report_counts[p.pk])
                    for p in periods
                ),
                projects=tuple(
                    ProjectDownloads(
                        pk=project.pk,
                        number=project.number,
                        title=project.title,
                        status_label=str(project.get_status_display()),
                        cells=tuple(
                            ProjectCell(
                                p.peildatum, str(p.label), reports.get((project.pk, p.pk), "")
                            )
                            for p in periods
                        ),
                    )
                    for project in projects_by_programme[item.pk]
                ),
            )
        )
    seen_regions: dict[str, str] = {}
    for item in visible:
        seen_regions.setdefault(item.region.code, item.region.name)
    peildatums = sorted({p.peildatum for p in all_periods}, reverse=True)
    return DownloadIndex(
        regions=tuple(
            RegionDownloads(code, region_names[code], tuple(items))
            for code, items in regions.items()
        ),
        region_choices=tuple(Choice(code, name) for code, name in seen_regions.items()),
        programme_choices=tuple(Choice(p.slug, f"{p.name} ({p.region.name})") for p in visible),
        peildatum_choices=tuple(Choice(d.isoformat(), formatting.nl_date(d)) for d in peildatums),
    )
