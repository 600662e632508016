"""The benchmark datasets: one programme of any size, and the national shape.

`build_benchmark_programme` makes one programme in a region of its own (tests compare a
small and a large one to show that query counts do not grow); `plan_national` and
`build_national` make the 35 labour-market regions with 2-4 programmes each, 20-60 projects
per programme, 2-4 indicators per project and a report with values, budget and funding
lines for every project in every period: about 4,000 projects and 1.2 million rows. Both
use bulk inserts and give the same rows on every run (a seeded random).

Used by the benchmark commands and tests only. It writes with bulk_create, past the
services: whatever the services derive from the source rows must be brought up to date by
the caller. It must never be called on a database with real data outside a transaction
that is rolled back or a database made for the benchmark.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.utils.text import slugify

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

# The 35 arbeidsmarktregio's (indeling vanaf 2021).
REGION_NAMES = (
    "Achterhoek",
    "Amersfoort",
    "Drechtsteden",
    "Drenthe",
    "Flevoland",
    "Food Valley",
    "Friesland",
    "Gooi en Vechtstreek",
    "Gorinchem",
    "Groningen",
    "Groot Amsterdam",
    "Haaglanden",
    "Helmond-De Peel",
    "Holland Rijnland",
    "Midden-Brabant",
    "Midden-Gelderland",
    "Midden-Holland",
    "Midden-Limburg",
    "Midden-Utrecht",
    "Noord-Holland Noord",
    "Noord-Limburg",
    "Noordoost-Brabant",
    "Rijk van Nijmegen",
    "Rijnmond",
    "Rivierenland",
    "Stedendriehoek en Noordwest Veluwe",
    "Twente",
    "West-Brabant",
    "Zaanstreek/Waterland",
    "Zeeland",
    "Zuid-Holland Centraal",
    "Zuid-Kennemerland en IJmond",
    "Zuid-Limburg",
    "Zuidoost-Brabant",
    "Zwolle",
)
PROGRAMME_NAMES = ("Perspectief op Werk", "Werken aan Werk", "Regio Deal", "Doe-agenda")
INDICATORS = (
    ("Uitstroom naar werk", 250),  # counts towards a programme target
    ("Gestarte trajecten", 40),  # planned per period, target revised
    ("Gestarte scholingstrajecten", 120),
    ("Plaatsingen bij werkgevers", 80),
)
LIGHTS = ["green", "green", "amber", "red", ""]
STATUSES = [Project.Status.RUNNING] * 8 + [Project.Status.COMPLETED, Project.Status.STOPPED]
CODE_PREFIX = "bench-"
SEED = 20260101
NATIONAL_FIRST_YEAR = 2016  # 20 periods: peildatum 1-7-2016 up to 1-1-2026
BATCH = 2000


@dataclass(frozen=True)
class BenchmarkData:
    region: Region
    programme: Programme
    periods: list[ReportingPeriod]
    projects: list[Project]


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    name: str
    code_prefix: str
    indicator_counts: tuple[int, ...]  # one per project: how many indicators it has


@dataclass(frozen=True)
class NationalData:
    regions: list[Region]
    programme: Programme  # the largest programme of the first region: the one measured
    project: Project  # its first project
    rows: Counter  # rows built per model name


@dataclass(frozen=True)
class _Shared:
    owner: Organisation
    partner: Organisation
    sources: tuple[FundingSource, ...]


def _peildatum(index: int, first_year: int = 2021) -> datetime.date:
    """1-7 of the first year, then 1-1 and 1-7 of the years after."""
    year = first_year + (6 + 6 * index) // 12
    return datetime.date(year, 7 if index % 2 == 0 else 1, 1)


def _shared_rows(prefix: str) -> _Shared:
    owner, _ = Organisation.objects.get_or_create(name=f"{prefix} Werkgeversservicepunt")
    partner, _ = Organisation.objects.get_or_create(name=f"{prefix} UWV")
    rijk, _ = FundingSource.objects.get_or_create(name=f"{prefix} Rijk", defaults={"order": 1})
    gemeente, _ = FundingSource.objects.get_or_create(
        name=f"{prefix} Gemeenten", defaults={"order": 2}
    )
    return _Shared(owner, partner, (rijk, gemeente))


def _bulk(model, rows: Iterable, counts: Counter) -> list:
    created = model.objects.bulk_create(list(rows), batch_size=BATCH)
    counts[model._meta.model_name] += len(created)
    return created


def _build_programmes(
    *,
    region: Region,
    specs: list[ProgrammeSpec],
    periods: int,
    first_year: int,
    shared: _Shared,
    counts: Counter,
) -> list[BenchmarkData]:
    """The programmes of one region, shaped like the Gooi en Vechtstreek monitor.

    Every project has 2-4 indicators (the first counts towards a programme target, the
    second has a planned value per period and a revised target), a report in every period
    with values (approved, the last period submitted), four budget years, two funding
    sources, two activities and a planning change. Projects run as long as the periods do.
    """
    span = max(5, (periods + 1) // 2)  # years from the start to the end of the projects
    programmes = _bulk(
        Programme,
        (
            Programme(
                region=region,
                slug=spec.slug,
                name=spec.name,
                funder="Ministerie van SZW",
                start_date=datetime.date(first_year, 1, 1),
                end_date=datetime.date(first_year + span, 12, 31),
            )
            for spec in specs
        ),
        counts,
    )
    pillars = _bulk(
        Pillar,
        (
            Pillar(programme=p, name=f"Actielijn {i + 1}", order=i)
            for p in programmes
            for i in range(4)
        ),
        counts,
    )
    targets = _bulk(
        ProgrammeTarget,
        (
            target
            for p in programmes
            for target in (
                ProgrammeTarget(programme=p, name="Aantal trajecten", target_value=1180),
                ProgrammeTarget(programme=p, name="Aantal scholing", target_value=860),
                ProgrammeTarget(programme=p, name="Naar werk", target_value=520, order=2),
            )
        ),
        counts,
    )
    period_rows = _bulk(
        ReportingPeriod,
        (
            ReportingPeriod(programme=p, peildatum=_peildatum(k, first_year))
            for p in programmes
            for k in range(periods)
        ),
        counts,
    )
    pillars_of, targets_of, periods_of = defaultdict(list), defaultdict(list), defaultdict(list)
    for pillar in pillars:
        pillars_of[pillar.programme_id].append(pillar)
    for target in targets:
        targets_of[target.programme_id].append(target)
    for period in period_rows:
        periods_of[period.programme_id].append(period)

    project_rows = _bulk(
        Project,
        (
            Project(
                programme=programme,
                pillar=pillars_of[programme.pk][i % 4],
                code=f"{spec.code_prefix}-{i + 1:04d}",
                number=i + 1,
                title=f"Werkgelegenheidsproject {i + 1}",
                status=STATUSES[i % len(STATUSES)],
                start_date=datetime.date(first_year, 2, 1),
                end_date=datetime.date(first_year + span, 2, 1),
                owner=shared.owner,
                action="Kandidaten werven, opleiden en plaatsen.",
                intended_result="Duurzame uitstroom naar betaald werk.",
            )
            for programme, spec in zip(programmes, specs, strict=True)
            for i in range(len(spec.indicator_counts))
        ),
        counts,
    )
    _bulk(
        Project.partners.through,
        (Project.partners.through(project=p, organisation=shared.partner) for p in project_rows),
        counts,
    )
    projects_of = defaultdict(list)
    for project in project_rows:
        projects_of[project.programme_id].append(project)
    indicator_counts = {p.pk: s.indicator_counts for p, s in zip(programmes, specs, strict=True)}
    indicators = _bulk(
        Indicator,
        (
            Indicator(
                project=project,
                name=name,
                unit="inwoners",
                target_value=Decimal(target),
                target_date=project.end_date,
                programme_target=targets_of[programme.pk][i % 3] if j == 0 else None,
                order=j,
            )
            for programme in programmes
            for i, project in enumerate(projects_of[programme.pk])
            for j, (name, target) in enumerate(INDICATORS[: indicator_counts[programme.pk][i]])
        ),
        counts,
    )
    planned = [ind for ind in indicators if ind.order == 1]
    _bulk(
        TargetRevision,
        (
            TargetRevision(
                indicator=ind,
                previous_value=Decimal(50),
                new_value=ind.target_value,
                revised_on=datetime.date(first_year + 1, 3, 1),
                reason="Bijgesteld na de bijstelling van het programma.",
            )
            for ind in planned
        ),
        counts,
    )
    programme_of_project = {p.pk: p.programme_id for p in project_rows}
    _bulk(
        PlannedValue,
        (
            PlannedValue(indicator=ind, period=period, value=Decimal(4 * (k + 1)))
            for ind in planned
            for k, period in enumerate(periods_of[programme_of_project[ind.project_id]])
        ),
        counts,
    )
    reports = _bulk(
        ProgressReport,
        (
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
            for programme in programmes
            for i, p in enumerate(projects_of[programme.pk])
            for k, period in enumerate(periods_of[programme.pk])
        ),
        counts,
    )
    report_by_key = {(r.project_id, r.period_id): r for r in reports}
    indicators_of = defaultdict(list)
    for ind in indicators:
        indicators_of[programme_of_project[ind.project_id]].append(ind)
    _bulk(
        IndicatorValue,
        (
            IndicatorValue(
                report=report_by_key[(ind.project_id, period.pk)],
                indicator=ind,
                value=Decimal((i % 5 + 1) * 3 * (k + 1)),
            )
            for programme in programmes
            for i, ind in enumerate(indicators_of[programme.pk])
            for k, period in enumerate(periods_of[programme.pk])
        ),
        counts,
    )
    _bulk(
        BudgetLine,
        (
            BudgetLine(
                report=r,
                year=first_year + y,
                budget=Decimal(100000),
                spent=Decimal(90000 + 1000 * (r.project_id % 30)) if y < 2 else None,
                forecast=Decimal(100000) if y >= 2 else None,
            )
            for r in reports
            for y in range(4)
        ),
        counts,
    )
    _bulk(
        FundingLine,
        (
            FundingLine(report=r, source=source, budgeted=Decimal(200000), received=Decimal(150000))
            for r in reports
            for source in shared.sources
        ),
        counts,
    )
    _bulk(
        ActivityProgress,
        (
            ActivityProgress(
                report=r,
                order=n,
                year=first_year,
                activity=f"Activiteit {n + 1}",
                progress="Loopt.",
            )
            for r in reports
            for n in range(2)
        ),
        counts,
    )
    _bulk(
        PlanningChange,
        (
            PlanningChange(
                report=r, year=first_year + 1, changed_description="Start een half jaar later."
            )
            for r in reports
        ),
        counts,
    )
    return [
        BenchmarkData(region, programme, periods_of[programme.pk], projects_of[programme.pk])
        for programme in programmes
    ]


def build_benchmark_programme(
    *, projects: int = 200, periods: int = 10, prefix: str = "benchmark"
) -> BenchmarkData:
    """One programme of any size in a region of its own, each project with two indicators,
    periods from peildatum 1-7-2021 on."""
    region = Region.objects.create(code=f"{prefix}-regio", name=f"{prefix} regio")
    spec = ProgrammeSpec(
        slug=f"{prefix}-programma",
        name=f"{prefix} programma",
        code_prefix=prefix,
        indicator_counts=(2,) * projects,
    )
    (data,) = _build_programmes(
        region=region,
        specs=[spec],
        periods=periods,
        first_year=2021,
        shared=_shared_rows(prefix),
        counts=Counter(),
    )
    return data


def plan_national(
    *,
    regions: int,
    programmes_per_region: tuple[int, int],
    projects_per_programme: tuple[int, int],
    indicators_per_project: tuple[int, int],
) -> list[tuple[str, list[ProgrammeSpec]]]:
    """Per region its name and programmes; the same plan for the same arguments.

    The first programme of the first region gets the most projects: the pages measure it.
    """
    rng = random.Random(SEED)
    plan = []
    for number, name in enumerate(REGION_NAMES[:regions]):
        specs = []
        for k in range(rng.randint(*programmes_per_region)):
            projects = rng.randint(*projects_per_programme)
            if number == 0 and k == 0:
                projects = projects_per_programme[1]
            programme_name = f"{PROGRAMME_NAMES[k % len(PROGRAMME_NAMES)]} {name}"
            specs.append(
                ProgrammeSpec(
                    slug=f"{CODE_PREFIX}{slugify(programme_name)}",
                    name=programme_name,
                    code_prefix="P",
                    indicator_counts=tuple(
                        rng.randint(*indicators_per_project) for _ in range(projects)
                    ),
                )
            )
        plan.append((name, specs))
    return plan


def build_national(
    *, plan: list[tuple[str, list[ProgrammeSpec]]], periods: int, log=None
) -> NationalData:
    """Build the plan region by region (memory stays small); refuse if a region exists."""
    names = [name for name, _specs in plan]
    taken = list(Region.objects.filter(name__in=names).values_list("name", flat=True))
    if taken:
        raise CommandError(
            f"De database bevat al de regio('s) {', '.join(taken)}. Bouw in een lege database, "
            "of meet een eerder bewaarde dataset met --measure-only."
        )
    shared = _shared_rows("bench")
    counts: Counter = Counter()
    regions, measured = [], None
    for name, specs in plan:
        region = Region.objects.create(code=f"{CODE_PREFIX}{slugify(name)}", name=name)
        counts["region"] += 1
        built = _build_programmes(
            region=region,
            specs=specs,
            periods=periods,
            first_year=NATIONAL_FIRST_YEAR,
            shared=shared,
            counts=counts,
        )
        regions.append(region)
        measured = measured or built[0]
        if log:
            size = sum(len(b.projects) for b in built)
            log(f"  {name}: {len(specs)} programma's, {size} projecten")
    assert measured is not None
    return NationalData(regions, measured.programme, measured.projects[0], counts)


def find_national() -> NationalData:
    """The dataset a --keep run left: regions by code prefix, the largest programme of the
    first region, its first project."""
    regions = list(Region.objects.filter(code__startswith=CODE_PREFIX).order_by("pk"))
    if not regions:
        raise CommandError(
            "Geen landelijke testgegevens gevonden: bouw ze eerst met --keep --password ...."
        )
    programme = (
        Programme.objects.filter(region=regions[0])
        .annotate(size=Count("projects"))
        .order_by("-size", "pk")
        .first()
    )
    if programme is None:
        raise CommandError(f"Regio {regions[0].name} heeft geen programma's.")
    project = Project.objects.filter(programme=programme).order_by("pk").first()
    return NationalData(regions, programme, project, Counter())


def refresh_planner_statistics() -> None:
    """Let the database planner see the rows just built, as autovacuum would in production.

    Without it PostgreSQL plans the dashboard's joins for empty tables and the timings say
    more about missing statistics than about the pages (seen: 650 ms against 280 ms).
    ANALYZE runs inside the benchmark's transaction on PostgreSQL and SQLite alike.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
