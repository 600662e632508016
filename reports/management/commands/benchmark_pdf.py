"""Measure how long the three PDF reports take, and our share of that time.

`manage.py benchmark_pdf [--projects 60] [--periods 20] [--runs 5] [--output DIR]` builds a
programme of that size inside a transaction (`programmes.benchmark.build_benchmark_programme`),
renders each report (project, programme monitor, region monitor of that programme, agenda)
several times and prints, per report, the median of:

- total: what an uncached download costs (reports.service.render_report): loading the
  data through the overview builder, rendering the template, WeasyPrint with our fetcher;
- ours: loading the data and rendering the template (the part before WeasyPrint);
- WeasyPrint: WeasyPrint alone on the same HTML, with its own default fetcher reading the
  same static files from disk (file:// URLs) and the same PDF options;
- eigen (our overhead, the target): the CPU time of our own work before WeasyPrint (data
  and template) as a share of WeasyPrint's CPU time on the same HTML, median of the runs.
  The fetcher's cost is inside WeasyPrint's run and measures the same as WeasyPrint's own
  file:// fetcher;
- verschil (a cross-check): (total - WeasyPrint) / WeasyPrint in CPU time, alternating
  which runs first. Two renders of about the same cost differ by 10-20 % from run to run
  on a shared machine, so this column is noisy in both directions;
- cached: a download whose PDF is in the cache (fingerprint queries plus a cache read).

Targets: a monitor or agenda of 60 projects at most 3 s, project report at most 1 s,
overhead at most 15 %. Everything is rolled back; nothing stays in the database.
"""

from __future__ import annotations

import functools
import io
import logging
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import weasyprint
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from weasyprint.text.fonts import FontConfiguration

from programmes.benchmark import (
    build_benchmark_programme,
    refresh_planner_statistics,
)
from reports import service
from reports.common import ReportKind
from reports.pdf import PDF_BASE_URL, PDF_OPTIONS, PDF_STATIC_URL

TARGETS_SECONDS = {
    ReportKind.PROJECT: 1.0,
    ReportKind.MONITOR: 3.0,
    ReportKind.REGION: 3.0,
    ReportKind.AGENDA: 3.0,
}
OVERHEAD_TARGET = 0.15


class _Rollback(Exception):
    pass


def _plain_weasyprint(html: str) -> bytes:
    """WeasyPrint on our HTML without anything of ours: static files as file:// URLs."""
    static_root = Path(finders.find("css/print.css")).parent.parent
    html = html.replace(PDF_STATIC_URL, static_root.as_uri() + "/")
    document = weasyprint.HTML(string=html, base_url=PDF_BASE_URL)
    return document.write_pdf(font_config=FontConfiguration(), **PDF_OPTIONS)


@dataclass(frozen=True)
class _Timing:
    result: object
    wall: float
    cpu: float


def _timed(work) -> _Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return _Timing(result, time.perf_counter() - wall, time.process_time() - cpu)


def _median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}" if values else "–"


def _page_count(pdf: bytes) -> int | str:
    try:
        from pypdf import PdfReader
    except ImportError:  # a development tool; production installs may lack it
        return "?"
    return len(PdfReader(io.BytesIO(pdf)).pages)


class Command(BaseCommand):
    help = "Meet de rendertijd van de PDF-rapporten en onze overhead boven WeasyPrint."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=60)
        parser.add_argument("--periods", type=int, default=20)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--output", type=Path, help="Map om de PDF's in op te slaan.")

    def handle(self, *args, projects: int, periods: int, runs: int, output, **options):
        if projects < 1 or periods < 1 or runs < 1:
            raise CommandError("--projects, --periods en --runs moeten minstens 1 zijn.")
        # WeasyPrint reports every step at INFO; the table below is what matters here.
        for name in ("weasyprint", "weasyprint.progress"):
            logging.getLogger(name).setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                self._run(projects=projects, periods=periods, runs=runs, output=output)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Testgegevens teruggedraaid.")

    def _run(self, *, projects: int, periods: int, runs: int, output: Path | None) -> None:
        data = build_benchmark_programme(projects=projects, periods=periods, prefix="pdf-benchmark")
        refresh_planner_statistics()
        period = data.periods[-1]
        region_pk = data.programme.region_id
        programme_pks = [data.programme.pk]

        def report(kind: ReportKind, scope_pk: int):
            """(HTML with its data, the whole download) of a programme or project report."""
            return (
                functools.partial(
                    service.report_html, kind, scope_pk=scope_pk, period_pk=period.pk
                ),
                functools.partial(
                    service.render_report, kind, scope_pk=scope_pk, period_pk=period.pk
                ),
            )

        region_args = {
            "region_pk": region_pk,
            "peildatum": period.peildatum,
            "programme_pks": programme_pks,
        }
        scopes = {
            ReportKind.PROJECT: report(ReportKind.PROJECT, data.projects[0].pk),
            ReportKind.MONITOR: report(ReportKind.MONITOR, data.programme.pk),
            ReportKind.REGION: (
                functools.partial(service.region_monitor_html, **region_args),
                functools.partial(service.render_region_monitor, **region_args),
            ),
            ReportKind.AGENDA: report(ReportKind.AGENDA, data.programme.pk),
        }
        self.stdout.write(
            f"{projects} projecten, {periods} perioden, peildatum {period.peildatum:%d-%m-%Y}, "
            f"{runs} metingen per rapport (mediaan).\n"
        )
        self.stdout.write(
            f"{'rapport':<30}{'pagina':>7}{'totaal ms':>11}{'ons ms':>9}{'Weasy ms':>10}"
            f"{'eigen':>8}{'verschil':>9}{'cache ms':>10}{'queries':>9}  doel"
        )
        failures = []
        # A cached download (fingerprint queries and a cache read); the region monitor is
        # cached per reader by region_monitor_pdf, which needs a user, and is left out.
        downloads = {
            kind: functools.partial(
                service.report_for_download,
                kind,
                scope_pk=scope_pk,
                period_pk=period.pk,
                programme_pk=data.programme.pk,
            )
            for kind, scope_pk in [
                (ReportKind.PROJECT, data.projects[0].pk),
                (ReportKind.MONITOR, data.programme.pk),
                (ReportKind.AGENDA, data.programme.pk),
            ]
        }
        for kind, (html_work, ours_work) in scopes.items():
            totals, ours, plain, cached, ratios, shares = [], [], [], [], [], []
            queries = 0
            pdf = b""
            for run in range(runs + 1):  # the first run warms templates, fonts and caches
                with CaptureQueriesContext(connection) as captured:
                    prepared = _timed(html_work)
                html = prepared.result[0]
                plain_work = functools.partial(_plain_weasyprint, html)
                # Alternate which goes first: the first render of a pair pays for garbage
                # collection and cold caches, which would otherwise count as overhead.
                if run % 2:
                    rendered, weasy = _timed(ours_work), _timed(plain_work)
                else:
                    weasy, rendered = _timed(plain_work), _timed(ours_work)
                cache.clear()
                download, hit = downloads.get(kind), None
                if download is not None:
                    download()  # fills the cache; the timed call reads it
                    hit = _timed(download)
                if run == 0:
                    continue
                ours.append(prepared.wall)
                totals.append(rendered.wall)
                plain.append(weasy.wall)
                if hit is not None:
                    cached.append(hit.wall)
                ratios.append((rendered.cpu - weasy.cpu) / weasy.cpu)
                shares.append(prepared.cpu / weasy.cpu)
                queries = len(captured)
                pdf = rendered.result.pdf
            total = statistics.median(totals)
            difference = statistics.median(ratios)
            overhead = statistics.median(shares)
            target = TARGETS_SECONDS[kind]
            ok = total <= target and overhead <= OVERHEAD_TARGET
            if not ok:
                failures.append(str(kind.label))
            self.stdout.write(
                f"{kind.label!s:<30}{_page_count(pdf)!s:>7}{total * 1000:>11.0f}"
                f"{statistics.median(ours) * 1000:>9.0f}{statistics.median(plain) * 1000:>10.0f}"
                f"{overhead:>8.1%}{difference:>9.1%}"
                f"{_median_ms(cached):>10}{queries:>9}"
                f"  ≤ {target:.0f} s, ≤ {OVERHEAD_TARGET:.0%}: {'ja' if ok else 'NEE'}"
            )
            if output is not None:
                output.mkdir(parents=True, exist_ok=True)
                (output / rendered.result.filename).write_bytes(pdf)
        if output is not None:
            self.stdout.write(f"PDF's opgeslagen in {output}.")
        if failures:
            self.stdout.write(self.style.WARNING("Doel niet gehaald: " + ", ".join(failures)))
