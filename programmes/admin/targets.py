"""Streefwaarden in the admin: typed once when an indicator or programme target is made, then
changed only with "Streefwaarde bijstellen" (an action, a link next to the value and a page
that asks the new value and the reason), which calls `services.revise_target`.

It must never let a streefwaarde of an existing target be typed over, nor let anyone type
or change a revision (its previous value is read by the service from the target itself).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes import models, permissions, services
from programmes.admin.scope import ManagedProgrammesAdmin, ScopedChoicesMixin, render_intermediate
from programmes.formatting import nl_number
from programmes.forms import DutchDecimalField


def revise_target_url(target) -> str:
    opts = target._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_revise_target", args=[target.pk])


class FixedTargetForm(forms.ModelForm):
    """The streefwaarde is typed when a target is new; afterwards it changes only through
    "Streefwaarde bijstellen", which keeps the previous value, the date and the reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("target_value")
        if field is not None and self.instance.pk is not None:
            field.disabled = True
            field.help_text = _("Wijzigen kan alleen met 'Streefwaarde bijstellen'.")


class ReviseTargetForm(forms.Form):
    new_value = DutchDecimalField(label=_("Nieuwe streefwaarde"), required=True)
    reason = forms.CharField(
        label=_("Reden"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}), required=True
    )
    revised_on = forms.DateField(
        label=_("Datum bijstelling"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leeg laten voor vandaag."),
    )


class RevisableTargetMixin:
    """For indicators and programme targets: the existing value is read-only and a link leads
    to the revision page of the target's admin."""

    form = FixedTargetForm

    @admin.display(description=_("Bijstellen"))
    def revise_target_link(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', revise_target_url(obj), gettext("Streefwaarde bijstellen")
        )


class TargetAdmin(RevisableTargetMixin, ManagedProgrammesAdmin):
    """The admin of something with a streefwaarde: the action and page "Streefwaarde
    bijstellen", which call `services.revise_target`."""

    actions = ["revise_target_action"]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/streefwaarde-bijstellen/",
                self.admin_site.admin_view(self.revise_target_view),
                name=f"{opts.app_label}_{opts.model_name}_revise_target",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Streefwaarde bijstellen"), permissions=["change"])
    def revise_target_action(self, request, queryset):
        targets = list(queryset[:2])
        if len(targets) != 1:
            self.message_user(
                request,
                gettext("Kies precies één streefwaarde om bij te stellen."),
                messages.WARNING,
            )
            return None
        return redirect(revise_target_url(targets[0]))

    def revise_target_view(self, request, object_id):
        target = self.get_object(request, unquote(object_id))
        if target is None:
            raise Http404
        if not self.has_change_permission(request, target):
            raise PermissionDenied
        form = ReviseTargetForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                revision = services.revise_target(
                    target=target, user=request.user, **form.cleaned_data
                )
            except services.ReportingError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Streefwaarde van %(target)s bijgesteld van %(old)s naar %(new)s.")
                    % {
                        "target": target,
                        "old": nl_number(revision.previous_value),
                        "new": nl_number(revision.new_value),
                    },
                    messages.SUCCESS,
                )
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", target.pk)
        return render_intermediate(
            self,
            request,
            title=gettext("Streefwaarde bijstellen"),
            intro=gettext(
                "De huidige streefwaarde is %(value)s. De oude waarde, de datum en de reden "
                "blijven bewaard en worden getoond waar de streefwaarde staat."
            )
            % {"value": nl_number(target.target_value)},
            objects=[target],
            form=form,
            submit_label=gettext("Streefwaarde bijstellen"),
        )


class TargetRevisionInline(admin.TabularInline):
    """The revisions of a target, read-only: they are written by "Streefwaarde bijstellen"."""

    model = models.TargetRevision
    extra = 0
    fields = ["revised_on", "previous_value", "new_value", "reason", "revised_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IndicatorRevisionInline(TargetRevisionInline):
    fk_name = "indicator"


class ProgrammeTargetRevisionInline(TargetRevisionInline):
    fk_name = "programme_target"


class ProgrammeTargetInline(RevisableTargetMixin, ScopedChoicesMixin, admin.TabularInline):
    model = models.ProgrammeTarget
    extra = 0
    fields = ["order", "name", "unit", "target_value", "revise_target_link"]
    readonly_fields = ["revise_target_link"]


class IndicatorInline(RevisableTargetMixin, ScopedChoicesMixin, admin.StackedInline):
    model = models.Indicator
    extra = 0
    fields = [
        ("name", "unit", "order"),
        ("baseline", "target_value", "revise_target_link", "target_date"),
        ("is_cumulative", "higher_is_better", "programme_target"),
    ]
    readonly_fields = ["revise_target_link"]


class ProgrammeTargetValueForm(forms.ModelForm):
    value = DutchDecimalField(label=_("Realisatie"), required=True)

    class Meta:
        model = models.ProgrammeTargetValue
        fields = ["period", "value", "source"]


class ProgrammeTargetValueInline(ScopedChoicesMixin, admin.TabularInline):
    """The target's realisation per peildatum as the programme reports it (instead of the sum
    of its projects' indicators), with the source it comes from."""

    model = models.ProgrammeTargetValue
    form = ProgrammeTargetValueForm
    extra = 0


@admin.register(models.ProgrammeTarget)
class ProgrammeTargetAdmin(TargetAdmin):
    programme_path = "programme"
    list_display = ["name", "programme", "target_value", "unit"]
    list_filter = [
        ("programme__region", admin.RelatedOnlyFieldListFilter),
        ("programme", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "programme__name"]
    list_select_related = ["programme"]
    fields = [
        "programme",
        "name",
        "unit",
        "target_value",
        "revise_target_link",
        "description",
        "order",
    ]
    readonly_fields = ["revise_target_link"]
    inlines = [ProgrammeTargetRevisionInline, ProgrammeTargetValueInline]


class PlannedValueInline(ScopedChoicesMixin, admin.TabularInline):
    model = models.PlannedValue
    extra = 0


@admin.register(models.Indicator)
class IndicatorAdmin(TargetAdmin):
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
    fields = [
        "project",
        "name",
        "unit",
        "order",
        "baseline",
        "target_value",
        "revise_target_link",
        "target_date",
        "is_cumulative",
        "higher_is_better",
        "programme_target",
    ]
    readonly_fields = ["revise_target_link"]
    inlines = [PlannedValueInline, IndicatorRevisionInline]

    # Deleting an indicator would delete its values in reports that can no longer change.
    def has_delete_permission(self, request, obj=None):
        if obj is not None:
            reports = models.ProgressReport.objects.filter(values__indicator=obj)
            if not all(map(permissions.report_is_editable, reports.select_related("period"))):
                return False
        return super().has_delete_permission(request, obj)
