"""Two people editing one report: the later save is refused, shows what changed meanwhile,
and keeps what the second person typed."""

import pytest
from django.test import Client
from django.urls import reverse

from programmes import services
from programmes.models import ProgressReport
from tests import factories
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

pytestmark = pytest.mark.django_db


def test_the_later_save_is_refused_and_keeps_the_input(world_and_report):
    world, report, colleague = world_and_report
    url = reverse("reporting:report_edit", args=[report.pk])
    first, second = Client(), Client()
    first.force_login(world.coordinator)
    second.force_login(colleague)
    # Both open the form at version 1.
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    budget = "budget-2021-budget"
    response = first.post(
        url, complete_post(report, world, summary="Tekst van de coördinator", **{budget: "100"})
    )
    assert response.status_code == 302
    response = second.post(
        url, complete_post(report, world, summary="Tekst van de collega", **{budget: "200"})
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders heeft deze rapportage opgeslagen" in page
    # Field, your value, the other person's value.
    assert (
        '<th scope="row">Samenvatting</th><td>Tekst van de collega</td>'
        "<td>Tekst van de coördinator</td>" in page
    )
    assert "2021: begroting</th><td>200</td><td>100</td>" in page
    # What the colleague typed is still in the form, and nothing of it was stored.
    assert "Tekst van de collega</textarea>" in page
    assert 'value="200"' in page
    report.refresh_from_db()
    assert report.summary == "Tekst van de coördinator"
    assert report.budget_lines.get().budget == 100
    # The page now carries the current version: saving again is a deliberate overwrite.
    assert f'name="version" value="{report.version}"' in page
    response = second.post(
        url,
        complete_post(report, world, summary="Tekst van de collega", **{budget: "200"}),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.summary == "Tekst van de collega"


def test_a_save_after_a_submit_elsewhere_is_refused(world_and_report, client):
    world, report, colleague = world_and_report
    services.save_draft(
        report=report,
        user=colleague,
        data=services.ReportInput(reported_light="green"),
        version=report.version,
    )
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        complete_post(report, world, summary="Mijn tekst"),
    )
    assert response.status_code == 409
    assert ProgressReport.objects.get(pk=report.pk).summary == ""


@pytest.fixture
def world_and_report():
    world = build_world()
    colleague = factories.UserFactory(username="collega")
    world.project.coordinators.add(colleague)
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    return world, report, colleague
