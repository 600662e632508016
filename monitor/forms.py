"""The dashboard's filter forms (GET, no JavaScript needed). They only read and validate the
request; the filtering itself is `ProgrammeOverview.filtered`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Project
from programmes.overview import ProgrammeOverview
from programmes.status import Light

ALL = [("", _("alle"))]


class ProgrammeFilterForm(forms.Form):
    periode = forms.ChoiceField(label=_("Peildatum"), required=False)
    pijler = forms.TypedChoiceField(label=_("Pijler"), required=False, coerce=int, empty_value=None)
    licht = forms.ChoiceField(label=_("Stoplicht"), required=False, choices=ALL + Light.choices)
    fase = forms.ChoiceField(
        label=_("Fase"), required=False, choices=ALL + list(Project.Status.choices)
    )

    def __init__(self, data=None, *, overview: ProgrammeOverview):
        super().__init__(data)
        self.fields["periode"].choices = [(p.key, p.label) for p in reversed(overview.periods)]
        self.fields["periode"].initial = overview.period.key if overview.period else ""
        self.fields["pijler"].choices = ALL + [
            (str(group.pk), group.name) for group in overview.pillars if group.pk is not None
        ]

    def filters(self) -> dict:
        """Keyword arguments for `ProgrammeOverview.filtered` (call after is_valid)."""
        data = self.cleaned_data
        return {
            "pillar": data.get("pijler"),
            "light": data.get("licht") or None,
            "project_status": data.get("fase") or None,
        }

    @property
    def is_filtering(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.filters().values())


class RegionFilterForm(forms.Form):
    regio = forms.ChoiceField(label=_("Regio"), required=False)

    def __init__(self, data=None, *, regions: tuple[tuple[str, str], ...]):
        super().__init__(data)
        self.fields["regio"].choices = [("", _("alle regio's"))] + list(regions)
