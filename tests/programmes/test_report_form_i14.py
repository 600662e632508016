"""The forgiving, shorter report form (issue #14, items 1 and 2), without a browser: a post
the server cannot read answers a Dutch page, the CSRF check still holds, amounts keep their
cents, and the form offers only the funding sources of the project's region."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from programmes import formatting, services
from programmes.models import FundingSource, Region
from tests import factories, worlds
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def report(world):
    return services.start_report(project=world.project, period=world.period, user=world.coordinator)


def test_amounts_are_canonical():
    assert formatting.nl_amount(Decimal("1610000.50")) == "1.610.000,50"
    assert formatting.nl_amount(Decimal("1610000.5")) == "1.610.000,50"
    assert formatting.nl_amount(Decimal("1610000.00")) == "1.610.000"
    assert formatting.nl_amount(None) == formatting.EMPTY


def test_a_saved_amount_with_cents_shows_two_decimals(client, world, report):
    client.force_login(world.coordinator)
    url = reverse("reporting:report_edit", args=[report.pk])
    client.post(url, complete_post(report, world, **{"budget-2021-spent": "620.000,5"}))
    page = client.get(url).content.decode()
    assert 'value="620.000,50"' in page
    assert '620.000,5"' not in page


def test_too_many_fields_answers_a_dutch_page(client, world, report, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]), complete_post(report, world)
    )
    assert response.status_code == 400
    assert "Uw invoer kon niet worden gelezen" in response.content.decode()
    assert "deze browser heeft een kopie bewaard" in response.content.decode()


def test_too_large_answers_413_with_a_dutch_page(client, world, report, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        complete_post(report, world, summary="x" * 5_000),
    )
    assert response.status_code == 413
    assert "groter dan de server in één keer aanneemt" in response.content.decode()
    report.refresh_from_db()
    assert report.summary == ""


def test_the_form_still_checks_the_csrf_token(world, report):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]), complete_post(report, world)
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.version == 1


def test_a_refused_save_lists_each_problem_with_a_link(client, world, report):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        complete_post(report, world, **{"budget-2021-spent": "2.3000.000", "highlight_text": "x"}),
    )
    page = response.content.decode()
    assert "Er staan 2 fouten in het formulier" in page
    assert 'href="#id_budget-2021-spent"' in page
    assert 'href="#id_highlight_0"' in page
    assert "<title>Fout:" in page


def _zeeland_form(client):
    zeeland = worlds.zeeland(
        periods=[
            worlds.period(datetime.date(2020, 1, 1)),
            worlds.period(datetime.date(2020, 7, 1)),
        ]
    )
    people = worlds.users_for(zeeland)
    region = Region.objects.get(code="zeeland")
    other_region = factories.RegionFactory(name="Elders", code="elders")
    FundingSource.objects.create(name="Zeeuws fonds", region=region, order=9)
    FundingSource.objects.create(name="Fonds elders", region=other_region)
    FundingSource.objects.create(name="Landelijk ongebruikt")
    report = services.start_report(
        project=zeeland.project,
        period=zeeland.period_at(datetime.date(2020, 7, 1)),
        user=people.coordinator,
    )
    client.force_login(people.coordinator)
    return client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()


def test_the_zeeland_form_offers_only_zeeland_and_the_national_sources_it_used(client):
    page = _zeeland_form(client)
    offered = set(re.findall(r'id="id_fund-(\d+)-budgeted"', page))
    shown = set(
        FundingSource.objects.filter(pk__in=[int(pk) for pk in offered]).values_list(
            "name", flat=True
        )
    )
    assert shown == {
        "Regio Deal",
        "Provincie",
        "Overig publiek",
        "Eigen bijdrage privaat",
        "Zeeuws fonds",
    }
    # The project's own sources first, the region's unused one folded after them.
    assert page.index("Eigen bijdrage privaat") < page.index("Zeeuws fonds")
