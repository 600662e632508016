"""Downloads and the "Rapporten" page, per role: scope by programmes.permissions, 404 outside."""

import datetime
import gzip

import pytest
from django.urls import reverse

from programmes.benchmark import build_benchmark_programme
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

    def fake_render(kind, *, scope_pk, period_pk, drafts=True):
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


def test_index_asks_the_ministry_to_choose_before_listing_project_downloads(
    client, zeeland, gooi, kennemerland
):
    client.force_login(factories.MinistryUserFactory())

    response = client.get(reverse("reports:index"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies een regio of een programma" in html
    for region in ["Zeeland", "Gooi en Vechtstreek", "Zuid-Kennemerland en IJmond"]:
        assert region in html
    # Each programme with its reports of the latest peildatum, no per-project downloads.
    assert reverse("reports:monitor", args=["regio-deal-zeeland", "2020-01-01"]) in html
    assert reverse("reports:monitor", args=["werken-aan-werk", "2021-07-01"]) in html
    assert reverse("reports:agenda", args=["doe-agenda-2020-2022", "2023-01-01"]) in html
    assert "/rapporten/voortgangsrapportage/" not in html
    assert 'href="?regio=zeeland"' in html and 'href="?programma=werken-aan-werk"' in html


def test_index_lists_the_project_downloads_of_the_region_or_programme_chosen(
    client, zeeland, gooi, kennemerland
):
    client.force_login(factories.MinistryUserFactory())
    zorgstart = gooi.projects.get(title="ZorgStart")

    by_region = client.get(reverse("reports:index"), {"regio": "zeeland"}).content.decode()
    by_programme = client.get(
        reverse("reports:index"), {"programma": "werken-aan-werk"}
    ).content.decode()

    assert reverse("reports:project", args=[zeeland.pk, "2020-01-01"]) in by_region
    assert "werken-aan-werk" not in by_region.split("<main", 1)[1].split("</form>", 1)[1]
    assert reverse("reports:project", args=[zorgstart.pk, "2021-07-01"]) in by_programme
    assert reverse("reports:project", args=[zeeland.pk, "2020-01-01"]) not in by_programme
    assert "Kies een regio" not in by_programme


def test_index_with_only_a_peildatum_still_asks_for_a_choice(client, zeeland, gooi, kennemerland):
    client.force_login(factories.MinistryUserFactory())

    html = client.get(reverse("reports:index"), {"peildatum": "2021-07-01"}).content.decode()

    assert reverse("reports:monitor", args=["werken-aan-werk", "2021-07-01"]) in html
    assert "regio-deal-zeeland/2020-01-01" not in html  # no period at that peildatum
    assert "/rapporten/voortgangsrapportage/" not in html


def test_index_shows_only_the_wethouders_region_and_filters(client, zeeland, gooi, kennemerland):
    user = factories.UserFactory()
    gooi.region.viewers.add(user)
    client.force_login(user)

    html = client.get(reverse("reports:index")).content.decode()
    filtered = client.get(reverse("reports:index"), {"regio": "zeeland"}).content.decode()

    assert "Gooi en Vechtstreek" in html
    assert "regio-deal-zeeland" not in html and "doe-agenda" not in html
    # One region: the per-project downloads directly, no choice asked.
    zorgstart = gooi.projects.get(title="ZorgStart")
    assert reverse("reports:project", args=[zorgstart.pk, "2021-07-01"]) in html
    assert "Kies een regio" not in html
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


# Every request: the session, the user, the user's own and group permissions (the ministry
# check in permissions.sees_everything) = 4. Then the selector: the visible programmes with
# their region, and their periods = 6.
# Without a choice: + the report count of the period shown per programme (one GROUP BY) = 7.
# With a region or programme: + its projects, + its reports (project, period, state) = 8.
INDEX_QUERIES_WITHOUT_CHOICE = 7
INDEX_QUERIES_WITH_CHOICE = 8


@pytest.mark.parametrize(("regions", "projects", "periods"), [(2, 5, 2), (6, 60, 8)])
def test_index_query_count_does_not_grow_with_regions_or_projects(
    client, django_assert_num_queries, regions, projects, periods
):
    worlds = [
        build_benchmark_programme(projects=projects, periods=periods, prefix=f"regio{n}")
        for n in range(regions)
    ]
    client.force_login(factories.MinistryUserFactory())
    region = worlds[0].region.code

    with django_assert_num_queries(INDEX_QUERIES_WITHOUT_CHOICE):
        overview = client.get(reverse("reports:index"))
    with django_assert_num_queries(INDEX_QUERIES_WITH_CHOICE):
        chosen = client.get(reverse("reports:index"), {"regio": region})

    assert overview.content.decode().count("/rapporten/programmamonitor/") == regions
    assert "/rapporten/voortgangsrapportage/" not in overview.content.decode()
    assert chosen.content.decode().count("/rapporten/voortgangsrapportage/") == projects * periods


def test_index_for_a_one_region_user_lists_every_download_with_the_same_queries(
    client, django_assert_num_queries
):
    data = build_benchmark_programme(projects=30, periods=4)
    user = factories.UserFactory()
    data.region.viewers.add(user)
    client.force_login(user)

    with django_assert_num_queries(INDEX_QUERIES_WITH_CHOICE):
        response = client.get(reverse("reports:index"))

    assert response.content.decode().count("/rapporten/voortgangsrapportage/") == 30 * 4


def test_with_several_programmes_in_view_the_project_tables_show_the_latest_peildatums(client):
    first = build_benchmark_programme(projects=3, periods=6, prefix="een")
    second = build_benchmark_programme(projects=2, periods=6, prefix="twee")
    second.programme.region = first.region
    second.programme.save()
    user = factories.UserFactory()
    first.region.viewers.add(user)
    client.force_login(user)

    both = client.get(reverse("reports:index")).content.decode()
    one = client.get(reverse("reports:index"), {"programma": first.programme.slug}).content
    at_a_date = client.get(reverse("reports:index"), {"peildatum": "2021-07-01"}).content

    assert both.count("/rapporten/voortgangsrapportage/") == (3 + 2) * 4
    assert "Voor de 2 eerdere peildatums" in both
    assert f'href="?programma={first.programme.slug}"' in both
    assert "/rapporten/voortgangsrapportage/" in both  # no choice asked: one region
    assert one.decode().count("/rapporten/voortgangsrapportage/") == 3 * 6
    assert at_a_date.decode().count("/rapporten/voortgangsrapportage/") == 3 + 2
    # The programme reports keep every peildatum.
    assert both.count("/rapporten/programmamonitor/") == 2 * 6


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


def test_pages_and_csv_exports_are_gzipped_for_browsers_that_accept_it(client, gooi, no_render):
    client.force_login(factories.MinistryUserFactory())
    gzip_ok = {"accept-encoding": "gzip, deflate, br"}
    page_url = reverse("reports:index")
    csv_url = reverse("excel:programme_export", args=[gooi.slug]) + "?tabel=projecten"

    page = client.get(page_url, headers=gzip_ok)
    csv = client.get(csv_url, headers=gzip_ok)
    plain = client.get(csv_url)
    pdf = client.get(reverse("reports:monitor", args=[gooi.slug, "2021-07-01"]), headers=gzip_ok)

    assert page["Content-Encoding"] == "gzip" and "Accept-Encoding" in page["Vary"]
    assert "Rapporten" in gzip.decompress(page.content).decode()
    assert csv["Content-Type"].startswith("text/csv") and csv["Content-Encoding"] == "gzip"
    assert gzip.decompress(csv.content) == plain.content  # the same table, only smaller
    assert "ZorgStart" in plain.content.decode("utf-8-sig")
    assert not plain.has_header("Content-Encoding")
    assert not pdf.has_header("Content-Encoding")  # a PDF is compressed already
