"""Writing the rows of a report (activities, indicator values, planning changes, budget and
funding lines) with who and why in the history. The report form and the Excel import both
write through `sync_rows`, so they store the same rows for the same input; `prefill_report`
copies the last approved report into a new one, for the form and the import alike.

It must never check permissions or states (the calling service does) or open a
transaction of its own.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from programmes import calendar, formatting, report_data
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    Indicator,
    PlanningChange,
    ProgressReport,
    Project,
)

BATCH = 500

# The fields that identify a row within its report; they do not make a row non-empty.
ROW_KEYS = ("year", "source_id", "indicator_id")


def create_row(model: type[models.Model], user, reason: str, **values: Any) -> models.Model:
    row = model(**values)
    row._history_user = user  # type: ignore[attr-defined]
    row._change_reason = reason  # type: ignore[attr-defined]
    row.full_clean(validate_constraints=False)
    row.save()
    return row


def update_row(row: models.Model, user, reason: str, values: Mapping[str, Any]) -> None:
    """Change the fields that differ; nothing (no history record) when none does."""
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(row, name, values[name])
    row._history_user = user  # type: ignore[attr-defined]
    row._change_reason = reason  # type: ignore[attr-defined]
    row.full_clean(validate_constraints=False)
    row.save(update_fields=changed)


def delete_row(row: models.Model, user, reason: str) -> None:
    row._history_user = user  # type: ignore[attr-defined]
    row._change_reason = reason  # type: ignore[attr-defined]
    row.delete()


def _is_empty(values: Mapping[str, Any]) -> bool:
    return all(value in (None, "") for name, value in values.items() if name not in ROW_KEYS)


def sync_rows(
    *,
    existing: dict[Hashable, models.Model],
    wanted: Mapping[Hashable, Mapping[str, Any]],
    model: type[models.Model],
    user,
    reason: str,
    report: ProgressReport,
) -> None:
    """Make the rows the input names match it: update by key, create new ones, delete rows
    whose fields are now all empty. Rows the input does not name are kept: a writer changes
    only the rows it showed or was given (a form save keeps the years an import added)."""
    for key, values in wanted.items():
        row = existing.pop(key, None)
        if _is_empty(values):
            if row is not None:
                delete_row(row, user, reason)
            continue
        if row is None:
            create_row(model, user, reason, report=report, **values)
        else:
            update_row(row, user, reason, values)


# The report's own fields a new report takes over from the last approved one, as a starting
# point marked "overgenomen" (`ProgressReport.carried_over`) until edited or confirmed. The
# highlight and the stated totals belong to one peildatum and start empty.
CARRIED_FIELDS = (
    "summary",
    "budget_note",
    "reported_light",
    "light_cause",
    "light_consequences",
    "light_recovery",
    "light_explanation",
)


def carried_over_report(
    *, project: Project, period, source: ProgressReport | None, sections: Sequence[str]
) -> ProgressReport:
    """A new (unsaved) report of a project for a period, with the texts of `source` and the
    sections of it that hold content marked as carried over (not yet confirmed)."""
    if source is None:
        return ProgressReport(project=project, period=period)
    return ProgressReport(
        project=project,
        period=period,
        carried_over_from=source,
        carried_over=list(sections),
        **{name: getattr(source, name) for name in CARRIED_FIELDS},
    )


_Prefilled = type[ActivityProgress | PlanningChange | BudgetLine | FundingLine]
_PREFILLED: tuple[tuple[_Prefilled, str, tuple[str, ...]], ...] = (
    (
        ActivityProgress,
        "report",
        ("order", "year", "activity", "progress", "progress_indicators", "is_delayed"),
    ),
    (PlanningChange, "report", ("year", "original_description", "changed_description")),
    (BudgetLine, "report", ("year", "budget", "spent", "forecast")),
    (
        FundingLine,
        "report",
        ("source_id", "budgeted", "received", "committed", "to_request", "note"),
    ),
)


def prefill_reports(
    *, pairs: Sequence[tuple[ProgressReport, ProgressReport]], user, when: datetime.datetime
) -> None:
    """Copy activities, planning changes, budget and funding lines of each source (the last
    approved report) into its new report (its texts came with `carried_over_report`);
    indicator values start empty. The rows were
    validated when they were written; a fixed number of queries per distinct source period."""
    if not pairs:
        return
    target_of = {source.pk: report for report, source in pairs}
    reason_of = {
        source.pk: _("Overgenomen uit %(period)s") % {"period": source.period.label}
        for _report, source in pairs
    }
    for model, link, fields in _PREFILLED:
        by_reason: dict[str, list[models.Model]] = defaultdict(list)
        rows = model.objects.filter(**{f"{link}_id__in": list(target_of)}).order_by("pk")
        for row in rows:
            source_pk = getattr(row, f"{link}_id")
            copy = model(
                **{link: target_of[source_pk]}, **{name: getattr(row, name) for name in fields}
            )
            by_reason[reason_of[source_pk]].append(copy)
        for reason, copies in by_reason.items():
            bulk_create_with_history(
                copies,
                model,
                batch_size=BATCH,
                default_user=user,
                default_change_reason=reason,
                default_date=when,
            )


# -- Rules every writer of rows applies (the form, the import) ------------------------------


def lower_value_problem(
    indicator: Indicator, *, value: Decimal | None, note: str, previous: Decimal | None
) -> str:
    """A cumulative value lower than last period's needs a note: the Dutch message when the
    note is missing, "" when the value may be stored as it is."""
    if not report_data.is_below_previous(indicator, value=value, previous=previous):
        return ""
    if note.strip():
        return ""
    return _(
        "De waarde is lager dan vorige periode (%(previous)s) terwijl deze indicator optelt; "
        "licht toe waarom."
    ) % {"previous": formatting.nl_number(previous)}


def year_problem(project: Project, year: int) -> str:
    """Budget and planning rows exist only for the years of the project (of its programme
    when it has no dates): the Dutch message for another year, "" for one of them."""
    years = calendar.project_years(project, project.programme)
    if year in years:
        return ""
    return _("Jaar %(year)s valt buiten de looptijd van het project (%(first)s–%(last)s).") % {
        "year": year,
        "first": years[0] if years else "–",
        "last": years[-1] if years else "–",
    }
