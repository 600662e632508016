"""Views for the Excel/CSV export and the template import. Thin: parse, check, call, render.

Exports read through `programmes.overview` (scoped via `programmes.permissions`: anything
outside the user's scope answers 404). The import reads through `programmes.imports`; the
parsed rows are kept in the server-side session between preview and confirm, keyed by a
random token and the file's SHA-256, and never taken back from the browser. The upload is
bounded before its body is read: by the Content-Length, then by an upload handler that stops
at the first byte over the limit; a refused upload shows the import page again, in Dutch.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes import imports, permissions, selectors
from programmes.imports import safety
from programmes.models import Programme, ReportingPeriod
from programmes.overview import programme_overview, programme_overviews
from programmes.read.dashboard import drafts_visible_in
from reports import excel

SESSION_KEY = "excel_import"
MAX_REQUEST_BYTES = imports.MAX_FILE_BYTES + 64 * 1024  # the file and the form around it
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Export ----------------------------------------------------------------------------------


def _download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export_response(request, tables, *, basename: str, title: str) -> HttpResponse:
    key = request.GET.get("tabel")
    if key:
        table = excel.table_by_key(tables, key)
        if table is None:
            raise Http404(_("Deze tabel bestaat niet."))
        return _download(
            excel.csv_bytes(table),
            filename=f"{basename}-{table.key}.csv",
            content_type="text/csv; charset=utf-8",
        )
    return _download(
        excel.workbook_bytes(tables, title=title), filename=f"{basename}.xlsx", content_type=XLSX
    )


def _programme_or_404(user, slug: str) -> Programme:
    programme = selectors.programme_for(user=user, slug=slug)
    if programme is None:
        raise Http404(_("Dit programma bestaat niet of u heeft er geen toegang toe."))
    return programme


def _period_or_404(programme: Programme, text: str | None) -> ReportingPeriod | None:
    """The period named by its peildatum (2021-07-01) or, as the dashboard does, by its key
    (2021-H1); None when not given; 404 when it is not a period of the programme."""
    if not text:
        return None
    periods = list(programme.periods.all())
    for period in periods:
        if text in (period.key, period.peildatum.isoformat()):
            return period
    raise Http404(_("Deze peildatum bestaat niet."))


@login_required
@require_GET
def programme_export(request, slug: str) -> HttpResponse:
    """The programme at one peildatum (?periode=2021-H1 or 2021-07-01, default the latest
    reported) as .xlsx, or one of its tables as CSV with ?tabel=projecten|indicatoren|..."""
    programme = _programme_or_404(request.user, slug)
    period = _period_or_404(programme, request.GET.get("periode"))
    drafts = drafts_visible_in(user=request.user, programme_ids=[programme.pk])
    overview = programme_overview(programme=programme, period=period, show_drafts=bool(drafts))
    suffix = f"-{overview.period.key}" if overview.period else ""
    return _export_response(
        request,
        excel.export_tables([overview]),
        basename=f"{programme.slug}{suffix}",
        title=programme.name,
    )


@login_required
@require_GET
def region_export(request, code: str) -> HttpResponse:
    """Every programme of the region that the user may read, each at its latest peildatum."""
    region = permissions.visible_regions(request.user).filter(code=code).first()
    if region is None:
        raise Http404(_("Deze regio bestaat niet of u heeft er geen toegang toe."))
    programmes = (
        permissions.visible_programmes(request.user)
        .filter(region=region)
        .select_related("region")
        .order_by("name")
    )
    programmes = list(programmes)
    overviews = programme_overviews(
        programmes=programmes,
        drafts_of=drafts_visible_in(
            user=request.user, programme_ids=[programme.pk for programme in programmes]
        ),
    )
    return _export_response(
        request, excel.export_tables(overviews), basename=region.code, title=region.name
    )


# --- Import ----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Ingevuld sjabloon (.xlsx)"),
        help_text=gettext_lazy("Hoogstens 5 MB en 20.000 rijen."),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )


def _importable_programme(user, slug: str) -> Programme:
    """A programme the user may read (else 404) and import into (else 403)."""
    programme = _programme_or_404(user, slug)
    manages, coordinated = permissions.editable_project_pks(user=user, programme=programme)
    if not (manages or coordinated):
        raise PermissionDenied(_("U mag geen gegevens van dit programma invoeren."))
    return programme


def _import_context(programme: Programme, **extra) -> dict:
    periods = list(programme.periods.order_by("-peildatum"))
    return {
        "programme": programme,
        "periods": periods,
        "open_periods": [p for p in periods if not p.is_closed],
        "form": UploadForm(),
        **extra,
    }


@login_required
@require_GET
def import_start(request, slug: str) -> HttpResponse:
    programme = _importable_programme(request.user, slug)
    return render(request, "excel/import_start.html", _import_context(programme))


@login_required
@require_GET
def import_template(request, slug: str, peildatum: str) -> HttpResponse:
    programme = _importable_programme(request.user, slug)
    period = _period_or_404(programme, peildatum)
    content = imports.build_template(programme=programme, period=period)
    return _download(
        content, filename=f"sjabloon-{programme.slug}-{period.peildatum}.xlsx", content_type=XLSX
    )


def _render_refused(
    request, programme, period, issues, *, filename: str = "", status: int = 400
) -> HttpResponse:
    messages_shown = [str(issue) for issue in issues[: imports.MAX_ISSUES_SHOWN]]
    return render(
        request,
        "excel/import_start.html",
        _import_context(
            programme,
            period=period,
            errors=messages_shown,
            more_errors=max(len(issues) - len(messages_shown), 0),
            filename=filename,
        ),
        status=status,
    )


class _FileSizeLimit(FileUploadHandler):
    """First in the chain of upload handlers: stops reading the body at the first byte of a
    file over the limit, whatever the Content-Length said (or when there was none)."""

    passed = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > imports.MAX_FILE_BYTES:
            self.passed = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) keeps the file


def _too_large(request, programme, period, message: str) -> HttpResponse:
    issue = imports.ImportIssue(message)
    return _render_refused(request, programme, period, [issue], status=413)


@csrf_exempt  # checked below by csrf_protect, once the upload handlers are in place
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str, peildatum: str) -> HttpResponse:
    """Read and check the file, show the preview; nothing is written here.

    The CSRF check reads the body, so it runs after the size checks are set up: a request
    over the limit is refused without its body being read or stored.
    """
    programme = _importable_programme(request.user, slug)
    period = _period_or_404(programme, peildatum)
    if request.method == "GET":
        return redirect("excel:import_start", slug=programme.slug)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_REQUEST_BYTES:
        return _too_large(request, programme, period, safety.file_too_large(length))
    limit = _FileSizeLimit(request)
    request.upload_handlers.insert(0, limit)
    try:
        return _checked_upload(request, programme, period, limit)
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        message = _(
            "Stuur één .xlsx-bestand van hoogstens %(max)s MB, zonder andere velden of bestanden."
        ) % {"max": imports.MAX_FILE_BYTES // (1024 * 1024)}
        return _too_large(request, programme, period, message)


@csrf_protect  # reads the body, through the handlers import_upload put in place
def _checked_upload(
    request, programme: Programme, period: ReportingPeriod, limit: _FileSizeLimit
) -> HttpResponse:
    files = request.FILES  # reads the body (if the CSRF check did not), through `limit`
    if limit.passed:
        return _too_large(request, programme, period, safety.file_too_large(None))
    form = UploadForm(request.POST, files)
    if not form.is_valid():
        # Django's FileField refuses an empty file too; say that, not "choose a file".
        sent = request.FILES.get("file")
        if sent is not None and not sent.size:
            name = sent.name.rsplit("/", 1)[-1][:120]
            issues = [imports.ImportIssue(_("Het bestand is leeg (0 bytes)."))]
            return _render_refused(request, programme, period, issues, filename=name)
        issues = [imports.ImportIssue(_("Kies een bestand om te importeren."))]
        return _render_refused(request, programme, period, issues)
    upload = form.cleaned_data["file"]
    filename = upload.name.rsplit("/", 1)[-1][:120]
    try:
        parsed = imports.read_workbook(upload.read(), filename=filename)
        plan = imports.plan_import(
            parsed=parsed, programme=programme, period=period, user=request.user
        )
    except imports.ImportRefused as refused:
        return _render_refused(request, programme, period, refused.issues, filename=filename)
    token = secrets.token_urlsafe(16)
    request.session[SESSION_KEY] = {
        "token": token,
        "programme": programme.pk,
        "period": period.pk,
        "fingerprint": plan.fingerprint,
        "parsed": parsed.to_json(),
    }
    return render(
        request,
        "excel/import_preview.html",
        {
            "programme": programme,
            "period": period,
            "plan": plan,
            "token": token,
            "sha256": parsed.sha256,
        },
    )


@login_required
@require_POST
def import_confirm(request, slug: str, peildatum: str) -> HttpResponse:
    """Write what the preview showed, from the rows kept on the server; then show the
    programme's dashboard at that peildatum, with the new figures."""
    programme = _importable_programme(request.user, slug)
    period = _period_or_404(programme, peildatum)
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or not secrets.compare_digest(str(pending.get("token")), request.POST.get("token", ""))
        or pending["parsed"]["sha256"] != request.POST.get("sha256")
        or pending["programme"] != programme.pk
        or pending["period"] != period.pk
    ):
        messages.error(
            request, _("Deze import is verlopen of al verwerkt. Upload het bestand opnieuw.")
        )
        return redirect("excel:import_start", slug=programme.slug)
    parsed = imports.ParsedWorkbook.from_json(pending["parsed"])
    try:
        result = imports.apply_import(
            parsed=parsed,
            programme=programme,
            period=period,
            user=request.user,
            expected_fingerprint=pending["fingerprint"],
        )
    except imports.PreviewOutdated as outdated:
        del request.session[SESSION_KEY]
        messages.error(request, str(outdated))
        return redirect("excel:import_start", slug=programme.slug)
    except imports.ImportRefused as refused:
        del request.session[SESSION_KEY]
        return _render_refused(request, programme, period, refused.issues, filename=parsed.filename)
    del request.session[SESSION_KEY]
    if result.changed_anything:
        messages.success(
            request,
            _(
                "Import uit %(file)s opgeslagen voor %(period)s. Indicatorwaarden gewijzigd of "
                "toegevoegd: %(values)s; begrotingsregels: %(lines)s; nieuwe "
                "conceptrapportages: %(reports)s; ongewijzigde rijen: %(unchanged)s."
            )
            % {
                "file": parsed.filename,
                "period": period.label,
                "values": result.created_values + result.updated_values,
                "lines": result.created_budget_lines + result.updated_budget_lines,
                "reports": result.created_reports,
                "unchanged": result.unchanged_rows,
            },
        )
    else:
        messages.info(
            request,
            _("Import uit %(file)s: niets veranderd; alle waarden stonden er al.")
            % {"file": parsed.filename},
        )
    dashboard = reverse("dashboard:programme", kwargs={"slug": programme.slug})
    return redirect(f"{dashboard}?periode={period.key}")
