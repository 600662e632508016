"""Query counts of the reporting pages do not grow with the number of projects, indicators
or rows: "Mijn rapportages", the report form, the report page and the live light check."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes import services
from programmes.models import ProgressReport
from tests import factories

pytestmark = pytest.mark.django_db


def coordinator_with_projects(count: int):
    user = factories.UserFactory(username=f"coordinator-{count}")
    programme = factories.ProgrammeFactory()
    programme.managers.add(user)
    period = factories.ReportingPeriodFactory(programme=programme)
    factories.ReportingPeriodFactory(programme=programme, peildatum=datetime.date(2022, 1, 1))
    for number in range(count):
        project = factories.ProjectFactory(programme=programme)
        project.coordinators.add(user)
        if number % 2:
            report = factories.ProgressReportFactory(project=project, period=period)
            ProgressReport.objects.filter(pk=report.pk).update(state="submitted")
    return user


def queries_for(client, user, url, method="get", data=None):
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_my_reports_does_not_grow_with_the_number_of_projects(
    client, django_assert_max_num_queries
):
    url = reverse("reporting:my_reports")
    few = queries_for(client, coordinator_with_projects(10), url)
    many_user = coordinator_with_projects(200)
    client.force_login(many_user)
    # Session and user (2), my projects, their open periods, their reports, the reports to
    # review, the managed programmes: about 7, whatever the number of projects.
    with django_assert_max_num_queries(few):
        response = client.get(url)
    # 200 projects in two open periods; every odd one has started its first report.
    assert response.content.decode().count("Beginnen") == 300
    assert few <= 10


def report_with_indicators(count: int):
    coordinator = factories.UserFactory(username=f"coordinator-{count}")
    project = factories.ProjectFactory()
    project.coordinators.add(coordinator)
    period = factories.ReportingPeriodFactory(programme=project.programme)
    sources = [factories.FundingSourceFactory() for _ in range(3)]
    indicators = [factories.IndicatorFactory(project=project, order=n) for n in range(count)]
    previous_period = factories.ReportingPeriodFactory(
        programme=project.programme, peildatum=datetime.date(2021, 1, 1)
    )
    previous = factories.ProgressReportFactory(project=project, period=previous_period)
    for indicator in indicators:
        factories.IndicatorValueFactory(report=previous, indicator=indicator, value=Decimal("1"))
    report = services.start_report(project=project, period=period, user=coordinator)
    services.save_draft(
        report=report,
        user=coordinator,
        data=services.ReportInput(
            summary="<p>Tekst</p>",
            activities=tuple(
                services.ActivityInput(activity=f"Activiteit {n}") for n in range(count)
            ),
            values=tuple(
                services.IndicatorValueInput(indicator.pk, Decimal("5")) for indicator in indicators
            ),
            budget_lines=(services.BudgetLineInput(year=2021, budget=Decimal("100")),),
            funding_lines=tuple(
                services.FundingLineInput(source_id=source.pk, budgeted=Decimal("10"))
                for source in sources
            ),
        ),
        version=report.version,
    )
    return coordinator, report, indicators


@pytest.mark.parametrize(
    "url_name", ["reporting:report_edit", "reporting:report_detail", "reporting:indicator_lights"]
)
def test_report_pages_do_not_grow_with_the_number_of_indicators(
    client, url_name, django_assert_max_num_queries
):
    method = "post" if url_name == "reporting:indicator_lights" else "get"
    user, report, indicators = report_with_indicators(2)
    data = {f"ind-{i.pk}-value": "3" for i in indicators}
    few = queries_for(client, user, reverse(url_name, args=[report.pk]), method, data)
    user, report, indicators = report_with_indicators(40)
    data = {f"ind-{i.pk}-value": "3" for i in indicators}
    client.force_login(user)
    with django_assert_max_num_queries(few):
        response = getattr(client, method)(reverse(url_name, args=[report.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('id="light-') == 40 if method == "post" else page.count("Indicator ") >= 40
