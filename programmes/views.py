"""Screens of progress reporting: "Mijn rapportages", the report form, the report page with
its history, the review actions and the reporting periods of a programme.

Views stay thin: they find the object within the user's scope (404 outside it), call one
service or reader, and render. Permission and state are checked again by the services;
a refused action on a visible object answers 403 with a Dutch explanation.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from programmes import overview, permissions, report_data, services, status
from programmes.forms import ReasonForm, ReportFormBundle
from programmes.models import Programme, ProgressReport, ReportingPeriod
from programmes.parsing import AmountError, parse_decimal
from programmes.read import changes, worklists


def _visible_report(request: HttpRequest, pk: int) -> ProgressReport:
    report = report_data.load_report(pk)
    if report is None or not permissions.can_view_report(request.user, report):
        raise Http404(_("Deze rapportage bestaat niet of u mag hem niet zien."))
    return report


def _refused(request: HttpRequest, message: str, report: ProgressReport | None = None):
    return render(
        request, "reporting/refused.html", {"message": message, "report": report}, status=403
    )


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Where sign-in leads (LOGIN_REDIRECT_URL): a coordinator to the to-do list, a manager
    to the review queue, everyone else (readers, the ministry) to the dashboard."""
    user = request.user
    if report_data.managed_programmes(user=user).exists() and not user.is_superuser:
        return redirect(reverse("reporting:my_reports") + "#te-beoordelen")
    if user.is_authenticated and user.coordinated_projects.exists():
        return redirect("reporting:my_reports")
    return redirect("dashboard:home")


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """A coordinator's to-do list for the open periods; a manager's reports to review."""
    today = timezone.localdate()
    managed = report_data.managed_programmes(user=request.user)
    return render(
        request,
        "reporting/my_reports.html",
        {
            "todo": worklists.coordinator_todo(user=request.user, today=today),
            "to_review": report_data.reports_to_review(user=request.user),
            "managed_programmes": managed,
            "is_manager": managed.exists(),
            "today": today,
        },
    )


@login_required
@require_POST
def start_report(request: HttpRequest, project_pk: int, period_pk: int) -> HttpResponse:
    project = get_object_or_404(
        permissions.visible_projects(request.user).select_related("programme"), pk=project_pk
    )
    period = get_object_or_404(ReportingPeriod, pk=period_pk, programme_id=project.programme_id)
    try:
        report = services.start_report(project=project, period=period, user=request.user)
    except services.ReportingError as error:
        return _refused(request, error.message)
    return redirect("reporting:report_edit", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report read-only, with its computed light and its full history."""
    report = _visible_report(request, pk)
    context = report_data.load_report_context(report)
    finances = overview.report_finances(report, report_data.thresholds_for(report.project))
    user = request.user
    is_open = not report.period.is_closed
    can_review = permissions.can_review_report(user, report) and is_open
    return render(
        request,
        "reporting/report_detail.html",
        {
            "report": report,
            "context": context,
            "activities": report.activities.all(),
            "planning_changes": report.planning_changes.all(),
            "finances": finances,
            "history": report_data.report_history(report),
            "changes": changes.report_changes(report),
            "can_edit": permissions.can_edit_report(user, report),
            "can_approve": can_review and report.state == ProgressReport.State.SUBMITTED,
            "can_reopen": can_review and report.state == ProgressReport.State.APPROVED,
            "lights_differ": status.lights_differ(
                reported=report.reported_light, computed=context.computed_light
            ),
        },
    )


def _lights_url(report: ProgressReport) -> str:
    return reverse("reporting:indicator_lights", args=[report.pk])


def _typed_values(report: ProgressReport, data) -> tuple[dict, dict]:
    """The indicator values typed in a post, parsed the Dutch way: (values, errors) by
    indicator pk. A value that is not a number counts as empty for the light."""
    typed: dict[int, object] = {}
    errors: dict[int, str] = {}
    for indicator_pk in report.project.indicators.values_list("pk", flat=True):
        name = f"ind-{indicator_pk}-value"
        if name not in data:
            continue
        try:
            typed[indicator_pk] = parse_decimal(data[name])
        except AmountError as error:
            errors[indicator_pk] = str(error)
            typed[indicator_pk] = None
    return typed, errors


def _posted_bundle(report: ProgressReport, data, **kwargs) -> ReportFormBundle:
    """The form bound to a post, its live lights computed from what is in the boxes."""
    typed, _errors = _typed_values(report, data)
    context = report_data.load_report_context(report, typed_values=typed)
    return ReportFormBundle(context, data, lights_url=_lights_url(report), **kwargs)


def _render_form(request, report, bundle, *, conflict=None, problems=None, status_code=200):
    errors = bundle.error_items() if bundle.report.is_bound else []
    return render(
        request,
        "reporting/report_form.html",
        {
            "report": report,
            "bundle": bundle,
            "context": bundle.context,
            "conflict": conflict,
            "problems": problems,
            "errors": errors,
            "storage_key": f"rapportage-{report.pk}",
        },
        status=status_code,
    )


def unreadable_post_page(view):
    """Answer a post the server cannot read (too large, too many fields) with a Dutch page
    instead of a bare 400. Nothing was stored; the form's copy in the browser
    (static/js/report_storage.js) offers to put back what was typed.

    The CSRF check reads the post too, so it runs inside this wrapper (`csrf_protect`)
    and the view is exempt from the middleware's check only in name: the same check runs."""

    protected = csrf_protect(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return protected(request, *args, **kwargs)
        except (RequestDataTooBig, TooManyFieldsSent) as error:
            request._mark_post_parse_error()
            too_big = isinstance(error, RequestDataTooBig)
            return render(
                request,
                "reporting/unreadable_post.html",
                {"too_big": too_big, "form_url": request.path},
                status=413 if too_big else 400,
            )

    return csrf_exempt(wrapper)


@unreadable_post_page
@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form: save a draft, add an activity row, confirm every carried-over
    section unchanged ("Alles ongewijzigd bevestigen", which saves too), or save and
    submit. Ticked "ongewijzigd" boxes are confirmed with any save."""
    report = _visible_report(request, pk)
    user = request.user
    if not permissions.can_edit_report(user, report):
        may_edit_when_open = permissions.coordinates_project(
            user, report.project
        ) or permissions.manages_programme(user, report.project.programme)
        if request.method == "GET" and may_edit_when_open:
            messages.info(request, _("Deze rapportage kan nu niet worden gewijzigd."))
            return redirect("reporting:report_detail", pk=report.pk)
        return _refused(request, _("U kunt deze rapportage niet wijzigen."), report)
    if request.method == "GET":
        context = report_data.load_report_context(report)
        return _render_form(
            request, report, ReportFormBundle(context, lights_url=_lights_url(report))
        )

    action = request.POST.get("action", "save")
    bundle = _posted_bundle(report, request.POST, extra_activity=action == "add_activity")
    if action == "add_activity":
        return _render_form(request, report, bundle)
    if not bundle.is_valid():
        return _render_form(request, report, bundle)
    confirm = bundle.confirmed_sections()
    if action == "confirm_all":
        confirm = list(report.carried_over or ())
    try:
        report = services.save_draft(
            report=report,
            user=user,
            data=bundle.to_input(),
            version=bundle.report.cleaned_data["version"],
            confirm=confirm,
        )
    except services.EditConflict as conflict:
        fresh = report_data.load_report(report.pk)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        bundle = _posted_bundle(fresh, data)
        bundle.is_valid()
        return _render_form(request, fresh, bundle, conflict=conflict, status_code=409)
    except services.NotAllowed as error:
        return _refused(request, error.message, report)
    except services.ReportingError as error:
        bundle.report.add_error(None, error.message)
        return _render_form(request, report, bundle)

    if action == "confirm_all":
        messages.success(
            request,
            _("Concept opgeslagen; de overgenomen onderdelen zijn bevestigd als ongewijzigd."),
        )
        return redirect("reporting:report_edit", pk=report.pk)
    if action != "submit":
        messages.success(request, _("Concept opgeslagen."))
        return redirect("reporting:report_edit", pk=report.pk)
    try:
        services.submit_report(report=report, user=user)
    except services.Incomplete as incomplete:
        report = report_data.load_report(report.pk)
        data = request.POST.copy()
        data["version"] = str(report.version)
        bundle = _posted_bundle(report, data)
        bundle.is_valid()
        bundle.add_problems(incomplete.problems)
        messages.warning(
            request,
            _("Concept opgeslagen, maar nog niet ingediend: %(message)s")
            % {"message": incomplete.message},
        )
        return _render_form(request, report, bundle, problems=incomplete.problems)
    except services.ReportingError as error:
        messages.error(request, error.message)
        return redirect("reporting:report_detail", pk=report.pk)
    messages.success(request, _("De rapportage is ingediend bij de programmamanager."))
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
@require_POST
def indicator_lights(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the computed lights for the values being typed, without saving anything."""
    report = _visible_report(request, pk)
    typed, errors = _typed_values(report, request.POST)
    context = report_data.load_report_context(report, typed_values=typed)
    return render(
        request,
        "reporting/partials/indicator_lights.html",
        {
            "context": context,
            "items": [(line, errors.get(line.indicator.pk, "")) for line in context.lines],
        },
    )


def _reason_action(request, pk, *, action, template: str, done: str) -> HttpResponse:
    """Return or reopen: a manager's action that needs a written reason."""
    report = _visible_report(request, pk)
    if not permissions.can_review_report(request.user, report):
        return _refused(request, _("Alleen een programmamanager kan dit doen."), report)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(report=report, user=request.user, reason=form.cleaned_data["reason"])
        except services.NotAllowed as error:
            return _refused(request, error.message, report)
        except services.ReportingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("reporting:report_detail", pk=report.pk)
    without_address = [
        person.get_full_name() or person.username
        for person in report.project.coordinators.all()
        if not person.email
    ]
    return render(
        request,
        template,
        {"report": report, "form": form, "coordinators_without_address": without_address},
    )


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approving asks for confirmation first, showing the computed and reported lights;
    under four eyes an administrator approving their own submission gives a reason."""
    report = _visible_report(request, pk)
    if not permissions.can_review_report(request.user, report):
        return _refused(request, _("Alleen een programmamanager kan dit doen."), report)
    four_eyes = services.four_eyes_refusal(report, request.user)
    error = ""
    if request.method == "POST":
        try:
            services.approve_report(
                report=report,
                user=request.user,
                override_reason=request.POST.get("override_reason", ""),
            )
        except services.NotAllowed as refused:
            return _refused(request, refused.message, report)
        except services.ReportingError as refused:
            error = refused.message
        else:
            messages.success(request, _("De rapportage is goedgekeurd."))
            return redirect("reporting:report_detail", pk=report.pk)
    context = report_data.load_report_context(report)
    return render(
        request,
        "reporting/approve_confirm.html",
        {
            "report": report,
            "context": context,
            "four_eyes": four_eyes,
            "changes": changes.report_changes(report),
            "may_override": bool(four_eyes) and request.user.is_superuser,
            "error": error,
            "lights_differ": status.lights_differ(
                reported=report.reported_light, computed=context.computed_light
            ),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        action=services.return_report,
        template="reporting/return_form.html",
        done=_("De rapportage is teruggestuurd naar de coördinator."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        action=services.reopen_report,
        template="reporting/reopen_form.html",
        done=_("De rapportage is heropend."),
    )


def _visible_programme(request: HttpRequest, slug: str) -> Programme:
    programme = (
        permissions.visible_programmes(request.user)
        .select_related("region")
        .filter(slug=slug)
        .first()
    )
    if programme is None:
        raise Http404(_("Dit programma bestaat niet of u mag het niet zien."))
    return programme


@login_required
def programme_periods(request: HttpRequest, slug: str) -> HttpResponse:
    """The period cockpit: per period the state of every project's report, counts per
    state, who is responsible, what is late; reminders and closing for the managers."""
    programme = _visible_programme(request, slug)
    can_manage = permissions.manages_programme(request.user, programme)
    return render(
        request,
        "reporting/programme_periods.html",
        {
            "programme": programme,
            "periods": worklists.period_cockpit(programme=programme, today=timezone.localdate()),
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Herinnering sturen": to the coordinators of one report (`report`), of one project
    that has not started its report (`project`), or of every open one of the period (not
    started, concept or returned)."""
    period = _managed_period(request, pk)
    if isinstance(period, HttpResponse):
        return period
    (cockpit,) = worklists.period_cockpit(
        programme=period.programme, today=timezone.localdate(), periods=[period]
    )
    items = list(cockpit.remindable)
    if request.POST.get("report"):
        items = [i for i in items if i.report and str(i.report.pk) == request.POST["report"]]
    elif request.POST.get("project"):
        items = [i for i in items if not i.report and str(i.project.pk) == request.POST["project"]]
    if not items:
        messages.warning(request, _("Geen herinnering verstuurd: er staat niets meer open."))
        return redirect(reverse("reporting:programme_periods", args=[period.programme.slug]))
    try:
        result = services.send_reminders(
            user=request.user,
            reports=[item.report for item in items if item.report],
            not_started=[(item.project, period) for item in items if not item.report],
        )
    except services.ReportingError as error:
        return _refused(request, error.message)
    if result.mails:
        messages.success(
            request,
            ngettext(
                "Herinnering verstuurd: %(count)s e-mail.",
                "Herinnering verstuurd: %(count)s e-mails.",
                result.mails,
            )
            % {"count": result.mails},
        )
    else:
        messages.warning(
            request, _("Geen herinnering verstuurd: er is geen coördinator met een e-mailadres.")
        )
    return redirect(reverse("reporting:programme_periods", args=[period.programme.slug]))


def _managed_period(request: HttpRequest, pk: int):
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("programme__region", "closed_by"),
        pk=pk,
        programme__in=permissions.visible_programmes(request.user),
    )
    if not permissions.manages_programme(request.user, period.programme):
        return _refused(request, _("Alleen een programmamanager kan dit doen."))
    return period


@login_required
@require_POST
def generate_periods(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _visible_programme(request, slug)
    try:
        periods = services.generate_periods(programme=programme, user=request.user)
    except services.ReportingError as error:
        return _refused(request, error.message)
    messages.success(
        request, _("Het programma heeft %(count)s rapportageperioden.") % {"count": len(periods)}
    )
    return redirect("reporting:programme_periods", slug=programme.slug)


@login_required
@require_http_methods(["GET", "POST"])
def close_period(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing asks for confirmation, listing what is still open and what happens to it."""
    period = _managed_period(request, pk)
    if isinstance(period, HttpResponse):
        return period
    if request.method == "POST":
        try:
            services.close_period(period=period, user=request.user)
        except services.ReportingError as error:
            return _refused(request, error.message)
        messages.success(request, _("%(period)s is gesloten.") % {"period": period.label})
        return redirect("reporting:programme_periods", slug=period.programme.slug)
    (cockpit,) = worklists.period_cockpit(
        programme=period.programme, today=timezone.localdate(), periods=[period]
    )
    return render(request, "reporting/close_period.html", {"period": period, "cockpit": cockpit})
