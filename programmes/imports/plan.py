"""Step 2 of the Excel import: compare the file's rows with the database (the preview).

`plan_import(parsed=..., programme=..., period=..., user=...)` returns an `ImportPlan`: per row
the old and the new value, unchanged rows marked, or raises `ImportRefused` with every problem
named by sheet, row and column. Every changed row goes through the model's own field
validation (`full_clean`), as manual entry does, through the form's rules in
`programmes.services` (allowed years, a note for a lower value) and through the permission
and state rules (`programmes.permissions`). An empty cell never erases a value: it leaves what
is stored. The plan also holds the writes `apply_import` performs, and a fingerprint that
tells whether the database changed between preview and confirm.

This module must never write to the database, trust a value sent back by the browser, or
compute a light.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from programmes import permissions, services
from programmes.formatting import nl_date
from programmes.imports.reading import (
    BUDGET_FIELDS,
    COL_CODE,
    COL_INDICATOR,
    COL_NOTE,
    COL_VALUE,
    COL_YEAR,
    SHEET_BUDGET,
    SHEET_HELP,
    SHEET_INDICATORS,
    ImportIssue,
    ImportRefused,
    ParsedWorkbook,
)
from programmes.models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
)

# --- Planning --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: Decimal | str | None
    new: Decimal | str | None
    is_money: bool = False

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def is_text(self) -> bool:
        return isinstance(self.new, str)


@dataclass(frozen=True)
class RowChange:
    """One row of the file as the preview shows it: what it changes, or that it changes nothing."""

    sheet: str
    row: int
    project_code: str
    project_title: str
    subject: str  # the indicator name, or the year
    fields: tuple[FieldChange, ...]
    new_report: bool = False

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields)


@dataclass
class _Writes:
    new_reports: dict[int, ProgressReport] = field(default_factory=dict)  # by project pk
    touched_reports: dict[int, ProgressReport] = field(default_factory=dict)
    new_values: list[tuple[int, IndicatorValue]] = field(default_factory=list)  # project pk
    changed_values: list[IndicatorValue] = field(default_factory=list)
    new_budget: list[tuple[int, BudgetLine]] = field(default_factory=list)
    changed_budget: list[BudgetLine] = field(default_factory=list)
    # Only the columns that really change are updated: bulk_update's cost grows with them.
    value_fields: set[str] = field(default_factory=set)
    budget_fields: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ImportPlan:
    programme_pk: int
    period_pk: int
    filename: str
    rows: tuple[RowChange, ...]
    ignored_sheets: tuple[str, ...]
    fingerprint: str
    writes: _Writes = field(repr=False, compare=False, hash=False)

    @property
    def changed_rows(self) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if r.changed)

    @property
    def unchanged_rows(self) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if not r.changed)

    @property
    def new_report_count(self) -> int:
        return len(self.writes.new_reports)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_rows)


def _report_refusal(report: ProgressReport | None, period: ReportingPeriod, allowed: bool) -> str:
    """Why a report cannot take this import's changes, or "" when it can."""
    if period.is_closed:
        return _("de periode %(period)s is gesloten; er kan niets meer veranderen.") % {
            "period": period.label
        }
    if not allowed:
        return _("u mag de rapportage van dit project niet bewerken.")
    if report is None:
        return ""
    if report.state == ProgressReport.State.APPROVED:
        return _(
            "de rapportage van dit project voor %(period)s is goedgekeurd en kan niet meer "
            "veranderen."
        ) % {"period": period.label}
    if report.state == ProgressReport.State.SUBMITTED:
        return _(
            "de rapportage van dit project is ingediend en wacht op beoordeling; vraag de "
            "programmamanager hem terug te sturen."
        )
    if not permissions.report_is_editable(report):  # pragma: no cover - states above cover it
        return _("de rapportage van dit project kan nu niet veranderen.")
    return ""


def _validate(instance, exclude: list[str], column_for: dict[str, str]) -> list[tuple[str, str]]:
    """The model's own field validation, as manual entry runs it: (column, message) pairs."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            (column_for.get(name, ""), " ".join(str(m) for m in messages))
            for name, messages in error.message_dict.items()
        ]
    return []


def plan_import(
    *,
    parsed: ParsedWorkbook,
    programme: Programme,
    period: ReportingPeriod,
    user,
    lock: bool = False,
) -> ImportPlan:
    """Compare the file with the database: the preview, or ImportRefused with every problem.

    A fixed number of queries whatever the number of rows. With `lock` (inside a
    transaction) the period's reports are locked against concurrent changes.
    """
    if period.programme_id != programme.pk:
        raise ValueError("The period belongs to another programme.")
    issues: list[ImportIssue] = []
    if parsed.declared_programme and parsed.declared_programme != programme.slug:
        issues.append(
            ImportIssue(
                _(
                    "dit bestand is gemaakt voor programma '%(file)s', niet voor '%(here)s'. "
                    "Download het sjabloon van dit programma."
                )
                % {"file": parsed.declared_programme, "here": programme.slug},
                sheet=SHEET_HELP,
            )
        )
    if parsed.declared_peildatum and parsed.declared_peildatum != period.peildatum:
        issues.append(
            ImportIssue(
                _(
                    "dit bestand is gemaakt voor peildatum %(file)s, u importeert in peildatum "
                    "%(here)s. Download het sjabloon van deze periode."
                )
                % {"file": nl_date(parsed.declared_peildatum), "here": nl_date(period.peildatum)},
                sheet=SHEET_HELP,
            )
        )
    if issues:
        raise ImportRefused(issues)

    codes = {r.project_code for r in parsed.indicators} | {r.project_code for r in parsed.budget}
    projects = {
        p.code: p for p in Project.objects.filter(programme=programme, code__in=codes)
    }  # query 1
    for project in projects.values():
        project.programme = programme
    indicators: dict[tuple[int, str], Any] = {}
    folded: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for indicator in Indicator.objects.filter(project__in=list(projects.values())):  # query 2
        indicators[(indicator.project_id, indicator.name.strip())] = indicator
        folded[(indicator.project_id, indicator.name.strip().casefold())].append(indicator)
    report_qs = ProgressReport.objects.filter(period=period, project__in=list(projects.values()))
    if lock:
        report_qs = report_qs.select_for_update(of=("self",)).order_by("pk")
    reports = {r.project_id: r for r in report_qs}  # query 3
    for report in reports.values():
        report.period = period
    manages, coordinated = permissions.editable_project_pks(
        user=user, programme=programme
    )  # queries 4-5
    values = {
        (v.report_id, v.indicator_id): v
        for v in IndicatorValue.objects.filter(report__in=list(reports.values()))  # query 6
    }
    lines = {
        (line.report_id, line.year): line
        for line in BudgetLine.objects.filter(report__in=list(reports.values()))  # query 7
    }
    previous = _previous_reports(projects.values(), period)  # query 8
    previous_values = {
        (v.report_id, v.indicator_id): v.value
        for v in IndicatorValue.objects.filter(report_id__in=previous.values())  # query 9
    }
    # A report the import creates starts as `start_report` makes it: prefilled from the last
    # approved report. Its budget lines are the "old" values the preview shows.
    sources = services.last_approved_reports(  # query 10
        projects=[p for p in projects.values() if p.pk not in reports], before=period.peildatum
    )
    project_of_source = {report.pk: project_pk for project_pk, report in sources.items()}
    prefilled_lines = {
        (project_of_source[line.report_id], line.year): line
        for line in BudgetLine.objects.filter(report_id__in=project_of_source)  # query 11
    }

    writes = _Writes()
    rows: list[RowChange] = []
    refusal_by_project: dict[int, str] = {}

    def refusal(project: Project) -> str:
        if project.pk not in refusal_by_project:
            allowed = manages or project.pk in coordinated
            refusal_by_project[project.pk] = _report_refusal(
                reports.get(project.pk), period, allowed
            )
        return refusal_by_project[project.pk]

    def report_for(project: Project) -> tuple[ProgressReport | None, bool]:
        report = reports.get(project.pk)
        if report is not None:
            writes.touched_reports[project.pk] = report
            return report, False
        if project.pk not in writes.new_reports:
            writes.new_reports[project.pk] = ProgressReport(
                project=project, period=period, state=ProgressReport.State.DRAFT
            )
        return None, True

    def accept(sheet, row, problems, project, existing, target, changed, new) -> None:
        """A row's problems become issues; a clean row is planned as an update of the
        existing row or an insert into the project's report."""
        for column, message in problems:
            issues.append(ImportIssue(message, sheet=sheet, row=row, column=column))
        if problems:
            return
        report_for(project)
        if existing:
            changed.append(existing)
        else:
            new.append((project.pk, target))

    def unknown_project(sheet: str, row: int, code: str) -> None:
        issues.append(
            ImportIssue(
                _("projectcode '%(code)s' bestaat niet in programma %(programme)s.")
                % {"code": code, "programme": programme.name},
                sheet=sheet,
                row=row,
                column=COL_CODE,
            )
        )

    seen: dict[tuple, int] = {}
    for item in parsed.indicators:
        project = projects.get(item.project_code)
        if project is None:
            unknown_project(SHEET_INDICATORS, item.row, item.project_code)
            continue
        indicator = indicators.get((project.pk, item.indicator.strip()))
        if indicator is None:
            candidates = folded.get((project.pk, item.indicator.strip().casefold()), [])
            indicator = candidates[0] if len(candidates) == 1 else None
        if indicator is None:
            issues.append(
                ImportIssue(
                    _("project %(code)s heeft geen indicator '%(name)s'.")
                    % {"code": project.code, "name": item.indicator},
                    sheet=SHEET_INDICATORS,
                    row=item.row,
                    column=COL_INDICATOR,
                )
            )
            continue
        key = ("indicator", indicator.pk)
        if key in seen:
            issues.append(
                ImportIssue(
                    _("dubbele regel: deze indicator staat ook in rij %(row)s.")
                    % {"row": seen[key]},
                    sheet=SHEET_INDICATORS,
                    row=item.row,
                    column=COL_INDICATOR,
                )
            )
            continue
        seen[key] = item.row
        report = reports.get(project.pk)
        existing = values.get((report.pk, indicator.pk)) if report else None
        old_value = existing.value if existing else None
        old_note = existing.note if existing else ""
        new_value = item.value if item.value is not None else old_value
        new_note = item.note if item.note is not None else old_note
        previous_value = previous_values.get((previous.get(project.pk), indicator.pk))
        fields = []
        if item.value is not None:
            fields.append(FieldChange(str(_("Realisatie")), old_value, new_value))
        if item.note is not None:
            fields.append(FieldChange(str(_("Toelichting")), old_note, new_note))
        change = RowChange(
            SHEET_INDICATORS,
            item.row,
            project.code,
            project.title,
            indicator.name,
            tuple(fields),
            new_report=report is None,
        )
        rows.append(change)
        if not change.changed:
            continue
        reason = refusal(project)
        if reason:
            issues.append(ImportIssue(reason, sheet=SHEET_INDICATORS, row=item.row))
            continue
        target = existing or IndicatorValue(indicator=indicator)
        if existing:
            if new_value != old_value:
                writes.value_fields.add("value")
            if new_note != old_note:
                writes.value_fields.add("note")
        target.value, target.note = new_value, new_note
        problems = _validate(
            target, ["report", "indicator"], {"value": COL_VALUE, "note": COL_NOTE}
        )
        lower = services.lower_value_problem(
            indicator, value=new_value, note=new_note, previous=previous_value
        )
        if lower:
            problems.append((COL_NOTE, lower))
        accept(
            SHEET_INDICATORS,
            item.row,
            problems,
            project,
            existing,
            target,
            writes.changed_values,
            writes.new_values,
        )

    for item in parsed.budget:
        project = projects.get(item.project_code)
        if project is None:
            unknown_project(SHEET_BUDGET, item.row, item.project_code)
            continue
        key = ("budget", project.pk, item.year)
        if key in seen:
            issues.append(
                ImportIssue(
                    _("dubbele regel: project %(code)s, jaar %(year)s staat ook in rij %(row)s.")
                    % {"code": project.code, "year": item.year, "row": seen[key]},
                    sheet=SHEET_BUDGET,
                    row=item.row,
                    column=COL_YEAR,
                )
            )
            continue
        seen[key] = item.row
        report = reports.get(project.pk)
        existing = lines.get((report.pk, item.year)) if report else None
        shown = existing if report else prefilled_lines.get((project.pk, item.year))
        fields = []
        new_amounts = {}
        for column, attribute in BUDGET_FIELDS.items():
            old = getattr(shown, attribute) if shown else None
            given = getattr(item, attribute)
            new_amounts[attribute] = given if given is not None else old
            if given is not None:
                fields.append(FieldChange(column, old, given, is_money=True))
        change = RowChange(
            SHEET_BUDGET,
            item.row,
            project.code,
            project.title,
            str(item.year),
            tuple(fields),
            new_report=report is None,
        )
        rows.append(change)
        if not change.changed:
            continue
        reason = refusal(project)
        if reason:
            issues.append(ImportIssue(reason, sheet=SHEET_BUDGET, row=item.row))
            continue
        target = existing or BudgetLine(year=item.year)
        for attribute, amount in new_amounts.items():
            if existing and getattr(existing, attribute) != amount:
                writes.budget_fields.add(attribute)
            setattr(target, attribute, amount)
        problems = _validate(
            target, ["report"], {attribute: column for column, attribute in BUDGET_FIELDS.items()}
        )
        outside = services.year_problem(project, item.year)
        if outside:
            problems.append((COL_YEAR, outside))
        accept(
            SHEET_BUDGET,
            item.row,
            problems,
            project,
            existing,
            target,
            writes.changed_budget,
            writes.new_budget,
        )

    if issues:
        raise ImportRefused(issues)
    # Only reports that really change are touched (version, history).
    changed_projects = {pk for pk, _ in writes.new_values} | {pk for pk, _ in writes.new_budget}
    project_of_report = {r.pk: r.project_id for r in reports.values()}
    changed_projects |= {project_of_report[v.report_id] for v in writes.changed_values}
    changed_projects |= {project_of_report[line.report_id] for line in writes.changed_budget}
    writes.touched_reports = {
        pk: r for pk, r in writes.touched_reports.items() if pk in changed_projects
    }
    return ImportPlan(
        programme_pk=programme.pk,
        period_pk=period.pk,
        filename=parsed.filename,
        rows=tuple(rows),
        ignored_sheets=parsed.ignored_sheets,
        fingerprint=_fingerprint(rows),
        writes=writes,
    )


def _previous_reports(projects: Iterable[Project], period: ReportingPeriod) -> dict[int, int]:
    """Per project pk the pk of its latest earlier report, whatever its state: the report
    `load_report_context` compares with for the "lower than last period" rule. One query."""
    previous: dict[int, int] = {}
    for project_pk, report_pk in (
        ProgressReport.objects.filter(
            project__in=list(projects), period__peildatum__lt=period.peildatum
        )
        .order_by("project_id", "-period__peildatum")
        .values_list("project_id", "pk")
    ):
        previous.setdefault(project_pk, report_pk)
    return previous


def _fingerprint(rows: list[RowChange]) -> str:
    """Stable digest of the preview: if the database changed since, confirm will differ."""
    text = repr(
        [
            (r.sheet, r.row, r.project_code, r.subject, r.new_report)
            + tuple((f.label, str(f.old), str(f.new)) for f in r.fields)
            for r in rows
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()
