"""Charts: valid plotly figures, the same figures in their tables, never colour alone."""

import datetime
from decimal import Decimal as D

import plotly.graph_objects as go
import pytest
from django.template import Context, Template
from django.utils import translation

from monitor import charts
from monitor.templatetags.dashboard import fast_light_badge
from programmes.overview import project_overview
from programmes.status import Light
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def zorgstart():
    project = factories.ProjectFactory(code="ZORGSTART", start_date=datetime.date(2021, 2, 1))
    indicator = factories.IndicatorFactory(
        project=project,
        name="Uitstroom",
        target_value=D(250),
        target_date=datetime.date(2023, 2, 1),
    )
    period = factories.ReportingPeriodFactory(
        programme=project.programme, peildatum=datetime.date(2021, 7, 1)
    )
    report = factories.ProgressReportFactory(project=project, period=period)
    factories.IndicatorValueFactory(report=report, indicator=indicator, value=D(43))
    factories.BudgetLineFactory(report=report, year=2021, budget=D(1610000), spent=D(500000))
    factories.FundingLineFactory(report=report, budgeted=D(1610000), received=D(800000))
    return project_overview(project=project)


def test_figures_are_valid_plotly_and_differ_by_more_than_colour(zorgstart):
    made = [
        charts.indicator_chart(zorgstart.indicators[0]),
        charts.budget_chart("b", zorgstart.budget_lines, zorgstart.budget_total),
        charts.funding_chart("f", zorgstart.funding_lines, zorgstart.funding_total),
    ]
    for chart in made:
        go.Figure(chart.figure)  # raises on anything plotly.js would not understand
    lines = made[0].figure["data"]
    assert len({trace["line"]["dash"] for trace in lines}) == 3
    assert len({trace["marker"]["symbol"] for trace in lines}) == 3
    patterns = [t["marker"]["pattern"]["shape"] for t in made[1].figure["data"]]
    assert len(set(patterns)) == 3
    assert made[1].figure["layout"]["separators"] == ",."


def test_indicator_table_holds_the_chart_figures_in_dutch(zorgstart):
    chart = charts.indicator_chart(zorgstart.indicators[0])
    (row,) = chart.rows
    assert [cell.text for cell in row[:5]] == ["1-7-2021", "250", "51,4", "43", "43"]
    assert row[5].light == Light.AMBER
    assert chart.figure["data"][0]["y"] == [43.0]
    budget = charts.budget_chart("b", zorgstart.budget_lines, zorgstart.budget_total)
    assert [cell.text for cell in budget.footer] == ["Totaal", "€ 1.610.000", "€ 500.000", "–"]


def test_expected_line_runs_from_the_start_to_the_target_date(zorgstart):
    # ZorgStart: 250 in two years from 1 February 2021; 43 at peildatum 1-7-2021.
    chart = charts.indicator_chart(zorgstart.indicators[0], start_date=zorgstart.start_date)
    realised, expected, target = chart.figure["data"]
    assert realised["x"] == ["2021-07-01"] and realised["y"] == [43.0]
    assert expected["x"] == ["2021-02-01", "2021-07-01", "2023-02-01"]
    assert expected["y"][0] == 0.0 and expected["y"][-1] == 250.0
    assert expected["y"][1] == pytest.approx(51.4, abs=0.05)
    assert target["x"][-1] == "2023-02-01" and target["y"][-1] == 250.0
    axis = chart.figure["layout"]["xaxis"]
    assert axis["type"] == "date"
    assert axis["ticktext"] == ["1-2-2021", "1-7-2021", "1-2-2023"]


def test_fast_light_badge_renders_exactly_the_shared_component():
    template = Template("{% light_badge light label_prefix='berekend' small=True %}")
    for light in [Light.GREEN, Light.AMBER, Light.RED, Light.GREY, None]:
        with translation.override("nl"):
            expected = template.render(Context({"light": light})).strip()
            assert fast_light_badge(light, "berekend", True) == expected
