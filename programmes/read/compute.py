"""Building the read model: load a programme's projects with a fixed number of queries and
turn them, through `programmes.status`, into the rows of `programmes.read.rows`. It must
never compute a light itself (status.py does) or write anything."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from programmes import status
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    BudgetPlan,
    FundingLine,
    Indicator,
    IndicatorValue,
    Pillar,
    PlannedValue,
    PlanningChange,
    Programme,
    ProgrammeTarget,
    ProgressReport,
    Project,
    TargetRevision,
)
from programmes.read.context import (
    _REPORT_FIELDS,
    READABLE_STATES,
    _Context,
    _Loaded,
    _ReportRow,
    programme_info,
    project_order_key,
)
from programmes.read.rows import (
    ZERO,
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
    ProgrammeOverview,
    ProjectStatus,
    ReportInfo,
    RevisionInfo,
    TargetStatus,
    _budget_years,
    _sum,
)
from programmes.status import BudgetStatus, Light, Thresholds


def _build_projects(projects, contexts: dict[int, _Context]) -> list[ProjectStatus]:
    """Load the projects with a fixed number of queries and turn them into ProjectStatus.

    Queries: projects (with pillar and owner), partners, indicators, their revisions, reports,
    indicator values, planned values, the plan's cost per year, and for the selected periods'
    reports the budget lines, funding lines (with source), activities and planning changes.
    Projects come in programme order: by pillar, then as `project_order_key` says.
    """
    # Keyed lookups below need no order from the database: `.order_by()` drops the models'
    # default ordering, whose joins and sort were most of these queries' time (19 of 20 ms
    # for the indicator values of 200 projects).
    project_list = sorted(
        projects.select_related("pillar", "owner").order_by(),
        key=lambda p: (
            p.programme_id,
            p.pillar is None,
            p.pillar.order if p.pillar else 0,
            p.pillar_id or 0,
            *project_order_key(p),
        ),
    )
    project_ids = [p.pk for p in project_list]
    # Partners, indicators and revisions are grouped here rather than with prefetch_related:
    # the same number of queries, without a queryset per project (a third of the time).
    partners: dict[int, list[str]] = defaultdict(list)
    for project_id, name in (
        # In the order they were linked: the source's order ("30+ bedrijven" before "60 PO
        # scholen" where the agenda lists them so), not the alphabet.
        Project.partners.through.objects.filter(project_id__in=project_ids)
        .order_by("pk")
        .values_list("project_id", "organisation__name")
    ):
        partners[project_id].append(name)
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in Indicator.objects.filter(project_id__in=project_ids).order_by("order", "pk"):
        indicators[indicator.project_id].append(indicator)
    indicator_ids = [i.pk for items in indicators.values() for i in items]
    # The queries below filter on the ids already loaded instead of joining back to the
    # projects: at national size the join made PostgreSQL scan every indicator value in the
    # country (250,940 rows, 195 ms) to return a programme's few thousand (5 ms by id).
    revisions: dict[int, list[RevisionInfo]] = defaultdict(list)
    for indicator_id, previous, new, revised_on, reason in (
        TargetRevision.objects.filter(indicator_id__in=indicator_ids)
        .order_by("revised_on", "pk")
        .values_list("indicator_id", "previous_value", "new_value", "revised_on", "reason")
    ):
        revisions[indicator_id].append(RevisionInfo(previous, new, revised_on, reason))
    programme_of = {p.pk: p.programme_id for p in project_list}
    reports = {
        (row[1], row[2]): _ReportRow(*row)
        for row in ProgressReport.objects.filter(project_id__in=project_ids)
        .order_by()
        .values_list(*_REPORT_FIELDS)
        if row[3] in READABLE_STATES or contexts[programme_of[row[1]]].show_drafts
    }
    period_of_report = {report.pk: period_id for (_, period_id), report in reports.items()}
    loaded = _Loaded(
        partners={pk: tuple(names) for pk, names in partners.items()},
        indicators=indicators,
        revisions={pk: tuple(items) for pk, items in revisions.items()},
        reports=reports,
        values={
            (indicator_id, period_of_report[report_id]): (value, note)
            for indicator_id, report_id, value, note in IndicatorValue.objects.filter(
                report_id__in=list(period_of_report)
            )
            .order_by()
            .values_list("indicator_id", "report_id", "value", "note")
        },
        planned={
            (indicator_id, period_id): value
            for indicator_id, period_id, value in PlannedValue.objects.filter(
                indicator_id__in=indicator_ids
            )
            .order_by()
            .values_list("indicator_id", "period_id", "value")
        },
        plan_lines=_group(
            BudgetPlan.objects.filter(project_id__in=project_ids)
            .order_by("year")
            .values_list("project_id", "year", "amount"),
            PlanLineRow,
        ),
        state_labels={value: str(label) for value, label in ProgressReport.State.choices},
        highlight_labels={value: str(label) for value, label in ProgressReport.Highlight.choices},
        status_labels={value: str(label) for value, label in Project.Status.choices},
    )

    def selected_report(project: Project) -> _ReportRow | None:
        selected = contexts[project.programme_id].selected
        return loaded.reports.get((project.pk, selected.pk)) if selected else None

    selected_reports = {p.pk: selected_report(p) for p in project_list}
    report_ids = [r.pk for r in selected_reports.values() if r is not None]
    # The selected periods' tables, read as plain rows in their display order.
    budget_lines = _group(
        BudgetLine.objects.filter(report_id__in=report_ids)
        .order_by("year")
        .values_list("report_id", "year", "budget", "spent", "forecast"),
        BudgetLineRow,
    )
    funding_lines = _group(
        FundingLine.objects.filter(report_id__in=report_ids)
        .order_by("source__order", "source__name")
        .values_list(
            "report_id", "source__name", "budgeted", "received", "committed", "to_request", "note"
        ),
        FundingLineRow,
    )
    activities = _group(
        ActivityProgress.objects.filter(report_id__in=report_ids)
        .order_by("order", "pk")
        .values_list(
            "report_id", "year", "activity", "progress", "progress_indicators", "is_delayed"
        ),
        ActivityRow,
    )
    planning_changes = _group(
        PlanningChange.objects.filter(report_id__in=report_ids)
        .order_by("year")
        .values_list("report_id", "year", "original_description", "changed_description"),
        PlanningChangeRow,
    )

    result = []
    for project in project_list:
        report = selected_reports[project.pk]
        report_pk = report.pk if report else 0  # 0: no report, so no rows
        result.append(
            _project_status(
                project,
                contexts[project.programme_id],
                loaded,
                budget_lines=budget_lines.get(report_pk, []),
                funding_lines=funding_lines.get(report_pk, []),
                activities=activities.get(report_pk, []),
                planning_changes=planning_changes.get(report_pk, []),
            )
        )
    return result


def _group(rows, row_class) -> dict[int, list]:
    """Rows of (key, *fields) as `row_class(*fields)` lists per key (a report or project pk)."""
    grouped: dict[int, list] = defaultdict(list)
    for report_id, *fields in rows:
        grouped[report_id].append(row_class(*fields))
    return grouped


# --- Building --------------------------------------------------------------------------------


def _programme(
    programme: Programme,
    context: _Context,
    projects: list[ProjectStatus],
    pillars: list[Pillar],
    targets: list[ProgrammeTarget],
    target_values: dict[tuple[int, int], tuple[Decimal, str]] | None = None,
) -> ProgrammeOverview:
    active = [p for p in projects if p.is_active]
    groups = [
        PillarGroup(
            pillar.pk,
            pillar.name,
            pillar.order,
            tuple(p for p in active if p.pillar_pk == pillar.pk),
        )
        for pillar in pillars
    ]
    orphans = tuple(p for p in active if p.pillar_pk is None)
    if orphans:
        groups.append(PillarGroup(None, str(_("Overige projecten")), 10_000, orphans))
    highlights = [_highlight(p) for p in projects if p.report and p.report.highlight]
    budget, budget_years = _programme_budget(projects, context.selected, context.thresholds)
    return ProgrammeOverview(
        programme=programme_info(programme),
        period=context.selected,
        periods=context.all_periods,
        matrix_periods=context.matrix,
        pillars=tuple(groups),
        finished=tuple(p for p in projects if not p.is_active),
        targets=_targets(targets, projects, context, target_values or {}),
        positive_highlights=tuple(h for h in highlights if h.kind == "positive"),
        adjusted_highlights=tuple(h for h in highlights if h.kind == "adjusted"),
        computed_counts=status.count_lights(p.computed_light for p in active),
        reported_counts=status.count_lights(p.reported_light for p in active if p.reported_light),
        unreported_count=sum(1 for p in active if not p.reported_light),
        budget=budget,
        budget_years=budget_years,
    )


def _revisions(indicator_or_target) -> tuple[RevisionInfo, ...]:
    revisions = sorted(indicator_or_target.revisions.all(), key=lambda r: (r.revised_on, r.pk))
    return tuple(
        RevisionInfo(r.previous_value, r.new_value, r.revised_on, r.reason) for r in revisions
    )


def realised_to_date(
    *, is_cumulative: bool, values_up_to: Iterable[Decimal | None]
) -> Decimal | None:
    """Realisation up to a peildatum from the values of the periods up to it, oldest first.

    Cumulative: the latest value entered. Per period: the sum of the values entered.
    None when no value was entered at all.
    """
    entered = [v for v in values_up_to if v is not None]
    if not entered:
        return None
    return entered[-1] if is_cumulative else sum(entered, ZERO)


def _indicator_point(
    indicator: Indicator,
    project: Project,
    revisions: tuple[RevisionInfo, ...],
    planned: dict[int, Decimal],
    to_date: Decimal | None,
    period: PeriodInfo,
    context: _Context,
    loaded: _Loaded,
) -> IndicatorPoint:
    planned_value = planned.get(period.pk)
    actual = loaded.values.get((indicator.pk, period.pk), (None, ""))[0]
    start_date, target_date = status.expectation_line(
        project_start=project.start_date,
        project_end=project.end_date,
        programme_start=context.programme_start,
        programme_end=context.programme_end,
        target_date=indicator.target_date,
    )
    at = status.indicator_at(
        peildatum=period.peildatum,
        baseline=indicator.baseline,
        current_target=indicator.target_value,
        revisions=revisions,
        planned=planned_value,
        actual=actual,
        is_cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
        start_date=start_date,
        target_date=target_date,
        thresholds=context.thresholds,
    )
    return IndicatorPoint(
        period, at.target, planned_value, at.expected, actual, to_date, at.status.light
    )


def _indicator_row(
    indicator: Indicator, project: Project, context: _Context, loaded: _Loaded
) -> tuple[IndicatorRow, dict[int, Light]]:
    """The indicator at the selected period, its history, and its light per period pk."""
    revisions = loaded.revisions.get(indicator.pk, ())
    planned = {
        period.pk: loaded.planned[(indicator.pk, period.pk)]
        for period in context.all_periods
        if (indicator.pk, period.pk) in loaded.planned
    }
    # realised_to_date over (stand so far, this period's value) per period: the same rule in
    # one pass instead of rescanning the earlier periods for every period.
    to_date: dict[int, Decimal | None] = {}
    running = None
    for period in context.all_periods:
        value = loaded.values.get((indicator.pk, period.pk), (None, ""))[0]
        running = realised_to_date(
            is_cumulative=indicator.is_cumulative, values_up_to=(running, value)
        )
        to_date[period.pk] = running
    history_periods = {p.pk: p for p in context.matrix}
    if context.selected is not None:
        history_periods.setdefault(context.selected.pk, context.selected)
    points = {
        pk: _indicator_point(
            indicator, project, revisions, planned, to_date.get(pk), period, context, loaded
        )
        for pk, period in history_periods.items()
    }
    original = revisions[0].previous_value if revisions else indicator.target_value
    selected = context.selected
    if selected is None:
        row_status = status.indicator_status(
            baseline=indicator.baseline,
            target=indicator.target_value,
            expected=None,
            actual=None,
            thresholds=context.thresholds,
            higher_is_better=indicator.higher_is_better,
        )
        point = None
    else:
        point = points[selected.pk]
        row_status = status.indicator_status(
            baseline=indicator.baseline,
            target=point.target,
            expected=point.expected,
            actual=point.actual,
            thresholds=context.thresholds,
            higher_is_better=indicator.higher_is_better,
        )
    start_date, target_date = status.expectation_line(
        project_start=project.start_date,
        project_end=project.end_date,
        programme_start=context.programme_start,
        programme_end=context.programme_end,
        target_date=indicator.target_date,
    )
    basis = status.indicator_basis(
        indicator=row_status,
        peildatum=selected.peildatum if selected else None,
        start_date=start_date,
        target_date=target_date,
        planned=point.planned if point else None,
        target=point.target if point else indicator.target_value,
    )
    previous = None
    note = ""
    if selected is not None:
        earlier = [p for p in context.all_periods if p.peildatum < selected.peildatum]
        if earlier:
            previous = loaded.values.get((indicator.pk, earlier[-1].pk), (None, ""))[0]
        note = loaded.values.get((indicator.pk, selected.pk), (None, ""))[1]
    row = IndicatorRow(
        pk=indicator.pk,
        name=indicator.name,
        unit=indicator.unit,
        baseline=indicator.baseline,
        target=point.target if point else indicator.target_value,
        current_target=indicator.target_value,
        original_target=original,
        revisions=revisions,
        target_date=indicator.target_date,
        is_cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
        programme_target_pk=indicator.programme_target_id,
        planned=point.planned if point else None,
        expected=row_status.expected,
        actual=row_status.actual,
        realised_to_date=point.realised_to_date if point else None,
        previous=previous,
        note=note,
        status=row_status,
        history=tuple(points[p.pk] for p in context.matrix),
        basis=basis,
    )
    return row, {pk: point.light for pk, point in points.items()}


def _report_info(report: _ReportRow, loaded: _Loaded) -> ReportInfo:
    return ReportInfo(
        pk=report.pk,
        state=report.state,
        state_label=loaded.state_labels.get(report.state, report.state),
        is_approved=report.is_approved,
        summary=report.summary,
        reported_light=Light(report.reported_light) if report.reported_light else None,
        light_explanation=report.light_explanation,
        light_cause=report.light_cause,
        light_consequences=report.light_consequences,
        light_recovery=report.light_recovery,
        highlight=report.highlight,
        highlight_label=loaded.highlight_labels.get(report.highlight, "")
        if report.highlight
        else "",
        highlight_text=report.highlight_text,
        is_demo_data=report.is_demo_data,
        source=report.source,
        budget_note=report.budget_note,
        stated_cost_total=report.stated_cost_total,
        stated_income_total=report.stated_income_total,
        stated_totals_note=report.stated_totals_note,
        return_reason=report.return_reason,
        submitted_at=report.submitted_at,
        reviewed_at=report.reviewed_at,
        updated_at=report.updated_at,
        highlight_order=report.highlight_order,
    )


def _budget(
    lines: list[BudgetLineRow], peildatum: datetime.date | None, thresholds: Thresholds
) -> tuple[BudgetStatus | None, tuple[BudgetLineRow, ...], status.CostTotals | None]:
    """A report's cost table: its budget light and its column totals, for every surface."""
    if not lines or peildatum is None:
        return None, (), None
    rows = tuple(lines)
    years = _budget_years(rows)
    budget = status.budget_status(years, peildatum=peildatum, thresholds=thresholds)
    return budget, rows, status.cost_totals(years)


def _funding(
    lines: list[FundingLineRow],
) -> tuple[tuple[FundingLineRow, ...], status.FundingTotals | None]:
    """A report's income table and its column totals, for every surface."""
    if not lines:
        return (), None
    rows = tuple(lines)
    total = status.funding_totals(
        [
            status.FundingYear(r.source, r.budgeted, r.received, r.committed, r.to_request, r.note)
            for r in rows
        ]
    )
    return rows, total


@dataclass(frozen=True)
class ReportFinances:
    """The cost and income tables of one report with their totals, light and stated totals:
    what the report page shows, computed as the dashboard and the PDFs compute it."""

    budget: BudgetStatus | None
    budget_lines: tuple[BudgetLineRow, ...]
    budget_total: status.CostTotals | None
    funding_lines: tuple[FundingLineRow, ...]
    funding_total: status.FundingTotals | None
    report: ProgressReport

    stated_cost = ProjectStatus.stated_cost
    stated_income = ProjectStatus.stated_income


def report_finances(report: ProgressReport, thresholds: Thresholds) -> ReportFinances:
    """The finances of one report (two queries), through `_budget` and `_funding`."""
    budget_rows = [
        BudgetLineRow(line.year, line.budget, line.spent, line.forecast)
        for line in report.budget_lines.order_by("year")
    ]
    funding_rows = [
        FundingLineRow(
            line.source.name,
            line.budgeted,
            line.received,
            line.committed,
            line.to_request,
            line.note,
        )
        for line in report.funding_lines.select_related("source").order_by(
            "source__order", "source__name"
        )
    ]
    budget, budget_lines, budget_total = _budget(budget_rows, report.period.peildatum, thresholds)
    funding_lines, funding_total = _funding(funding_rows)
    return ReportFinances(budget, budget_lines, budget_total, funding_lines, funding_total, report)


def _project_status(
    project: Project,
    context: _Context,
    loaded: _Loaded,
    *,
    budget_lines: list[BudgetLineRow],
    funding_lines: list[FundingLineRow],
    activities: list[ActivityRow],
    planning_changes: list[PlanningChangeRow],
) -> ProjectStatus:
    indicator_rows = []
    lights_by_period: dict[int, list[Light]] = defaultdict(list)
    for indicator in loaded.indicators.get(project.pk, []):
        row, lights = _indicator_row(indicator, project, context, loaded)
        indicator_rows.append(row)
        for period_pk, light in lights.items():
            lights_by_period[period_pk].append(light)

    history = []
    for period in context.matrix:
        report = loaded.reports.get((project.pk, period.pk))
        computed = status.project_light(lights_by_period[period.pk])
        reported = Light(report.reported_light) if report and report.reported_light else None
        history.append(
            PeriodStatus(
                period=period,
                report_pk=report.pk if report else None,
                state=report.state if report else None,
                state_label=loaded.state_labels.get(report.state, "") if report else "",
                summary=report.summary if report else "",
                reported_light=reported,
                computed_light=computed,
                lights_differ=status.lights_differ(reported=reported, computed=computed),
            )
        )

    selected = context.selected
    report = loaded.reports.get((project.pk, selected.pk)) if selected else None
    report_info = _report_info(report, loaded) if report else None
    computed = status.project_light(row.light for row in indicator_rows)
    reported = report_info.reported_light if report_info else None
    budget, budget_rows, budget_total = _budget(
        budget_lines, selected.peildatum if selected else None, context.thresholds
    )
    funding_rows, funding_total = _funding(funding_lines)
    return ProjectStatus(
        pk=project.pk,
        code=project.code,
        number=project.number,
        title=project.title,
        status=project.status,
        status_label=loaded.status_labels.get(project.status, project.status),
        is_active=project.is_active,
        start_date=project.start_date,
        end_date=project.end_date,
        pillar_pk=project.pillar_id,
        pillar_name=project.pillar.name if project.pillar else "",
        owner=project.owner.name if project.owner else "",
        partners=loaded.partners.get(project.pk, ()),
        action=project.action,
        intended_result=project.intended_result,
        achieved_result=project.achieved_result,
        follow_up=project.follow_up,
        public_funds=project.public_funds,
        extra_info=project.extra_info,
        estimated_cost=project.estimated_cost,
        plan_lines=tuple(loaded.plan_lines.get(project.pk, ())),
        programme_pk=project.programme_id,
        programme_slug=context.programme_slug,
        period=selected,
        report=report_info,
        indicators=tuple(indicator_rows),
        computed_light=computed,
        reported_light=reported,
        lights_differ=status.lights_differ(reported=reported, computed=computed),
        explanation_required=status.explanation_required(reported=reported, computed=computed),
        budget=budget,
        budget_lines=budget_rows,
        budget_total=budget_total,
        funding_lines=funding_rows,
        funding_total=funding_total,
        activities=tuple(activities),
        planning_changes=tuple(planning_changes),
        history=tuple(history),
    )


def _highlight(project: ProjectStatus) -> Highlight:
    report = project.report
    if report is None:  # callers pass projects with a highlighted report only
        raise ValueError("A highlight needs a report.")
    return Highlight(
        project_pk=project.pk,
        project_code=project.code,
        project_title=project.title,
        kind=report.highlight,
        text=report.highlight_text or report.summary,
        state=report.state,
        state_label=report.state_label,
        order=report.highlight_order,
        reported_light=project.reported_light,
        computed_light=project.computed_light,
        computed_basis=project.computed_basis,
    )


def _targets(
    targets: list[ProgrammeTarget],
    projects: list[ProjectStatus],
    context: _Context,
    target_values: dict[tuple[int, int], tuple[Decimal, str]],
) -> tuple[TargetStatus, ...]:
    """Programme targets; realisation = the value reported at programme level for the
    selected peildatum where there is one, else the sum of the realisation to date of the
    linked indicators."""
    selected = context.selected
    earlier = [p for p in context.all_periods if selected and p.peildatum < selected.peildatum]
    previous = earlier[-1] if earlier else None
    linked: dict[int, list[IndicatorRow]] = defaultdict(list)
    for project in projects:
        for row in project.indicators:
            if row.programme_target_pk is not None:
                linked[row.programme_target_pk].append(row)
    result = []
    for target in targets:
        rows = linked.get(target.pk, [])
        own = target_values.get((target.pk, selected.pk)) if selected else None
        realised = own[0] if own else _sum(row.realised_to_date for row in rows)
        before = target_values.get((target.pk, previous.pk)) if previous else None
        revisions = _revisions(target)
        result.append(
            TargetStatus(
                pk=target.pk,
                name=target.name,
                unit=target.unit,
                target=target.target_value,
                original_target=revisions[0].previous_value if revisions else target.target_value,
                revisions=revisions,
                description=target.description,
                realised=realised,
                progress=status.target_progress(target=target.target_value, realised=realised),
                indicator_count=len(rows),
                has_own_realisation=own is not None,
                realisation_source=own[1] if own else "",
                previous_realised=before[0] if before else None,
            )
        )
    return tuple(result)


def _programme_budget(
    projects: list[ProjectStatus], selected: PeriodInfo | None, thresholds: Thresholds
) -> tuple[BudgetStatus | None, tuple[BudgetLineRow, ...]]:
    """All projects' year lines at the selected period, summed per year, through the same
    budget rule as a single project."""
    by_year: dict[int, list[BudgetLineRow]] = defaultdict(list)
    for project in projects:
        for row in project.budget_lines:
            if row.year is not None:  # year lines only, never a total
                by_year[row.year].append(row)
    if not by_year or selected is None:
        return None, ()
    rows = tuple(
        BudgetLineRow(
            year,
            _sum(r.budget for r in by_year[year]),
            _sum(r.spent for r in by_year[year]),
            _sum(r.forecast for r in by_year[year]),
        )
        for year in sorted(by_year)
    )
    budget = status.budget_status(
        _budget_years(rows), peildatum=selected.peildatum, thresholds=thresholds
    )
    return budget, rows
