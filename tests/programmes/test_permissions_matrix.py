"""Every URL of the project against every role, objects of another region included.

The URL patterns are enumerated from the resolver, so pages that other parts add later are
covered too: anonymous users are always sent to a sign-in page (or refused), and users of
one region get 403 or 404 for object URLs that point into another region. The reporting
URLs are checked exactly: 404 outside the user's scope, 403 for a forbidden action on a
visible object, success otherwise. Finally every URL is posted to, as every role, against
an approved report, and the report must not change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from programmes import services
from programmes.models import ProgressReport
from tests import factories
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coordinator", "manager", "other_viewer", "ministry", "admin"]
# Objects of the other region get ids no object of the own region has, so that any URL
# with an object id can be pointed at the other region whatever model it is about.
FOREIGN_ID = 9001
FOREIGN_SLUG = "andere-regio"
PUBLIC_URL_NAMES = {
    "login",
    "logout",
    "set_language",
    "admin:login",
    "admin:logout",
    # Signing in without a session: a reset or invitation link, and the session clock's
    # ping (401 without a session).
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "accounts:invitation",
    "accounts:session",
}
LOGIN_PATHS = ("/aanmelden/", "/beheer/login/")


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    is_regex: bool


def _join(namespace: str | None, name: str | None) -> str:
    if not name:
        return ""
    return f"{namespace}:{name}" if namespace else name


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str | None, regex: bool) -> None:
        for pattern in patterns:
            text = str(pattern.pattern)
            is_regex = regex or text.startswith("^")
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                walk(
                    pattern.url_patterns,
                    prefix + text,
                    f"{namespace}:{ns}" if namespace and ns else ns or namespace,
                    is_regex,
                )
            elif isinstance(pattern, URLPattern):
                routes.append(Route(prefix + text, _join(namespace, pattern.name), is_regex))

    walk(get_resolver().url_patterns, "", None, False)
    return routes


ROUTES = all_routes()


def is_admin(route: Route) -> bool:
    return route.name.startswith("admin:") or route.route.startswith(
        reverse("admin:index").lstrip("/")
    )


REPORTING = {route.name: route for route in ROUTES if route.name.startswith("reporting:")}


def fill(route: str, values: dict[str, str], default: str) -> str:
    """A concrete path for a route: <conv:name> and regex groups replaced by values."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), default), route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), default), path)
    path = re.sub(r"\([^)]*\)", default, path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


@pytest.fixture
def world():
    world = build_world()
    # Move the other region's objects to ids no own object has.
    other = world.other_report
    ProgressReport.objects.filter(pk=other.pk).update(id=FOREIGN_ID)
    return world


def foreign_world(world):
    """Objects of another region with FOREIGN_ID and FOREIGN_SLUG for every kind."""
    region = factories.RegionFactory(code=FOREIGN_SLUG, name="Andere regio")
    region.viewers.add(world.other_viewer)
    programme = factories.ProgrammeFactory(id=FOREIGN_ID, slug=FOREIGN_SLUG, region=region)
    project = factories.ProjectFactory(id=FOREIGN_ID, programme=programme)
    factories.IndicatorFactory(id=FOREIGN_ID, project=project)
    period = factories.ReportingPeriodFactory(id=FOREIGN_ID, programme=programme)
    factories.ProgressReportFactory(id=FOREIGN_ID + 1, project=project, period=period)
    factories.OrganisationFactory(id=FOREIGN_ID)
    return programme


def user_for(world, role):
    return None if role == "anonymous" else getattr(world, role)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0].endswith(LOGIN_PATHS)


# -- Every URL, including those added later by others ---------------------------------------


def test_anonymous_users_are_sent_to_sign_in_everywhere(client, world):
    foreign_world(world)
    failures = []
    for route in ROUTES:
        if route.name in PUBLIC_URL_NAMES:
            continue
        path = fill(route.route, {"slug": FOREIGN_SLUG}, str(FOREIGN_ID))
        for method in (client.get, client.post):
            response = method(path)
            if not (is_login_redirect(response) or response.status_code in (403, 404, 405)):
                failures.append((method.__name__, path, response.status_code))
    assert not failures


OBJECT_PARAM = re.compile(r"<(?:\w+:)?(pk|id|slug|\w+_pk|\w+_id|\w+_slug|code)>")


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if OBJECT_PARAM.search(r.route) and not is_admin(r) and not r.is_regex],
    ids=lambda r: r.route,
)
@pytest.mark.parametrize("role", ["coordinator", "manager"])
def test_object_urls_of_another_region_answer_403_or_404(client, world, route, role):
    foreign_world(world)
    client.force_login(user_for(world, role))
    values = dict.fromkeys(("slug", "code"), FOREIGN_SLUG)
    path = fill(route.route, values, str(FOREIGN_ID))
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code in (403, 404, 405), (path, response.status_code)


@pytest.mark.parametrize("role", ["coordinator", "manager", "other_viewer", "ministry"])
def test_the_admin_is_for_administrators_only(client, world, role):
    client.force_login(user_for(world, role))
    failures = []
    for route in ROUTES:
        if not is_admin(route) or route.name in PUBLIC_URL_NAMES:
            continue
        path = fill(route.route, {}, "1")
        for method in (client.get, client.post):
            response = method(path)
            if not (is_login_redirect(response) or response.status_code in (403, 404)):
                failures.append((method.__name__, path, response.status_code))
    assert not failures


@pytest.mark.parametrize("role", ROLES[1:])
def test_no_page_breaks_for_any_role(client, world, role):
    foreign_world(world)
    client.force_login(user_for(world, role))
    for route in ROUTES:
        if route.name in PUBLIC_URL_NAMES or is_admin(route):
            continue
        path = fill(route.route, {"slug": world.programme.slug}, str(world.project.pk))
        assert client.get(path).status_code < 500, path


# -- The reporting URLs, exactly -----------------------------------------------------------

VISIBLE = {
    "own": {"coordinator", "manager", "ministry", "admin"},
    "other": {"other_viewer", "ministry", "admin"},
}
EDITORS = {"own": {"coordinator", "manager", "admin"}, "other": {"admin"}}
MANAGERS = {"own": {"manager", "admin"}, "other": {"admin"}}

# name: (state the report needs, method, who may, status on success, POST data)
CASES = {
    "reporting:report_detail": ("draft", "get", VISIBLE, 200, None),
    "reporting:report_edit": ("draft", "get", EDITORS, 200, None),
    "reporting:report_edit#post": ("draft", "post", EDITORS, 200, {"action": "save"}),
    "reporting:indicator_lights": ("draft", "post", VISIBLE, 200, {}),
    "reporting:approve": ("submitted", "post", MANAGERS, 302, {}),
    "reporting:approve#confirm": ("submitted", "get", MANAGERS, 200, None),
    "reporting:return": ("submitted", "get", MANAGERS, 200, None),
    "reporting:return#post": ("submitted", "post", MANAGERS, 302, {"reason": "Aanvullen"}),
    "reporting:reopen": ("approved", "get", MANAGERS, 200, None),
    "reporting:reopen#post": ("approved", "post", MANAGERS, 302, {"reason": "Correctie"}),
}


def expected(role, scope, allowed, success, seers=VISIBLE):
    if role == "anonymous":
        return "login"
    if role not in seers[scope]:
        return 404
    return success if role in allowed[scope] else 403


# A concept (or returned) report exists only for its project's coordinators and managers:
# readers (a wethouder, the ministry) get a 404, as for another region's report.
SEERS_BY_STATE = {"draft": EDITORS}


def check(response, want):
    if want == "login":
        assert is_login_redirect(response), response.status_code
    else:
        assert response.status_code == want


@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_report_urls_per_role(client, world, case, role, scope):
    state, method, allowed, success, data = CASES[case]
    report = (
        services.start_report(project=world.project, period=world.period, user=world.manager)
        if scope == "own"
        else ProgressReport.objects.get(pk=FOREIGN_ID)
    )
    ProgressReport.objects.filter(pk=report.pk).update(state=state)
    user = user_for(world, role)
    if user:
        client.force_login(user)
    url = reverse(case.split("#")[0], args=[report.pk])
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    seers = SEERS_BY_STATE.get(state, VISIBLE)
    check(response, expected(role, scope, allowed, success, seers))


@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("role", ROLES)
def test_my_reports_start_periods_and_closing_per_role(client, world, role, scope):
    programme = world.programme if scope == "own" else world.other_programme
    project = world.project if scope == "own" else world.other_project
    period = world.period if scope == "own" else world.other_period
    user = user_for(world, role)
    if user:
        client.force_login(user)
    response = client.get(reverse("reporting:my_reports"))
    check(response, "login" if role == "anonymous" else 200)
    response = client.get(reverse("reporting:landing"))
    check(response, "login" if role == "anonymous" else 302)
    response = client.post(reverse("reporting:remind", args=[period.pk]))
    check(response, expected(role, scope, MANAGERS, 302))
    response = client.get(reverse("reporting:programme_periods", args=[programme.slug]))
    check(response, expected(role, scope, VISIBLE, 200))
    response = client.get(reverse("reporting:close_period", args=[period.pk]))
    check(response, expected(role, scope, MANAGERS, 200))
    response = client.post(reverse("reporting:generate_periods", args=[programme.slug]))
    check(response, expected(role, scope, MANAGERS, 302))
    response = client.post(reverse("reporting:start_report", args=[project.pk, period.pk]))
    check(response, expected(role, scope, EDITORS, 302))
    response = client.post(reverse("reporting:close_period", args=[period.pk]))
    check(response, expected(role, scope, MANAGERS, 302))
    period.refresh_from_db()
    assert period.is_closed == (role in MANAGERS[scope])


def test_every_reporting_url_is_covered_here():
    covered = {case.split("#")[0] for case in CASES} | {
        "reporting:my_reports",
        "reporting:programme_periods",
        "reporting:close_period",
        "reporting:generate_periods",
        "reporting:start_report",
        "reporting:landing",
        "reporting:remind",
    }
    assert set(REPORTING) == covered


# -- An approved report cannot change through any URL ---------------------------------------


def snapshot(report: ProgressReport):
    report = ProgressReport.objects.get(pk=report.pk)
    return (
        report.state,
        report.version,
        report.summary,
        report.reported_light,
        report.return_reason,
        list(report.activities.values_list("activity", "progress", "year")),
        list(report.values.values_list("indicator_id", "value", "note")),
        list(report.budget_lines.values_list("year", "budget", "spent", "forecast")),
        list(report.funding_lines.values_list("source_id", "budgeted", "received")),
        list(report.planning_changes.values_list("year", "changed_description")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_no_url_changes_an_approved_report(client, world, role):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    client.force_login(world.coordinator)
    client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        complete_post(report, world, action="submit"),
    )
    report = services.approve_report(report=report, user=world.manager)
    before = snapshot(report)
    assert before[0] == "approved" and before[5]
    client.logout()
    user = user_for(world, role)
    if user:
        client.force_login(user)
    data = complete_post(report, world, action="submit")
    data.update({"reason": "Poging", "post": "yes", "state": "draft", "summary": "Gewijzigd"})
    ids = {
        "progressreport": report.pk,
        "project": world.project.pk,
        "programme": world.programme.pk,
        "indicator": world.indicators[0].pk,
        "reportingperiod": world.period.pk,
        "fundingsource": world.sources[0].pk,
        "region": world.programme.region_id,
        "user": world.coordinator.pk,
    }
    named = {
        "slug": world.programme.slug,
        "project_pk": str(world.project.pk),
        "period_pk": str(world.period.pk),
    }
    for route in ROUTES:
        if route.name in ("logout", "admin:logout", "reporting:reopen"):
            continue
        # Admin URLs name their model in the path: point them at this report's objects.
        model = re.search(r"^\w+/\w+/(\w+)/", route.route) if is_admin(route) else None
        object_id = str(ids.get(model.group(1), report.pk) if model else report.pk)
        path = fill(route.route, named, object_id)
        if route.is_regex and route.route.count("(") == 2:
            history = ProgressReport.history.filter(id=report.pk).order_by("history_id")[0]
            path = fill(route.route, {}, "§").replace("§", object_id, 1)
            path = path.replace("§", str(history.pk if model.group(1) == "progressreport" else 1))
        response = client.post(path, data)
        assert response.status_code < 500, path
        assert snapshot(report) == before, path
        if route.name.endswith("_changelist"):
            bulk = {"action": "delete_selected", "post": "yes", "_selected_action": object_id}
            response = client.post(path, bulk)
            assert response.status_code < 500, path
            assert snapshot(report) == before, f"{path} (delete_selected)"
