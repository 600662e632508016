"""The dashboard's reads: what a wethouder sees first (projects that need attention, what
changed since the previous peildatum) on the home page and the programme and project pages.

Every function takes the user (keyword-only), reads only what `programmes.permissions` lets
that user see, and returns frozen plain values built from the one read model
(`programmes.overview`) and the stored status. Readers (a wethouder, the ministry; anyone who
does not manage the programme) never get a draft or returned report: the read model leaves
those out (`show_drafts=False`), so no concept figure or light reaches them. Figures from a
submitted report that is not approved yet are marked provisional ("voorlopig").

This module must never compute a light (`programmes.status` does), write anything, or run a
number of queries that grows with the number of projects or programmes.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q
from django.utils.translation import gettext

from programmes import calendar, overview, permissions, status
from programmes.models import (
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
    StoredStatus,
)
from programmes.read.context import READABLE_STATES
from programmes.read.rows import PeriodInfo, ProgrammeInfo, ProgrammeOverview, ProjectStatus
from programmes.status import Light

ZERO = Decimal("0")


def drafts_visible_in(*, user, programme_ids: Iterable[int]) -> frozenset[int]:
    """The programmes (of `programme_ids`) whose drafts the user may see on the dashboard:
    an administrator's and a manager's own programmes. Readers get none (one query)."""
    ids = list(programme_ids)
    if not user.is_authenticated or not ids:
        return frozenset()
    if user.is_superuser:
        return frozenset(ids)
    return frozenset(
        Programme.objects.filter(pk__in=ids, managers=user).values_list("pk", flat=True)
    )


# --- Aandacht nodig ----------------------------------------------------------------------------


def _first_line(text: str) -> str:
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-").strip()
        if line:
            return line
    return ""


@dataclass(frozen=True)
class AttentionItem:
    """A project whose reported or computed light is oranje or rood, with the reason."""

    project: ProjectStatus

    @property
    def light(self) -> Light:
        """The worse of the reported and the computed light (what puts it on the list)."""
        return _worst(self.project.reported_light, self.project.computed_light)

    @property
    def cause(self) -> str:
        """One line: the oorzaak, else the explanation of the light."""
        report = self.project.report
        if report is None:
            return ""
        return _first_line(report.light_cause or report.light_explanation)

    @property
    def cause_is_explanation(self) -> bool:
        """The line is the light's explanation (the report gives no separate oorzaak)."""
        report = self.project.report
        return bool(report and not report.light_cause and report.light_explanation)

    @property
    def summary(self) -> str:
        """One line of the summary, for a project whose report explains nothing."""
        report = self.project.report
        return _first_line(report.summary) if report else ""

    @property
    def recovery(self) -> str:
        """One line: how the project steers back (bijsturing)."""
        report = self.project.report
        return _first_line(report.light_recovery) if report else ""


def needs_attention(
    projects: Iterable[ProjectStatus],
) -> tuple[AttentionItem, ...]:
    """Running and planned projects with an oranje or rood light (reported or computed),
    worst first: rood before oranje, then the furthest behind (`status.attention_order`)."""
    chosen = [p for p in projects if p.is_active and p.needs_attention]
    chosen.sort(
        key=lambda p: (
            status.attention_order(
                reported=p.reported_light, computed=p.computed_light, progress=p.lowest_progress
            ),
            p.title,
        )
    )
    return tuple(AttentionItem(p) for p in chosen)


# --- Wat is er veranderd -----------------------------------------------------------------------


@dataclass(frozen=True)
class LightChange:
    code: str
    title: str
    which: str  # "reported" or "computed"
    was: Light | None
    now: Light | None


@dataclass(frozen=True)
class ProjectMention:
    code: str
    title: str
    date: datetime.date | None


@dataclass(frozen=True)
class TargetChange:
    name: str
    unit: str
    was: Decimal | None
    now: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.now is None:
            return None
        return self.now - (self.was or ZERO)


@dataclass(frozen=True)
class Changes:
    """What changed from the previous peildatum to the shown one."""

    previous: PeriodInfo | None
    current: PeriodInfo | None
    lights: tuple[LightChange, ...]
    new_reds: tuple[ProjectMention, ...]
    started: tuple[ProjectMention, ...]
    finished: tuple[ProjectMention, ...]
    targets: tuple[TargetChange, ...]
    spent: Decimal | None  # spending in the half-year of the projects reported at both
    spent_projects: int  # how many projects that sum covers

    @property
    def is_empty(self) -> bool:
        return not (
            self.lights
            or self.new_reds
            or self.started
            or self.finished
            or any(t.delta for t in self.targets)
            or self.spent
        )


def _worst(reported: Light | None, computed: Light | None) -> Light:
    return status.worst_light([light for light in (reported, computed) if light])


def changes_since_previous(
    item: ProgrammeOverview, previous_spent: dict[int, Decimal | None]
) -> Changes:
    """Compare the last two columns of the overview's matrix (the previous peildatum and the
    shown one). `previous_spent`: per project the spending stated at the previous peildatum
    (from the stored status), for the spending in the half-year."""
    current = item.period
    matrix = item.matrix_periods
    if current is None or len(matrix) < 2 or matrix[-1].pk != current.pk:
        return Changes(None, current, (), (), (), (), (), None, 0)
    previous = matrix[-2]
    lights: list[LightChange] = []
    new_reds: list[ProjectMention] = []
    for project in item.projects:
        if len(project.history) < 2:
            continue
        was, now = project.history[-2], project.history[-1]
        if now.report_pk is None:
            continue  # not reported yet at this peildatum: nothing changed, nothing known
        if was.reported_light != now.reported_light:
            lights.append(
                LightChange(
                    project.code, project.title, "reported", was.reported_light, now.reported_light
                )
            )
        if was.computed_light != now.computed_light:
            lights.append(
                LightChange(
                    project.code, project.title, "computed", was.computed_light, now.computed_light
                )
            )
        if (
            _worst(now.reported_light, now.computed_light) == Light.RED
            and _worst(was.reported_light, was.computed_light) != Light.RED
        ):
            new_reds.append(ProjectMention(project.code, project.title, None))

    def within(day: datetime.date | None) -> bool:
        return day is not None and previous.peildatum < day <= current.peildatum

    started = tuple(
        ProjectMention(p.code, p.title, p.start_date) for p in item.projects if within(p.start_date)
    )
    finished = tuple(
        ProjectMention(p.code, p.title, p.end_date)
        for p in item.projects
        if not p.is_active and within(p.end_date)
    )
    spent_now = [
        (p.budget.total_spent, previous_spent.get(p.pk))
        for p in item.projects
        if p.budget is not None and previous_spent.get(p.pk) is not None
    ]
    spent = sum((now - (was or ZERO) for now, was in spent_now), ZERO) if spent_now else None
    return Changes(
        previous=previous,
        current=current,
        lights=tuple(lights),
        new_reds=tuple(new_reds),
        started=started,
        finished=finished,
        targets=_target_changes(item),
        spent=spent,
        spent_projects=len(spent_now),
    )


def _target_changes(item: ProgrammeOverview) -> tuple[TargetChange, ...]:
    """Each programme target's realisation at the previous and the shown peildatum."""
    was: dict[int, list[Decimal]] = defaultdict(list)
    for project in item.projects:
        for row in project.indicators:
            if row.programme_target_pk is None or len(row.history) < 2:
                continue
            value = row.history[-2].realised_to_date
            if value is not None:
                was[row.programme_target_pk].append(value)
    result = []
    for target in item.targets:
        previous = target.previous_realised if target.has_own_realisation else None
        if not target.has_own_realisation and was.get(target.pk):
            previous = sum(was[target.pk], ZERO)
        result.append(TargetChange(target.name, target.unit, previous, target.realised))
    return tuple(result)


def _previous_spent(
    items: Iterable[ProgrammeOverview], drafts_of: frozenset[int]
) -> dict[int, Decimal | None]:
    """Per project the spending stored at its programme's previous peildatum, readable
    reports only unless the user sees the programme's drafts (one query)."""
    wanted = Q(pk__isnull=True)  # nothing, but still one query: the count stays the same
    for item in items:
        if len(item.matrix_periods) >= 2:
            condition = Q(period_id=item.matrix_periods[-2].pk)
            if item.programme.pk not in drafts_of:
                condition &= Q(report_state__in=READABLE_STATES)
            wanted |= condition
    rows = StoredStatus.objects.filter(wanted).values_list("project_id", "total_spent")
    return dict(rows)


# --- Pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeView:
    """A programme at one peildatum with what needs attention and what changed."""

    overview: ProgrammeOverview
    attention: tuple[AttentionItem, ...]
    changes: Changes
    shows_drafts: bool

    @property
    def other_projects(self) -> tuple[ProjectStatus, ...]:
        """The running and planned projects that need no attention."""
        return tuple(p for p in self.overview.active_projects if not p.needs_attention)


def _view(
    item: ProgrammeOverview, previous_spent: dict[int, Decimal | None], drafts: bool
) -> ProgrammeView:
    return ProgrammeView(
        overview=item,
        attention=needs_attention(item.projects),
        changes=changes_since_previous(item, previous_spent),
        shows_drafts=drafts,
    )


@dataclass(frozen=True)
class RegionHome:
    code: str
    name: str
    peildatum: datetime.date | None
    peildata: tuple[datetime.date, ...]  # to choose from, newest first
    programmes: tuple[ProgrammeView, ...]

    @property
    def key(self) -> str:
        return calendar.period_key(self.peildatum) if self.peildatum else ""

    @property
    def label(self) -> str:
        """As people say it: "peildatum 1-7-2021"."""
        if self.peildatum is None:
            return ""
        return gettext("peildatum %(date)s") % {"date": calendar.format_peildatum(self.peildatum)}

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            (
                calendar.period_key(day),
                gettext("peildatum %(date)s") % {"date": calendar.format_peildatum(day)},
            )
            for day in self.peildata
        )


@dataclass(frozen=True)
class Home:
    regions: tuple[RegionHome, ...]
    region_choices: tuple[tuple[str, str], ...]
    selected_region: str


def home(*, user, region_code: str = "", period_key: str = "") -> Home:
    """The home page: per visible region one peildatum for all its programmes (`period_key`,
    else the latest with an approved report the user may read), each programme with what
    needs attention and what changed.

    Queries: regions, programmes, managed programmes, periods, latest approved peildatum per
    region, the fixed queries of `overview.programme_overviews`, the previous spending.
    """
    region_choices = tuple(
        permissions.visible_regions(user).order_by("name").values_list("code", "name")
    )
    programmes_qs = permissions.visible_programmes(user).select_related("region")
    if region_code:
        programmes_qs = programmes_qs.filter(region__code=region_code)
    programmes = list(programmes_qs.order_by("region__name", "name"))
    ids = [p.pk for p in programmes]
    drafts_of = drafts_visible_in(user=user, programme_ids=ids)
    periods: dict[int, dict[datetime.date, ReportingPeriod]] = defaultdict(dict)
    for period in ReportingPeriod.objects.filter(programme_id__in=ids):
        periods[period.programme_id][period.peildatum] = period
    readable = Q(state__in=READABLE_STATES) | Q(period__programme_id__in=list(drafts_of))
    latest = {
        region: approved or any_report
        for region, approved, any_report in ProgressReport.objects.filter(
            Q(period__programme_id__in=ids) & readable
        )
        .values("period__programme__region_id")
        .annotate(
            approved=Max("period__peildatum", filter=Q(state=ProgressReport.State.APPROVED)),
            any_report=Max("period__peildatum"),
        )
        .values_list("period__programme__region_id", "approved", "any_report")
    }
    wanted = calendar.peildatum_for_key(period_key)
    chosen_day: dict[int, datetime.date | None] = {}
    peildata: dict[int, set[datetime.date]] = defaultdict(set)
    for programme in programmes:
        peildata[programme.region_id] |= set(periods[programme.pk])
    for region_id, days in peildata.items():
        if wanted in days:
            chosen_day[region_id] = wanted
        else:
            chosen_day[region_id] = latest.get(region_id) or (max(days) if days else None)
    chosen = {}
    for p in programmes:
        day = chosen_day.get(p.region_id)
        if day is not None and day in periods[p.pk]:
            chosen[p.pk] = periods[p.pk][day]
    items = overview.programme_overviews(
        programmes=programmes,
        with_history=False,
        periods=chosen,
        drafts_of=drafts_of,
        history_depth=2,
    )
    previous_spent = _previous_spent(items, drafts_of)
    by_region: dict[str, list[ProgrammeView]] = defaultdict(list)
    region_ids: dict[str, int] = {}
    for item in items:
        by_region[item.programme.region_code].append(
            _view(item, previous_spent, item.programme.pk in drafts_of)
        )
        region_ids[item.programme.region_code] = item.programme.region_pk
    regions = tuple(
        RegionHome(
            code=code,
            name=name,
            peildatum=chosen_day.get(region_ids[code]),
            peildata=tuple(sorted(peildata[region_ids[code]], reverse=True)),
            programmes=tuple(by_region[code]),
        )
        for code, name in region_choices
        if code in by_region
    )
    return Home(regions, region_choices, region_code)


def programme_page(*, user, slug: str, period_key: str = "") -> ProgrammeView | None:
    """The programme page at the chosen peildatum (default: the latest with an approved
    report the user may read), or None when the user may not see the programme (404)."""
    programme = permissions.visible_programmes(user).select_related("region").filter(slug=slug)
    found = programme.first()
    if found is None:
        return None
    drafts_of = drafts_visible_in(user=user, programme_ids=[found.pk])
    wanted = calendar.peildatum_for_key(period_key)
    period = (
        ReportingPeriod.objects.filter(programme=found, peildatum=wanted).first()
        if wanted
        else None
    )
    (item,) = overview.programme_overviews(
        programmes=[found],
        periods={found.pk: period} if period else None,
        drafts_of=drafts_of,
    )
    return _view(item, _previous_spent([item], drafts_of), found.pk in drafts_of)


@dataclass(frozen=True)
class ProjectPage:
    programme: ProgrammeInfo
    periods: tuple[PeriodInfo, ...]
    project: ProjectStatus
    shows_drafts: bool


def project_page(
    *, user, programme_slug: str, code: str, period_key: str = ""
) -> ProjectPage | None:
    """One project of a visible programme with its history, or None (404)."""
    programme = (
        permissions.visible_programmes(user)
        .select_related("region")
        .filter(slug=programme_slug)
        .first()
    )
    if programme is None:
        return None
    project = Project.objects.filter(programme=programme, code=code).first()
    if project is None:
        return None
    project.programme = programme
    drafts = bool(drafts_visible_in(user=user, programme_ids=[programme.pk]))
    periods = list(ReportingPeriod.objects.filter(programme=programme).order_by("peildatum"))
    wanted = calendar.peildatum_for_key(period_key)
    period = next((p for p in periods if p.peildatum == wanted), None)
    return ProjectPage(
        programme=overview.programme_info(programme),
        periods=tuple(overview.period_info(p) for p in periods),
        project=overview.project_overview(project=project, period=period, show_drafts=drafts),
        shows_drafts=drafts,
    )
