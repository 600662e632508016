"""Query counts of the dashboard pages do not grow with the number of projects or periods.

Each page is measured on a programme of 10 projects over 2 periods and one of 200 projects
over 10 periods; the counts must be equal, and stay under the documented maximum.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.benchmark import build_benchmark_programme
from tests import factories

pytestmark = pytest.mark.django_db

# Every page starts with 4 queries for the signed-in user: the session, the user, and the
# user's own and group permissions (permissions.sees_everything asks for the ministry one).
#
# Home (programmes.read.dashboard.home): + visible regions, visible programmes (with region),
# the programmes the user manages (whose drafts they may see), their periods, the latest
# peildatum with an approved report per region (one peildatum per region), and the overview
# builder for all programmes at once at that peildatum (17, no "latest reported"): periods,
# projects (with pillar and owner), partners, indicators, indicator revisions, reports,
# indicator values, planned values, the plans' cost per year, budget lines, funding lines
# (with source), activities, planning changes, pillars, targets, target revisions, the
# targets' programme-level realisations, and the spending stored at the previous peildatum
# (StoredStatus, one query also when there is none) = 27.
HOME_QUERIES = 27
# Programme: + the programme (scoped to the user, with its region), the programmes the user
# manages, the builder (18, with "latest reported") and whether the user may enter data (the
# import link) and the previous peildatum's spending = 26. With
# ?periode= one query finds that period and the builder skips "latest reported".
PROGRAMME_QUERIES = 26
# Project: + the programme (scoped), the project by code, whether the user manages the
# programme (drafts), the programme's periods (for the period choice), and the project
# builder (14): periods, latest reported period of the project, the project, partners,
# indicators, revisions, planned values, the plan's cost per year, reports, values, budget
# lines, funding lines, activities, planning changes = 22.
PROJECT_QUERIES = 22


@pytest.fixture
def sizes():
    small = build_benchmark_programme(projects=10, periods=2, prefix="klein")
    large = build_benchmark_programme(projects=200, periods=10, prefix="groot")
    user = factories.UserFactory(username="wethouder-beide")
    small.region.viewers.add(user)
    large.region.viewers.add(user)
    return small, large, user


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _urls(data):
    slug = data.programme.slug
    return {
        "programme": reverse("dashboard:programme", args=[slug]),
        "programme_filtered": reverse("dashboard:programme", args=[slug])
        + "?licht=red&fase=running&periode=2021-H1",
        "project": reverse("dashboard:project", args=[slug, data.projects[0].code]),
    }


def test_home_queries_do_not_grow(client, sizes, django_assert_max_num_queries):
    small, large, user = sizes
    client.force_login(user)
    # Both regions on the national overview (a row per region, from the stored status:
    # tests/monitor/test_national.py explains its queries), then each region alone with its
    # programme cards: the same count for the small and the large one.
    # (one more than tests/monitor/test_national.py: this reader sees two regions as a
    # viewer, not every region, so counting them decides the page; one more for the
    # regions' budget lines, summed per region and year)
    with django_assert_max_num_queries(10):
        _count(client, reverse("dashboard:home"))
    with django_assert_max_num_queries(HOME_QUERIES):
        one_small = _count(client, reverse("dashboard:home") + f"?regio={small.region.code}")
    one_large = _count(client, reverse("dashboard:home") + f"?regio={large.region.code}")
    assert one_small == one_large


@pytest.mark.parametrize(
    ("page", "maximum"),
    [
        ("programme", PROGRAMME_QUERIES),
        ("programme_filtered", PROGRAMME_QUERIES),
        ("project", PROJECT_QUERIES),
    ],
)
def test_page_queries_do_not_grow(client, sizes, page, maximum, django_assert_max_num_queries):
    small, large, user = sizes
    client.force_login(user)
    with django_assert_max_num_queries(maximum):
        small_count = _count(client, _urls(small)[page])
    with django_assert_max_num_queries(maximum):
        large_count = _count(client, _urls(large)[page])
    assert small_count == large_count
