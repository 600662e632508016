"""Views of the report bundles: ask for one, follow its progress (htmx polling), stop it,
try again, download it.

Thin: parse the request, call reports.jobs (which checks scope through
programmes.permissions: a region outside the user's scope is a 404, someone else's job is a
404), render. Nothing is rendered or merged here: a Celery worker makes the bundle.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from programmes import permissions
from reports import jobs
from reports.models import ReportJob

LIST_LENGTH = 20


class BundleRequestForm(forms.Form):
    soort = forms.ChoiceField(choices=ReportJob.Kind.choices)
    peildatum = forms.DateField(input_formats=["%Y-%m-%d"])
    regio = forms.CharField(required=False, max_length=100)


@login_required
@require_POST
def request_bundle(request):
    form = BundleRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een soort rapportage en een peildatum."))
        return redirect("reports:jobs")
    code = form.cleaned_data["regio"]
    region = None
    if code:
        region = permissions.visible_regions(request.user).filter(code=code).first()
        if region is None:
            raise Http404
    try:
        job = jobs.request_bundle(
            user=request.user,
            kind=form.cleaned_data["soort"],
            peildatum=form.cleaned_data["peildatum"],
            region=region,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:jobs")
    return redirect("reports:job", pk=job.pk)


@login_required
@require_GET
def job_list(request):
    return render(
        request,
        "reports/jobs/list.html",
        {"jobs": list(jobs.jobs_of(request.user)[:LIST_LENGTH])},
    )


@login_required
@require_GET
def job_detail(request, pk: int):
    job = jobs.own_job(user=request.user, pk=pk)
    return render(request, "reports/jobs/detail.html", {"job": job})


@login_required
@require_GET
def job_status(request, pk: int):
    """The status block alone, for htmx polling; it stops polling when the job ends."""
    job = jobs.own_job(user=request.user, pk=pk)
    return render(request, "reports/jobs/_status.html", {"job": job})


@login_required
@require_POST
def cancel(request, pk: int):
    job = jobs.cancel_job(user=request.user, pk=pk)
    if request.htmx:
        return render(request, "reports/jobs/_status.html", {"job": job})
    return redirect("reports:job", pk=job.pk)


@login_required
@require_POST
def retry(request, pk: int):
    try:
        job = jobs.retry_job(user=request.user, pk=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:job", pk=pk)
    return redirect("reports:job", pk=job.pk)


@login_required
@require_GET
def download(request, pk: int):
    job, path = jobs.downloadable_job(user=request.user, pk=pk)
    content_type = "application/zip" if job.kind == ReportJob.Kind.ZIP else "application/pdf"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=job.file_name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
