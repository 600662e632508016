"""Views of the reports: the "Rapporten" page and the PDF downloads.

Thin: parse the request, scope through programmes.permissions (objects outside the user's
scope answer 404), call reports.service, answer. Rendering never happens here.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from programmes import permissions
from programmes.models import Programme, ReportingPeriod
from reports import selectors, service
from reports.common import ReportKind


class ReportFilterForm(forms.Form):
    regio = forms.ChoiceField(label=_("Regio"), required=False)
    programma = forms.ChoiceField(label=_("Programma"), required=False)
    peildatum = forms.ChoiceField(label=_("Peildatum"), required=False)

    def __init__(self, *args, index: selectors.DownloadIndex, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("alle"))]
        self.fields["regio"].choices = everything + [
            (c.value, c.label) for c in index.region_choices
        ]
        self.fields["programma"].choices = everything + [
            (c.value, c.label) for c in index.programme_choices
        ]
        self.fields["peildatum"].choices = everything + [
            (c.value, c.label) for c in index.peildatum_choices
        ]


@login_required
@require_GET
def index(request):
    """Every report the user may download, by region, programme and period."""
    peildatum = _parse_date(request.GET.get("peildatum", ""))
    listing = selectors.downloadable_reports(
        user=request.user,
        region=request.GET.get("regio", ""),
        programme=request.GET.get("programma", ""),
        peildatum=peildatum,
    )
    form = ReportFilterForm(request.GET or None, index=listing)
    if request.GET:
        form.is_valid()  # shows a choice the user may not make as an error next to it
    return render(
        request,
        "reports/index.html",
        {"form": form, "index": listing, "is_filtered": bool(request.GET)},
    )


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _attachment(report: service.ReportFile) -> HttpResponse:
    response = HttpResponse(report.pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report.filename
    )
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _period(programme_pk: int, peildatum: datetime.date) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, programme_id=programme_pk, peildatum=peildatum)


@login_required
@require_GET
def project_report(request, project_pk: int, peildatum: datetime.date):
    project = get_object_or_404(permissions.visible_projects(request.user), pk=project_pk)
    period = _period(project.programme_id, peildatum)
    report = service.report_for_download(
        ReportKind.PROJECT,
        scope_pk=project.pk,
        period_pk=period.pk,
        programme_pk=project.programme_id,
        drafts=bool(
            service.drafts_allowed(user=request.user, programme_ids=[project.programme_id])
        ),
    )
    return _attachment(report)


def _programme_report(request, kind: ReportKind, slug: str, peildatum: datetime.date):
    programme = permissions.visible_programmes(request.user).filter(slug=slug).first()
    if programme is None:
        raise Http404
    period = _period(programme.pk, peildatum)
    report = service.report_for_download(
        kind,
        scope_pk=programme.pk,
        period_pk=period.pk,
        programme_pk=programme.pk,
        drafts=bool(service.drafts_allowed(user=request.user, programme_ids=[programme.pk])),
    )
    return _attachment(report)


@login_required
@require_GET
def programme_monitor(request, programme: str, peildatum: datetime.date):
    return _programme_report(request, ReportKind.MONITOR, programme, peildatum)


@login_required
@require_GET
def agenda_overview(request, programme: str, peildatum: datetime.date):
    return _programme_report(request, ReportKind.AGENDA, programme, peildatum)


@login_required
@require_GET
def region_monitor(request, region: str, peildatum: datetime.date):
    """Every programme of the region the user sees, at the peildatum, in one PDF."""
    region_obj = permissions.visible_regions(request.user).filter(code=region).first()
    if region_obj is None:
        raise Http404
    try:
        report = service.region_monitor_pdf(
            region=region_obj, peildatum=peildatum, user=request.user
        )
    except Programme.DoesNotExist:
        raise Http404 from None
    return _attachment(report)
