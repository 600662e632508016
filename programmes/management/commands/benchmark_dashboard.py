"""Measure the server time and query count of every dashboard page on a large programme.

`manage.py benchmark_dashboard [--projects 200] [--periods 10] [--runs 7]` builds a
programme of that size inside a transaction, signs in a ministry reader, requests the home,
programme and project pages with django.test.Client, prints per page the median and the
fastest wall-clock time, the median CPU time of this process (less disturbed by other work on
the machine; excludes a PostgreSQL server's own CPU) and the number of queries, and rolls the
transaction back: nothing stays in the database.

It never runs against data it did not create and never keeps what it created. Tests reuse
`build_benchmark_programme` to show that query counts do not grow with the size.
"""

from __future__ import annotations

import datetime
import statistics
import time
import warnings
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    FundingSource,
    Indicator,
    IndicatorValue,
    Organisation,
    Pillar,
    PlannedValue,
    PlanningChange,
    Programme,
    ProgrammeTarget,
    ProgressReport,
    Project,
    Region,
    ReportingPeriod,
    TargetRevision,
)

LIGHTS = ["green", "green", "amber", "red", ""]
STATUSES = [Project.Status.RUNNING] * 8 + [Project.Status.COMPLETED, Project.Status.STOPPED]


@dataclass(frozen=True)
class BenchmarkData:
    region: Region
    programme: Programme
    periods: list[ReportingPeriod]
    projects: list[Project]


def _peildatum(index: int) -> datetime.date:
    """1-7-2021, 1-1-2022, 1-7-2022, ..."""
    months = 6 * index
    year = 2021 + (6 + months) // 12
    month = 7 if index % 2 == 0 else 1
    return datetime.date(year, month, 1)


def build_benchmark_programme(
    *, projects: int = 200, periods: int = 10, prefix: str = "benchmark"
) -> BenchmarkData:
    """A programme shaped like the Gooi en Vechtstreek monitor, at any size, with bulk inserts.

    Every project has two indicators (one counting towards a programme target, one with a
    planned value per period and a revised target), a report in every period with values,
    four budget years, two funding sources, two activities and a planning change.
    """
    region = Region.objects.create(code=f"{prefix}-regio", name=f"{prefix} regio")
    programme = Programme.objects.create(
        region=region,
        slug=f"{prefix}-programma",
        name=f"{prefix} programma",
        funder="Ministerie van SZW",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    pillars = Pillar.objects.bulk_create(
        Pillar(programme=programme, name=f"Actielijn {i + 1}", order=i) for i in range(4)
    )
    targets = ProgrammeTarget.objects.bulk_create(
        [
            ProgrammeTarget(programme=programme, name="Aantal trajecten", target_value=1180),
            ProgrammeTarget(programme=programme, name="Aantal scholing", target_value=860),
            ProgrammeTarget(programme=programme, name="Naar werk", target_value=520, order=2),
        ]
    )
    owner, _ = Organisation.objects.get_or_create(name=f"{prefix} Werkgeversservicepunt")
    partner, _ = Organisation.objects.get_or_create(name=f"{prefix} UWV")
    rijk, _ = FundingSource.objects.get_or_create(name=f"{prefix} Rijk", defaults={"order": 1})
    gemeente, _ = FundingSource.objects.get_or_create(
        name=f"{prefix} Gemeenten", defaults={"order": 2}
    )
    period_list = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(programme=programme, peildatum=_peildatum(i)) for i in range(periods)
    )
    project_list = Project.objects.bulk_create(
        Project(
            programme=programme,
            pillar=pillars[i % len(pillars)],
            code=f"{prefix}-{i + 1:04d}",
            number=i + 1,
            title=f"Werkgelegenheidsproject {i + 1}",
            status=STATUSES[i % len(STATUSES)],
            start_date=datetime.date(2021, 2, 1),
            end_date=datetime.date(2026, 2, 1),
            owner=owner,
            action="Kandidaten werven, opleiden en plaatsen.",
            intended_result="Duurzame uitstroom naar betaald werk.",
        )
        for i in range(projects)
    )
    Project.partners.through.objects.bulk_create(
        Project.partners.through(project=p, organisation=partner) for p in project_list
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            project=p,
            name=name,
            unit="inwoners",
            target_value=Decimal(target),
            target_date=datetime.date(2026, 2, 1),
            programme_target=targets[i % len(targets)] if j == 0 else None,
            order=j,
        )
        for i, p in enumerate(project_list)
        for j, (name, target) in enumerate(
            [("Uitstroom naar werk", 250), ("Gestarte trajecten", 40)]
        )
    )
    TargetRevision.objects.bulk_create(
        TargetRevision(
            indicator=ind,
            previous_value=Decimal(50),
            new_value=ind.target_value,
            revised_on=datetime.date(2022, 3, 1),
            reason="Bijgesteld na de bijstelling van het programma.",
        )
        for ind in indicators[1::2]
    )
    PlannedValue.objects.bulk_create(
        PlannedValue(indicator=ind, period=period, value=Decimal(4 * (k + 1)))
        for ind in indicators[1::2]
        for k, period in enumerate(period_list)
    )
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            project=p,
            period=period,
            state=ProgressReport.State.APPROVED
            if k < periods - 1
            else ProgressReport.State.SUBMITTED,
            summary=f"Voortgang van {p.title} tot {period.peildatum:%d-%m-%Y}.",
            reported_light=LIGHTS[(i + k) % len(LIGHTS)],
            highlight=("positive" if i % 7 == 0 else "adjusted" if i % 11 == 0 else ""),
            highlight_text="Loopt ruim boven verwachting." if i % 7 == 0 else "",
        )
        for i, p in enumerate(project_list)
        for k, period in enumerate(period_list)
    )
    report_by_key = {(r.project_id, r.period_id): r for r in reports}
    values = []
    for i, ind in enumerate(indicators):
        for k, period in enumerate(period_list):
            report = report_by_key[(ind.project_id, period.pk)]
            values.append(
                IndicatorValue(
                    report=report, indicator=ind, value=Decimal((i % 5 + 1) * 3 * (k + 1))
                )
            )
    IndicatorValue.objects.bulk_create(values)
    BudgetLine.objects.bulk_create(
        BudgetLine(
            report=r,
            year=2021 + y,
            budget=Decimal(100000),
            spent=Decimal(90000 + 1000 * (r.project_id % 30)) if y < 2 else None,
            forecast=Decimal(100000) if y >= 2 else None,
        )
        for r in reports
        for y in range(4)
    )
    FundingLine.objects.bulk_create(
        FundingLine(report=r, source=source, budgeted=Decimal(200000), received=Decimal(150000))
        for r in reports
        for source in (rijk, gemeente)
    )
    ActivityProgress.objects.bulk_create(
        ActivityProgress(
            report=r, order=n, year=2021, activity=f"Activiteit {n + 1}", progress="Loopt."
        )
        for r in reports
        for n in range(2)
    )
    PlanningChange.objects.bulk_create(
        PlanningChange(report=r, year=2022, changed_description="Start een half jaar later.")
        for r in reports
    )
    return BenchmarkData(region, programme, list(period_list), list(project_list))


def refresh_planner_statistics() -> None:
    """Let the database planner see the rows just built, as autovacuum would in production.

    Without it PostgreSQL plans the dashboard's joins for empty tables and the timings say
    more about missing statistics than about the pages (seen: 650 ms against 280 ms).
    ANALYZE runs inside the benchmark's transaction on PostgreSQL and SQLite alike.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Meet de servertijd en het aantal queries van de dashboardpagina's (alles teruggedraaid)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=200)
        parser.add_argument("--periods", type=int, default=10)
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, projects: int, periods: int, runs: int, **options):
        if projects < 1 or periods < 1 or runs < 1:
            raise CommandError("--projects, --periods en --runs moeten minstens 1 zijn.")
        # django.test.Client calls itself "testserver"; DEBUG off as in production. No
        # setup_test_environment: its template instrumentation would add to the timings.
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        # Whitenoise warns once that STATIC_ROOT is not collected; irrelevant to the timings.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        try:
            with override_settings(DEBUG=False, ALLOWED_HOSTS=hosts), transaction.atomic():
                self._run(projects=projects, periods=periods, runs=runs)
                raise _Rollback
        except _Rollback:
            self.stdout.write("Testgegevens teruggedraaid.")

    def _run(self, *, projects: int, periods: int, runs: int) -> None:
        started = time.perf_counter()
        data = build_benchmark_programme(projects=projects, periods=periods)
        refresh_planner_statistics()
        self.stdout.write(
            f"{projects} projecten x {periods} perioden opgebouwd in "
            f"{time.perf_counter() - started:.1f} s."
        )
        user = get_user_model().objects.create_user(username="benchmark-ministerie")
        user.user_permissions.add(Permission.objects.get(codename="view_all_regions"))
        client = Client()
        client.force_login(user)
        project = data.projects[0]
        pages = {
            "home": reverse("dashboard:home"),
            "programma": reverse("dashboard:programme", args=[data.programme.slug]),
            "programma gefilterd": reverse("dashboard:programme", args=[data.programme.slug])
            + "?licht=red",
            "project": reverse("dashboard:project", args=[data.programme.slug, project.code]),
        }
        self.stdout.write(
            f"{'pagina':<22}{'mediaan ms':>12}{'min ms':>10}{'cpu ms':>10}{'queries':>10}"
        )
        for name, url in pages.items():
            # Queries counted in a separate request: recording them slows the timed ones.
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, secure=True)  # also warms template and URL caches
            queries = len(captured)  # now: the next request_started resets the query log
            if response.status_code != 200:
                raise CommandError(f"{url} gaf status {response.status_code}.")
            wall, cpu = [], []
            for _ in range(runs):
                begin, begin_cpu = time.perf_counter(), time.process_time()
                client.get(url, secure=True)
                wall.append((time.perf_counter() - begin) * 1000)
                cpu.append((time.process_time() - begin_cpu) * 1000)
            self.stdout.write(
                f"{name:<22}{statistics.median(wall):>12.0f}{min(wall):>10.0f}"
                f"{statistics.median(cpu):>10.0f}{queries:>10}"
            )
