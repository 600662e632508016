"""Test data for the four user journeys (tests/browser/test_journeys.py), built with the
factories: Gooi en Vechtstreek's Werken aan Werk as its September 2021 monitor shows it,
plus Zeeland, a region the Gooi en Vechtstreek wethouder must not see.

The programme has three periods: 1-1-2021 and 1-7-2021 are closed with approved reports,
1-1-2022 is open and nobody has started ZorgStart's report for it yet, so the coordinator
finds it under "Mijn rapportages". The figures follow the seed: ZorgStart aims at 250
outflow in two years from 1 February 2021 and had 43 by 1-7-2021; Waardetas had 4 of 40.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

from programmes.models import ActivityProgress, Project
from tests import factories


@dataclass
class JourneyWorld:
    coordinator: object
    manager: object
    wethouder: object
    ministry: object
    region: object
    programme: object
    pillars: list
    zorgstart: object
    uitstroom: object  # ZorgStart's outflow indicator, feeds the programme target
    werkgevers: object  # ZorgStart's second indicator: employers approached
    waardetas: object
    open_period: object  # 1-1-2022, open: the coordinator reports on it
    closed_period: object  # 1-7-2021: the dashboard and the PDFs show it
    first_period: object  # 1-1-2021
    other_programme: object


def build_journey_world() -> JourneyWorld:
    # Role titles, never personal names (DESIGN.md).
    coordinator = factories.UserFactory(
        username="coordinator", first_name="Projectleider", last_name="ZorgStart"
    )
    manager = factories.UserFactory(
        username="manager", first_name="Programmamanager", email="manager@example.org"
    )
    wethouder = factories.UserFactory(username="wethouder", first_name="Wethouder")
    ministry = factories.MinistryUserFactory(username="ministerie")

    region = factories.RegionFactory(code="gooi-en-vechtstreek", name="Gooi en Vechtstreek")
    region.viewers.add(wethouder)
    programme = factories.ProgrammeFactory(
        region=region,
        slug="werken-aan-werk",
        name="Werken aan Werk",
        funder="Ministerie van SZW",
        start_date=datetime.date(2020, 7, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    programme.managers.add(manager)
    pillars = [
        factories.PillarFactory(programme=programme, name="Bijstelling programma's", order=1),
        factories.PillarFactory(programme=programme, name="Actieplan Werken aan Werk", order=2),
    ]
    target = factories.ProgrammeTargetFactory(
        programme=programme,
        name="Aantal inwoners bemiddeld naar werk",
        unit="inwoners",
        target_value=D(520),
    )
    first_period = factories.ReportingPeriodFactory(
        programme=programme,
        peildatum=datetime.date(2021, 1, 1),
        deadline=datetime.date(2021, 2, 15),
        is_closed=True,
    )
    closed_period = factories.ReportingPeriodFactory(
        programme=programme,
        peildatum=datetime.date(2021, 7, 1),
        deadline=datetime.date(2021, 8, 15),
        is_closed=True,
    )
    open_period = factories.ReportingPeriodFactory(
        programme=programme,
        peildatum=datetime.date(2022, 1, 1),
        deadline=datetime.date(2022, 2, 15),
    )

    zorgstart = factories.ProjectFactory(
        programme=programme,
        pillar=pillars[0],
        number=5,
        code="ZORGSTART",
        title="ZorgStart",
        start_date=datetime.date(2021, 2, 1),
        end_date=datetime.date(2023, 2, 1),
        intended_result="250 inwoners uitgestroomd naar een betaalde baan in de zorg.",
    )
    zorgstart.coordinators.add(coordinator)
    uitstroom = factories.IndicatorFactory(
        project=zorgstart,
        name="Uitstroom naar betaalde baan",
        unit="inwoners",
        target_value=D(250),
        target_date=datetime.date(2023, 2, 1),
        programme_target=target,
        order=1,
    )
    werkgevers = factories.IndicatorFactory(
        project=zorgstart,
        name="Benaderde werkgevers",
        unit="werkgevers",
        target_value=D(2000),
        target_date=datetime.date(2023, 2, 1),
        order=2,
    )
    zorgstart_report = factories.ProgressReportFactory(
        project=zorgstart,
        period=closed_period,
        state="approved",
        reported_light="green",
        summary="ZorgStart heeft een vliegende start gemaakt.",
        highlight="positive",
        highlight_text="ZorgStart loopt na een vliegende start goed op koers.",
    )
    factories.IndicatorValueFactory(report=zorgstart_report, indicator=uitstroom, value=D(43))
    factories.IndicatorValueFactory(report=zorgstart_report, indicator=werkgevers, value=D(700))
    ActivityProgress.objects.create(
        report=zorgstart_report,
        order=0,
        year=2021,
        activity="Werving en selectie van kandidaten",
        progress="Drie informatiebijeenkomsten gehouden.",
    )
    factories.BudgetLineFactory(
        report=zorgstart_report, year=2021, budget=D(500000), spent=D(200000)
    )
    factories.BudgetLineFactory(report=zorgstart_report, year=2022, budget=D(500000), spent=None)
    factories.FundingLineFactory(
        report=zorgstart_report,
        source=factories.FundingSourceFactory(name="Perspectief op Werk", order=1),
        budgeted=D(1000000),
        received=D(250000),
    )

    waardetas = factories.ProjectFactory(
        programme=programme,
        pillar=pillars[0],
        number=3,
        code="WAARDETAS",
        title="Waardetas",
        start_date=datetime.date(2021, 5, 1),
        end_date=datetime.date(2023, 5, 1),
    )
    waardetas_indicator = factories.IndicatorFactory(
        project=waardetas,
        name="Gestarte kandidaten",
        unit="kandidaten",
        target_value=D(40),
        target_date=datetime.date(2023, 5, 1),
    )
    waardetas_report = factories.ProgressReportFactory(
        project=waardetas,
        period=closed_period,
        state="approved",
        reported_light="red",
        summary="Er zijn 4 kandidaten gestart.",
        light_cause="De werving kwam laat op gang.",
        light_consequences="Minder kandidaten dan gepland.",
        light_recovery="Extra wervingsronde met het WSP.",
    )
    factories.IndicatorValueFactory(
        report=waardetas_report, indicator=waardetas_indicator, value=D(4)
    )

    lokaal = factories.ProjectFactory(
        programme=programme,
        pillar=pillars[1],
        number=2,
        code="LOKAAL-BUDGET",
        title="Lokaal budget voor scholing en begeleiding",
        start_date=datetime.date(2020, 7, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    for period, light, summary in [
        (first_period, "amber", "Twee gemeenten moeten hun plan nog indienen."),
        (closed_period, "green", "Alle plannen akkoord."),
    ]:
        factories.ProgressReportFactory(
            project=lokaal, period=period, state="approved", reported_light=light, summary=summary
        )

    schoonhuis = factories.ProjectFactory(
        programme=programme,
        pillar=pillars[1],
        number=7,
        code="SCHOONHUIS",
        title="Schoonhuis continueren",
        status=Project.Status.COMPLETED,
    )
    factories.ProgressReportFactory(
        project=schoonhuis,
        period=closed_period,
        state="approved",
        summary="Dit project is afgerond.",
    )

    other_programme = factories.ProgrammeFactory(
        region=factories.RegionFactory(code="zeeland", name="Zeeland"),
        slug="regio-deal-zeeland",
        name="Regio Deal Zeeland",
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    aanvalsplan = factories.ProjectFactory(
        programme=other_programme, code="AANVALSPLAN", title="Aanvalsplan Zeeland"
    )
    factories.ProgressReportFactory(
        project=aanvalsplan,
        period=factories.ReportingPeriodFactory(
            programme=other_programme, peildatum=datetime.date(2020, 1, 1), is_closed=True
        ),
        state="approved",
        reported_light="green",
    )

    return JourneyWorld(
        coordinator=coordinator,
        manager=manager,
        wethouder=wethouder,
        ministry=ministry,
        region=region,
        programme=programme,
        pillars=pillars,
        zorgstart=zorgstart,
        uitstroom=uitstroom,
        werkgevers=werkgevers,
        waardetas=waardetas,
        open_period=open_period,
        closed_period=closed_period,
        first_period=first_period,
        other_programme=other_programme,
    )
