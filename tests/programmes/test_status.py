"""The traffic-light rules, with the worked examples of the seed reports."""

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programmes import status
from programmes.status import BudgetYear, Light, Thresholds


def test_zeeland_vacancies_447_against_200_is_green():
    # Voortgangsrapportage 2 Regio Deal Zeeland: planned 200 vacatures, realised 447 by 1-1-2020.
    result = status.indicator_status(baseline=D(0), target=D(200), expected=D(200), actual=D(447))
    assert result.light == Light.GREEN
    assert result.target_reached
    assert result.progress_percent == D(224)


def test_zeeland_spending_3595628_against_3000000_is_over_budget():
    # The report's totals: spending (uitgaven-lasten) 3.595.628 against a budget of 3.000.000.
    lines = [BudgetYear(2018, budget=D(3000000), spent=D(3595628))]
    result = status.budget_status(lines, peildatum=datetime.date(2020, 1, 1))
    assert result.variance == D(595628)
    assert result.is_over_budget
    assert result.light == Light.RED


def test_zeeland_year_lines_are_over_budget_to_date_and_in_total():
    # The year lines exactly as the seed gives them. They add up to 3.648.455, not to the
    # 3.595.628 the seed's "Totaal" row states (2.945.628 + 650.000): the product computes
    # totals from the lines and the demo data notes the seed's own total.
    lines = [
        BudgetYear(2018, budget=D(620000), spent=D(878855)),
        BudgetYear(2019, budget=D(1610000), spent=D(2066773)),
        BudgetYear(2020, budget=D(770000), forecast=D(652827)),
        BudgetYear(2021, forecast=D(50000)),
    ]
    result = status.budget_status(lines, peildatum=datetime.date(2020, 1, 1))
    assert result.total_budget == D(3000000)
    assert result.total_spent == D(2945628)
    assert result.total_expected == D(3648455)
    assert result.budget_to_date == D(2230000)
    assert result.is_over_budget
    assert result.light == Light.RED


def test_zorgstart_43_of_250_by_mid_2021_is_oranje_on_linear_expectation():
    # ZorgStart: 250 outflow in two years from 1 February 2021; 43 by 1 July 2021.
    expected = status.expected_value_at(
        peildatum=datetime.date(2021, 7, 1),
        baseline=D(0),
        target=D(250),
        start_date=datetime.date(2021, 2, 1),
        target_date=datetime.date(2023, 2, 1),
    )
    assert expected.quantize(D("0.1")) == D("51.4")  # 150 of 730 days
    result = status.indicator_status(baseline=D(0), target=D(250), expected=expected, actual=D(43))
    assert result.progress_percent == D(84)
    assert result.light == Light.AMBER


def test_waardetas_4_of_40_two_months_in_is_green():
    # Waardetas: 40 in two years from 1 May 2021; 4 started by 1 July 2021 (61 of 730 days).
    expected = status.expected_value_at(
        peildatum=datetime.date(2021, 7, 1),
        baseline=D(0),
        target=D(40),
        start_date=datetime.date(2021, 5, 1),
        target_date=datetime.date(2023, 5, 1),
    )
    assert expected.quantize(D("0.01")) == D("3.34")
    assert status.indicator_light(D(0), D(40), expected, D(4)) == Light.GREEN


def test_no_value_is_grey_and_before_start_there_is_no_expectation():
    assert status.indicator_light(D(0), D(40), D(10), None) == Light.GREY
    assert (
        status.expected_value_at(
            peildatum=datetime.date(2021, 1, 1),
            baseline=D(0),
            target=D(40),
            start_date=datetime.date(2021, 5, 1),
            target_date=datetime.date(2023, 5, 1),
        )
        is None
    )
    assert status.indicator_light(D(0), D(40), None, D(3)) == Light.GREY


def test_planned_value_wins_over_linear():
    expected = status.expected_value_at(
        peildatum=datetime.date(2021, 7, 1),
        baseline=D(0),
        target=D(100),
        start_date=datetime.date(2021, 1, 1),
        target_date=datetime.date(2022, 1, 1),
        planned=D(20),
    )
    assert expected == D(20)


@pytest.mark.parametrize(
    ("actual", "light"),
    [(D(90), Light.GREEN), (D("89.9"), Light.AMBER), (D(60), Light.AMBER), (D(59), Light.RED)],
)
def test_threshold_edges(actual, light):
    assert status.indicator_light(D(0), D(200), D(100), actual) == light


def test_programme_thresholds_are_used():
    strict = Thresholds(green=D("0.95"), amber=D("0.80"))
    assert status.indicator_light(D(0), D(200), D(100), D(90), strict) == Light.AMBER
    assert status.indicator_light(D(0), D(200), D(100), D(79), strict) == Light.RED


def test_lower_is_better():
    # Waiting list from 100 down to 20; expected 60 now; actual 70 is 75 % of the way.
    light = status.indicator_light(D(100), D(20), D(60), D(70), higher_is_better=False)
    assert light == Light.AMBER
    assert status.indicator_light(D(100), D(20), D(60), D(15), higher_is_better=False) == (
        Light.GREEN
    )


def test_project_light_is_worst_with_grey_ignored():
    assert status.project_light([Light.GREEN, Light.GREY, Light.AMBER]) == Light.AMBER
    assert status.project_light([Light.GREY, Light.GREY]) == Light.GREY
    assert status.project_light([]) == Light.GREY
    assert status.project_light(["green", "red"]) == Light.RED


def test_differing_lights_need_an_explanation():
    assert status.lights_differ(reported="green", computed=Light.AMBER)
    assert not status.lights_differ(reported="green", computed=Light.GREY)
    assert status.explanation_required(reported="red", computed=Light.RED)
    assert status.explanation_required(reported="green", computed=Light.RED)
    assert not status.explanation_required(reported="green", computed=Light.GREEN)


def test_budget_under_spent_is_oranje_and_no_budget_is_grey():
    lines = [BudgetYear(2021, budget=D(100000), spent=D(10000))]
    result = status.budget_status(lines, peildatum=datetime.date(2022, 1, 1))
    assert result.is_under_spent and not result.is_over_budget
    assert result.light == Light.AMBER
    assert status.budget_status([], peildatum=datetime.date(2022, 1, 1)).light == Light.GREY


def test_budget_for_elapsed_time_counts_half_a_year_at_1_july():
    lines = [BudgetYear(2021, budget=D(365000), spent=D(170000))]
    result = status.budget_status(lines, peildatum=datetime.date(2021, 7, 1))
    assert result.budget_to_date == D(181000)  # 181 of 365 days
    assert result.light == Light.GREEN


@given(
    baseline=st.decimals(min_value=0, max_value=1000, places=2),
    delta=st.decimals(min_value="0.01", max_value=1000, places=2),
    fraction=st.decimals(min_value=0, max_value=2, places=3),
)
def test_light_never_improves_when_actual_drops(baseline, delta, fraction):
    target = baseline + delta * 2
    expected = baseline + delta
    actual = baseline + delta * fraction
    lower = max(baseline, actual - delta / 4)
    order = {Light.RED: 0, Light.AMBER: 1, Light.GREEN: 2}
    high = status.indicator_light(baseline, target, expected, actual)
    low = status.indicator_light(baseline, target, expected, lower)
    assert order[low] <= order[high]
