"""Regions, organisations, funding sources, programmes and projects in the admin, scoped to a
programme manager's own programmes and regions (`programmes.admin.scope`).

It must never offer a non-superuser a region, programme or person outside that scope.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programmes import models
from programmes.admin.periods import ReportingPeriodInline
from programmes.admin.scope import ManagedProgrammesAdmin, ScopedChoicesMixin, own_regions
from programmes.admin.targets import IndicatorInline, ProgrammeTargetInline


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
        return super().get_queryset(request).filter(pk__in=own_regions(request.user).values("pk"))


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.FundingSource)
class FundingSourceAdmin(admin.ModelAdmin):
    """National funding sources and those of the user's own regions."""

    list_display = ["name", "kind", "region", "order"]
    list_editable = ["order"]
    list_filter = ["kind", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(Q(region__isnull=True) | Q(region__in=own_regions(request.user)))


class PillarInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.Pillar
    extra = 0
    fields = ["order", "name", "description"]


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
