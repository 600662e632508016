"""Which fields someone else changed while a user was editing a report: the comparison
behind optimistic locking, from the history tables.

It only reads; it must never write or decide whether a save may go through.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from programmes.formatting import nl_amount, nl_number
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    FundingSource,
    IndicatorValue,
    PlanningChange,
    ProgressReport,
)
from programmes.services.errors import Change
from programmes.services.inputs import REPORT_FIELDS, ReportInput

# Amounts in euros: shown with two decimals when they have cents ("1.610.000,50").
MONEY_FIELDS = frozenset({"stated_cost_total", "stated_income_total"})


def _display(value, *, money: bool = False) -> str:
    """A value as the user typed it: amounts with two decimals when they have cents
    (`nl_amount`, as the form shows them), other numbers as they are."""
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return nl_amount(value) if money else nl_number(value)
    return str(value)


def _snapshot_of(report, activities, values, planning, budget, funding, labels) -> dict:
    """A flat {key: (label, display value)} view of a report's data, for comparisons."""
    snapshot: dict[str, tuple[str, str]] = {}
    field_labels = {f.name: str(f.verbose_name) for f in ProgressReport._meta.fields}
    for name in REPORT_FIELDS:
        snapshot[name] = (
            field_labels[name].capitalize(),
            _display(getattr(report, name), money=name in MONEY_FIELDS),
        )
    for index, row in enumerate(activities, 1):
        snapshot[f"activity-{index}"] = (
            _("Activiteit %(number)s") % {"number": index},
            _display(f"{row.activity} — {row.progress}" if row.progress else row.activity),
        )
    for row in values:
        name = labels.get(row.indicator_id, str(row.indicator_id))
        snapshot[f"value-{row.indicator_id}"] = (name, _display(row.value))
        snapshot[f"note-{row.indicator_id}"] = (
            _("%(indicator)s: toelichting") % {"indicator": name},
            _display(row.note),
        )
    for row in planning:
        snapshot[f"planning-{row.year}"] = (
            _("Planningswijziging %(year)s") % {"year": row.year},
            _display(row.changed_description),
        )
    for row in budget:
        for name, label in (
            ("budget", _("begroting")),
            ("spent", _("uitgaven")),
            ("forecast", _("prognose")),
        ):
            snapshot[f"budget-{row.year}-{name}"] = (
                f"{row.year}: {label}",
                _display(getattr(row, name), money=True),
            )
    for row in funding:
        for name in ("budgeted", "received", "committed", "to_request"):
            field = FundingLine._meta.get_field(name)
            label = str(field.verbose_name)  # type: ignore[union-attr]  # a concrete field
            snapshot[f"funding-{row.source_id}-{name}"] = (
                f"{labels.get(('source', row.source_id), row.source_id)}: {label}",
                _display(getattr(row, name), money=True),
            )
    return snapshot


def _labels(report: ProgressReport) -> dict:
    labels: dict = dict(report.project.indicators.values_list("pk", "name"))
    labels.update(
        {("source", pk): name for pk, name in FundingSource.objects.values_list("pk", "name")}
    )
    return labels


def _snapshot_current(report: ProgressReport, labels: dict) -> dict:
    return _snapshot_of(
        report,
        report.activities.order_by("order", "pk"),
        report.values.all(),
        report.planning_changes.all(),
        report.budget_lines.all(),
        report.funding_lines.all(),
        labels,
    )


def _snapshot_input(data: ReportInput, labels: dict) -> dict:
    return _snapshot_of(
        data,
        data.activities,
        data.values,
        data.planning_changes,
        data.budget_lines,
        data.funding_lines,
        labels,
    )


def _snapshot_at_version(report: ProgressReport, version: int, labels: dict) -> dict | None:
    """The report as it was when `version` was saved, from the history tables."""
    record = (
        ProgressReport.history.filter(id=report.pk, version=version)
        .order_by("-history_date")
        .first()
    )
    if record is None:
        return None
    moment = record.history_date

    def rows(model):
        return [
            row.instance if hasattr(row, "instance") else row
            for row in model.history.as_of(moment).filter(report_id=report.pk)
        ]

    return _snapshot_of(
        record,
        sorted(rows(ActivityProgress), key=lambda row: (row.order, row.pk)),
        rows(IndicatorValue),
        rows(PlanningChange),
        rows(BudgetLine),
        rows(FundingLine),
        labels,
    )


def conflicting_changes(
    *, report: ProgressReport, data: ReportInput, opened_version: int
) -> list[Change]:
    """The fields someone else changed since `opened_version` where the user's input now
    differs from what is stored: (field, the user's value, the other person's value)."""
    labels = _labels(report)
    current = _snapshot_current(report, labels)
    yours = _snapshot_input(data, labels)
    base = _snapshot_at_version(report, opened_version, labels)
    changes = []
    for key in sorted(set(current) | set(yours), key=lambda k: (k not in REPORT_FIELDS, k)):
        label, theirs = current.get(key, (yours.get(key, ("", ""))[0], "–"))
        mine = yours.get(key, (label, "–"))[1]
        if mine == theirs:
            continue
        if base is not None and base.get(key, (label, "–"))[1] == theirs:
            continue  # only the user changed this one: no conflict
        changes.append(Change(label=label, yours=mine, theirs=theirs))
    return changes
