"""Step 3 of the Excel import: write a planned import, everything or nothing.

`apply_import(...)` plans again inside one transaction (rows locked), refuses with
`PreviewOutdated` when the database changed since the preview, starts the reports the file
needs as `start_report` does, and writes everything or nothing with bulk queries, history
records included ("Import uit <bestandsnaam>" as the change reason).

This module must never write outside one transaction, write what it has not planned again
under lock, or compute a light.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from monitor import audit
from programmes import services
from programmes.imports.plan import plan_import
from programmes.imports.reading import ParsedWorkbook
from programmes.models import (
    BudgetLine,
    IndicatorValue,
    Programme,
    ProgressReport,
    ReportingPeriod,
)

CREATE_BATCH = 500


@dataclass(frozen=True)
class ImportResult:
    created_reports: int
    created_values: int
    updated_values: int
    created_budget_lines: int
    updated_budget_lines: int
    unchanged_rows: int

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.created_reports,
                self.created_values,
                self.updated_values,
                self.created_budget_lines,
                self.updated_budget_lines,
            )
        )


def change_reason(filename: str) -> str:
    return (_("Import uit %(filename)s") % {"filename": filename})[:100]


def _update_with_history(objs: list, model, fields: list[str], history: dict) -> None:
    """UPDATE ... FROM (VALUES ...) in batches, then the history records in bulk.

    Django's `bulk_update` builds a CASE WHEN per row and field in Python, which took most of
    an import's time (see docs/excel.md); one joined UPDATE per batch does the same work in
    the database. Works on SQLite (3.33+) and PostgreSQL. Only for decimal and text fields:
    their CAST is exact on both.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    pk_column = ops.quote_name(model._meta.pk.column)
    model_fields = [model._meta.get_field(name) for name in fields]
    for model_field in model_fields:
        if model_field.get_internal_type() not in ("DecimalField", "TextField", "CharField"):
            raise ValueError(f"{model_field.name}: only decimal and text fields are supported")
    aliases = ", ".join(["pk"] + [f"c{index}" for index in range(len(fields))])
    assignments = ", ".join(
        f"{ops.quote_name(f.column)} = CAST(v.c{index} AS {f.cast_db_type(connection)})"
        for index, f in enumerate(model_fields)
    )
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    for start in range(0, len(objs), CREATE_BATCH):
        batch = objs[start : start + CREATE_BATCH]
        params: list = []
        for obj in batch:
            params.append(obj.pk)
            params.extend(
                f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields
            )
        sql = (
            f"WITH v({aliases}) AS (VALUES {', '.join([row_sql] * len(batch))}) "
            f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk_column} = v.pk"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            updated = cursor.rowcount
            if updated == -1 and connection.vendor == "sqlite":
                # Python's sqlite3 does not count rows for a statement starting with WITH.
                cursor.execute("SELECT changes()")
                updated = cursor.fetchone()[0]
            if updated != len(batch):
                raise RuntimeError("An import update touched an unexpected number of rows.")
    model.history.bulk_history_create(objs, batch_size=CREATE_BATCH, update=True, **history)


class PreviewOutdated(Exception):
    """The data changed between preview and confirm; the user must look again."""


def apply_import(
    *,
    parsed: ParsedWorkbook,
    programme: Programme,
    period: ReportingPeriod,
    user,
    expected_fingerprint: str | None = None,
) -> ImportResult:
    """Write the file's changes: everything or nothing, in one transaction, bulk queries only.

    Plans again under row locks so that permissions and states are checked at the moment of
    writing; with `expected_fingerprint` (from the preview) refuses when the plan differs.
    """
    reason = change_reason(parsed.filename)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)
        plan = plan_import(parsed=parsed, programme=programme, period=period, user=user, lock=True)
        if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
            raise PreviewOutdated(
                _(
                    "De gegevens zijn veranderd sinds het voorbeeld. Bekijk het voorbeeld "
                    "opnieuw voordat u bevestigt."
                )
            )
        # Reports the file needs are started as the form starts them (prefilled from the last
        # approved report); the changes are then planned against those reports.
        new_projects = [report.project for report in plan.writes.new_reports.values()]
        if new_projects:
            services.start_reports(projects=new_projects, period=period, user=user)
            plan = plan_import(
                parsed=parsed, programme=programme, period=period, user=user, lock=True
            )
        writes = plan.writes
        now = timezone.now()
        history = {"default_user": user, "default_change_reason": reason, "default_date": now}
        for project_pk, value in writes.new_values:
            value.report = writes.touched_reports[project_pk]
        for project_pk, line in writes.new_budget:
            line.report = writes.touched_reports[project_pk]
        if writes.new_values:
            bulk_create_with_history(
                [v for _, v in writes.new_values],
                IndicatorValue,
                batch_size=CREATE_BATCH,
                **history,
            )
        if writes.changed_values:
            _update_with_history(
                writes.changed_values, IndicatorValue, sorted(writes.value_fields), history
            )
        if writes.new_budget:
            bulk_create_with_history(
                [line for _, line in writes.new_budget],
                BudgetLine,
                batch_size=CREATE_BATCH,
                **history,
            )
        if writes.changed_budget:
            _update_with_history(
                writes.changed_budget, BudgetLine, sorted(writes.budget_fields), history
            )
        # The form uses `version` for optimistic locking: an import is a save like any other.
        touched = list(writes.touched_reports.values())
        for report in touched:
            report.version += 1
            report.updated_at = now
        if touched:
            bulk_update_with_history(
                touched,
                ProgressReport,
                ["version", "updated_at"],
                batch_size=CREATE_BATCH,
                **history,
            )
            services.refresh_status(programme_ids=[programme.pk])
    audit.record(action="import.confirm", actor=user, obj=period)
    return ImportResult(
        created_reports=len(new_projects),
        created_values=len(writes.new_values),
        updated_values=len(writes.changed_values),
        created_budget_lines=len(writes.new_budget),
        updated_budget_lines=len(writes.changed_budget),
        unchanged_rows=len(plan.unchanged_rows),
    )
