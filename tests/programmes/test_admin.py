"""The admin is usable by a programme manager, and only for their own programmes."""

import pytest
from django.contrib.auth.models import Permission

from programmes.demo import manager_group
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    user = factories.UserFactory(username="pm", is_staff=True)
    user.groups.add(manager_group())
    return user


def test_manager_sees_only_own_programmes_and_projects_in_the_admin(client, manager):
    own = factories.ProjectFactory(title="Eigen project")
    own.programme.managers.add(manager)
    other = factories.ProjectFactory(title="Project van een andere regio")
    client.force_login(manager)

    listing = client.get("/beheer/programmes/project/")
    assert listing.status_code == 200
    assert "Eigen project" in listing.content.decode()
    assert "Project van een andere regio" not in listing.content.decode()
    assert client.get(f"/beheer/programmes/project/{other.pk}/change/").status_code in (302, 404)
    assert client.get(f"/beheer/programmes/project/{own.pk}/change/").status_code == 200


def test_manager_cannot_move_a_project_into_a_programme_they_do_not_manage(client, manager):
    own = factories.ProjectFactory()
    own.programme.managers.add(manager)
    factories.ProgrammeFactory(name="Vreemd programma")
    client.force_login(manager)
    page = client.get(f"/beheer/programmes/project/{own.pk}/change/").content.decode()
    assert own.programme.name in page
    assert "Vreemd programma" not in page


def test_admin_search_and_filters_work_for_an_administrator(client):
    admin = factories.UserFactory(username="beheer", is_staff=True, is_superuser=True)
    factories.ProjectFactory(title="ZorgStart")
    factories.ProjectFactory(title="Waardetas")
    client.force_login(admin)
    page = client.get("/beheer/programmes/project/", {"q": "Zorg"}).content.decode()
    assert "ZorgStart" in page and "Waardetas" not in page
    assert client.get("/beheer/programmes/progressreport/").status_code == 200
    assert client.get("/beheer/programmes/indicator/add/").status_code == 200


def test_manager_group_cannot_change_reported_data_in_the_admin(manager):
    assert manager.has_perm("programmes.view_progressreport")
    assert not manager.has_perm("programmes.change_progressreport")
    assert not manager.has_perm("programmes.change_indicatorvalue")
    assert Permission.objects.filter(codename="view_all_regions").exists()


def test_an_admin_edit_bumps_the_report_version(client):
    admin = factories.UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    report = factories.ProgressReportFactory(summary="Oud")
    client.force_login(admin)
    page = client.get(f"/beheer/programmes/progressreport/{report.pk}/change/")
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update({"summary": "Nieuw", "project": report.project.pk, "period": report.period.pk})
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(f"/beheer/programmes/progressreport/{report.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.summary == "Nieuw"
    assert report.version == 2


def test_history_cannot_be_reverted_from_the_admin(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


@pytest.mark.parametrize(
    "listing",
    [
        "/beheer/programmes/project/",
        "/beheer/programmes/indicator/",
        "/beheer/programmes/reportingperiod/",
        "/beheer/programmes/progressreport/",
        "/beheer/programmes/programme/",
    ],
)
def test_admin_filters_name_no_programme_of_another_region(client, manager, listing):
    own = factories.ProjectFactory(programme__name="Eigen programma")
    own.programme.managers.add(manager)
    factories.IndicatorFactory(project=own)
    factories.ProgressReportFactory(project=own)
    other = factories.ProjectFactory(
        programme__name="Programma van elders", programme__region__name="Regio elders"
    )
    factories.IndicatorFactory(project=other)
    factories.ProgressReportFactory(project=other)
    client.force_login(manager)

    page = client.get(listing).content.decode()
    assert "Programma van elders" not in page
    assert "Regio elders" not in page
