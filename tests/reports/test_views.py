"""Downloads and the "Rapporten" page, per role: scope by programmes.permissions, 404 outside."""

import datetime

import pytest
from django.urls import reverse

from reports import service
from tests import factories
from tests.reports.helpers import pdf_text

pytestmark = pytest.mark.django_db


def _urls(zeeland, gooi, kennemerland):
    return {
        "zeeland_project": reverse("reports:project", args=[zeeland.pk, "2020-01-01"]),
        "zeeland_monitor": reverse("reports:monitor", args=["regio-deal-zeeland", "2020-01-01"]),
        "gooi_monitor": reverse("reports:monitor", args=["werken-aan-werk", "2021-07-01"]),
        "kennemerland_agenda": reverse(
            "reports:agenda", args=["doe-agenda-2020-2022", "2023-01-01"]
        ),
    }


@pytest.fixture
def no_render(monkeypatch):
    """Permission tests need the answer, not the PDF: count renders instead of making them."""
    calls = []

    def fake_render(kind, *, scope_pk, period_pk):
        calls.append((kind, scope_pk, period_pk))
        return service.ReportFile(kind=kind, filename=f"{kind}.pdf", pdf=b"%PDF-1.7 test")

    monkeypatch.setattr(service, "render_report", fake_render)
    return calls


def test_ministry_downloads_all_three_reports_as_named_attachments(
    client, zeeland, gooi, kennemerland
):
    client.force_login(factories.MinistryUserFactory())
    urls = _urls(zeeland, gooi, kennemerland)

    project = client.get(urls["zeeland_project"])
    monitor = client.get(urls["gooi_monitor"])
    agenda = client.get(urls["kennemerland_agenda"])

    assert project.status_code == 200
    assert project["Content-Type"] == "application/pdf"
    assert project["Content-Disposition"] == (
        'attachment; filename="voortgangsrapportage-zeeland-'
        'aanvalsplan-voor-de-arbeidsmarktregio-2020-01-01.pdf"'
    )
    assert "447" in pdf_text(project.content)
    assert monitor["Content-Disposition"] == (
        'attachment; filename="programmamonitor-gooi-en-vechtstreek-werken-aan-werk-2021-07-01.pdf"'
    )
    assert "ZorgStart" in pdf_text(monitor.content)
    assert agenda["Content-Disposition"].startswith(
        'attachment; filename="agenda-overzicht-zuid-kennemerland-en-ijmond-doe-agenda'
    )
    assert "Van werk naar werk" in pdf_text(agenda.content)


def test_anonymous_is_sent_to_sign_in(client, zeeland, gooi, kennemerland, no_render):
    for url in _urls(zeeland, gooi, kennemerland).values():
        response = client.get(url)
        assert response.status_code == 302 and "/aanmelden/" in response["Location"]
    assert client.get(reverse("reports:index")).status_code == 302
    assert no_render == []


def test_wethouder_reads_own_region_only(client, zeeland, gooi, kennemerland, no_render):
    user = factories.UserFactory()
    zeeland.programme.region.viewers.add(user)
    client.force_login(user)
    urls = _urls(zeeland, gooi, kennemerland)

    assert client.get(urls["zeeland_project"]).status_code == 200
    assert client.get(urls["zeeland_monitor"]).status_code == 200
    assert client.get(urls["gooi_monitor"]).status_code == 404
    assert client.get(urls["kennemerland_agenda"]).status_code == 404
    assert len(no_render) == 2


def test_programme_manager_reads_own_programme_only(client, zeeland, gooi, kennemerland, no_render):
    user = factories.UserFactory()
    gooi.managers.add(user)
    client.force_login(user)
    urls = _urls(zeeland, gooi, kennemerland)

    assert client.get(urls["gooi_monitor"]).status_code == 200
    assert client.get(urls["zeeland_project"]).status_code == 404
    assert client.get(urls["zeeland_monitor"]).status_code == 404
    assert client.get(urls["kennemerland_agenda"]).status_code == 404


def test_coordinator_reads_the_programme_of_their_project(
    client, zeeland, gooi, kennemerland, no_render
):
    user = factories.UserFactory()
    zeeland.coordinators.add(user)
    other_in_gooi = gooi.projects.first()
    client.force_login(user)

    assert client.get(_urls(zeeland, gooi, kennemerland)["zeeland_project"]).status_code == 200
    assert (
        client.get(reverse("reports:project", args=[other_in_gooi.pk, "2021-07-01"])).status_code
        == 404
    )


def test_user_without_role_gets_404_everywhere(client, zeeland, gooi, kennemerland, no_render):
    client.force_login(factories.UserFactory())

    for url in _urls(zeeland, gooi, kennemerland).values():
        assert client.get(url).status_code == 404
    assert no_render == []


def test_unknown_period_or_period_of_another_programme_is_404(
    client, zeeland, gooi, kennemerland, no_render
):
    client.force_login(factories.MinistryUserFactory())

    assert (
        client.get(reverse("reports:project", args=[zeeland.pk, "2021-07-01"])).status_code == 404
    )
    assert (
        client.get(reverse("reports:monitor", args=["werken-aan-werk", "2020-01-01"])).status_code
        == 404
    )
    assert (
        client.get(reverse("reports:monitor", args=["bestaat-niet", "2021-07-01"])).status_code
        == 404
    )
    assert client.get("/rapporten/programmamonitor/werken-aan-werk/2021-13-01/").status_code == 404
    assert no_render == []


def test_downloads_are_get_only(client, zeeland, gooi, kennemerland, no_render):
    client.force_login(factories.MinistryUserFactory())

    assert client.post(_urls(zeeland, gooi, kennemerland)["gooi_monitor"]).status_code == 405


def test_index_lists_every_report_the_ministry_may_download(client, zeeland, gooi, kennemerland):
    client.force_login(factories.MinistryUserFactory())

    response = client.get(reverse("reports:index"))

    html = response.content.decode()
    assert response.status_code == 200
    for region in ["Zeeland", "Gooi en Vechtstreek", "Zuid-Kennemerland en IJmond"]:
        assert region in html
    assert reverse("reports:project", args=[zeeland.pk, "2020-01-01"]) in html
    assert reverse("reports:monitor", args=["werken-aan-werk", "2021-07-01"]) in html
    assert reverse("reports:agenda", args=["doe-agenda-2020-2022", "2023-01-01"]) in html
    assert 'href="/rapporten/' in html and "download" in html


def test_index_shows_only_the_wethouders_region_and_filters(client, zeeland, gooi, kennemerland):
    user = factories.UserFactory()
    gooi.region.viewers.add(user)
    client.force_login(user)

    html = client.get(reverse("reports:index")).content.decode()
    filtered = client.get(reverse("reports:index"), {"regio": "zeeland"}).content.decode()

    assert "Gooi en Vechtstreek" in html
    assert "regio-deal-zeeland" not in html and "doe-agenda" not in html
    assert "Zeeland" not in filtered.split("<main", 1)[1].split("</form>", 1)[1]
    assert "is-invalid" in filtered  # a region outside the user's scope is no valid choice


def test_index_filters_by_programme_and_peildatum(client, zeeland, gooi, kennemerland):
    factories.ReportingPeriodFactory(programme=gooi, peildatum=datetime.date(2022, 1, 1))
    client.force_login(factories.MinistryUserFactory())

    html = client.get(
        reverse("reports:index"), {"programma": "werken-aan-werk", "peildatum": "2022-01-01"}
    ).content.decode()

    assert reverse("reports:monitor", args=["werken-aan-werk", "2022-01-01"]) in html
    assert reverse("reports:monitor", args=["werken-aan-werk", "2021-07-01"]) not in html
    assert "/rapporten/programmamonitor/regio-deal-zeeland/" not in html


@pytest.mark.parametrize("size", [10, 200])
def test_index_query_count_does_not_grow_with_projects(client, django_assert_max_num_queries, size):
    from programmes.benchmark import build_benchmark_programme

    build_benchmark_programme(projects=size, periods=4)
    client.force_login(factories.MinistryUserFactory())

    # session, user, the user's permissions (ministry check), then the selector: programmes
    # with regions, periods, projects, reports.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:index"))

    assert response.status_code == 200
    assert response.content.decode().count("/rapporten/voortgangsrapportage/") == size * 4


def test_dashboard_pages_link_to_the_pdfs_of_the_period_shown(client, gooi):
    client.force_login(factories.MinistryUserFactory())
    project = gooi.projects.get(title="ZorgStart")

    programme_page = client.get(reverse("dashboard:programme", args=[gooi.slug])).content.decode()
    project_page = client.get(
        reverse("dashboard:project", args=[gooi.slug, project.code])
    ).content.decode()

    assert reverse("reports:monitor", args=[gooi.slug, "2021-07-01"]) in programme_page
    assert reverse("reports:agenda", args=[gooi.slug, "2021-07-01"]) in programme_page
    assert reverse("reports:project", args=[project.pk, "2021-07-01"]) in project_page
