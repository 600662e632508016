"""Financial honesty on every surface: the report page, the dashboard, the PDFs and the
export show the same totals, name what a total leaves out, put a stated total beside the
computed one and give the budget light its reason in figures (the Zeeland seed, 1-1-2020)."""

import csv
import datetime
import html as html_module
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programmes import status
from programmes.formatting import euro
from programmes.overview import project_overview
from reports.common import ReportKind
from reports.service import render_report
from tests import worlds
from tests.reports.helpers import pdf_text
from tests.worlds.seeds import AANVALSPLAN

pytestmark = pytest.mark.django_db

STATED_COST = "opgegeven totaal € 3.595.628; berekend € 3.648.455; verschil € 52.827"
BUDGET_REASON = "verwacht totaal € 3.648.455 > begroting € 3.000.000, +21,6 %"


@pytest.fixture
def zeeland_world(db):
    return worlds.zeeland()


def _page_text(response) -> str:
    html = response.content.decode()
    return " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _report_page(client, world):
    people = worlds.users_for(world)
    client.force_login(people.ministerie)
    (report,) = world.reports
    return _page_text(client.get(reverse("reporting:report_detail", args=[report.pk])))


def _project_pdf(world):
    period = world.programme.periods.get()
    return _pdf(ReportKind.PROJECT, world.project, period)


def _pdf(kind, scope, period) -> str:
    return pdf_text(render_report(kind, scope_pk=scope.pk, period_pk=period.pk).pdf)


def test_the_income_total_without_the_regio_deal_line_says_it_is_incomplete(client, zeeland_world):
    project = project_overview(project=zeeland_world.project)
    budgeted = project.funding_total.budgeted

    assert budgeted.amount == Decimal(700000)
    assert budgeted.is_incomplete
    assert "Regio Deal: bedrag in de bron dubbelzinnig" in budgeted.missing_text
    assert "Eigen bijdrage privaat: geen bedrag ingevuld" in budgeted.missing_text
    # Received and committed read an empty cell as nothing, as the seed's own totals do.
    assert project.funding_total.received.amount == Decimal(3078455)
    assert not project.funding_total.received.is_incomplete

    expected = "exclusief Regio Deal: bedrag in de bron dubbelzinnig"
    assert expected in _report_page(client, zeeland_world)
    assert expected in _project_pdf(zeeland_world)


def test_stated_totals_stand_beside_the_computed_ones(client, zeeland_world):
    project = project_overview(project=zeeland_world.project)

    assert str(project.stated_cost) == STATED_COST
    assert project.stated_income.difference == Decimal(-2300000)
    page = _report_page(client, zeeland_world)
    pdf = _project_pdf(zeeland_world)
    for text in (page, pdf):
        assert STATED_COST in text
        assert "opgegeven totaal € 3.000.000; berekend € 700.000 (onvolledig)" in text


def test_the_budget_light_gives_its_reason_in_figures_everywhere(client, zeeland_world):
    people = worlds.users_for(zeeland_world)
    client.force_login(people.ministerie)
    slug, code = zeeland_world.programme.slug, zeeland_world.project.code
    (report,) = zeeland_world.reports
    period = zeeland_world.programme.periods.get()
    surfaces = {
        "report page": client.get(reverse("reporting:report_detail", args=[report.pk])),
        "project page": client.get(reverse("dashboard:project", args=[slug, code])),
    }
    texts = {name: _page_text(response) for name, response in surfaces.items()}
    texts["project pdf"] = _project_pdf(zeeland_world)
    texts["programme pdf"] = _pdf(ReportKind.MONITOR, zeeland_world.programme, period)
    for name, text in texts.items():
        assert BUDGET_REASON in text, name
    programme_page = _page_text(client.get(reverse("dashboard:programme", args=[slug])))
    assert "verwacht totaal € 3.648.455 > begroting € 3.000.000" in programme_page


def test_screen_and_pdf_totals_agree_to_the_cent(client, zeeland_world):
    project = project_overview(project=zeeland_world.project)
    costs, income = project.budget_total, project.funding_total
    page = _report_page(client, zeeland_world)
    pdf = _project_pdf(zeeland_world)

    # The forecast column's total is the sum of its cells, not spending plus forecast.
    assert costs.forecast.amount == Decimal(652827) + Decimal(50000)
    row = re.search(r"Totaal (€ [\d.]+)(?: \*)? (€ [\d.]+) (€ [\d.]+)", page)
    columns = (costs.budget, costs.spent, costs.forecast)
    assert row.groups() == tuple(euro(column.amount) for column in columns)
    for amount in (
        costs.budget.amount,
        costs.spent.amount,
        costs.forecast.amount,
        costs.expected.amount,
        income.budgeted.amount,
        income.received.amount,
        income.committed.amount,
    ):
        assert euro(amount) in page and euro(amount) in pdf


def test_the_project_pdf_shows_the_plan_per_year_and_the_estimated_cost(db):
    world = worlds.zeeland(
        projects=[
            AANVALSPLAN.but(estimated_cost=Decimal("3100000"), plan={2020: Decimal("1234567")})
        ]
    )
    text = _project_pdf(world)
    assert "Kosten volgens het projectplan" in text
    assert "€ 3.100.000" in text and "€ 1.234.567" in text


def test_the_export_carries_rounded_figures(client):
    world = worlds.gooi()
    people = worlds.users_for(world)
    client.force_login(people.ministerie)
    url = reverse("excel:programme_export", args=[world.programme.slug])
    for table in ("indicatoren", "begroting", "financiering", "doelen", "projecten"):
        response = client.get(url, {"tabel": table})
        assert response.status_code == 200, table
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        for row in rows[1:]:
            for cell in row:
                assert not re.fullmatch(r"-?\d+,\d{3,}%?", cell), (table, cell)


@given(
    years=st.lists(
        st.tuples(
            st.one_of(st.none(), st.decimals(0, 10**7, places=2)),
            st.one_of(st.none(), st.decimals(0, 10**7, places=2)),
            st.one_of(st.none(), st.decimals(0, 10**7, places=2)),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_every_budget_light_has_a_reason_in_figures(years):
    lines = [status.BudgetYear(2018 + i, *cells) for i, cells in enumerate(years)]
    result = status.budget_status(lines, peildatum=datetime.date(2020, 7, 1))
    if result.light == status.Light.GREY:
        assert "geen begroting" in result.reason
    else:
        assert euro(result.total_expected, cents=False) in result.reason
        assert euro(result.total_budget, cents=False) in result.reason
        assert "%" in result.reason
    totals = status.cost_totals(lines)
    present = [line.budget for line in lines if line.budget is not None]
    assert totals.budget.amount == (sum(present) if present else None)
    assert len(totals.budget.missing) == (len(lines) - len(present) if present else 0)
