"""The report form in a real browser: the computed light follows the typed value (htmx) and
activity rows are added without a round trip. Chromium from Debian, as CI installs it."""

import re

import pytest
from django.urls import reverse

from programmes import services
from tests.browser_support import log_in_as
from tests.worlds import reporting_world as build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_form(page, live_server, client):
    world = build_world()
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    log_in_as(page, client, live_server, world.coordinator)
    page.goto(reverse("reporting:report_edit", args=[report.pk]))
    return page, world


def test_the_light_follows_what_is_typed(report_form):
    page, world = report_form
    from playwright.sync_api import expect

    first = world.indicators[0]
    light = page.locator(f"#light-{first.pk}")
    expect(light).to_contain_text("grijs")
    page.fill(f"#id_ind-{first.pk}-value", "10")
    expect(light).to_contain_text("rood")
    page.fill(f"#id_ind-{first.pk}-value", "1.000")
    expect(light).to_contain_text("groen")
    expect(page.locator("#computed-light")).to_contain_text("groen")
    page.fill(f"#id_ind-{first.pk}-value", "2.3000")
    expect(light).to_contain_text("Geen getal")


def test_activity_rows_are_added_in_the_page(report_form):
    page, _world = report_form
    from playwright.sync_api import expect

    page.click("[data-add-activity]")
    page.click("[data-add-activity]")
    expect(page.locator(".activity-row")).to_have_count(2)
    assert page.input_value("input[name='act-TOTAL_FORMS']") == "2"
    page.fill("#id_act-1-activity", "Tweede activiteit")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("Concept opgeslagen")
    assert re.search("Tweede activiteit", page.content())
