"""Progress reports and their rows in the admin. A report is read-only here unless
`permissions.report_is_editable` (a draft or returned report in an open period): approved,
submitted and closed-period reports and their rows can be neither changed nor deleted.
Reports are not added here: they start in the application, prefilled by
`services.start_report`.

It must never write a workflow field (state, submitted/reviewed who and when, return reason,
version from a form) and never change a row without a reason in its history.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from programmes import models, permissions
from programmes.admin.scope import ManagedProgrammesAdmin, ScopedChoicesMixin

# Written only by the report workflow services.
REPORT_WORKFLOW_FIELDS = [
    "state",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "return_reason",
    "version",
]


def _record(obj, request) -> None:
    """Who changes `obj` here and why, for its history."""
    obj._history_user = request.user
    obj._change_reason = gettext("Gewijzigd in het beheer")


class ReportRowInline(ScopedChoicesMixin):
    """A row of a report: added, changed or deleted only while the report is editable."""

    extra = 0

    def _report_is_editable(self, report) -> bool:
        return report is not None and permissions.report_is_editable(report)

    def has_add_permission(self, request, obj=None):
        return self._report_is_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._report_is_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._report_is_editable(obj) and super().has_delete_permission(request, obj)


class ActivityProgressInline(ReportRowInline, admin.StackedInline):
    model = models.ActivityProgress


class IndicatorValueInline(ReportRowInline, admin.TabularInline):
    model = models.IndicatorValue
    autocomplete_fields = ["indicator"]


class PlanningChangeInline(ReportRowInline, admin.TabularInline):
    model = models.PlanningChange


class BudgetLineInline(ReportRowInline, admin.TabularInline):
    model = models.BudgetLine


class FundingLineInline(ReportRowInline, admin.TabularInline):
    model = models.FundingLine


@admin.register(models.ProgressReport)
class ProgressReportAdmin(ManagedProgrammesAdmin):
    """Reports are started in the application (prefilled from the last approved report), so
    not added here; an editable report can be corrected here, with a reason in history."""

    programme_path = "project__programme"
    list_display = ["project", "period", "state", "reported_light", "highlight", "is_demo_data"]
    list_filter = [
        "state",
        "reported_light",
        "highlight",
        "is_demo_data",
        ("project__programme__region", admin.RelatedOnlyFieldListFilter),
        ("project__programme", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["project__title", "project__code", "summary"]
    list_select_related = ["project", "period"]
    readonly_fields = ["project", "period", *REPORT_WORKFLOW_FIELDS]
    inlines = [
        ActivityProgressInline,
        IndicatorValueInline,
        PlanningChangeInline,
        BudgetLineInline,
        FundingLineInline,
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        editable = obj is None or permissions.report_is_editable(obj)
        return editable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        editable = obj is None or permissions.report_is_editable(obj)
        return editable and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # Checked again under a row lock: the report may have been submitted since the form
        # was opened. Workflow fields are written back as stored, never from the form's copy.
        # The version goes up, so a coordinator who opened the form before is told.
        stored = (
            models.ProgressReport.objects.select_for_update()
            .select_related("period")
            .get(pk=obj.pk)
        )
        if not permissions.report_is_editable(stored):
            raise PermissionDenied(permissions.edit_refusal(stored))
        for name in REPORT_WORKFLOW_FIELDS:
            setattr(obj, name, getattr(stored, name))
        obj.version = stored.version + 1
        _record(obj, request)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            _record(row, request)
            row.save()
        for row in formset.deleted_objects:
            _record(row, request)
            row.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        _record(obj, request)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            self.delete_model(request, report)
