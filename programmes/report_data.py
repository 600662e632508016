"""The figures behind one progress report, read once and handed out as frozen dataclasses.

The report form, the report page, the live light check and the workflow's completeness check
all read a report through `load_report_context`: its indicators with last period's value,
the target, the expected value and the light computed by `programmes.status`. A fixed number
of queries, however many indicators or rows a report has.

It must never write, never check permissions (callers do) and never compute a light itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes import calendar, formatting, status, text
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    FundingSource,
    Indicator,
    IndicatorValue,
    PlannedValue,
    PlanningChange,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
    TargetRevision,
)


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of a report, with everything needed to judge its value."""

    indicator: Indicator
    previous_value: Decimal | None
    value: Decimal | None
    note: str
    planned: Decimal | None
    target: Decimal
    expected: Decimal | None
    status: status.IndicatorStatus

    @property
    def light(self) -> status.Light:
        return self.status.light

    @property
    def is_below_previous(self) -> bool:
        return is_below_previous(self.indicator, value=self.value, previous=self.previous_value)


@dataclass(frozen=True)
class ReportContext:
    """A report with its indicator lines, computed light and the choices its form offers."""

    report: ProgressReport
    lines: tuple[IndicatorLine, ...]
    computed_light: status.Light
    years: tuple[int, ...]
    funding_sources: tuple[FundingSource, ...]
    previous_report: ProgressReport | None

    def line_for(self, indicator_id: int) -> IndicatorLine | None:
        for line in self.lines:
            if line.indicator.pk == indicator_id:
                return line
        return None


def is_below_previous(
    indicator: Indicator, *, value: Decimal | None, previous: Decimal | None
) -> bool:
    """A cumulative value lower than last period's: possible (a correction) but needs a note."""
    return bool(
        indicator.is_cumulative
        and value is not None
        and previous is not None
        and (value < previous if indicator.higher_is_better else value > previous)
    )


def thresholds_for(project: Project) -> status.Thresholds:
    programme = project.programme
    return status.Thresholds(green=programme.green_threshold, amber=programme.amber_threshold)


def indicator_line(
    indicator: Indicator,
    *,
    project: Project,
    peildatum: datetime.date,
    value: Decimal | None,
    note: str = "",
    previous_value: Decimal | None = None,
    planned: Decimal | None = None,
    revisions: Sequence[status.Revision] = (),
    thresholds: status.Thresholds | None = None,
) -> IndicatorLine:
    """One indicator's expected value and light at a peildatum: `status.indicator_at`, the
    same computation as the dashboard's (`programmes.overview`)."""
    start_date, target_date = status.expectation_line(
        project_start=project.start_date,
        project_end=project.end_date,
        programme_start=project.programme.start_date,
        programme_end=project.programme.end_date,
        target_date=indicator.target_date,
    )
    at = status.indicator_at(
        peildatum=peildatum,
        baseline=indicator.baseline,
        current_target=indicator.target_value,
        revisions=revisions,
        planned=planned,
        actual=value,
        is_cumulative=indicator.is_cumulative,
        higher_is_better=indicator.higher_is_better,
        start_date=start_date,
        target_date=target_date,
        thresholds=thresholds or thresholds_for(project),
    )
    return IndicatorLine(
        indicator=indicator,
        previous_value=previous_value,
        value=value,
        note=note,
        planned=planned,
        target=at.target,
        expected=at.expected,
        status=at.status,
    )


def previous_report_for(report: ProgressReport) -> ProgressReport | None:
    """The project's report of the latest earlier period, whatever its state."""
    return (
        ProgressReport.objects.filter(
            project_id=report.project_id, period__peildatum__lt=report.period.peildatum
        )
        .select_related("period")
        .order_by("-period__peildatum")
        .first()
    )


def load_report(pk: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.select_related(
            "project__programme__region", "period", "submitted_by", "reviewed_by"
        )
        .filter(pk=pk)
        .first()
    )


def load_report_context(
    report: ProgressReport, *, typed_values: Mapping[int, Decimal | None] | None = None
) -> ReportContext:
    """Everything the report's screens need. `typed_values` (indicator id -> value) replaces
    the stored values, for lights computed while the user types."""
    project = report.project
    period: ReportingPeriod = report.period
    indicators = list(Indicator.objects.filter(project_id=project.pk).order_by("order", "pk"))
    stored = {
        value.indicator_id: value for value in IndicatorValue.objects.filter(report_id=report.pk)
    }
    previous = previous_report_for(report)
    previous_values = (
        dict(
            IndicatorValue.objects.filter(report_id=previous.pk).values_list(
                "indicator_id", "value"
            )
        )
        if previous
        else {}
    )
    planned = dict(
        PlannedValue.objects.filter(
            indicator__project_id=project.pk, period_id=period.pk
        ).values_list("indicator_id", "value")
    )
    revisions: dict[int, list[TargetRevision]] = {}
    for revision in TargetRevision.objects.filter(indicator__project_id=project.pk).order_by(
        "revised_on", "pk"
    ):
        revisions.setdefault(revision.indicator_id, []).append(revision)
    thresholds = thresholds_for(project)
    lines = []
    for indicator in indicators:
        stored_value = stored.get(indicator.pk)
        if typed_values is not None and indicator.pk in typed_values:
            value = typed_values[indicator.pk]
        else:
            value = stored_value.value if stored_value else None
        lines.append(
            indicator_line(
                indicator,
                project=project,
                peildatum=period.peildatum,
                value=value,
                note=stored_value.note if stored_value else "",
                previous_value=previous_values.get(indicator.pk),
                planned=planned.get(indicator.pk),
                revisions=revisions.get(indicator.pk, ()),
                thresholds=thresholds,
            )
        )
    return ReportContext(
        report=report,
        lines=tuple(lines),
        computed_light=status.project_light(line.light for line in lines),
        years=calendar.project_years(project, project.programme),
        funding_sources=funding_sources_for(report),
        previous_report=previous,
    )


def funding_sources_for(report: ProgressReport) -> tuple[FundingSource, ...]:
    """The funding sources a report's form offers: the sources of the project's region,
    the national sources the region's programmes have used in any report, and any source
    already on this report; the ones this project used before first (`in_use`). A region
    that has used no source yet is offered every national one. Two queries at most."""
    project = report.project
    region_id = project.programme.region_id
    on_report = [line.source_id for line in report.funding_lines.all()]
    sources = FundingSource.objects.annotate(
        in_use=Exists(
            FundingLine.objects.filter(source_id=OuterRef("pk"), report__project_id=project.pk)
        ),
        used_in_region=Exists(
            FundingLine.objects.filter(
                source_id=OuterRef("pk"), report__project__programme__region_id=region_id
            )
        ),
    ).order_by("-in_use", "order", "name")
    offered = list(
        sources.filter(
            Q(region_id=region_id)
            | Q(region__isnull=True, used_in_region=True)
            | Q(pk__in=on_report)
        )
    )
    if not any(source.region_id is None for source in offered):
        offered = list(
            sources.filter(Q(region_id=region_id) | Q(region__isnull=True) | Q(pk__in=on_report))
        )
    return tuple(offered)


# -- History --------------------------------------------------------------------------------

HISTORY_TYPES = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}
HIDDEN_HISTORY_FIELDS = {
    "id",
    "report",
    "project",
    "period",
    "indicator",
    "source",
    "is_demo_data",
    "updated_at",
    "created_at",
    "version",
    "order",
}
# The year is already in the subject of these rows ("Kosten 2021").
HIDDEN_YEAR_MODELS = {"PlanningChange", "BudgetLine"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One saved change: who, when, what kind, why, and the fields that changed."""

    when: datetime.datetime
    user: str
    subject: str
    kind: str
    reason: str
    changes: tuple[FieldChange, ...]


def _history_value(model, field_name: str, value, users: Mapping[int, str]) -> str:
    if value is None or value == "":
        return formatting.EMPTY
    field = model._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return formatting.euro(value) if field_name in MONEY_FIELDS else formatting.nl_number(value)
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, datetime.datetime):
        return formatting.nl_date(timezone.localtime(value).date()) + timezone.localtime(
            value
        ).strftime(" %H:%M")
    if isinstance(value, datetime.date):
        return formatting.nl_date(value)
    if field.is_relation:
        return users.get(value, str(value))
    # History holds narratives as recorded: HTML from before they were plain text, or text.
    return text.html_to_text(str(value))


MONEY_FIELDS = {"budget", "spent", "forecast", "budgeted", "received", "committed", "to_request"}


def _subject(model, record, indicators: Mapping[int, str], sources: Mapping[int, str]) -> str:
    if model is ProgressReport:
        return str(_("Rapportage"))
    if model is IndicatorValue:
        return str(_("Indicator: %(name)s") % {"name": indicators.get(record.indicator_id, "?")})
    if model is ActivityProgress:
        return str(_("Activiteit: %(text)s") % {"text": text.html_to_text(record.activity)[:60]})
    if model is PlanningChange:
        return str(_("Planningswijziging %(year)s") % {"year": record.year})
    if model is BudgetLine:
        return str(_("Kosten %(year)s") % {"year": record.year})
    if model is FundingLine:
        return str(_("Inkomsten: %(source)s") % {"source": sources.get(record.source_id, "?")})
    return str(model._meta.verbose_name)


def report_history(report: ProgressReport) -> list[HistoryEntry]:
    """Every saved change to a report and its rows, newest first, with field-level diffs.

    One query per kind of row and one for the names of users, whatever the length."""
    indicators = dict(
        Indicator.objects.filter(project_id=report.project_id).values_list("pk", "name")
    )
    sources = dict(FundingSource.objects.values_list("pk", "name"))
    entries: list[HistoryEntry] = []
    kinds = [
        (ProgressReport, {"id": report.pk}),
        (ActivityProgress, {"report_id": report.pk}),
        (IndicatorValue, {"report_id": report.pk}),
        (PlanningChange, {"report_id": report.pk}),
        (BudgetLine, {"report_id": report.pk}),
        (FundingLine, {"report_id": report.pk}),
    ]
    loaded = []
    user_ids: set[int] = set()
    for model, filters in kinds:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in HIDDEN_HISTORY_FIELDS
            and not (f.name == "year" and model.__name__ in HIDDEN_YEAR_MODELS)
        ]
        records = list(
            model.history.filter(**filters)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        for record in records:
            user_ids.update(getattr(record, f.attname) for f in fields if f.is_relation)
        loaded.append((model, fields, records))
    user_ids.discard(None)
    users = {
        user.pk: user.get_full_name() or user.username
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }
    for model, fields, records in loaded:
        previous_by_object: dict[int, object] = {}
        for record in records:
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            changes = []
            for f in fields:
                if record.history_type == "-":
                    break
                new = getattr(record, f.attname)
                old = getattr(previous, f.attname) if previous is not None else None
                if previous is None and new in (None, ""):
                    continue
                if previous is not None and old == new:
                    continue
                changes.append(
                    FieldChange(
                        label=str(f.verbose_name).capitalize(),
                        old=_history_value(model, f.name, old, users) if previous else "",
                        new=_history_value(model, f.name, new, users),
                    )
                )
            if record.history_type == "~" and not changes and not record.history_change_reason:
                continue
            user = record.history_user
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=(user.get_full_name() or user.username) if user else str(_("onbekend")),
                    subject=_subject(model, record, indicators, sources),
                    kind=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
                    reason=record.history_change_reason or "",
                    changes=tuple(changes),
                )
            )
    # Newest first. Two records of one save can carry the same time; reversing first keeps
    # the later record of a model first among equals (the sort is stable).
    entries.reverse()
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


# -- Lists: "Mijn rapportages" and the periods of a programme -------------------------------


@dataclass(frozen=True)
class ReportRow:
    """One project in one period: its report (if started), state and deadline."""

    project: Project
    period: ReportingPeriod
    report: ProgressReport | None
    is_overdue: bool

    @property
    def state_label(self) -> str:
        if self.report is None:
            return str(_("niet begonnen"))
        return str(self.report.get_state_display())

    @property
    def state(self) -> str:
        return self.report.state if self.report else "not_started"


def _reports_by_key(projects, periods) -> dict[tuple[int, int], ProgressReport]:
    reports = ProgressReport.objects.filter(
        project_id__in=[project.pk for project in projects],
        period_id__in=[period.pk for period in periods],
    ).only("pk", "project_id", "period_id", "state", "reported_light", "updated_at", "version")
    return {(report.project_id, report.period_id): report for report in reports}


def _rows(projects, periods, today: datetime.date) -> list[ReportRow]:
    reports = _reports_by_key(projects, periods)
    rows = []
    for period in periods:
        for project in projects:
            if project.programme_id != period.programme_id or not calendar.reports_on(
                project, period.peildatum
            ):
                continue
            report = reports.get((project.pk, period.pk))
            done = report is not None and report.state in (
                ProgressReport.State.SUBMITTED,
                ProgressReport.State.APPROVED,
            )
            rows.append(
                ReportRow(
                    project=project,
                    period=period,
                    report=report,
                    is_overdue=bool(period.deadline and period.deadline < today and not done),
                )
            )
    return rows


def my_report_rows(*, user, today: datetime.date) -> list[ReportRow]:
    """The projects a user coordinates, for every open period that has begun. Three queries."""
    if not user.is_authenticated:
        return []
    projects = list(
        Project.objects.filter(coordinators=user)
        .select_related("programme__region")
        .order_by("programme__name", "number", "title")
    )
    periods = list(
        ReportingPeriod.objects.filter(
            programme_id__in={project.programme_id for project in projects},
            is_closed=False,
            peildatum__lte=today,
        ).order_by("-peildatum", "programme_id")
    )
    return _rows(projects, periods, today)


def reports_to_review(*, user) -> list[ProgressReport]:
    """Submitted reports in open periods of the programmes the user manages (all for an
    administrator)."""
    if not user.is_authenticated:
        return []
    reports = ProgressReport.objects.filter(
        state=ProgressReport.State.SUBMITTED, period__is_closed=False
    )
    if not user.is_superuser:
        reports = reports.filter(project__programme__managers=user)
    return list(
        reports.select_related("project__programme", "period", "submitted_by").order_by(
            "period__deadline", "submitted_at"
        )
    )


def managed_programmes(*, user):
    if not user.is_authenticated:
        return Programme.objects.none()
    programmes = Programme.objects.select_related("region").order_by("name")
    return programmes if user.is_superuser else programmes.filter(managers=user)


@dataclass(frozen=True)
class PeriodOverview:
    period: ReportingPeriod
    rows: tuple[ReportRow, ...]
    counts: Mapping[str, int]


def period_overview(
    *, programme: Programme, today: datetime.date | None = None
) -> list[PeriodOverview]:
    """Every period of a programme with the state of each project's report. Three queries."""
    today = today or timezone.localdate()
    projects = list(programme.projects.order_by("number", "title"))
    periods = list(programme.periods.select_related("closed_by").order_by("-peildatum"))
    rows = _rows(projects, periods, today)
    overviews = []
    for period in periods:
        period_rows = tuple(row for row in rows if row.period.pk == period.pk)
        counts: dict[str, int] = {}
        for row in period_rows:
            counts[row.state_label] = counts.get(row.state_label, 0) + 1
        overviews.append(PeriodOverview(period=period, rows=period_rows, counts=counts))
    return overviews


def report_state_counts(*, period: ReportingPeriod) -> dict[str, int]:
    """How many reports of a period are in each state (not begun included)."""
    projects = list(period.programme.projects.all())
    counts: dict[str, int] = {}
    for row in _rows(projects, [period], timezone.localdate()):
        counts[row.state_label] = counts.get(row.state_label, 0) + 1
    return counts
