"""Build a national dataset and measure the pages a ministry reader and a wethouder open.

`manage.py benchmark_national` builds, in the database it is pointed at, the 35
labour-market regions with 2-4 programmes each, 20-60 projects per programme, 2-4 indicators
per project and 20 half-yearly periods with a report (values, budget and funding lines,
activities, a planning change) for every project in every period: about 4,000 projects and
1.2 million rows, with bulk inserts, the same rows on every run (a seeded random). It then
signs in a ministry reader (`bench-ministerie`) and a viewer of one region
(`bench-wethouder`), requests each page with django.test.Client and prints per page the
median and fastest server time, the median CPU time of this process, the query count, the
response size (plain and gzipped) and the ratio to the same page for the one-region viewer.

    --regions N                 fewer regions (default 35)
    --programmes-per-region A-B --projects-per-programme A-B --indicators-per-project A-B
                                ranges (or one number) of the random shape; small for tests
    --periods N --runs N
    --keep --password P         commit the dataset and the two users (password required);
                                the default rolls everything back
    --measure-only              measure a dataset kept earlier, build nothing
    --bundle N                  also make a national report bundle (one PDF) of the first N
                                regions, as one Celery worker process would (reports.jobs.
                                run_job, in this process), and print its time, pages and the
                                peak memory (ru_maxrss) of this process; 0 (default) skips it
    --bundle-workers P          make that bundle with a real Celery worker of P processes
                                instead (reports/bundle_benchmark.py; committed data only:
                                --keep or --measure-only) and print its time, the peak of
                                the largest process and of all together, and per part
    --bundle-broker URL         that worker's broker (default: a temporary folder)
    --no-pages                  measure the bundle only

The national page is measured as "home" (the ministry's home page); a line after the table
gives its figures against the target (300 ms).

The dataset comes from programmes/benchmark.py. The command never touches rows it did not
build: it refuses to build when one of its regions exists, and --measure-only finds its own
data by the `bench-` prefix of the region codes. It never changes a page: it only reads them.
"""

from __future__ import annotations

import gzip
import os
import statistics
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from programmes.benchmark import (
    REGION_NAMES,
    NationalData,
    build_national,
    find_national,
    plan_national,
    refresh_planner_statistics,
)
from programmes.calendar import period_key
from programmes.models import Programme, Region, ReportingPeriod
from programmes.services import derived

MINISTRY_USERNAME = "bench-ministerie"
BUNDLE_USERNAME = "bench-bundel"  # sees the regions of a bundle measured by a worker
NATIONAL_PAGE_TARGET_MS = 300
BUNDLE_TARGET_SECONDS = 120
BUNDLE_TARGET_MB = 600
VIEWER_USERNAME = "bench-wethouder"


def _after_build(data: NationalData) -> None:
    """Everything derived from the source rows that a bulk load must bring up to date
    before the pages are measured (bulk_create bypasses the services). Runs inside the
    build's transaction, before ANALYZE."""
    derived.refresh_status(
        programme_ids=Programme.objects.filter(region__in=data.regions).values_list("pk", flat=True)
    )


@contextmanager
def _rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _users(*, region: Region, password: str | None):
    """The ministry reader and the viewer of one region, with the password given or none."""
    users = []
    for username in (MINISTRY_USERNAME, VIEWER_USERNAME):
        user, _ = get_user_model().objects.get_or_create(username=username)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        users.append(user)
    ministry, viewer = users
    ministry.user_permissions.add(Permission.objects.get(codename="view_all_regions"))
    region.viewers.add(viewer)
    return ministry, viewer


def _range(text: str) -> tuple[int, int]:
    low, _, high = str(text).partition("-")
    try:
        bounds = (int(low), int(high or low))
    except ValueError:
        raise CommandError(f"'{text}' is geen aantal of bereik (zoals 20-60).") from None
    if bounds[0] < 1 or bounds[0] > bounds[1]:
        raise CommandError(f"'{text}' is geen geldig bereik.")
    return bounds


@dataclass(frozen=True)
class Measurement:
    median_ms: float
    fastest_ms: float
    cpu_ms: float
    queries: int
    size: int
    gzip_size: int


def measure(client: Client, url: str, *, runs: int) -> Measurement:
    """Query count and sizes from one warm-up request (recording queries slows the timed
    ones), then `runs` timed requests."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=True)
    queries = len(captured)
    if response.status_code != 200:
        raise CommandError(f"{url} gaf status {response.status_code}.")
    body = b"".join(response) if response.streaming else response.content
    wall, cpu = [], []
    for _ in range(runs):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        client.get(url, secure=True)
        wall.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return Measurement(
        statistics.median(wall),
        min(wall),
        statistics.median(cpu),
        queries,
        len(body),
        len(gzip.compress(body)),
    )


class Command(BaseCommand):
    help = (
        "Bouw een landelijke dataset (35 regio's, ca. 4.000 projecten, 20 perioden) en meet "
        "de pagina's voor het ministerie en voor één regio."
    )

    def add_arguments(self, parser):
        parser.add_argument("--regions", type=int, default=len(REGION_NAMES))
        parser.add_argument("--programmes-per-region", default="2-4")
        parser.add_argument("--projects-per-programme", default="20-60")
        parser.add_argument("--indicators-per-project", default="2-4")
        parser.add_argument("--periods", type=int, default=20)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--keep", action="store_true", help="Bewaar de dataset.")
        parser.add_argument(
            "--password", help="Wachtwoord van bench-ministerie en bench-wethouder."
        )
        parser.add_argument(
            "--measure-only", action="store_true", help="Meet een eerder bewaarde dataset."
        )
        parser.add_argument(
            "--bundle", type=int, default=0, help="Maak ook een bundel van de eerste N regio's."
        )
        parser.add_argument(
            "--bundle-workers",
            type=int,
            default=0,
            help="Maak de bundel met een echte Celery-worker met zoveel processen (0: in dit "
            "proces). Vraagt bewaarde gegevens (--keep of --measure-only).",
        )
        parser.add_argument(
            "--bundle-broker",
            help="Broker voor die worker (standaard: bestandssysteem in een tijdelijke map).",
        )
        parser.add_argument(
            "--no-pages", action="store_true", help="Meet alleen de bundel, niet de pagina's."
        )

    def handle(self, *args, **options):
        regions, periods, runs = options["regions"], options["periods"], options["runs"]
        self.bundle_regions = options["bundle"]
        self.bundle_workers = options["bundle_workers"]
        self.pages = not options["no_pages"]
        if self.bundle_workers and not (options["keep"] or options["measure_only"]):
            raise CommandError(
                "--bundle-workers vraagt bewaarde gegevens (--keep of --measure-only): de "
                "worker is een ander proces en ziet niets dat wordt teruggedraaid."
            )
        if not 1 <= regions <= len(REGION_NAMES):
            raise CommandError(f"--regions ligt tussen 1 en {len(REGION_NAMES)}.")
        if periods < 1 or runs < 1:
            raise CommandError("--periods en --runs moeten minstens 1 zijn.")
        if options["keep"] and not options["password"]:
            raise CommandError("--keep vraagt een --password voor de twee gebruikers.")
        plan = plan_national(
            regions=regions,
            programmes_per_region=_range(options["programmes_per_region"]),
            projects_per_programme=_range(options["projects_per_programme"]),
            indicators_per_project=_range(options["indicators_per_project"]),
        )
        # django.test.Client calls itself "testserver"; DEBUG off as in production. No
        # setup_test_environment: its template instrumentation would add to the timings.
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        # Static URLs without the manifest, so no collectstatic is needed (a dict lookup).
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # Whitenoise warns once that STATIC_ROOT is not collected; irrelevant to the timings.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        # The users are signed in with force_login, past the two-step sign-in, which the
        # benchmark does not measure: no MFA requirement for them.
        no_mfa = {"MFA_REQUIRED_ROLES": [], "MFA_REQUIRED_FOR_STAFF": False}
        with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts, STORAGES=storages, **no_mfa):
            if options["measure_only"]:
                data = find_national()
                with _rolled_back():
                    self._measure(data, runs=runs)
                self._measure_bundle_with_workers(data, broker_url=options["bundle_broker"])
            elif options["keep"]:
                with transaction.atomic():
                    data = self._build(plan, periods=periods, password=options["password"])
                self.stdout.write("Dataset bewaard.")
                with _rolled_back():
                    self._measure(data, runs=runs)
                self._measure_bundle_with_workers(data, broker_url=options["bundle_broker"])
            else:
                with _rolled_back():
                    data = self._build(plan, periods=periods, password=None)
                    self._measure(data, runs=runs)
                self.stdout.write("Testgegevens teruggedraaid.")

    def _build(self, plan, *, periods: int, password: str | None) -> NationalData:
        started = time.perf_counter()
        data = build_national(plan=plan, periods=periods, log=self.stdout.write)
        _users(region=data.regions[0], password=password)
        _after_build(data)
        if connection.vendor == "postgresql":
            refresh_planner_statistics()
        rows = data.rows
        self.stdout.write(
            f"{rows['region']} regio's, {rows['programme']} programma's, "
            f"{rows['project']} projecten, {rows['indicator']} indicatoren, "
            f"{rows['progressreport']} rapportages, {rows['indicatorvalue']} waarden, "
            f"{rows['budgetline']} begrotingsregels, {rows['fundingline']} financieringsregels; "
            f"{sum(rows.values())} rijen in {time.perf_counter() - started:.0f} s."
        )
        return data

    def _measure(self, data: NationalData, *, runs: int) -> None:
        user_model = get_user_model()
        ministry, viewer = Client(), Client()
        ministry.force_login(user_model.objects.get(username=MINISTRY_USERNAME))
        viewer.force_login(user_model.objects.get(username=VIEWER_USERNAME))
        programme = data.programme
        latest = programme.periods.order_by("-peildatum").first()
        period = f"?periode={period_key(latest.peildatum)}" if latest else ""
        programme_url = reverse("dashboard:programme", args=[programme.slug]) + period
        export_url = reverse("excel:programme_export", args=[programme.slug]) + period
        reports_url = reverse("reports:index")
        pages = {
            "home": reverse("dashboard:home"),
            "programma": programme_url,
            "programma gefilterd": programme_url + ("&" if period else "?") + "licht=red",
            "project": reverse("dashboard:project", args=[programme.slug, data.project.code])
            + period,
            "rapporten": reports_url,
            "rapporten, regio gekozen": f"{reports_url}?regio={programme.region.code}",
            "export xlsx": export_url,
            "export csv": export_url + ("&" if period else "?") + "tabel=projecten",
        }
        projects = programme.projects.count()
        self.stdout.write(
            f"\nProgramma {programme.name} ({projects} projecten), "
            f"{latest.label if latest else 'geen periode'}; {runs} metingen per pagina. "
            f"Ministerie ({MINISTRY_USERNAME}) tegen één regio ({VIEWER_USERNAME}, "
            f"{programme.region.name}).\n"
        )
        if self.pages:
            self._measure_pages(pages, ministry, viewer, runs=runs, regions=len(data.regions))
        if self.bundle_regions and not self.bundle_workers:
            self._measure_bundle(data, latest.peildatum if latest else None)

    def _measure_pages(self, pages, ministry, viewer, *, runs: int, regions: int) -> None:
        header = (
            f"{'pagina':<26}{'mediaan ms':>11}{'min ms':>8}{'cpu ms':>8}{'queries':>8}"
            f"{'KB':>8}{'KB gzip':>8}{'1 regio ms':>11}{'1 regio q':>10}{'verhouding':>11}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        home = None
        for name, url in pages.items():
            national = measure(ministry, url, runs=runs)
            one = measure(viewer, url, runs=runs)
            home = home or national
            ratio = national.median_ms / one.median_ms if one.median_ms else 0
            self.stdout.write(
                f"{name:<26}{national.median_ms:>11.0f}{national.fastest_ms:>8.0f}"
                f"{national.cpu_ms:>8.0f}{national.queries:>8}{national.size / 1024:>8.0f}"
                f"{national.gzip_size / 1024:>8.0f}{one.median_ms:>11.0f}{one.queries:>10}"
                f"{ratio:>10.1f}x"
            )
        met = "gehaald" if home.median_ms <= NATIONAL_PAGE_TARGET_MS else "niet gehaald"
        self.stdout.write(
            f"\nLandelijk overzicht (home van het ministerie), {regions} regio's: mediaan "
            f"{home.median_ms:.0f} ms, snelste {home.fastest_ms:.0f} ms, {home.queries} queries "
            f"(doel ≤ {NATIONAL_PAGE_TARGET_MS} ms: {met})."
        )

    def _measure_bundle(self, data: NationalData, peildatum) -> None:
        """One national bundle (one PDF) of the first N regions, made in this process the
        way a worker makes it; the time, the pages and this process's peak memory."""
        import resource
        import tempfile

        from reports import jobs
        from reports.models import ReportJob

        if peildatum is None:
            return
        user = get_user_model().objects.get(username=MINISTRY_USERNAME)
        keep = {r.pk for r in data.regions[: self.bundle_regions]}
        others = Region.objects.exclude(pk__in=keep)
        # The bundle covers the regions the requester sees: narrow the ministry reader down
        # to N regions for this measurement (rolled back with everything else).
        user.user_permissions.clear()
        for region in Region.objects.filter(pk__in=keep):
            region.viewers.add(user)
        for cached in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            user.__dict__.pop(cached, None)  # fresh permissions
        assert not others.filter(viewers=user).exists()
        with tempfile.TemporaryDirectory() as folder, override_settings(REPORT_BUNDLE_ROOT=folder):
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            job = ReportJob.objects.create(
                kind=ReportJob.Kind.PDF, requested_by=user, peildatum=peildatum
            )
            started = time.perf_counter()
            jobs.run_job(job.pk)
            seconds = time.perf_counter() - started
            job.refresh_from_db()
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(
            f"\nBundel (één PDF), {len(keep)} regio's, peildatum {peildatum}: {job.status}, "
            f"{job.page_count or 0} pagina's, {(job.file_size or 0) / 1024:.0f} KB, "
            f"{seconds:.1f} s; piekgeheugen van dit proces {peak / 1024:.0f} MB "
            f"(voor de bundel {before / 1024:.0f} MB)."
        )

    def _measure_bundle_with_workers(self, data: NationalData, *, broker_url: str | None) -> None:
        """A national bundle of the first N regions made by a real worker with
        --bundle-workers processes; needs committed data, as the worker is another process.
        Adds the user bench-bundel, who sees exactly those regions."""
        if not (self.bundle_regions and self.bundle_workers):
            return
        from reports.bundle_benchmark import measure_with_workers

        regions = data.regions[: self.bundle_regions]
        peildatum = (
            ReportingPeriod.objects.filter(programme__region__in=regions)
            .order_by("-peildatum")
            .values_list("peildatum", flat=True)
            .first()
        )
        user, _ = get_user_model().objects.get_or_create(username=BUNDLE_USERNAME)
        user.set_unusable_password()
        user.save()
        user.viewed_regions.set(regions)
        result = measure_with_workers(
            user=user, peildatum=peildatum, processes=self.bundle_workers, broker_url=broker_url
        )
        met_time = "gehaald" if result.seconds <= BUNDLE_TARGET_SECONDS else "niet gehaald"
        met_memory = "gehaald" if result.largest_process_mb <= BUNDLE_TARGET_MB else "niet gehaald"
        self.stdout.write(
            f"\nBundel (één PDF) door een Celery-worker met {result.processes} processen "
            f"({os.cpu_count()} kernen), {len(regions)} regio's, peildatum {peildatum}: "
            f"{result.status}, {result.parts} delen, {result.pages} pagina's, "
            f"{result.size / 1024:.0f} KB, {result.seconds:.1f} s (doel ≤ "
            f"{BUNDLE_TARGET_SECONDS} s: {met_time}); piekgeheugen grootste proces "
            f"{result.largest_process_mb:.0f} MB (doel ≤ {BUNDLE_TARGET_MB} MB: {met_memory}), "
            f"alle processen van de worker samen {result.all_processes_mb:.0f} MB."
        )
        if result.part_seconds:
            times = result.part_seconds
            self.stdout.write(
                f"Delen: {len(times)}, opgeteld {sum(times):.0f} s, "
                f"gemiddeld {sum(times) / len(times):.1f} s, langste {max(times):.1f} s; "
                f"piek van een proces na een deel {result.part_peak_mb} MB. Samenvoegen: "
                f"{result.merge_seconds:.1f} s, piek van dat proces {result.merge_peak_mb} MB."
            )
