"""Forms of user management: the invitation (role and scope, limited to what the inviting
user may hand out). The checks themselves are in monitor/accounts_users.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitor import accounts_users
from programmes.models import Programme, Project, Region


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"))
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rol"))
    regions = forms.ModelMultipleChoiceField(
        label=_("Regio's (voor een lezer)"), queryset=Region.objects.none(), required=False
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Programma's (voor een programmamanager)"),
        queryset=Programme.objects.none(),
        required=False,
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projecten (voor een programmacoördinator)"),
        queryset=Project.objects.none(),
        required=False,
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            accounts_users.MANAGER: _("Programmamanager"),
            accounts_users.COORDINATOR: _("Programmacoördinator"),
            accounts_users.READER: _("Lezer (bijv. wethouder)"),
            accounts_users.MINISTRY: _("Ministerie"),
        }
        self.fields["role"].choices = [
            (role, labels[role]) for role in accounts_users.roles_for(by)
        ]
        programmes = accounts_users.managed_programmes(by).select_related("region")
        self.fields["programmes"].queryset = programmes.order_by("name")
        self.fields["regions"].queryset = (
            Region.objects.filter(programmes__in=programmes).distinct().order_by("name")
        )
        self.fields["projects"].queryset = (
            Project.objects.filter(programme__in=programmes)
            .select_related("programme")
            .order_by("programme__name", "title")
        )
        if not by.is_superuser:
            del self.fields["programmes"]

    def invitation(self) -> accounts_users.Invitation:
        data = self.cleaned_data
        return accounts_users.Invitation(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            regions=tuple(data.get("regions") or ()),
            programmes=tuple(data.get("programmes") or ()),
            projects=tuple(data.get("projects") or ()),
        )
