"""The national overview: the home page of users who see more than one region. It reads the
stored status only: the same number of queries for two regions or six, a row per region."""

import pytest
from django.urls import reverse

from programmes.demo import load_demo
from programmes.models import ProgressReport, StoredStatus
from tests import factories
from tests.worlds import seeds


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    load_demo()


def page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("dashboard:home"), params)


def test_the_ministry_gets_a_row_per_region_and_a_one_region_user_never_does(demo, client):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    response = page(client, users.get(username="ministerie"), periode="2021-H1")
    html = response.content.decode()
    assert response.templates[0].name == "dashboard/national.html"
    assert "Landelijk overzicht" in html
    national = response.context["national"]
    assert {row.name for row in national.rows} >= {"Gooi en Vechtstreek"}
    assert national.total.projects == sum(row.projects for row in national.rows)
    wethouder = page(client, users.get(username="wethouder"))
    assert wethouder.templates[0].name == "dashboard/home.html"


def test_drafts_count_as_no_data_for_readers(demo, client):
    from django.contrib.auth import get_user_model

    ministry = get_user_model().objects.get(username="ministerie")
    national = page(client, ministry, periode="2021-H1").context["national"]
    row = next(row for row in national.rows if row.name == "Gooi en Vechtstreek")
    readable = StoredStatus.objects.filter(
        region__code=row.code,
        period__peildatum="2021-07-01",
        is_active=True,
        report_state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED],
    )
    assert sum(count for light, count in row.computed_counts if light != "grey") == (
        readable.exclude(computed_light="grey").count()
    )


def test_filters_and_sorting(demo, client):
    from django.contrib.auth import get_user_model

    ministry = get_user_model().objects.get(username="ministerie")
    national = page(client, ministry, filter="niet-gestart", sorteer="te-laat").context["national"]
    assert all(row.not_started for row in national.rows)
    assert [row.late for row in national.rows] == sorted(
        (row.late for row in national.rows), reverse=True
    )
    nonsense = page(client, ministry, filter="x", sorteer="y").context["national"]
    assert (nonsense.filter, nonsense.sort) == ("", "naam")


@pytest.mark.parametrize("regions", [2, 6])
def test_the_national_page_asks_the_same_queries_for_any_number_of_regions(
    db, client, regions, django_assert_num_queries
):
    from django.core.management import call_command

    for index in range(regions):
        seeds.gooi(region={"code": f"r{index}", "name": f"Regio {index}"}, slug=f"p{index}")
    call_command("rebuild_status")
    ministry = factories.MinistryUserFactory(username="m")
    client.force_login(ministry)
    # Session and user (2), the user's own and group permissions (2: whether they see every
    # region; cached on the user after that), the peildata of the visible programmes (1),
    # the latest peildatum with an approved report (1), the aggregate per region (1), the
    # budget lines summed per region and year for the region's budget light (1), the
    # regions (1). Never one per region or project; the "Maak rapportage" form and the
    # chart use what these read.
    with django_assert_num_queries(9):
        response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert len(response.context["national"].rows) == regions


def test_by_default_each_region_shows_its_own_latest_approved_peildatum(demo, client):
    """The demo's five regions report at different peildata: by default every region has
    its row at its own latest peildatum with an approved report, which the row names and its
    link keeps; choosing one peildatum puts every region there."""
    from django.contrib.auth import get_user_model

    ministry = get_user_model().objects.get(username="ministerie")
    response = page(client, ministry)
    national = response.context["national"]
    assert national.peildatum is None
    latest = {}
    for code, peildatum in StoredStatus.objects.filter(
        is_active=True, report_state=ProgressReport.State.APPROVED
    ).values_list("region__code", "peildatum"):
        latest[code] = max(latest.get(code, peildatum), peildatum)
    assert set(latest) == {"zeeland", "gooi-en-vechtstreek"}  # the agendas have no reports
    rows = {row.code: row for row in national.rows}
    assert {code: row.peildatum for code, row in rows.items() if code in latest} == latest
    # The regions without an approved report show their latest peildatum that has begun:
    # all five demo regions have a row with their projects.
    assert len(rows) == 5 and all(row.projects and row.peildatum for row in rows.values())
    html = response.content.decode()
    for code, row in rows.items():
        assert f"?regio={code}&amp;periode={row.key}" in html
    chosen = page(client, ministry, periode="2021-H1").context["national"]
    assert {row.peildatum for row in chosen.rows} == {chosen.peildatum}
