"""Writing the rows of a report (activities, indicator values, planning changes, budget and
funding lines) with who and why in the history. The report form and the Excel import both
write through `sync_rows`, so they store the same rows for the same input; `prefill_report`
copies the last approved report into a new one, for the form and the import alike.

It must never check permissions or states (the calling service does) or open a
transaction of its own.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    PlanningChange,
    ProgressReport,
)

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
    delete_missing: bool = True,
) -> None:
    """Make the rows of one kind match the input: update by key, create new ones, delete
    rows whose fields are all empty. Rows the input does not mention are deleted when
    `delete_missing` (the form shows every row) and kept otherwise (an import names only
    the rows it changes)."""
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
    if delete_missing:
        for row in existing.values():
            delete_row(row, user, reason)


def prefill_report(*, report: ProgressReport, source: ProgressReport, user) -> None:
    """Copy activities, planning changes, budget and funding lines of `source` (the last
    approved report) into a new report; indicator values start empty."""
    reason = _("Overgenomen uit %(period)s") % {"period": source.period.label}
    copies: Iterable[tuple[type[models.Model], Iterable[models.Model], tuple[str, ...]]] = (
        (ActivityProgress, source.activities.all(), ("order", "year", "activity", "progress")),
        (
            PlanningChange,
            source.planning_changes.all(),
            ("year", "original_description", "changed_description"),
        ),
        (BudgetLine, source.budget_lines.all(), ("year", "budget", "spent", "forecast")),
        (
            FundingLine,
            source.funding_lines.all(),
            ("source_id", "budgeted", "received", "committed", "to_request", "note"),
        ),
    )
    for model, rows, fields in copies:
        for row in rows:
            create_row(
                model, user, reason, report=report, **{name: getattr(row, name) for name in fields}
            )
