"""The national page's budget light per region, its chart, filters and links (issue 12)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from programmes import calendar, status
from programmes.demo import load_demo
from programmes.models import BudgetLine, ProgressReport, Project
from programmes.status import Light

PEILDATUM = datetime.date(2021, 7, 1)


@pytest.fixture
def ministry(db, settings):
    settings.DEMO_MODE = True
    load_demo()
    return get_user_model().objects.get(username="ministerie")


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboard:home"), params)


def test_region_budget_light_is_the_budget_rule_on_all_its_lines(client, ministry):
    checked = []
    for peildatum in page(client, ministry).context["national"].peildata:
        response = page(client, ministry, periode=calendar.period_key(peildatum))
        national = response.context["national"]
        for row in national.rows:
            lines = [
                status.BudgetYear(line.year, line.budget, line.spent, line.forecast)
                for line in BudgetLine.objects.filter(
                    report__project__programme__region__code=row.code,
                    report__period__peildatum=peildatum,
                    report__state__in=[
                        ProgressReport.State.SUBMITTED,
                        ProgressReport.State.APPROVED,
                    ],
                    report__project__status__in=Project.ACTIVE_STATUSES,
                )
            ]
            if not lines:
                assert row.budget is None
                continue
            expected = status.budget_status(lines, peildatum=peildatum)
            assert row.budget == expected, row.name
            assert row.budget.total_budget == row.total_budget  # one truth with stored sums
            assert escape(row.budget_reason) in response.content.decode()
            checked.append(row.name)
    assert checked, "the demo has budget lines in submitted or approved reports"


def test_filters_by_light_state_and_region_and_links_keep_the_peildatum(client, ministry):
    everything = page(client, ministry, periode="2021-H1").context["national"]
    for name, keep in (
        ("rood", lambda row: row.computed[Light.RED]),
        ("groen", lambda row: row.computed[Light.GREEN]),
        ("concept", lambda row: row.in_progress),
        ("te-laat", lambda row: row.late),
        ("budget-rood", lambda row: row.budget_light == Light.RED),
    ):
        shown = page(client, ministry, periode="2021-H1", filter=name).context["national"]
        assert [row.code for row in shown.rows] == [
            row.code for row in everything.rows if keep(row)
        ], name
    one = everything.rows[0]
    only = page(client, ministry, periode="2021-H1", regiofilter=one.code)
    assert [row.code for row in only.context["national"].rows] == [one.code]
    html = only.content.decode()
    assert f"?regio={one.code}&amp;periode=2021-H1" in html
    # One click for the usual questions.
    assert "filter=rood" in html and "filter=te-laat" in html


def test_chart_of_the_country_with_its_table_and_plotly_only_here(client, ministry):
    response = page(client, ministry, periode="2021-H1")
    html = response.content.decode()
    chart = response.context["shares_chart"]
    assert chart is not None and 'id="grafiek-landelijk"' in html
    total = response.context["national"].total
    assert [int(row[1].text.replace(".", "")) for row in chart.rows] == [
        count for _light, count in total.computed_counts
    ]
    assert "plotly.min.js" in html
    client.force_login(get_user_model().objects.get(username="wethouder"))
    assert "plotly.min.js" not in client.get(reverse("reports:index")).content.decode()
