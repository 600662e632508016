"""Worlds for whole stories, composed of the seed regions and the roles: the reporting world
that the form, workflow, history and permission tests share, and the world of the four user
journeys in tests/browser. Each returns a frozen handle whose attribute names the tests use.

Only composition lives here; the data of a region is in tests/worlds/seeds.py and what a role
may do in tests/worlds/people.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

from django.contrib.auth.models import AbstractUser

from programmes import models
from tests import factories
from tests.worlds import seeds
from tests.worlds.build import World, funding, indicator, period, pillar, project, report, target
from tests.worlds.people import Roles, users_for

PEILDATUM = datetime.date(2021, 7, 1)


@dataclass(frozen=True)
class ReportingWorld:
    """Gooi en Vechtstreek's Perspectief op Werk with ZorgStart and its two indicators, an
    open period 1-7-2021 without reports, and Zuid-Kennemerland en IJmond as the region
    whose wethouder (`other_viewer`) must see none of it."""

    coordinator: AbstractUser
    manager: AbstractUser
    viewer: AbstractUser  # the wethouder of Gooi en Vechtstreek
    other_viewer: AbstractUser  # the wethouder of the other region
    ministry: AbstractUser
    admin: AbstractUser
    programme: models.Programme
    project: models.Project
    indicators: list[models.Indicator]
    period: models.ReportingPeriod
    sources: list[models.FundingSource]
    other_programme: models.Programme
    other_project: models.Project
    other_period: models.ReportingPeriod
    other_report: models.ProgressReport
    own: World
    other: World
    people: Roles


def reporting_world() -> ReportingWorld:
    own = seeds.gooi(
        slug="perspectief-op-werk",
        name="Perspectief op Werk",
        description="",
        periods=[period(PEILDATUM)],
        pillars=(),
        targets=(),
        projects=[
            project(
                "ZorgStart",
                # The expected value at 1-7-2021 runs linearly from the start to the target
                # date: 250 over two years gives 62 (tests/programmes/test_forms.py).
                start_date=datetime.date(2021, 1, 1),
                end_date=datetime.date(2022, 12, 31),
                indicators=[
                    indicator("Uitstroom naar werk", target_value=D(250), order=1,
                              target_date=datetime.date(2022, 12, 31)),
                    indicator("Gestarte trajecten", target_value=D(40), order=2,
                              target_date=datetime.date(2022, 12, 31)),
                ],
            )
        ],
    )  # fmt: skip
    other = seeds.zuid_kennemerland(
        periods=[period(PEILDATUM)],
        projects=[seeds.MOBILITEITSTEAM.but(reports=[report(PEILDATUM)])],
    )
    people = users_for(own, outsider_in=other)
    sources = [
        factories.FundingSourceFactory(name="Regio Deal", order=1),
        factories.FundingSourceFactory(name="Provincie", order=2),
    ]
    return ReportingWorld(
        coordinator=people.coordinator,
        manager=people.manager,
        viewer=people.wethouder,
        other_viewer=people.outsider,
        ministry=people.ministerie,
        admin=people.admin,
        programme=own.programme,
        project=own.project,
        indicators=list(own.indicators),
        period=own.period_at(PEILDATUM),
        sources=sources,
        other_programme=other.programme,
        other_project=other.project,
        other_period=other.period_at(PEILDATUM),
        other_report=other.reports[0],
        own=own,
        other=other,
        people=people,
    )


def complete_post(report: models.ProgressReport, world: ReportingWorld, **overrides) -> dict:
    """The POST of a complete, valid report form, typed as a Dutch coordinator would."""
    first, second = world.indicators
    data = {
        "version": str(report.version),
        "summary": "Het project loopt voorspoedig.\n\n• 43 mensen aan het werk\n• 4 trajecten",
        "reported_light": "green",
        "light_cause": "",
        "light_consequences": "",
        "light_recovery": "",
        "light_explanation": "",
        "budget_note": "",
        "highlight": "",
        "highlight_text": "",
        "act-TOTAL_FORMS": "1",
        "act-INITIAL_FORMS": "0",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
        "act-0-id": "",
        "act-0-year": "2021",
        "act-0-activity": "Werving zorgpersoneel",
        "act-0-progress": "Campagnes gedraaid.",
        f"ind-{first.pk}-value": "60",
        f"ind-{first.pk}-note": "",
        f"ind-{second.pk}-value": "10",
        f"ind-{second.pk}-note": "",
        "budget-2021-budget": "€ 1.610.000",
        "budget-2021-spent": "620.000,50",
        "budget-2021-forecast": "",
        f"fund-{world.sources[0].pk}-budgeted": "2.300.000",
        f"fund-{world.sources[0].pk}-received": "1830000",
        "action": "save",
    }
    data.update(overrides)
    return data


@dataclass(frozen=True)
class JourneyWorld:
    """Gooi en Vechtstreek's Werken aan Werk as its September 2021 monitor shows it, plus
    Zeeland, a region the wethouder must not see.

    Three periods: 1-1-2021 and 1-7-2021 are closed with approved reports, 1-1-2022 is open
    and nobody has started ZorgStart's report for it yet, so the coordinator finds it under
    "Mijn rapportages". The figures follow the seed: ZorgStart aims at 250 outflow in two
    years from 1 February 2021 and had 43 by 1-7-2021; Waardetas had 4 of 40."""

    coordinator: AbstractUser
    manager: AbstractUser
    wethouder: AbstractUser
    ministry: AbstractUser
    region: models.Region
    programme: models.Programme
    pillars: list[models.Pillar]
    zorgstart: models.Project
    uitstroom: models.Indicator  # ZorgStart's outflow indicator, feeds the programme target
    werkgevers: models.Indicator  # ZorgStart's second indicator: employers approached
    waardetas: models.Project
    open_period: models.ReportingPeriod  # 1-1-2022, open: the coordinator reports on it
    closed_period: models.ReportingPeriod  # 1-7-2021: the dashboard and the PDFs show it
    first_period: models.ReportingPeriod  # 1-1-2021
    other_programme: models.Programme


FIRST, CLOSED, OPEN = datetime.date(2021, 1, 1), PEILDATUM, datetime.date(2022, 1, 1)


def journey_world() -> JourneyWorld:
    """The world of tests/browser/test_journeys.py; role titles, never personal names."""
    zorgstart = seeds.ZORGSTART.but(
        pillar=seeds.BIJSTELLING,
        code="ZORGSTART",
        intended_result="250 inwoners uitgestroomd naar een betaalde baan in de zorg.",
        indicators=[
            seeds.UITSTROOM.but(unit="inwoners", order=1),
            indicator(
                "Benaderde werkgevers",
                unit="werkgevers",
                target_value=D(2000),
                target_date=datetime.date(2023, 2, 1),
                order=2,
            ),
        ],
        reports=[
            report(
                CLOSED,
                state="approved",
                reported_light="green",
                summary="ZorgStart heeft een vliegende start gemaakt.",
                highlight="positive",
                highlight_text=seeds.ZORGSTART_POSITIVE,
                values={"Uitstroom naar betaalde baan": D(43), "Benaderde werkgevers": D(700)},
                activities=[
                    {
                        "order": 0,
                        "year": 2021,
                        "activity": "Werving en selectie van kandidaten",
                        "progress": "Drie informatiebijeenkomsten gehouden.",
                    }
                ],
                budget=[
                    {"year": 2021, "budget": D(500000), "spent": D(200000)},
                    {"year": 2022, "budget": D(500000), "spent": None},
                ],
                funding=[
                    funding(
                        "Perspectief op Werk",
                        source_order=1,
                        budgeted=D(1000000),
                        received=D(250000),
                    )
                ],
            )
        ],
    )
    waardetas = project(
        "Waardetas",
        pillar=seeds.BIJSTELLING,
        number=3,
        code="WAARDETAS",
        start_date=datetime.date(2021, 5, 1),
        end_date=datetime.date(2023, 5, 1),
        indicators=[
            indicator(
                "Gestarte kandidaten",
                unit="kandidaten",
                target_value=D(40),
                target_date=datetime.date(2023, 5, 1),
            )
        ],
        reports=[
            report(
                CLOSED,
                state="approved",
                reported_light="red",
                summary="Er zijn 4 kandidaten gestart.",
                light_cause="De werving kwam laat op gang.",
                light_consequences="Minder kandidaten dan gepland.",
                light_recovery="Extra wervingsronde met het WSP.",
                values={"Gestarte kandidaten": D(4)},
            )
        ],
    )
    lokaal = project(
        "Lokaal budget voor scholing en begeleiding",
        pillar=seeds.ACTIEPLAN_WAW,
        number=2,
        code="LOKAAL-BUDGET",
        start_date=datetime.date(2020, 7, 1),
        end_date=datetime.date(2022, 12, 31),
        reports=[
            report(FIRST, state="approved", reported_light="amber",
                   summary="Twee gemeenten moeten hun plan nog indienen."),
            report(CLOSED, state="approved", reported_light="green",
                   summary="Alle plannen akkoord."),
        ],
    )  # fmt: skip
    schoonhuis = seeds.SCHOONHUIS.but(
        pillar=seeds.ACTIEPLAN_WAW,
        number=7,
        reports=[report(CLOSED, state="approved", summary="Dit project is afgerond.")],
    )
    gooi = seeds.gooi(
        description="",
        funder="Ministerie van SZW",
        start_date=datetime.date(2020, 7, 1),
        end_date=datetime.date(2023, 12, 31),
        pillars=[pillar(seeds.BIJSTELLING, order=1), pillar(seeds.ACTIEPLAN_WAW, order=2)],
        targets=[target(seeds.BEMIDDELD, unit="inwoners", target_value=D(520))],
        periods=[
            period(FIRST, deadline=datetime.date(2021, 2, 15), is_closed=True),
            period(CLOSED, deadline=datetime.date(2021, 8, 15), is_closed=True),
            period(OPEN, deadline=datetime.date(2022, 2, 15)),
        ],
        projects=[zorgstart, waardetas, lokaal, schoonhuis],
    )
    zeeland = seeds.zeeland(
        periods=[period(seeds.ZEELAND_PEILDATUM, is_closed=True)],
        projects=[
            project(
                "Aanvalsplan Zeeland",
                code="AANVALSPLAN",
                reports=[report(seeds.ZEELAND_PEILDATUM, state="approved", reported_light="green")],
            )
        ],
    )
    zorgstart_row = gooi.project_titled("ZorgStart")
    people = users_for(
        gooi,
        coordinates=[zorgstart_row],
        coordinator={"first_name": "Projectleider", "last_name": "ZorgStart"},
        manager={"first_name": "Programmamanager"},
        wethouder={"first_name": "Wethouder"},
    )
    return JourneyWorld(
        coordinator=people.coordinator,
        manager=people.manager,
        wethouder=people.wethouder,
        ministry=people.ministerie,
        region=gooi.region,
        programme=gooi.programme,
        pillars=list(gooi.pillars),
        zorgstart=zorgstart_row,
        uitstroom=gooi.indicator_named("Uitstroom naar betaalde baan"),
        werkgevers=gooi.indicator_named("Benaderde werkgevers"),
        waardetas=gooi.project_titled("Waardetas"),
        open_period=gooi.period_at(OPEN),
        closed_period=gooi.period_at(CLOSED),
        first_period=gooi.period_at(FIRST),
        other_programme=zeeland.programme,
    )
