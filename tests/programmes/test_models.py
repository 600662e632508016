"""Database constraints a user would notice: refused dates, duplicates and negative amounts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.calendar import period_key
from programmes.models import ReportingPeriod
from tests import factories

pytestmark = pytest.mark.django_db


def test_peildatum_15_march_is_refused_by_validation_and_by_the_database():
    programme = factories.ProgrammeFactory()
    period = ReportingPeriod(programme=programme, peildatum=datetime.date(2021, 3, 15))
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "1 januari of 1 juli" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()


@pytest.mark.parametrize("peildatum", [datetime.date(2021, 1, 1), datetime.date(2021, 7, 1)])
def test_peildatum_1_january_and_1_july_are_accepted(peildatum):
    period = ReportingPeriod.objects.create(
        programme=factories.ProgrammeFactory(), peildatum=peildatum
    )
    period.full_clean()


def test_period_labels_read_as_people_say_them():
    period = ReportingPeriod(peildatum=datetime.date(2021, 7, 1))
    assert period.label == "peildatum 1-7-2021"
    assert period.key == "2021-H1"
    assert period_key(datetime.date(2020, 1, 1)) == "2019-H2"


def test_a_second_report_for_the_same_project_and_period_is_refused():
    report = factories.ProgressReportFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.ProgressReportFactory(project=report.project, period=report.period)


def test_a_second_value_for_the_same_indicator_in_a_report_is_refused():
    value = factories.IndicatorValueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.IndicatorValueFactory(report=value.report, indicator=value.indicator)


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (factories.BudgetLineFactory, "budget"),
        (factories.BudgetLineFactory, "spent"),
        (factories.FundingLineFactory, "received"),
        (factories.IndicatorValueFactory, "value"),
        (factories.IndicatorFactory, "target_value"),
        (factories.ProjectFactory, "estimated_cost"),
    ],
)
def test_negative_amounts_are_refused_by_the_database(factory, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**{field: Decimal("-1")})


def test_negative_amount_is_refused_by_validation_with_a_dutch_message():
    line = factories.BudgetLineFactory.build(
        report=factories.ProgressReportFactory(), spent=Decimal("-5")
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "negatief" in str(error.value)
