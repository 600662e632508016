"""The overview builder: the seed reports' worked examples, and a fixed number of queries."""

import dataclasses
import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes.benchmark import build_benchmark_programme
from programmes.models import ProgressReport, Project, TargetRevision
from programmes.overview import (
    programme_overview,
    programme_overviews,
    project_overview,
    realised_to_date,
)
from programmes.status import Light
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeeland():
    """Regio Deal Zeeland, Aanvalsplan: peildatum 1-1-2020, planned 200 vacatures, 447 filled,
    and the cost table of the seed (2018-2021)."""
    programme = factories.ProgrammeFactory(
        slug="regio-deal-zeeland",
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    project = factories.ProjectFactory(
        programme=programme,
        code="AANVAL",
        title="Aanvalsplan voor de Arbeidsmarktregio Zeeland",
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    indicator = factories.IndicatorFactory(
        project=project,
        name="Aantal vacatures dat is vervuld",
        unit="vacatures",
        target_value=D(400),
        target_date=datetime.date(2021, 12, 31),
    )
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2020, 1, 1)
    )
    factories.models.PlannedValue.objects.create(indicator=indicator, period=period, value=D(200))
    report = factories.ProgressReportFactory(
        project=project, period=period, reported_light="green", state="approved"
    )
    factories.IndicatorValueFactory(report=report, indicator=indicator, value=D(447))
    for year, budget, spent, forecast in [
        (2018, D(620000), D(878855), None),
        (2019, D(1610000), D(2066773), None),
        (2020, D(770000), None, D(652827)),
        (2021, None, None, D(50000)),
    ]:
        factories.BudgetLineFactory(
            report=report, year=year, budget=budget, spent=spent, forecast=forecast
        )
    rijk = factories.FundingSourceFactory(name="Regio Deal (Rijk)", order=1)
    factories.FundingLineFactory(
        report=report, source=rijk, budgeted=D(1500000), received=D(1500000)
    )
    return project


def test_zeeland_447_against_planned_200_is_green_and_over_budget(zeeland):
    result = project_overview(project=zeeland)

    assert result.period.label == "peildatum 1-1-2020"
    (row,) = result.indicators
    assert row.expected == D(200)  # the planned value wins over the linear line
    assert row.actual == D(447)
    assert row.light == Light.GREEN
    assert result.computed_light == Light.GREEN
    assert not result.lights_differ

    assert [line.year for line in result.budget_lines] == [2018, 2019, 2020, 2021]
    assert result.budget_total.budget.amount == D(3000000)
    assert result.budget_total.spent.amount == D(2945628)
    assert result.budget.total_expected == D(3648455)
    assert result.budget.is_over_budget
    assert result.budget.light == Light.RED
    assert result.funding_total.received.amount == D(1500000)
    assert result.report.is_approved


@pytest.fixture
def gooi():
    """Gooi en Vechtstreek, peildatum 1-7-2021: ZorgStart and Waardetas, two programme targets."""
    region = factories.RegionFactory(code="gooi-en-vechtstreek", name="Gooi en Vechtstreek")
    programme = factories.ProgrammeFactory(region=region, slug="werken-aan-werk")
    pillar = factories.PillarFactory(programme=programme, name="Bijstelling programma's", order=1)
    naar_werk = factories.ProgrammeTargetFactory(
        programme=programme, name="Aantal inwoners bemiddeld naar werk", target_value=D(520)
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
    waardetas = factories.ProjectFactory(
        programme=programme,
        pillar=pillar,
        number=3,
        code="WAARDETAS",
        title="Waardetas",
        start_date=datetime.date(2021, 5, 1),
    )
    schoonhuis = factories.ProjectFactory(
        programme=programme, code="SCHOONHUIS", title="Schoonhuis continueren", status="completed"
    )
    for project, target, target_date, actual, light, highlight in [
        (zorgstart, 250, datetime.date(2023, 2, 1), 43, "green", "positive"),
        (waardetas, 40, datetime.date(2023, 5, 1), 4, "amber", "adjusted"),
    ]:
        indicator = factories.IndicatorFactory(
            project=project,
            name="Uitstroom naar betaald werk",
            target_value=D(target),
            target_date=target_date,
            programme_target=naar_werk,
        )
        report = factories.ProgressReportFactory(
            project=project,
            period=period,
            reported_light=light,
            highlight=highlight,
            highlight_text=f"{project.title} highlight",
            state="submitted",
        )
        factories.IndicatorValueFactory(report=report, indicator=indicator, value=D(actual))
    factories.ProgressReportFactory(project=schoonhuis, period=period, reported_light="green")
    return programme


def test_gooi_linear_rule_zorgstart_oranje_waardetas_groen(gooi):
    overview = programme_overview(programme=gooi)

    assert overview.programme.region_name == "Gooi en Vechtstreek"
    assert overview.period.key == "2021-H1"
    (group,) = overview.pillars
    # Ordered by number within the pillar, as the monitor lists them.
    waardetas, zorgstart = group.projects
    assert zorgstart.title == "ZorgStart"
    (row,) = zorgstart.indicators
    assert row.expected.quantize(D("0.1")) == D("51.4")
    assert row.status.progress_percent == D(84)
    assert zorgstart.computed_light == Light.AMBER
    # ZorgStart reports green ("volgens doel"); the product computes oranje and says so.
    assert zorgstart.reported_light == Light.GREEN
    assert zorgstart.lights_differ and zorgstart.explanation_required
    assert zorgstart.report.state_label == "ingediend"

    assert waardetas.computed_light == Light.GREEN
    assert waardetas.reported_light == Light.AMBER
    assert waardetas.explanation_required  # oranje needs oorzaak, gevolgen, bijsturing

    assert [p.title for p in overview.finished] == ["Schoonhuis continueren"]
    assert overview.computed_counts == {Light.GREEN: 1, Light.AMBER: 1, Light.RED: 0, Light.GREY: 0}
    assert overview.reported_counts[Light.GREEN] == 1
    (target,) = overview.targets
    assert target.realised == D(47)  # 43 + 4
    assert target.progress == D(47) / D(520)
    assert [h.project_title for h in overview.positive_highlights] == ["ZorgStart"]
    assert [h.text for h in overview.adjusted_highlights] == ["Waardetas highlight"]


def test_project_overview_shows_the_same_light_as_the_programme_overview(gooi):
    overview = programme_overview(programme=gooi)
    for listed in overview.projects:
        alone = project_overview(project=Project.objects.get(pk=listed.pk))
        assert alone.computed_light == listed.computed_light
        assert alone.history == listed.history


def test_filtered_keeps_counts_and_drops_other_projects(gooi):
    overview = programme_overview(programme=gooi).filtered(light=Light.AMBER)
    titles = [p.title for p in overview.projects]
    assert titles == ["Waardetas", "ZorgStart"]  # Waardetas reported, ZorgStart computed
    assert overview.computed_counts[Light.GREEN] == 1
    only_completed = programme_overview(programme=gooi).filtered(project_status="completed")
    assert only_completed.pillars == ()
    assert len(only_completed.finished) == 1


def test_history_per_period_and_cumulative_versus_per_period_realisation():
    project = factories.ProjectFactory(start_date=datetime.date(2021, 1, 1))
    programme = project.programme
    cumulative = factories.IndicatorFactory(project=project, name="Geplaatst", target_value=D(100))
    per_period = factories.IndicatorFactory(
        project=project, name="Gestart per halfjaar", target_value=D(10), is_cumulative=False
    )
    periods = [
        factories.ReportingPeriodFactory(programme=programme, peildatum=datetime.date(y, m, 1))
        for y, m in [(2021, 7), (2022, 1), (2022, 7)]
    ]
    for period, (cum, per) in zip(periods, [(24, 10), (None, 6), (70, 9)], strict=True):
        report = factories.ProgressReportFactory(project=project, period=period)
        if cum is not None:
            factories.IndicatorValueFactory(report=report, indicator=cumulative, value=D(cum))
        factories.IndicatorValueFactory(report=report, indicator=per_period, value=D(per))

    result = project_overview(project=project)
    assert result.period.peildatum == datetime.date(2022, 7, 1)
    cum_row, per_row = result.indicators
    assert [p.actual for p in cum_row.history] == [D(24), None, D(70)]
    # The stand carries forward when a period has no value.
    assert [p.realised_to_date for p in cum_row.history] == [D(24), D(24), D(70)]
    assert [p.realised_to_date for p in per_row.history] == [D(10), D(16), D(25)]
    # A missing value is grey in that period, whatever came before.
    assert cum_row.history[1].light == Light.GREY
    # Per period the target applies each period: 6 of 10 is oranje, 9 of 10 green.
    assert [p.light for p in per_row.history] == [Light.GREEN, Light.AMBER, Light.GREEN]
    assert [s.computed_light for s in result.history] == [Light.GREEN, Light.AMBER, Light.GREEN]
    assert per_row.previous == D(6)

    earlier = project_overview(project=project, period=periods[1])
    assert [p.period.key for p in earlier.history] == ["2021-H1", "2021-H2"]


def test_realised_to_date_rule():
    assert realised_to_date(is_cumulative=True, values_up_to=[D(3), None, D(8)]) == D(8)
    assert realised_to_date(is_cumulative=False, values_up_to=[D(3), None, D(8)]) == D(11)
    assert realised_to_date(is_cumulative=True, values_up_to=[None]) is None


def test_revised_target_counts_from_its_date_and_keeps_the_original():
    project = factories.ProjectFactory(start_date=datetime.date(2021, 1, 1))
    indicator = factories.IndicatorFactory(
        project=project, target_value=D(40), target_date=datetime.date(2022, 1, 1)
    )
    TargetRevision.objects.create(
        indicator=indicator,
        previous_value=D(100),
        new_value=D(40),
        revised_on=datetime.date(2021, 9, 1),
        reason="Krappe arbeidsmarkt",
    )
    first, second = (
        factories.ReportingPeriodFactory(programme=project.programme, peildatum=d)
        for d in (datetime.date(2021, 7, 1), datetime.date(2022, 1, 1))
    )
    for period, value in ((first, 20), (second, 40)):
        report = factories.ProgressReportFactory(project=project, period=period)
        factories.IndicatorValueFactory(report=report, indicator=indicator, value=D(value))

    before = project_overview(project=project, period=first).indicators[0]
    assert before.target == D(100) and before.original_target == D(100)
    assert before.is_revised and before.revisions[0].reason == "Krappe arbeidsmarkt"
    after = project_overview(project=project, period=second).indicators[0]
    assert after.target == D(40) and after.status.target_reached


def test_no_periods_gives_grey_and_no_crash():
    project = factories.ProjectFactory()
    factories.IndicatorFactory(project=project)
    overview = programme_overview(programme=project.programme)
    assert overview.period is None
    assert overview.active_projects[0].computed_light == Light.GREY
    assert overview.active_projects[0].report is None


def test_overview_objects_are_frozen(gooi):
    overview = programme_overview(programme=gooi)
    with pytest.raises(dataclasses.FrozenInstanceError):
        overview.period = None  # type: ignore[misc]


def test_period_of_another_programme_is_refused(gooi):
    other = factories.ReportingPeriodFactory(peildatum=datetime.date(2021, 7, 1))
    with pytest.raises(ValueError):
        programme_overview(programme=gooi, period=other)


def _queries(callable_):
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_query_count_does_not_grow_with_projects_or_periods():
    small = build_benchmark_programme(projects=10, periods=2, prefix="klein")
    large = build_benchmark_programme(projects=200, periods=10, prefix="groot")
    # Queries: region, periods, latest period with a report, projects, partners,
    # indicators, their revisions, their planned values, reports, indicator values, budget
    # lines, funding lines (with source), activities, planning changes, pillars, targets,
    # target revisions.
    small_count = _queries(lambda: programme_overview(programme=small.programme))
    large_count = _queries(lambda: programme_overview(programme=large.programme))
    assert small_count == large_count <= 18

    small_project = _queries(lambda: project_overview(project=small.projects[0]))
    large_project = _queries(lambda: project_overview(project=large.projects[0]))
    assert small_project == large_project <= 14


def test_benchmark_programme_is_consistent():
    data = build_benchmark_programme(projects=10, periods=3, prefix="controle")
    overview = programme_overview(programme=data.programme)
    # The last period's reports are only submitted: the default is the latest approved one.
    assert overview.period.pk == data.periods[-2].pk
    latest = programme_overview(programme=data.programme, period=data.periods[-1])
    assert latest.period.pk == data.periods[-1].pk
    assert len(overview.projects) == 10
    assert len(overview.finished) == 2  # one completed, one stopped of every ten
    assert all(len(p.history) == 3 for p in latest.projects)
    assert ProgressReport.objects.filter(project__programme=data.programme).count() == 30


def test_several_programmes_cost_the_same_queries_as_one():
    first = build_benchmark_programme(projects=5, periods=2, prefix="een")
    second = build_benchmark_programme(projects=20, periods=4, prefix="twee")
    one = _queries(lambda: programme_overviews(programmes=[first.programme]))
    both = _queries(lambda: programme_overviews(programmes=[first.programme, second.programme]))
    assert one == both
    overviews = programme_overviews(programmes=[first.programme, second.programme])
    assert [len(o.projects) for o in overviews] == [5, 20]
    alone = programme_overview(programme=second.programme)
    assert overviews[1].computed_counts == alone.computed_counts
    assert overviews[1].targets == alone.targets


def test_without_history_the_figures_of_the_period_are_the_same():
    data = build_benchmark_programme(projects=12, periods=4, prefix="kort")
    (full,) = programme_overviews(programmes=[data.programme])
    (short,) = programme_overviews(programmes=[data.programme], with_history=False)
    assert short.matrix_periods == () and all(p.history == () for p in short.projects)
    assert short.computed_counts == full.computed_counts
    assert short.targets == full.targets
    assert short.budget == full.budget
    assert [p.computed_light for p in short.projects] == [p.computed_light for p in full.projects]


def test_projects_without_a_reported_light_are_counted_apart_not_as_grijs():
    programme = factories.ProgrammeFactory()
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 7, 1)
    )
    reported = factories.ProjectFactory(programme=programme, code="A")
    factories.ProgressReportFactory(project=reported, period=period, reported_light="red")
    factories.ProjectFactory(programme=programme, code="B")  # no report, so no light
    overview = programme_overview(programme=programme, period=period)
    assert overview.reported_counts == {Light.GREEN: 0, Light.AMBER: 0, Light.RED: 1, Light.GREY: 0}
    assert overview.unreported_count == 1


def test_projects_follow_their_number_else_their_code_in_the_sources_order():
    programme = factories.ProgrammeFactory()
    pillar = factories.PillarFactory(programme=programme)
    for code, title in [("WNW-10", "Aanpak ZZP"), ("WNW-2", "Regionaal Mobiliteitsteam")]:
        factories.ProjectFactory(programme=programme, pillar=pillar, code=code, title=title)
    factories.ProjectFactory(programme=programme, pillar=pillar, code="X", number=1, title="Zz")
    overview = programme_overview(programme=programme)
    (group,) = overview.pillars
    assert [p.code for p in group.projects] == ["X", "WNW-2", "WNW-10"]
