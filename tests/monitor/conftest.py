import datetime
from decimal import Decimal as D

import pytest

from tests import factories


@pytest.fixture
def gooi(db):
    """Gooi en Vechtstreek with two programmes' worth of the seed monitor, peildatum 1-7-2021."""
    region = factories.RegionFactory(code="gooi-en-vechtstreek", name="Gooi en Vechtstreek")
    programme = factories.ProgrammeFactory(
        region=region, slug="werken-aan-werk", name="Werken aan Werk"
    )
    pillar = factories.PillarFactory(programme=programme, name="Bijstelling programma's", order=1)
    target = factories.ProgrammeTargetFactory(
        programme=programme, name="Aantal inwoners bemiddeld naar werk", target_value=D(520)
    )
    first = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 1, 1)
    )
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 7, 1)
    )
    zorgstart = factories.ProjectFactory(
        programme=programme,
        pillar=pillar,
        number=5,
        code="ZORGSTART",
        title="ZorgStart",
        start_date=datetime.date(2021, 2, 1),
    )
    indicator = factories.IndicatorFactory(
        project=zorgstart,
        name="Uitstroom naar betaalde baan",
        target_value=D(250),
        target_date=datetime.date(2023, 2, 1),
        programme_target=target,
    )
    report = factories.ProgressReportFactory(
        project=zorgstart,
        period=period,
        reported_light="green",
        state="approved",
        summary="ZorgStart heeft een vliegende start gemaakt.",
        highlight="positive",
        highlight_text="ZorgStart loopt goed op koers.",
    )
    factories.IndicatorValueFactory(report=report, indicator=indicator, value=D(43))
    factories.BudgetLineFactory(report=report, year=2021, budget=D(500000), spent=D(200000))
    factories.FundingLineFactory(
        report=report,
        source=factories.FundingSourceFactory(name="Perspectief op Werk"),
        budgeted=D(500000),
        received=D(250000),
    )
    factories.ProgressReportFactory(project=zorgstart, period=first)
    schoonhuis = factories.ProjectFactory(
        programme=programme, code="SCHOONHUIS", title="Schoonhuis continueren", status="completed"
    )
    factories.ProgressReportFactory(
        project=schoonhuis, period=period, summary="Dit project is afgerond."
    )
    return programme


@pytest.fixture
def other_region(db):
    """A programme of another region, which a Gooi en Vechtstreek wethouder must not see."""
    programme = factories.ProgrammeFactory(
        region=factories.RegionFactory(code="zeeland", name="Zeeland"),
        slug="regio-deal-zeeland",
        name="Regio Deal Zeeland",
    )
    project = factories.ProjectFactory(programme=programme, code="AANVAL", title="Aanvalsplan")
    factories.ProgressReportFactory(project=project, reported_light="red")
    return programme


@pytest.fixture
def wethouder(gooi):
    user = factories.UserFactory(username="wethouder-gooi")
    gooi.region.viewers.add(user)
    return user


@pytest.fixture
def ministry(db):
    return factories.MinistryUserFactory(username="ministerie")
