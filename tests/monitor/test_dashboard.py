"""The dashboard an alderman opens: what each role sees, the lights, the charts, the filters."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from programmes.models import Project
from programmes.overview import programme_overview
from programmes.status import Light
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("dashboard:home")
PROGRAMME = reverse("dashboard:programme", args=["werken-aan-werk"])
PROJECT = reverse("dashboard:project", args=["werken-aan-werk", "ZORGSTART"])
OTHER_PROGRAMME = reverse("dashboard:programme", args=["regio-deal-zeeland"])
OTHER_PROJECT = reverse("dashboard:project", args=["regio-deal-zeeland", "AANVAL"])


def text(response) -> str:
    return response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, gooi):
    for url in (HOME, PROGRAMME, PROJECT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_wethouder_sees_own_region_only(client, wethouder, other_region):
    client.force_login(wethouder)
    home = text(client.get(HOME))
    assert "Gooi en Vechtstreek" in home
    assert "Werken aan Werk" in home
    assert "Zeeland" not in home
    assert "Regio Deal Zeeland" not in home
    # A single region: no region filter to choose from.
    assert 'name="regio"' not in home
    # Another region's programme and project do not exist for this user.
    assert client.get(OTHER_PROGRAMME).status_code == 404
    assert client.get(OTHER_PROJECT).status_code == 404
    # Asking for another region on the home page shows nothing of it.
    assert "Aanvalsplan" not in text(client.get(HOME + "?regio=zeeland"))


def test_wethouder_reaches_a_project_in_two_clicks(client, wethouder):
    client.force_login(wethouder)
    home = text(client.get(HOME))
    # Every link carries the page's one peildatum (1-7-2021 is "2021-H1").
    assert f'href="{PROGRAMME}?periode=2021-H1"' in home
    programme = client.get(PROGRAMME + "?periode=2021-H1")
    assert programme.status_code == 200
    assert f'href="{PROJECT}?periode=2021-H1"' in text(programme)
    assert client.get(PROJECT).status_code == 200


def test_ministry_sees_every_region_and_can_filter_one(client, ministry, gooi, other_region):
    client.force_login(ministry)
    home = text(client.get(HOME))
    assert "Landelijk overzicht" in home
    assert "Gooi en Vechtstreek" in home and "Zeeland" in home
    assert "?regio=zeeland" in client.get(HOME).content.decode()
    only_zeeland = text(client.get(HOME + "?regio=zeeland"))
    assert "Regio Deal Zeeland" in only_zeeland
    assert "Werken aan Werk" not in only_zeeland
    assert client.get(OTHER_PROJECT).status_code == 200


def test_manager_and_coordinator_see_their_programme_not_another(client, gooi, other_region):
    manager = factories.UserFactory(username="manager")
    gooi.managers.add(manager)
    coordinator = factories.UserFactory(username="coordinator")
    Project.objects.get(code="ZORGSTART").coordinators.add(coordinator)
    for user in (manager, coordinator):
        client.force_login(user)
        assert client.get(PROJECT).status_code == 200
        assert client.get(OTHER_PROGRAMME).status_code == 404
        assert client.get(OTHER_PROJECT).status_code == 404


def test_user_without_role_sees_no_region(client, gooi):
    client.force_login(factories.UserFactory(username="zonder-rol"))
    assert "geen toegang tot een regio" in text(client.get(HOME))
    assert client.get(PROGRAMME).status_code == 404


def test_unknown_project_code_is_404(client, wethouder):
    client.force_login(wethouder)
    url = reverse("dashboard:project", args=["werken-aan-werk", "BESTAAT-NIET"])
    assert client.get(url).status_code == 404


def test_lights_are_words_and_shapes_and_agree_with_the_builder(client, wethouder, gooi):
    client.force_login(wethouder)
    overview = programme_overview(programme=gooi)
    zorgstart = next(p for p in overview.projects if p.code == "ZORGSTART")
    assert zorgstart.computed_light == Light.AMBER  # 43 against 51,4 expected: 84 %
    assert zorgstart.reported_light == Light.GREEN

    page = text(client.get(PROGRAMME))
    row = re.search(r"<tr>\s*<td class=\"num cell-number\">5</td>.*?</tr>", page, re.S).group(0)
    assert "light-green" in row and "groen" in row  # reported
    assert "light-amber" in row and "oranje" in row  # computed
    assert "light-shape" in row  # a shape, not colour alone
    assert "Gerapporteerd wijkt af van berekend" in row
    assert "amber" not in re.sub(r'class="[^"]*"', "", row)  # Dutch says oranje

    project = text(client.get(PROJECT))
    assert "Berekend uit de indicatoren" in project
    assert project.count("light-amber") >= 1 and "oranje" in project
    assert "51,4" in project  # the expected value, Dutch decimal comma


def test_programme_page_shows_targets_highlights_and_finished_apart(client, wethouder):
    client.force_login(wethouder)
    page = text(client.get(PROGRAMME))
    assert "Aantal inwoners bemiddeld naar werk" in page
    assert "520" in page and "43" in page
    assert "ZorgStart loopt goed op koers." in page  # positive highlight
    finished = page.split("Afgeronde of gestopte projecten", 1)[1]
    assert "Schoonhuis continueren" in finished
    assert "afgerond" in finished
    matrix = page.split("Stoplichten per peildatum", 1)[1]
    assert "1-1-2021" in matrix and "1-7-2021" in matrix


def test_filters_by_light_status_pillar_and_period(client, wethouder, gooi):
    client.force_login(wethouder)
    red = text(client.get(PROGRAMME + "?licht=red"))
    assert "Geen lopende projecten voor dit filter." in red
    amber = text(client.get(PROGRAMME + "?licht=amber"))
    assert 'href="' + PROJECT + '?periode=2021-H1"' in amber
    completed = text(client.get(PROGRAMME + "?fase=completed"))
    assert "Schoonhuis continueren" in completed
    assert "Geen lopende projecten voor dit filter." in completed
    pillar = gooi.pillars.get()
    by_pillar = text(client.get(PROGRAMME + f"?pijler={pillar.pk}"))
    assert 'href="' + PROJECT + '?periode=2021-H1"' in by_pillar
    earlier = text(client.get(PROGRAMME + "?periode=2020-H2"))
    assert "<strong>peildatum 1-1-2021</strong>" in earlier


def test_invalid_filter_is_refused_with_a_message_not_an_error(client, wethouder):
    client.force_login(wethouder)
    response = client.get(PROGRAMME + "?licht=paars&pijler=abc")
    assert response.status_code == 200
    assert "is-invalid" in text(response)
    assert 'href="' + PROJECT + '?periode=2021-H1"' in text(response)  # nothing filtered away


def test_project_page_draws_charts_from_our_own_plotly_with_tables(client, wethouder):
    client.force_login(wethouder)
    page = text(client.get(PROJECT))
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert "/static/vendor/plotly/plotly.min.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)  # no CDN, no network
    assert 'data-chart="grafiek-begroting-data"' in page
    figure = json.loads(
        re.search(
            r'<script id="grafiek-begroting-data" type="application/json">(.*?)</script>',
            page,
            re.S,
        ).group(1)
    )
    assert figure["data"][0]["y"] == [500000.0]
    # Every chart has the same figures as a table with caption and header scopes.
    assert page.count('<details class="chart-table"') == 3  # indicator, budget, funding
    assert '<th scope="col" class="num">Begroting</th>' in page
    assert "<caption>Begroting en uitgaven per jaar</caption>" in page
    assert "€ 500.000" in page and "€ 200.000" in page
    assert "Perspectief op Werk" in page


def test_project_page_history_and_report_link_degrades_without_reporting_app(client, wethouder):
    client.force_login(wethouder)
    page = text(client.get(PROJECT))
    history = page.split("Verloop per peildatum", 1)[1]
    assert "peildatum 1-7-2021" in history and "peildatum 1-1-2021" in history
    assert "ZorgStart heeft een vliegende start gemaakt." in history


def test_non_approved_report_is_labelled(client, wethouder, gooi):
    client.force_login(wethouder)
    report = Project.objects.get(code="ZORGSTART").reports.get(
        period__peildatum=datetime.date(2021, 7, 1)
    )
    report.state = "submitted"
    report.save()
    page = text(client.get(PROGRAMME))
    assert "nog niet goedgekeurd" in page
    assert "ingediend" in page
    assert "voorlopige cijfers" in text(client.get(PROJECT))


def test_plotly_js_is_served_from_our_static_files():
    from django.contrib.staticfiles import finders

    path = finders.find("vendor/plotly/plotly.min.js")
    assert path and path.endswith("plotly.min.js")
    assert finders.find("vendor/plotly/widgetbundle.js") is None


def test_import_link_only_for_those_who_enter_data(client, wethouder, gooi):
    manager = factories.UserFactory(username="manager")
    gooi.managers.add(manager)
    coordinator = factories.UserFactory(username="coordinator")
    Project.objects.get(code="ZORGSTART").coordinators.add(coordinator)
    for user, shown in ((manager, True), (coordinator, True), (wethouder, False)):
        client.force_login(user)
        page = client.get(PROGRAMME).content.decode()
        assert ("Importeren uit Excel" in page) is shown, user.username


def test_project_page_shows_the_cost_in_the_project_plan(client, ministry):
    project = factories.ProjectFactory(estimated_cost=Decimal("2197000"))
    factories.BudgetPlanFactory(project=project, year=2020, amount=Decimal("350000"))
    factories.BudgetPlanFactory(project=project, year=2021, amount=Decimal("125000.50"))
    client.force_login(ministry)
    page = text(
        client.get(reverse("dashboard:project", args=[project.programme.slug, project.code]))
    )
    assert "Geschatte kosten voor de hele looptijd: € 2.197.000" in page
    assert re.search(r"<th scope=\"row\">2021</th><td class=\"num\">€ 125.000,50</td>", page)
    assert "€ 475.000,50" in page  # the total of the plan per year


def test_programme_page_sums_the_cost_in_the_project_plans(client, ministry):
    programme = factories.ProgrammeFactory()
    by_year = factories.ProjectFactory(programme=programme, estimated_cost=Decimal("999"))
    factories.BudgetPlanFactory(project=by_year, year=2020, amount=Decimal("350000"))
    factories.BudgetPlanFactory(project=by_year, year=2021, amount=Decimal("350000"))
    factories.ProjectFactory(programme=programme, estimated_cost=Decimal("2197000"))
    factories.ProjectFactory(programme=programme)  # no plan figure
    client.force_login(ministry)
    page = text(client.get(reverse("dashboard:programme", args=[programme.slug])))
    # The plan per year wins over the estimate of the same project: 700.000 + 2.197.000.
    assert "Kosten volgens de projectplannen: € 2.897.000 (van 2 projecten)." in page
