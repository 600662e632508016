"""What a programme manager sees and may choose in the admin, and the base class of every
admin with history: the scope rules in the package docstring, written down once here.

It must never widen what `programmes.permissions` lets a user read, and never revert history
(a revert would write old workflow fields back).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from programmes import models, roles, services

# How each model reaches its programme; used to scope choices for non-superusers.
PROGRAMME_PATHS = {
    models.Region: "programmes",
    models.Programme: "",
    models.Pillar: "programme",
    models.ProgrammeTarget: "programme",
    models.ReportingPeriod: "programme",
    models.Project: "programme",
    models.Indicator: "project__programme",
}

# Team fields and the role groups whose members may be chosen for them (module docstring).
TEAM_ROLES = {
    (models.Programme, "managers"): roles.MANAGER_ROLES,
    (models.Project, "coordinators"): roles.COORDINATOR_ROLES,
}


def managed(queryset, user, path: str):
    """Rows of `queryset` that belong to programmes `user` manages (all for superusers)."""
    if user.is_superuser:
        return queryset
    prefix = f"{path}__" if path else ""
    return queryset.filter(**{f"{prefix}managers": user}).distinct()


def own_regions(user):
    """The regions of the programmes `user` manages (all for superusers)."""
    return managed(models.Region.objects.all(), user, PROGRAMME_PATHS[models.Region])


def choosable_people(*, manager, role_groups, current):
    """The users a non-superuser `manager` may put on a team field (module docstring), plus
    `current`, the users already on it."""
    User = get_user_model()
    regions = own_regions(manager).values("pk")
    other_programmes = models.Programme.objects.exclude(region__in=regions)
    works_here = User.objects.filter(
        Q(managed_programmes__region__in=regions)
        | Q(coordinated_projects__programme__region__in=regions)
    ).values("pk")
    works_elsewhere = User.objects.filter(
        Q(managed_programmes__in=other_programmes)
        | Q(coordinated_projects__programme__in=other_programmes)
        | Q(viewed_regions__in=models.Region.objects.exclude(pk__in=regions))
    ).values("pk")
    reads_everything = User.objects.filter(
        Q(user_permissions__codename="view_all_regions")
        | Q(groups__permissions__codename="view_all_regions")
    ).values("pk")
    chosen = (
        User.objects.filter(is_active=True, groups__name__in=role_groups)
        .exclude(pk__in=reads_everything)
        .filter(Q(pk__in=works_here) | ~Q(pk__in=works_elsewhere))
        .values("pk")
    )
    return User.objects.filter(Q(pk__in=chosen) | Q(pk__in=current)).order_by("username")


def render_intermediate(
    model_admin, request, *, title, intro, objects, form, submit_label, action=""
):
    """The page between a click and a service call, asking for a reason or a value. With
    `action`, it posts back to the changelist as that admin action (as Django's own delete
    confirmation does)."""
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "intro": intro,
        "objects": objects,
        "form": form,
        "submit_label": submit_label,
        "action": action,
        "cancel_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    }
    return TemplateResponse(request, "admin/programmes/intermediate_form.html", context)


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
    name only regions, programmes and pillars within that scope. History is shown, never
    reverted (a revert would write old workflow fields back)."""

    programme_path = ""

    def get_queryset(self, request):
        return managed(super().get_queryset(request), request.user, self.programme_path)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        role_groups = TEAM_ROLES.get((self.model, db_field.name))
        if role_groups is not None and not request.user.is_superuser:
            kwargs["queryset"] = choosable_people(
                manager=request.user,
                role_groups=role_groups,
                current=self._current_team(request, db_field.name),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Whatever the admin changes (indicators, planned values, dates, thresholds, report rows)
    # can change lights and figures: the programme's stored status is refreshed in the same
    # transaction as the change (Django's admin wraps each change view in one).
    def _programme_pk(self, obj) -> int | None:
        path = self.programme_path
        if not path:
            return obj.pk
        *steps, last = path.split("__")
        for step in steps:
            obj = getattr(obj, step, None)
        return getattr(obj, f"{last}_id", None) if obj is not None else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.refresh_status(programme_ids=[self._programme_pk(form.instance)])

    def delete_model(self, request, obj):
        programme_pk = self._programme_pk(obj)
        super().delete_model(request, obj)
        services.refresh_status(programme_ids=[programme_pk])

    def delete_queryset(self, request, queryset):
        # One query, not one per row: the programme ids along `programme_path`.
        programme_pks = set(queryset.values_list(self.programme_path or "pk", flat=True))
        super().delete_queryset(request, queryset)
        services.refresh_status(programme_ids=programme_pks)

    def _current_team(self, request, field_name: str):
        object_id = request.resolver_match and request.resolver_match.kwargs.get("object_id")
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is None:
            return get_user_model().objects.none().values("pk")
        return getattr(obj, field_name).values("pk")

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
