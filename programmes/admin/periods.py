"""Reporting periods in the admin. A period is closed or reopened only with the actions
"Periode sluiten" and "Periode heropenen": an intermediate page (asking the reason, for
reopening), then `services.close_period` / `services.reopen_period`, whose refusals are shown
as messages.

It must never let a form write `is_closed`, `closed_at` or `closed_by`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes import models, services
from programmes.admin.scope import ManagedProgrammesAdmin, ScopedChoicesMixin, render_intermediate

# Written only by the period services.
PERIOD_WORKFLOW_FIELDS = ["is_closed", "closed_at", "closed_by"]


class ReportingPeriodInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.ReportingPeriod
    extra = 0
    fields = ["peildatum", "deadline", "is_closed"]
    readonly_fields = ["is_closed"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), required=True
    )


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
    fields = ["programme", "peildatum", "deadline", *PERIOD_WORKFLOW_FIELDS]
    actions = ["close_periods", "reopen_periods"]

    def get_readonly_fields(self, request, obj=None):
        # A period stays where it was made: its reports belong to that programme and date.
        fixed = ["programme", "peildatum"] if obj is not None else []
        return [*fixed, *PERIOD_WORKFLOW_FIELDS]

    @admin.action(description=_("Periode sluiten"), permissions=["change"])
    def close_periods(self, request, queryset):
        return self._through_service(
            request,
            queryset,
            action="close_periods",
            form=forms.Form(request.POST if "apply" in request.POST else None),
            title=gettext("Periode sluiten"),
            intro=gettext(
                "Na het sluiten kan niemand de rapportages van deze perioden nog wijzigen."
            ),
            done=gettext("%(period)s van %(programme)s is gesloten."),
            call=lambda period, data: services.close_period(period=period, user=request.user),
        )

    @admin.action(description=_("Periode heropenen"), permissions=["change"])
    def reopen_periods(self, request, queryset):
        return self._through_service(
            request,
            queryset,
            action="reopen_periods",
            form=ReasonForm(request.POST if "apply" in request.POST else None),
            title=gettext("Periode heropenen"),
            intro=gettext(
                "Na het heropenen kunnen concepten en teruggestuurde rapportages van deze "
                "perioden weer worden gewijzigd. De reden komt in de geschiedenis."
            ),
            done=gettext("%(period)s van %(programme)s is heropend."),
            call=lambda period, data: services.reopen_period(
                period=period, user=request.user, reason=data["reason"]
            ),
        )

    def _through_service(self, request, queryset, *, action, form, title, intro, done, call):
        """Ask on an intermediate page, then call the service for each selected period; what
        a service refuses is shown as an error message."""
        periods = list(queryset.select_related("programme"))
        if not (form.is_bound and form.is_valid()):
            return render_intermediate(
                self,
                request,
                title=title,
                intro=intro,
                objects=periods,
                form=form,
                submit_label=title,
                action=action,
            )
        for period in periods:
            names = {"period": period, "programme": period.programme}
            try:
                call(period, form.cleaned_data)
            except services.ReportingError as error:
                self.message_user(
                    request, f"{period} ({period.programme}): {error.message}", messages.ERROR
                )
            else:
                self.message_user(request, done % names, messages.SUCCESS)
        return None
