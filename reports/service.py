"""Produce a report's PDF: a pure function of (kind, scope, period), cached by its data.

`render_report(kind, scope_pk=..., period_pk=...)` loads what it needs by primary key,
builds the report's frozen data object, renders its template in Dutch and turns the HTML
into a PDF. It takes no request and no user, so it can move to a background worker as it
is. `report_for_download(...)` is what the views call after checking permissions: it looks
the PDF up in Django's cache under a key that holds a fingerprint of the data behind it
(`data_fingerprint`), so a PDF is reused until something in its programme changes.

This module must never check permissions (the views do, through programmes.permissions)
or compute a light or figure (the report modules take them from programmes.overview).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.template import loader
from django.template.loader import render_to_string
from django.utils import translation

from programmes.models import (
    FundingLine,
    FundingSource,
    Organisation,
    Pillar,
    Programme,
    ProgressReport,
    Project,
    Region,
    ReportingPeriod,
)
from programmes.read.dashboard import drafts_visible_in
from reports import agenda_overview, programme_monitor, project_report, region_monitor
from reports.common import AUTHOR, ReportKind
from reports.pdf import PDF_STATIC_URL, render_pdf

# Reports are Dutch documents for the file, whatever language the reader's screen uses.
REPORT_LANGUAGE = "nl"
# How long an unchanged PDF stays cached; a change to its data makes a new key anyway.
CACHE_SECONDS = getattr(settings, "REPORTS_PDF_CACHE_SECONDS", 60 * 60 * 24)


@dataclass(frozen=True)
class ReportFile:
    kind: ReportKind
    filename: str
    pdf: bytes


@dataclass(frozen=True)
class _Spec:
    template: str
    build: Callable[[int, int, bool], object]


def _project_data(project_pk: int, period_pk: int, drafts: bool):
    project = Project.objects.select_related("programme__region").get(pk=project_pk)
    period = ReportingPeriod.objects.get(pk=period_pk, programme_id=project.programme_id)
    return project_report.build(project=project, period=period, drafts=drafts)


def _programme_data(builder):
    def build(programme_pk: int, period_pk: int, drafts: bool):
        programme = Programme.objects.select_related("region").get(pk=programme_pk)
        period = ReportingPeriod.objects.get(pk=period_pk, programme_id=programme.pk)
        return builder(programme=programme, period=period, drafts=drafts)

    return build


SPECS: dict[ReportKind, _Spec] = {
    ReportKind.PROJECT: _Spec(project_report.TEMPLATE, _project_data),
    ReportKind.MONITOR: _Spec(programme_monitor.TEMPLATE, _programme_data(programme_monitor.build)),
    ReportKind.AGENDA: _Spec(agenda_overview.TEMPLATE, _programme_data(agenda_overview.build)),
}


def report_html(
    kind: ReportKind, *, scope_pk: int, period_pk: int, drafts: bool = True
) -> tuple[str, object]:
    """The report's data object and its HTML, rendered in Dutch. `drafts=False` (what a
    reader may see): concept and returned reports are left out, as on the dashboard."""
    spec = SPECS[ReportKind(kind)]
    with translation.override(REPORT_LANGUAGE):
        data = spec.build(scope_pk, period_pk, drafts)
        html = render_to_string(
            spec.template,
            {"report": data, "static_url": PDF_STATIC_URL, "author": AUTHOR},
        )
    return html, data


def render_report(
    kind: ReportKind, *, scope_pk: int, period_pk: int, drafts: bool = True
) -> ReportFile:
    """The PDF of a report: the project (kind PROJECT) or programme `scope_pk` at the
    period `period_pk`. Pure: the same data give the same document."""
    html, data = report_html(kind, scope_pk=scope_pk, period_pk=period_pk, drafts=drafts)
    return ReportFile(kind=ReportKind(kind), filename=data.filename, pdf=render_pdf(html).pdf)


# --- Cache --------------------------------------------------------------------------------

_HISTORY_PATHS = {
    # historical model name -> path from its rows to the programme id
    "HistoricalProgramme": "id",
    "HistoricalProgrammeTarget": "programme_id",
    "HistoricalProject": "programme_id",
    "HistoricalReportingPeriod": "programme_id",
    "HistoricalIndicator": "project__programme_id",
    "HistoricalBudgetPlan": "project__programme_id",
    "HistoricalProject_partners": "project__programme_id",
    "HistoricalProgressReport": "project__programme_id",
    "HistoricalPlannedValue": "period__programme_id",
    "HistoricalActivityProgress": "report__project__programme_id",
    "HistoricalIndicatorValue": "report__project__programme_id",
    "HistoricalPlanningChange": "report__project__programme_id",
    "HistoricalBudgetLine": "report__project__programme_id",
    "HistoricalFundingLine": "report__project__programme_id",
}


def _latest_change(model_name: str, path: str) -> Subquery:
    from django.apps import apps

    model = apps.get_model("programmes", model_name)
    return Subquery(
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(latest=Max("pk"))
        .values("latest"),
        output_field=IntegerField(),
    )


def _scope_aggregate(model, path: str, expression) -> Subquery:
    return Subquery(
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(value=expression)
        .values("value")
    )


def data_fingerprint(programme_pk: int) -> str:
    """A digest of everything a report of this programme shows. Four queries.

    Every write to reported data leaves a history row (django-simple-history), so the
    newest history id per table changes with every change, deletion included; the report
    versions, counts and latest update catch writes made without history (bulk loads).
    Pillars, organisations and funding sources have no history: the other queries read the
    few rows the programme's reports show whole, so a renamed partner or funding source
    can never serve a stale PDF.
    """
    history = {
        name.lower(): Coalesce(_latest_change(name, path), Value(0))
        for name, path in _HISTORY_PATHS.items()
    }
    reports = {
        "report_count": _scope_aggregate(ProgressReport, "project__programme_id", Count("pk")),
        "report_versions": _scope_aggregate(
            ProgressReport, "project__programme_id", Sum("version")
        ),
        "report_updated": _scope_aggregate(
            ProgressReport, "project__programme_id", Max("updated_at")
        ),
        "project_count": _scope_aggregate(Project, "programme_id", Count("pk")),
    }
    row = (
        Programme.objects.filter(pk=programme_pk)
        .annotate(**history, **reports)
        .values("region__name", *history, *reports)
        .first()
    )
    pillars = list(
        Pillar.objects.filter(programme_id=programme_pk)
        .order_by("pk")
        .values_list("pk", "name", "order", "description")
    )
    projects = Project.objects.filter(programme_id=programme_pk)
    organisations = list(
        Organisation.objects.filter(
            Q(pk__in=projects.values("owner_id"))
            | Q(
                pk__in=Project.partners.through.objects.filter(
                    project__programme_id=programme_pk
                ).values("organisation_id")
            )
        )
        .order_by("pk")
        .values_list("pk", "name", "kind")
    )
    sources = list(
        FundingSource.objects.filter(
            pk__in=FundingLine.objects.filter(report__project__programme_id=programme_pk).values(
                "source_id"
            )
        )
        .order_by("pk")
        .values_list("pk", "name", "kind", "order")
    )
    digest = hashlib.sha256(
        repr((sorted((row or {}).items()), pillars, organisations, sources)).encode()
    )
    return digest.hexdigest()[:32]


@functools.cache
def layout_version() -> str:
    """A digest of the report templates and the print stylesheet, so that a new layout
    never serves an old PDF from a shared cache (computed once per process)."""
    digest = hashlib.sha256()
    report_templates = Path(loader.get_template("reports/print_base.html").origin.name).parent
    for path in sorted(report_templates.glob("*.html")):
        digest.update(path.read_bytes())
    digest.update(Path(loader.get_template("components/light_badge.html").origin.name).read_bytes())
    digest.update(Path(finders.find("css/print.css")).read_bytes())
    return digest.hexdigest()[:12]


def cache_key(
    kind: ReportKind, *, scope_pk: int, period_pk: int, fingerprint: str, drafts: bool = False
) -> str:
    audience = "met-concepten" if drafts else "lezer"
    return f"reports:pdf:{layout_version()}:{kind}:{scope_pk}:{period_pk}:{audience}:{fingerprint}"


def drafts_allowed(*, user, programme_ids) -> frozenset[int]:
    """The programmes (of `programme_ids`) whose concept and returned reports this user's
    documents may hold: the same rule as the dashboard (administrators and the programme's
    managers); readers, coordinators and bundles get submitted and approved reports only."""
    return drafts_visible_in(user=user, programme_ids=programme_ids)


def report_for_download(
    kind: ReportKind, *, scope_pk: int, period_pk: int, programme_pk: int, drafts: bool = False
) -> ReportFile:
    """The report's PDF from the cache, or rendered and cached when its data changed.

    `programme_pk` is the programme of the scope (the project's programme for a project
    report); the fingerprint covers all of it. `drafts`: whether concept and returned
    reports count (only for someone who sees them on the dashboard: `drafts_allowed`);
    by default a document holds submitted and approved reports only, as a reader sees it.
    """
    kind = ReportKind(kind)
    key = cache_key(
        kind,
        scope_pk=scope_pk,
        period_pk=period_pk,
        fingerprint=data_fingerprint(programme_pk),
        drafts=drafts,
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = render_report(kind, scope_pk=scope_pk, period_pk=period_pk, drafts=drafts)
    cache.set(key, result, CACHE_SECONDS)
    return result


# --- The region monitor: every programme of a region at one peildatum -------------------


def region_monitor_html(
    *,
    region_pk: int,
    peildatum,
    programme_pks: list[int] | tuple[int, ...],
    drafts_of: Collection[int] | None = None,
) -> tuple[str, region_monitor.RegionMonitorData]:
    """The HTML of the region monitor and its data (what `render_region_monitor` prints)."""
    region = Region.objects.get(pk=region_pk)
    programmes = list(
        Programme.objects.filter(region=region, pk__in=programme_pks)
        .select_related("region")
        .order_by("start_date", "name")
    )
    with translation.override(REPORT_LANGUAGE):
        data = region_monitor.build(
            region=region, peildatum=peildatum, programmes=programmes, drafts_of=drafts_of
        )
        html = render_to_string(
            region_monitor.TEMPLATE,
            {"report": data, "static_url": PDF_STATIC_URL, "author": AUTHOR},
        )
    return html, data


def render_region_monitor(
    *,
    region_pk: int,
    peildatum,
    programme_pks: list[int] | tuple[int, ...],
    drafts_of: Collection[int] | None = None,
) -> ReportFile:
    """The region monitor of these programmes of the region at `peildatum`. Pure, like
    `render_report`: no request, no user; the caller chooses the programmes."""
    html, data = region_monitor_html(
        region_pk=region_pk, peildatum=peildatum, programme_pks=programme_pks, drafts_of=drafts_of
    )
    return ReportFile(kind=ReportKind.REGION, filename=data.filename, pdf=render_pdf(html).pdf)


def region_programmes(*, region: Region, peildatum, user) -> list[Programme]:
    """The programmes of `region` that `user` may see and that have a period at
    `peildatum` (what a region monitor for this reader holds)."""
    from programmes import permissions

    visible = permissions.visible_programmes(user).filter(
        region=region, periods__peildatum=peildatum
    )
    return list(visible.distinct().order_by("start_date", "name"))


def region_monitor_pdf(*, region: Region, peildatum, user, drafts: bool = True) -> ReportFile:
    """The region monitor as `user` may read it: the programmes of `region` they see, at
    `peildatum` (a date; a ReportingPeriod's peildatum is taken too), cached by the data of
    every programme in it. Raises Programme.DoesNotExist when the user sees no programme
    of the region with that peildatum.

    For background jobs (a bundle of documents) as well as the download view; the only
    function here that takes a user, to scope the programmes through programmes.permissions.
    """
    peildatum = getattr(peildatum, "peildatum", peildatum)
    programmes = region_programmes(region=region, peildatum=peildatum, user=user)
    if not programmes:
        raise Programme.DoesNotExist("No visible programme of this region has that peildatum.")
    pks = tuple(p.pk for p in programmes)
    # `drafts=False` (bundles, documents for distribution): submitted and approved only.
    drafts_of = drafts_allowed(user=user, programme_ids=pks) if drafts else frozenset()
    fingerprint = hashlib.sha256(
        "|".join(f"{pk}:{data_fingerprint(pk)}" for pk in pks).encode()
    ).hexdigest()[:32]
    key = (
        f"reports:pdf:{layout_version()}:{ReportKind.REGION}:{region.pk}:"
        f"{peildatum.isoformat()}:{','.join(map(str, pks))}:"
        f"{','.join(map(str, sorted(drafts_of)))}:{fingerprint}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    result = render_region_monitor(
        region_pk=region.pk, peildatum=peildatum, programme_pks=pks, drafts_of=drafts_of
    )
    cache.set(key, result, CACHE_SECONDS)
    return result
