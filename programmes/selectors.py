"""Reads that pages need, scoped to the user, with their joins and aggregates.

Every function takes the user (keyword-only) and returns only what that user may see, via
`programmes.permissions`. Query counts must not grow with the number of projects.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from programmes import calendar, overview, permissions
from programmes.models import Programme, Project, Region, ReportingPeriod


def region_overview(*, user) -> QuerySet[Region]:
    """The user's regions, each with its visible programmes and their project counts."""
    programmes = (
        permissions.visible_programmes(user)
        .annotate(
            project_count=Count("projects", distinct=True),
            active_count=Count(
                "projects",
                filter=Q(projects__status__in=Project.ACTIVE_STATUSES),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return (
        permissions.visible_regions(user)
        .prefetch_related(Prefetch("programmes", queryset=programmes, to_attr="visible"))
        .order_by("name")
    )


def programme_for(*, user, slug: str) -> Programme | None:
    return permissions.visible_programmes(user).select_related("region").filter(slug=slug).first()


@dataclass(frozen=True)
class RegionDashboard:
    """One region on the home page with the overviews of its visible programmes."""

    code: str
    name: str
    programmes: tuple[overview.ProgrammeOverview, ...]


@dataclass(frozen=True)
class HomeDashboard:
    regions: tuple[RegionDashboard, ...]
    region_choices: tuple[tuple[str, str], ...]  # (code, name) of every visible region
    selected_region: str  # code, or "" for all


def home_dashboard(*, user, region_code: str = "") -> HomeDashboard:
    """Per visible region its programmes at their latest period, with light counts and
    programme targets. `region_code` narrows to one region (a filter for ministry readers);
    an unknown or invisible code shows nothing rather than another region.

    Queries: visible regions, visible programmes with their region, and the fixed queries of
    `overview.programme_overviews` for all of them together.
    """
    region_choices = tuple(
        permissions.visible_regions(user).order_by("name").values_list("code", "name")
    )
    programmes = permissions.visible_programmes(user).select_related("region")
    if region_code:
        programmes = programmes.filter(region__code=region_code)
    programmes = list(programmes.order_by("region__name", "name"))
    by_region: dict[str, list[overview.ProgrammeOverview]] = {}
    for item in overview.programme_overviews(programmes=programmes, with_history=False):
        by_region.setdefault(item.programme.region_code, []).append(item)
    regions = tuple(
        RegionDashboard(code, name, tuple(by_region[code]))
        for code, name in region_choices
        if code in by_region
    )
    return HomeDashboard(regions, region_choices, region_code)


def period_by_key(*, programme: Programme, key: str) -> ReportingPeriod | None:
    """The programme's period with short key `key` ("2021-H1"); None when there is none."""
    peildatum = calendar.peildatum_for_key(key)
    if peildatum is None:
        return None
    return ReportingPeriod.objects.filter(programme=programme, peildatum=peildatum).first()


def programme_dashboard(
    *, user, slug: str, period_key: str = ""
) -> overview.ProgrammeOverview | None:
    """The programme overview at the chosen period, or None when the user may not see the
    programme (the view answers 404). An unknown period key falls back to the default."""
    programme = programme_for(user=user, slug=slug)
    if programme is None:
        return None
    period = period_by_key(programme=programme, key=period_key)
    return overview.programme_overview(programme=programme, period=period)


@dataclass(frozen=True)
class ProjectDashboard:
    programme: overview.ProgrammeInfo
    periods: tuple[overview.PeriodInfo, ...]
    project: overview.ProjectStatus


def project_dashboard(
    *, user, programme_slug: str, code: str, period_key: str = ""
) -> ProjectDashboard | None:
    """One project of a visible programme with its history, or None (404) when the
    programme is not visible to the user or has no project with this code."""
    programme = programme_for(user=user, slug=programme_slug)
    if programme is None:
        return None
    project = Project.objects.filter(programme=programme, code=code).first()
    if project is None:
        return None
    project.programme = programme  # already loaded with its region
    periods = list(ReportingPeriod.objects.filter(programme=programme).order_by("peildatum"))
    wanted = calendar.peildatum_for_key(period_key)
    period = next((p for p in periods if p.peildatum == wanted), None)
    return ProjectDashboard(
        programme=overview.programme_info(programme),
        periods=tuple(overview.period_info(p) for p in periods),
        project=overview.project_overview(project=project, period=period),
    )
