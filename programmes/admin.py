"""The Django admin, set up so that a programme manager or administrator can maintain
regions, programmes, projects, indicators, periods and reports: search, filters, inlines.

Workflow transitions (submit, approve, return, close) belong to the application screens and
their services; the admin shows the state but edits to reported data are recorded in history.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from programmes import models

# How each model reaches its programme; used to scope choices for non-superusers.
PROGRAMME_PATHS = {
    models.Programme: "",
    models.Pillar: "programme",
    models.ProgrammeTarget: "programme",
    models.ReportingPeriod: "programme",
    models.Project: "programme",
    models.Indicator: "project__programme",
}


def managed(queryset, user, path: str):
    """Rows of `queryset` that belong to programmes `user` manages (all for superusers)."""
    if user.is_superuser:
        return queryset
    prefix = f"{path}__" if path else ""
    return queryset.filter(**{f"{prefix}managers": user}).distinct()


class ScopedChoicesMixin:
    """Foreign-key choices limited to the user's own programmes (admin and inlines)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related in PROGRAMME_PATHS and not request.user.is_superuser:
            kwargs["queryset"] = managed(
                related.objects.all(), request.user, PROGRAMME_PATHS[related]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ManagedProgrammesAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    """A programme manager sees and changes only the programmes they manage; an
    administrator (superuser) sees everything. `programme_path` leads from the model to its
    programme. Filters on related rows use RelatedOnlyFieldListFilter, so that their choices
    name only regions, programmes and pillars within that scope."""

    programme_path = ""

    def get_queryset(self, request):
        return managed(super().get_queryset(request), request.user, self.programme_path)


class MunicipalityInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.Municipality
    extra = 0


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    filter_horizontal = ["viewers"]
    inlines = [MunicipalityInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(programmes__managers=request.user).distinct()


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "order"]
    list_editable = ["order"]
    list_filter = ["kind", "region"]
    search_fields = ["name"]


class PillarInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.Pillar
    extra = 0
    fields = ["order", "name", "description"]


class ProgrammeTargetInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.ProgrammeTarget
    extra = 0
    fields = ["order", "name", "unit", "target_value"]


class ReportingPeriodInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.ReportingPeriod
    extra = 0
    fields = ["peildatum", "deadline", "is_closed"]


@admin.register(models.Programme)
class ProgrammeAdmin(ManagedProgrammesAdmin):
    list_display = ["name", "region", "funder", "start_date", "end_date"]
    list_filter = [("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "funder", "region__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["managers"]
    inlines = [ProgrammeTargetInline, PillarInline, ReportingPeriodInline]
    fieldsets = [
        (None, {"fields": ["region", "name", "slug", "funder", "description", "source"]}),
        (_("Looptijd"), {"fields": ["start_date", "end_date"]}),
        (_("Stoplichtdrempels"), {"fields": ["green_threshold", "amber_threshold"]}),
        (_("Programmamanagers"), {"fields": ["managers"]}),
    ]


class IndicatorInline(ScopedChoicesMixin, admin.StackedInline):
    model = models.Indicator
    extra = 0
    fields = [
        ("name", "unit", "order"),
        ("baseline", "target_value", "target_date"),
        ("is_cumulative", "higher_is_better", "programme_target"),
    ]


class BudgetPlanInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.BudgetPlan
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(ManagedProgrammesAdmin):
    programme_path = "programme"
    list_display = ["title", "code", "programme", "pillar", "status", "start_date", "end_date"]
    list_filter = [
        ("programme__region", admin.RelatedOnlyFieldListFilter),
        ("programme", admin.RelatedOnlyFieldListFilter),
        "status",
        ("pillar", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "code", "intended_result", "programme__name"]
    autocomplete_fields = ["owner", "programme"]
    filter_horizontal = ["partners", "coordinators"]
    list_select_related = ["programme", "pillar"]
    inlines = [IndicatorInline, BudgetPlanInline]
    fieldsets = [
        (None, {"fields": ["programme", "pillar", "code", "number", "title", "status"]}),
        (_("Looptijd"), {"fields": ["start_date", "end_date"]}),
        (
            _("Inhoud"),
            {
                "fields": [
                    "action",
                    "intended_result",
                    "achieved_result",
                    "follow_up",
                    "public_funds",
                    "extra_info",
                ]
            },
        ),
        (
            _("Kosten volgens het projectplan"),
            {
                "fields": ["estimated_cost"],
                "description": _("De kosten per jaar staan in de begroting per jaar hieronder."),
            },
        ),
        (_("Betrokkenen"), {"fields": ["owner", "partners", "coordinators"]}),
    ]


class PlannedValueInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.PlannedValue
    extra = 0


class TargetRevisionInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.TargetRevision
    fk_name = "indicator"
    extra = 0
    fields = ["revised_on", "previous_value", "new_value", "reason", "revised_by"]


@admin.register(models.Indicator)
class IndicatorAdmin(ManagedProgrammesAdmin):
    programme_path = "project__programme"
    list_display = ["name", "project", "target_value", "unit", "target_date", "is_cumulative"]
    list_filter = [
        ("project__programme__region", admin.RelatedOnlyFieldListFilter),
        ("project__programme", admin.RelatedOnlyFieldListFilter),
        "is_cumulative",
    ]
    search_fields = ["name", "project__title"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    inlines = [PlannedValueInline, TargetRevisionInline]

    # Deleting an indicator would delete its values in approved reports and closed periods,
    # which are immutable (issue #3).
    def has_delete_permission(self, request, obj=None):
        if obj is not None and (
            models.IndicatorValue.objects.filter(indicator=obj)
            .filter(
                Q(report__state=models.ProgressReport.State.APPROVED)
                | Q(report__period__is_closed=True)
            )
            .exists()
        ):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(ManagedProgrammesAdmin):
    programme_path = "programme"
    list_display = ["__str__", "programme", "deadline", "is_closed"]
    list_filter = [
        ("programme__region", admin.RelatedOnlyFieldListFilter),
        ("programme", admin.RelatedOnlyFieldListFilter),
        "is_closed",
    ]
    search_fields = ["programme__name"]
    date_hierarchy = "peildatum"


class ActivityProgressInline(ScopedChoicesMixin, admin.StackedInline):
    model = models.ActivityProgress
    extra = 0


class IndicatorValueInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.IndicatorValue
    extra = 0
    autocomplete_fields = ["indicator"]


class PlanningChangeInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.PlanningChange
    extra = 0


class BudgetLineInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.BudgetLine
    extra = 0


class FundingLineInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.FundingLine
    extra = 0


@admin.register(models.ProgressReport)
class ProgressReportAdmin(ManagedProgrammesAdmin):
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
    autocomplete_fields = ["project"]
    readonly_fields = ["version", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by"]
    inlines = [
        ActivityProgressInline,
        IndicatorValueInline,
        PlanningChangeInline,
        BudgetLineInline,
        FundingLineInline,
    ]

    # Approved reports and reports of closed periods are immutable, in the admin as on every
    # other screen: no change, no delete, no revert from history (issue #3).
    def _is_locked(self, obj) -> bool:
        if obj is None or obj.pk is None:
            return False
        current = (
            models.ProgressReport.objects.filter(pk=obj.pk)
            .values_list("state", "period__is_closed")
            .first()
        )
        return current is not None and (
            current[0] == models.ProgressReport.State.APPROVED or current[1]
        )

    def has_change_permission(self, request, obj=None):
        return not self._is_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_locked(obj) and super().has_delete_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            report = models.ProgressReport.objects.filter(pk=object_id).first()
            if report is None or not self.has_change_permission(request, report):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # An administrator's edit is a change like any other: it bumps the version, so a
        # coordinator who opened the form before it is told instead of overwriting it.
        if change:
            stored = models.ProgressReport.objects.values_list("version", flat=True)
            obj.version = stored.get(pk=obj.pk) + 1
        super().save_model(request, obj, form, change)
