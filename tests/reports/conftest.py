"""Report data shaped like the three seed documents, built with the factories."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.cache import cache

from programmes.models import ActivityProgress, PlannedValue, PlanningChange, Project
from tests import factories

ZEELAND_SUMMARY = (
    "Het project loopt voorspoedig en er worden goede resultaten gehaald. Zo is de beoogde "
    "plaatsing van 400 mensen met een afstand tot de arbeidsmarkt inmiddels gerealiseerd."
)
ZEELAND_BUDGET_NOTE = (
    "De rij 'Totaal' in de bron vermeldt begroting deel 1 € 3.000.000 en uitgaven-lasten "
    "€ 3.595.628; de jaarregels tellen op tot € 3.648.455."
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def zeeland():
    """Regio Deal Zeeland, Aanvalsplan, peildatum 1-1-2020: 447 vacatures filled against
    200 planned, the seed's cost table (2018-2021) and income per funding source."""
    region = factories.RegionFactory(code="zeeland", name="Zeeland")
    programme = factories.ProgrammeFactory(
        region=region,
        slug="regio-deal-zeeland",
        name="Regio Deal Zeeland",
        funder="Regio Deal Zeeland",
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    project = factories.ProjectFactory(
        programme=programme,
        code="AANVALSPLAN-II",
        title="Aanvalsplan voor de Arbeidsmarktregio Zeeland",
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    vacatures = factories.IndicatorFactory(
        project=project,
        name="het aantal vacatures van Zeeuwse werkgevers dat wordt vervuld",
        unit="vacatures",
        target_value=D(200),
        target_date=None,
        order=0,
    )
    platform = factories.IndicatorFactory(
        project=project,
        name="het realiseren van een regiomarketing platform",
        unit="marketingorganisatie",
        target_value=D(1),
        target_date=None,
        order=1,
    )
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2020, 1, 1)
    )
    PlannedValue.objects.create(indicator=vacatures, period=period, value=D(200))
    PlannedValue.objects.create(indicator=platform, period=period, value=D(1))
    report = factories.ProgressReportFactory(
        project=project,
        period=period,
        state="approved",
        summary=ZEELAND_SUMMARY,
        budget_note=ZEELAND_BUDGET_NOTE,
        source="Voortgangsrapportage 2 Regio Deal Zeeland, peildatum 01-01-2020",
    )
    ActivityProgress.objects.create(
        report=report,
        order=0,
        year=2019,
        activity="Fase 2: scholing en plaatsing van onbenut Zeeuws arbeidspotentieel",
        progress="Op peildatum 1 december 2019 zijn 447 plaatsingen gerealiseerd.",
    )
    ActivityProgress.objects.create(
        report=report,
        order=1,
        year=2019,
        activity="Fase 2: oprichten en inrichten regionale marketingorganisatie",
        progress="Businessplannen gepresenteerd in september 2019.",
    )
    factories.IndicatorValueFactory(report=report, indicator=vacatures, value=D(447))
    for year in (2018, 2019, 2020, 2021):
        PlanningChange.objects.create(report=report, year=year)
    for year, budget, spent, forecast in [
        (2018, D(620000), D(878855), None),
        (2019, D(1610000), D(2066773), None),
        (2020, D(770000), None, D(652827)),
        (2021, None, None, D(50000)),
    ]:
        factories.BudgetLineFactory(
            report=report, year=year, budget=budget, spent=spent, forecast=forecast
        )
    for order, (name, budgeted, received, committed) in enumerate(
        [
            ("Regio Deal", None, D(1830000), D(470000)),
            ("Provincie", D(350000), D(689905), None),
            ("Overig publiek", D(350000), D(250000), D(100000)),
            ("Eigen bijdrage privaat", None, D(308550), None),
        ]
    ):
        source = factories.FundingSourceFactory(name=name, order=order)
        factories.FundingLineFactory(
            report=report,
            source=source,
            budgeted=budgeted,
            received=received,
            committed=committed,
        )
    return project


GOOI_PROJECTS = [
    # pillar index, number, title, light, summary, status
    (0, 1, "Gooi en Vechtstreek werkt door", "amber", "Contact met circa 700 werkgevers.", None),
    (0, 2, "Hout", "amber", "Gestart op 17 mei 2021 met als einddoel 40 inwoners.", None),
    (0, 3, "Waardetas", "red", "Er zijn 4 kandidaten gestart.", None),
    (0, 5, "ZorgStart", "green", "43 inwoners zijn uitgestroomd naar een betaalde baan.", None),
    (1, 2, "Lokaal budget voor scholing en begeleiding", "green", "Alle plannen akkoord.", None),
    (2, 3, "Wijkleerbedrijf", "green", "De eerste 15 deelnemers ontvangen een diploma.", None),
    (None, 1, "Meer werk voor huishoudelijke hulpen", "", "Dit project is afgerond.", "completed"),
    (None, 2, "Innovatiefonds", "", "In verband met de coronacrisis on hold gezet.", "on_hold"),
]
GOOI_PILLARS = [
    "Voortgangsrapportage projecten bijstelling programma's",
    "Voortgangsrapportage uitvoering actieplan Werken aan Werk",
    "Voortgangsrapportage uitvoering actieplan Perspectief op Werk",
]


@pytest.fixture
def gooi():
    """Gooi en Vechtstreek, Werken aan Werk, peildatum 1-7-2021: three programme targets,
    ZorgStart aiming at 250 outflow with 43 realised, highlights, finished projects."""
    region = factories.RegionFactory(code="gooi-en-vechtstreek", name="Gooi en Vechtstreek")
    programme = factories.ProgrammeFactory(
        region=region,
        slug="werken-aan-werk",
        name="Werken aan Werk",
        description="Met 27 werkgelegenheidsprojecten investeren de regiogemeenten in banen.",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 7, 1)
    )
    pillars = [
        factories.PillarFactory(programme=programme, name=name, order=i)
        for i, name in enumerate(GOOI_PILLARS)
    ]
    targets = [
        factories.ProgrammeTargetFactory(
            programme=programme, name=name, target_value=D(value), order=i
        )
        for i, (name, value) in enumerate(
            [
                ("Aantal trajecten", 1180),
                ("Aantal scholing- en begeleidingstrajecten", 860),
                ("Aantal inwoners bemiddeld naar werk", 520),
            ]
        )
    ]
    for pillar_index, number, title, light, summary, status in GOOI_PROJECTS:
        project = factories.ProjectFactory(
            programme=programme,
            pillar=pillars[pillar_index] if pillar_index is not None else pillars[0],
            number=number,
            title=title,
            status=status or Project.Status.RUNNING,
            start_date=datetime.date(2021, 2, 1),
            end_date=datetime.date(2023, 2, 1),
        )
        report = factories.ProgressReportFactory(
            project=project,
            period=period,
            state="approved",
            reported_light=light,
            summary=summary,
            highlight={"ZorgStart": "positive", "Hout": "adjusted"}.get(title, ""),
            highlight_text=(
                "ZorgStart loopt na een vliegende start goed op koers."
                if title == "ZorgStart"
                else ("Hout kende een latere start." if title == "Hout" else "")
            ),
        )
        if title == "ZorgStart":
            indicator = factories.IndicatorFactory(
                project=project,
                name="Uitstroom naar werk",
                target_value=D(250),
                target_date=datetime.date(2023, 2, 1),
                programme_target=targets[2],
            )
            factories.IndicatorValueFactory(report=report, indicator=indicator, value=D(43))
    return programme


@pytest.fixture
def kennemerland():
    """Zuid-Kennemerland en IJmond, doe-agenda 2020-2022: projects under four pillars with
    action, intended and achieved result, follow-up, partners and public funds."""
    region = factories.RegionFactory(
        code="zuid-kennemerland-en-ijmond", name="Zuid-Kennemerland en IJmond"
    )
    programme = factories.ProgrammeFactory(
        region=region,
        slug="doe-agenda-2020-2022",
        name="Doe-agenda 2020-2022",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    factories.ReportingPeriodFactory(programme=programme, peildatum=datetime.date(2023, 1, 1))
    pillars = [
        factories.PillarFactory(programme=programme, name=name, order=i)
        for i, name in enumerate(
            [
                "Van werk naar werk",
                "Van uitkering naar werk",
                "Van onderwijs naar werk",
                "Werkgelegenheid",
            ]
        )
    ]
    uwv = factories.OrganisationFactory(name="UWV")
    fnv = factories.OrganisationFactory(name="FNV")
    rmt = factories.ProjectFactory(
        programme=programme,
        pillar=pillars[0],
        number=1,
        title="Regionaal Mobiliteitsteam",
        action="Opzetten Regionaal Mobiliteitsteam Zuid-Kennemerland en IJmond",
        intended_result="Duurzame bemiddeling van werk naar werk.",
        achieved_result="RMT ZKIJwerktdoor is gestart per 1 september 2021.",
        follow_up="Verduurzaming dienstverlening RMT.",
        public_funds="€ 240.000 Crisisdienstverlening",
    )
    rmt.partners.set([uwv, fnv])
    factories.ProjectFactory(
        programme=programme,
        pillar=pillars[0],
        number=3,
        title="Blik op de Toekomst",
        status=Project.Status.STOPPED,
        action="Versterking verbinding ondernemers",
        achieved_result="Dit project is in afstemming met VNO NCW niet gestart.",
        public_funds="n.v.t.",
    )
    factories.ProjectFactory(
        programme=programme,
        pillar=pillars[1],
        number=1,
        title="Jeugdwerkloosheid",
        action="Regionale aanpak Jeugdwerkloosheid",
        intended_result="Intensieve begeleiding naar werk van schoolverlaters.",
    )
    factories.ProjectFactory(
        programme=programme,
        pillar=pillars[3],
        number=1,
        title="Techniekpact",
        status=Project.Status.COMPLETED,
    )
    return programme
