"""Dashboard views: what an alderman opens before a council meeting.

Thin: each view reads the request, calls one selector (scoped to the user through
`programmes.permissions`; anything outside the user's scope is a 404), and renders. The
figures come from `programmes.overview`, the same builder the PDFs and exports use.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitor import charts, national
from monitor.forms import ProgrammeFilterForm, RegionFilterForm
from programmes import permissions
from programmes.read import dashboard as reads

SORT_CHOICES = (
    ("naam", _("naam")),
    ("rood", _("meeste rode projecten")),
    ("verschil", _("meeste afwijkende stoplichten")),
    ("te-laat", _("meeste late rapportages")),
    ("besteding", _("hoogste besteding")),
)


@login_required
def home(request):
    region_code = request.GET.get("regio", "")
    if not region_code and permissions.sees_more_than_one_region(request.user):
        overview = national.national_overview(
            user=request.user,
            today=timezone.localdate(),
            period_key=request.GET.get("periode", ""),
            sort=request.GET.get("sorteer", ""),
            filter=request.GET.get("filter", ""),
            region_code=request.GET.get("regiofilter", ""),
        )
        return render(
            request,
            "dashboard/national.html",
            {
                "national": overview,
                "sort_choices": SORT_CHOICES,
                "shares_chart": national.shares_chart(overview),
            },
        )
    dashboard = reads.home(
        user=request.user, region_code=region_code, period_key=request.GET.get("periode", "")
    )
    form = RegionFilterForm(request.GET or None, regions=dashboard.region_choices)
    return render(
        request,
        "dashboard/home.html",
        {"dashboard": dashboard, "region_form": form},
    )


@login_required
def programme(request, slug):
    page = reads.programme_page(
        user=request.user, slug=slug, period_key=request.GET.get("periode", "")
    )
    if page is None:
        raise Http404
    overview = page.overview
    form = ProgrammeFilterForm(request.GET or None, overview=overview)
    shown = overview.filtered(**form.filters()) if form.is_bound and form.is_valid() else overview
    context = {
        "page": page,
        "overview": overview,
        "shown": shown,
        "form": form,
        "show_import": permissions.may_enter_data(request.user, overview.programme.pk),
        "targets_chart": charts.targets_chart("grafiek-programmadoelen", overview.targets)
        if overview.targets
        else None,
        "budget_chart": charts.budget_chart(
            "grafiek-programmabudget", overview.budget_years, overview.budget_total
        )
        if overview.budget_years
        else None,
    }
    return render(request, "dashboard/programme.html", context)


@login_required
def project(request, slug, code):
    data = reads.project_page(
        user=request.user,
        programme_slug=slug,
        code=code,
        period_key=request.GET.get("periode", ""),
    )
    if data is None:
        raise Http404
    status = data.project
    context = {
        "programme": data.programme,
        "periods": data.periods,
        "project": status,
        "shows_drafts": data.shows_drafts,
        "indicator_charts": [
            (row, charts.indicator_chart(row, start_date=status.start_date))
            for row in status.indicators
        ],
        "budget_chart": charts.budget_chart(
            "grafiek-begroting", status.budget_lines, status.budget_total
        )
        if status.budget_lines
        else None,
        "funding_chart": charts.funding_chart(
            "grafiek-financiering", status.funding_lines, status.funding_total
        )
        if status.funding_lines
        else None,
    }
    return render(request, "dashboard/project.html", context)
