"""The one read model of a programme and its projects: dashboard, PDFs and exports all use it.

`programme_overview(programme=..., period=...)`, `programme_overviews(programmes=[...])` and
`project_overview(project=..., period=...)` load everything with a fixed number of queries
(18 for one or several programmes, 13 for a project, whatever the number of projects or
periods) and return frozen dataclasses holding plain values only: no model instances, so a
template or a PDF cannot trigger a lazy query, and every output shows the same figures.

Typical use (a PDF or an export):

    overview = programme_overview(programme=programme, period=period)
    for group in overview.pillars:            # active projects, pillar by pillar
        for project in group.projects:        # ProjectStatus
            project.reported_light, project.computed_light, project.lights_differ
            for row in project.indicators:    # IndicatorRow: target, expected, actual, light
                ...
            project.budget                    # status.BudgetStatus or None
    overview.finished                         # completed, stopped, on hold: shown apart
    overview.targets, overview.positive_highlights, overview.adjusted_highlights

Every light, expected value, progress ratio and budget figure comes from
`programmes.status`; this module only selects the inputs for it. It must never compute a
light itself, check permissions (callers pass a programme the user may read, see
`programmes.selectors`) or write anything.

Choices made once, here:

- Which report counts: the period's report whatever its state, unless the caller builds for
  a reader (`show_drafts=False`, `drafts_of=`): then concept and returned reports are left
  out before anything is computed. Its state is exposed (`ReportInfo.state`,
  `.state_label`, `.is_approved`) so that screens and PDFs can label figures that are not
  approved yet ("voorlopig").
- A programme target's realisation: the value reported at programme level for the period
  (`ProgrammeTargetValue`) where there is one, else the sum of its indicators.
- Value at a period: the realisation entered in that period's report. The indicator light at
  a period uses that value; without one the light is grey ("geen gegevens").
- Realisation to date (programme targets, chart tables): for a cumulative indicator the
  latest value at or before the period (the stand carries forward when a project skipped a
  period); for a per-period indicator the sum of its values over the periods up to it.
- The streefwaarde at a period is the one in force at its peildatum: the newest revision
  made on or before it, otherwise the original (the first revision's previous value), so a
  later revision never silently changes an earlier light. Both are shown.
- The default period is the latest one with an approved report, so that a reader first sees
  figures a manager has approved; without approved reports the latest one with any report;
  without reports, the latest period; without periods, None (everything grey). Later
  periods stay one click away in the period filter.
- The matrix shows the periods up to and including the selected one, unless `periods` is
  given.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from django.db.models import Max, Q

from programmes.models import (
    Pillar,
    Programme,
    ProgrammeTarget,
    ProgrammeTargetValue,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from programmes.read.compute import (
    ReportFinances,
    _build_projects,
    _programme,
    realised_to_date,
    report_finances,
)
from programmes.read.context import (
    READABLE_STATES,
    _Context,
    period_info,
    programme_info,
    project_order_key,
    thresholds_for,
)
from programmes.read.rows import (
    ActivityRow,
    BudgetLineRow,
    FundingLineRow,
    Highlight,
    IndicatorPoint,
    IndicatorRow,
    PeriodInfo,
    PeriodStatus,
    PillarGroup,
    PlanLineRow,
    PlanningChangeRow,
    ProgrammeInfo,
    ProgrammeOverview,
    ProjectStatus,
    ReportInfo,
    RevisionInfo,
    TargetStatus,
)

# The public names of the read model: callers import them from here.
__all__ = [
    "ActivityRow",
    "BudgetLineRow",
    "FundingLineRow",
    "Highlight",
    "IndicatorPoint",
    "IndicatorRow",
    "PeriodInfo",
    "PeriodStatus",
    "PillarGroup",
    "PlanLineRow",
    "READABLE_STATES",
    "PlanningChangeRow",
    "ProgrammeInfo",
    "ProgrammeOverview",
    "ProjectStatus",
    "ReportFinances",
    "ReportInfo",
    "RevisionInfo",
    "TargetStatus",
    "period_info",
    "programme_info",
    "programme_overview",
    "programme_overviews",
    "project_order_key",
    "project_overview",
    "realised_to_date",
    "report_finances",
    "thresholds_for",
]


def programme_overview(
    *,
    programme: Programme,
    period: ReportingPeriod | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
    show_drafts: bool = True,
) -> ProgrammeOverview:
    """Everything the dashboard, the programme monitor PDF and the export show of a programme.

    `period` is the peildatum to show (default: the latest with a report); `periods` the
    columns of the lights matrix (default: every period up to the selected one).
    `show_drafts=False` (readers: wethouder, ministerie) leaves out every report that is not
    submitted or approved, as if it did not exist.
    """
    if period is not None and period.programme_id != programme.pk:
        raise ValueError("The period belongs to another programme.")
    (overview,) = _build_overviews(
        [programme],
        chosen={programme.pk: period} if period else {},
        matrix_periods=periods,
        drafts_of=None if show_drafts else frozenset(),
    )
    return overview


def programme_overviews(
    *,
    programmes: Iterable[Programme],
    with_history: bool = True,
    periods: dict[int, ReportingPeriod] | None = None,
    drafts_of: Collection[int] | None = None,
    history_depth: int | None = None,
) -> list[ProgrammeOverview]:
    """Several programmes, each at its default period (or `periods[programme.pk]`), with the
    same fixed number of queries as one (the home page shows every programme of a region).

    `with_history=False` leaves out the lights matrix (empty `matrix_periods` and project
    `history`): every figure of the selected period stays the same, at a tenth of the work
    for a programme with ten periods. `history_depth=2` keeps only the selected period and
    the one before it (what changed since the previous peildatum). `drafts_of`: the
    programmes whose drafts the user may see (None: all; readers pass an empty set).
    """
    programmes = list(programmes)
    if not programmes:
        return []
    return _build_overviews(
        programmes,
        chosen=dict(periods or {}),
        matrix_periods=None if with_history or history_depth else (),
        drafts_of=drafts_of,
        history_depth=history_depth,
    )


def project_overview(
    *,
    project: Project,
    period: ReportingPeriod | None = None,
    periods: Sequence[ReportingPeriod] | None = None,
    show_drafts: bool = True,
) -> ProjectStatus:
    """One project as the programme overview shows it, with its history for the charts.

    Built by the same code as `programme_overview`, so the project page, the project PDF and
    the programme dashboard show the same light for the same period. The default period is
    the latest with a report of this project.
    """
    programme = project.programme
    if period is not None and period.programme_id != programme.pk:
        raise ValueError("The period belongs to another programme.")
    periods_by_programme = _load_periods([programme.pk])
    readable = Q() if show_drafts else Q(state__in=READABLE_STATES)
    latest = {} if period else _latest_reported(Q(project=project) & readable)
    context = _context(
        programme,
        periods_by_programme[programme.pk],
        chosen=period,
        latest=latest.get(programme.pk),
        matrix_periods=periods,
        show_drafts=show_drafts,
    )
    (result,) = _build_projects(Project.objects.filter(pk=project.pk), {programme.pk: context})
    return result


def _build_overviews(
    programmes: list[Programme],
    *,
    chosen: dict[int, ReportingPeriod],
    matrix_periods: Sequence[ReportingPeriod] | None,
    drafts_of: Collection[int] | None = None,
    history_depth: int | None = None,
) -> list[ProgrammeOverview]:
    """Queries: regions (only when not loaded yet), periods, latest reported period, the
    project queries of `_build_projects`, pillars, targets and their revisions, the targets'
    programme-level realisations."""
    if any("region" not in p._state.fields_cache for p in programmes):
        by_pk = Programme.objects.select_related("region").in_bulk([p.pk for p in programmes])
        programmes = [by_pk[p.pk] for p in programmes]
    ids = [p.pk for p in programmes]
    periods_by_programme = _load_periods(ids)
    missing = [pk for pk in ids if pk not in chosen]
    readable = (
        Q()
        if drafts_of is None
        else Q(state__in=READABLE_STATES) | Q(period__programme_id__in=list(drafts_of))
    )
    latest = _latest_reported(Q(period__programme_id__in=missing) & readable) if missing else {}
    contexts = {
        p.pk: _context(
            p,
            periods_by_programme[p.pk],
            chosen=chosen.get(p.pk),
            latest=latest.get(p.pk),
            matrix_periods=matrix_periods,
            show_drafts=drafts_of is None or p.pk in drafts_of,
            history_depth=history_depth,
        )
        for p in programmes
    }
    projects_by_programme: dict[int, list[ProjectStatus]] = defaultdict(list)
    for project in _build_projects(Project.objects.filter(programme_id__in=ids), contexts):
        projects_by_programme[project.programme_pk].append(project)
    pillars_by_programme: dict[int, list[Pillar]] = defaultdict(list)
    for pillar in Pillar.objects.filter(programme_id__in=ids).order_by("order", "name"):
        pillars_by_programme[pillar.programme_id].append(pillar)
    targets_by_programme: dict[int, list[ProgrammeTarget]] = defaultdict(list)
    for target in (
        ProgrammeTarget.objects.filter(programme_id__in=ids)
        .order_by("order", "name")
        .prefetch_related("revisions")
    ):
        targets_by_programme[target.programme_id].append(target)
    target_values = {
        (target_id, period_id): (value, source)
        for target_id, period_id, value, source in ProgrammeTargetValue.objects.filter(
            target__programme_id__in=ids
        )
        .order_by()
        .values_list("target_id", "period_id", "value", "source")
    }
    return [
        _programme(
            programme,
            contexts[programme.pk],
            projects_by_programme[programme.pk],
            pillars_by_programme[programme.pk],
            targets_by_programme[programme.pk],
            target_values,
        )
        for programme in programmes
    ]


def _load_periods(programme_ids: list[int]) -> dict[int, list[ReportingPeriod]]:
    periods: dict[int, list[ReportingPeriod]] = {pk: [] for pk in programme_ids}
    for period in ReportingPeriod.objects.filter(programme_id__in=programme_ids).order_by(
        "peildatum"
    ):
        periods[period.programme_id].append(period)
    return periods


def _latest_reported(condition: Q) -> dict[int, datetime.date]:
    """Per programme, the latest peildatum with an approved report matching `condition`, or
    without any approved one the latest with any report (one query)."""
    rows = (
        ProgressReport.objects.filter(condition)
        .values("period__programme_id")
        .annotate(
            latest_approved=Max("period__peildatum", filter=Q(state=ProgressReport.State.APPROVED)),
            latest=Max("period__peildatum"),
        )
        .values_list("period__programme_id", "latest_approved", "latest")
    )
    return {programme: approved or latest for programme, approved, latest in rows}


def _context(
    programme: Programme,
    periods: list[ReportingPeriod],
    *,
    chosen: ReportingPeriod | None,
    latest: datetime.date | None,
    matrix_periods: Sequence[ReportingPeriod] | None,
    show_drafts: bool = True,
    history_depth: int | None = None,
) -> _Context:
    all_periods = tuple(period_info(p) for p in periods)
    if chosen is not None:
        selected = period_info(chosen)
    elif all_periods:
        selected = next((p for p in all_periods if p.peildatum == latest), all_periods[-1])
    else:
        selected = None
    if matrix_periods is not None:
        matrix = tuple(period_info(p) for p in sorted(matrix_periods, key=lambda p: p.peildatum))
    elif selected is not None:
        matrix = tuple(p for p in all_periods if p.peildatum <= selected.peildatum)
    else:
        matrix = ()
    if history_depth is not None:
        matrix = matrix[-history_depth:]
    return _Context(
        programme_slug=programme.slug,
        all_periods=all_periods,
        selected=selected,
        matrix=matrix,
        thresholds=thresholds_for(programme),
        programme_start=programme.start_date,
        programme_end=programme.end_date,
        show_drafts=show_drafts,
    )
