"""Reads for the "Rapporten" page: every report a user may download, by region, programme
and period.

Scoped through programmes.permissions and loaded with three or four queries whatever the
number of regions and projects (programmes with their region, periods, then either the
report counts of one period per programme or the projects and reports of the programmes
chosen). A user who sees several regions chooses one, or a programme, before per-project
downloads are listed. Returns frozen dataclasses of plain values. It must never render a
PDF or compute a light.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext

from programmes import formatting, permissions
from programmes.models import Programme, ProgressReport, Project, ReportingPeriod


@dataclass(frozen=True)
class ProjectCell:
    peildatum: datetime.date
    label: str  # "peildatum 1-7-2021"
    state_label: str  # "" when no report was made for the period
    url: str  # the PDF's address
    description: str  # "voortgangsrapportage ZorgStart, peildatum 1-7-2021", for screen readers


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
    projects: tuple[ProjectDownloads, ...]  # their cells: the first project_columns periods
    project_columns: tuple[PeriodDownloads, ...]
    earlier_peildatums: int  # periods left out of the per-project table


@dataclass(frozen=True)
class RegionDownloads:
    code: str
    name: str
    programmes: tuple[ProgrammeDownloads, ...]

    @property
    def peildatums(self) -> list[datetime.date]:
        """The peildatums of any of its programmes, newest first: one region monitor each."""
        return sorted({p.peildatum for prog in self.programmes for p in prog.periods}, reverse=True)


@dataclass(frozen=True)
class ProgrammeSummary:
    """A programme on the page before a choice: its reports of one peildatum."""

    slug: str
    name: str
    period: PeriodDownloads  # the chosen peildatum, else the latest
    period_count: int


@dataclass(frozen=True)
class RegionSummary:
    code: str
    name: str
    programmes: tuple[ProgrammeSummary, ...]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class DownloadIndex:
    # True when the user sees several regions and chose neither a region nor a programme:
    # the page then lists `summaries` (programme reports only), never per-project downloads.
    needs_choice: bool
    regions: tuple[RegionDownloads, ...]  # empty when needs_choice
    summaries: tuple[RegionSummary, ...]  # empty unless needs_choice
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
    slug and a peildatum. The choices always list everything the user may see.

    A user who sees more than one region must choose a region or a programme before the
    per-project downloads are listed (at national size they are 84,000 links); until then
    every programme is listed with its reports of one peildatum. Three queries without a
    choice, four with one, whatever the number of regions, programmes or projects.
    """
    visible = list(
        permissions.visible_programmes(user)
        .select_related("region")
        .order_by("region__name", "name", "pk")
    )
    all_periods = list(
        ReportingPeriod.objects.filter(programme__in=visible)
        .only("pk", "programme_id", "peildatum", "is_closed")
        .order_by("-peildatum", "pk")
    )
    periods_by_programme: dict[int, list[ReportingPeriod]] = defaultdict(list)
    for period in all_periods:
        if peildatum is None or period.peildatum == peildatum:
            periods_by_programme[period.programme_id].append(period)
    regions_seen: dict[str, str] = {}
    for item in visible:
        regions_seen.setdefault(item.region.code, item.region.name)
    needs_choice = len(regions_seen) > 1 and not region and not programme
    peildatums = sorted({p.peildatum for p in all_periods}, reverse=True)
    chosen = [
        p
        for p in visible
        if (not region or p.region.code == region) and (not programme or p.slug == programme)
    ]
    return DownloadIndex(
        needs_choice=needs_choice,
        regions=()
        if needs_choice
        else _listing(chosen, periods_by_programme, all_columns=peildatum is not None),
        summaries=_summaries(visible, periods_by_programme, all_periods) if needs_choice else (),
        region_choices=tuple(Choice(code, name) for code, name in regions_seen.items()),
        programme_choices=tuple(Choice(p.slug, f"{p.name} ({p.region.name})") for p in visible),
        peildatum_choices=tuple(Choice(d.isoformat(), formatting.nl_date(d)) for d in peildatums),
    )


def _summaries(
    visible: list[Programme],
    periods_by_programme: dict[int, list[ReportingPeriod]],
    all_periods: list[ReportingPeriod],
) -> tuple[RegionSummary, ...]:
    """Per region its programmes, each with its reports of the first period shown."""
    shown = {pk: periods[0] for pk, periods in periods_by_programme.items()}
    report_counts = dict(
        ProgressReport.objects.filter(period__in=[p.pk for p in shown.values()])
        .order_by()
        .values("period_id")
        .annotate(count=Count("pk"))
        .values_list("period_id", "count")
    )
    period_counts = Counter(p.programme_id for p in all_periods)
    regions: dict[tuple[str, str], list[ProgrammeSummary]] = defaultdict(list)
    for item in visible:
        period = shown.get(item.pk)
        if period is None:
            continue
        regions[(item.region.code, item.region.name)].append(
            ProgrammeSummary(
                slug=item.slug,
                name=item.name,
                period=_period_downloads(period, report_counts.get(period.pk, 0)),
                period_count=period_counts[item.pk],
            )
        )
    return tuple(RegionSummary(code, name, tuple(items)) for (code, name), items in regions.items())


def _period_downloads(period: ReportingPeriod, report_count: int) -> PeriodDownloads:
    return PeriodDownloads(period.peildatum, str(period.label), period.is_closed, report_count)


# With several programmes in view, the per-project tables show this many latest peildatums
# (a region has up to 240 projects, 20 periods make 4,800 links and a megabyte of HTML).
PROJECT_COLUMNS = 4


def _listing(
    programmes: list[Programme],
    periods_by_programme: dict[int, list[ReportingPeriod]],
    *,
    all_columns: bool,
) -> tuple[RegionDownloads, ...]:
    """Every report of the programmes chosen: per programme and period, per project. The
    per-project tables show every period when one programme is in view or a peildatum was
    chosen, otherwise the latest PROJECT_COLUMNS."""
    ids = [p.pk for p in programmes if periods_by_programme[p.pk]]
    if len(ids) > 1 and not all_columns:
        columns = {pk: periods_by_programme[pk][:PROJECT_COLUMNS] for pk in ids}
    else:
        columns = {pk: periods_by_programme[pk] for pk in ids}
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
            period__in=[p.pk for pk in ids for p in periods_by_programme[pk]]
        )
        .order_by()
        .values_list("project_id", "period_id", "state")
    }
    report_counts: Counter[int] = Counter(period_id for _project_id, period_id in reports)
    # Per period once, not per cell: a region has thousands of cells, and reverse() or a
    # {% url %} per cell cost more than the rest of the page together.
    shown = [p for pk in ids for p in columns[pk]]
    labels = {p.pk: str(p.label) for p in shown}
    dates = {p.pk: formatting.nl_date(p.peildatum) for p in shown}
    urls = {p.pk: _project_report_url(p.peildatum) for p in shown}
    description = gettext("voortgangsrapportage %(project)s, peildatum %(date)s")

    regions: dict[tuple[str, str], list[ProgrammeDownloads]] = defaultdict(list)
    for item in programmes:
        periods = periods_by_programme[item.pk]
        if not periods:
            continue
        regions[(item.region.code, item.region.name)].append(
            ProgrammeDownloads(
                slug=item.slug,
                name=item.name,
                region_code=item.region.code,
                region_name=item.region.name,
                periods=tuple(_period_downloads(p, report_counts[p.pk]) for p in periods),
                project_columns=tuple(
                    _period_downloads(p, report_counts[p.pk]) for p in columns[item.pk]
                ),
                earlier_peildatums=len(periods) - len(columns[item.pk]),
                projects=tuple(
                    ProjectDownloads(
                        pk=project.pk,
                        number=project.number,
                        title=project.title,
                        status_label=str(project.get_status_display()),
                        cells=tuple(
                            ProjectCell(
                                peildatum=p.peildatum,
                                label=labels[p.pk],
                                state_label=reports.get((project.pk, p.pk), ""),
                                url=urls[p.pk](project.pk),
                                description=description
                                % {"project": project.title, "date": dates[p.pk]},
                            )
                            for p in columns[item.pk]
                        ),
                    )
                    for project in projects_by_programme[item.pk]
                ),
            )
        )
    return tuple(
        RegionDownloads(code, name, tuple(items)) for (code, name), items in regions.items()
    )


_SAMPLE_PK = 987654321


def _project_report_url(peildatum: datetime.date) -> Callable[[int], str]:
    """The address of a project's PDF at this peildatum, for any project: one reverse()."""
    head, tail = reverse("reports:project", args=[_SAMPLE_PK, peildatum]).split(f"/{_SAMPLE_PK}/")
    return lambda pk: f"{head}/{pk}/{tail}"
