"""Mijn rapportages as a to-do list, the landing page after sign-in and the period cockpit
(issue #14, items 3 and 4)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import Project
from programmes.read import worklists
from tests import factories
from tests.worlds import reporting_world as build_world

pytestmark = pytest.mark.django_db
LATE = datetime.date(2021, 9, 1)


@pytest.fixture
def world():
    return build_world()


def test_sign_in_leads_each_role_to_its_page(client, world):
    for user, wanted in (
        (world.coordinator, reverse("reporting:my_reports")),
        (world.manager, reverse("reporting:my_reports") + "#te-beoordelen"),
        (world.viewer, reverse("dashboard:home")),
        (world.ministry, reverse("dashboard:home")),
    ):
        client.force_login(user)
        assert client.get(reverse("reporting:landing"))["Location"] == wanted


def test_the_todo_list_puts_returned_first_with_the_reason_and_marks_late_once(world):
    later = factories.ProjectFactory(programme=world.programme, title="Aaa later", number=9)
    later.coordinators.add(world.coordinator)
    first = services.start_report(project=world.project, period=world.period, user=world.manager)
    services.save_draft(
        report=first,
        user=world.manager,
        version=first.version,
        data=services.ReportInput(summary="x", reported_light="green"),
    )
    first.refresh_from_db()
    first.state = "submitted"
    first.save()
    services.return_report(report=first, user=world.manager, reason="Vul de uitgaven aan")
    todo = worklists.coordinator_todo(user=world.coordinator, today=LATE)
    assert [item.project.title for item in todo.returned] == ["ZorgStart"]
    assert todo.returned[0].report.return_reason == "Vul de uitgaven aan"
    assert [item.project.title for group in todo.groups for item in group.items] == ["Aaa later"]
    assert todo.overdue_count == 2


def test_the_todo_list_needs_the_same_queries_for_many_projects(
    world, django_assert_max_num_queries
):
    for number in range(30):
        factories.ProjectFactory(programme=world.programme, number=number).coordinators.add(
            world.coordinator
        )
    # projects, their coordinators, periods, reports
    with django_assert_max_num_queries(4):
        todo = worklists.coordinator_todo(user=world.coordinator, today=LATE)
    assert todo.open_count == 31


def test_finished_projects_are_not_listed_as_not_started(world):
    factories.ProjectFactory(
        programme=world.programme, title="Afgerond", status=Project.Status.COMPLETED
    )
    (cockpit,) = worklists.period_cockpit(programme=world.programme, today=LATE)
    assert [project.title for project in cockpit.finished] == ["Afgerond"]
    assert "Afgerond" not in [item.project.title for item in cockpit.items]
    assert {state: count for state, _label, count in cockpit.counts}["not_started"] == 1


def test_the_cockpit_shows_counts_responsible_and_closing_date_and_person(client, world):
    world.coordinator.first_name = "Projectleider"
    world.coordinator.save()
    services.start_report(project=world.project, period=world.period, user=world.coordinator)
    client.force_login(world.manager)
    url = reverse("reporting:programme_periods", args=[world.programme.slug])
    page = client.get(url).content.decode()
    assert "Projectleider" in page
    assert "Herinnering sturen" in page
    page = client.get(reverse("reporting:close_period", args=[world.period.pk])).content.decode()
    assert "Nog 1 rapportage open" in page
    assert "ZorgStart: concept" in page
    assert "niet ingediend bij sluiting" in page
    client.post(reverse("reporting:close_period", args=[world.period.pk]))
    page = client.get(url).content.decode()
    today = timezone.localdate()
    assert f"gesloten op {today.day}-{today.month}-{today.year} door" in page


def test_an_empty_review_queue_says_so(client, world):
    client.force_login(world.manager)
    assert (
        "Er wacht niets op uw beoordeling."
        in client.get(reverse("reporting:my_reports")).content.decode()
    )
