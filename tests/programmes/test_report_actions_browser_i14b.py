"""Less paperwork, measured in a real browser (issue #14, item 6): the actions (clicks plus
fields typed in) a coordinator needs to submit a report in which only the indicator values
changed, for a project with three indicators whose previous report was approved. The count
is recorded in docs/reporting.md; the goal is at most 10."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import ProgressReport
from tests import factories
from tests.browser_support import log_in_as
from tests.worlds import reporting_world as build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = 10


class Counted:
    """The page, with every click and every field typed in counted."""

    def __init__(self, page):
        self.page = page
        self.actions: list[str] = []

    def click(self, locator, what: str) -> None:
        locator.click()
        self.actions.append(f"klik: {what}")

    def type_in(self, selector: str, text: str, what: str) -> None:
        self.page.fill(selector, text)
        self.actions.append(f"typ: {what}")


@pytest.fixture
def approved_world():
    """ZorgStart with three indicators, its report of 1-7-2021 approved, 1-1-2022 open."""
    world = build_world()
    third = factories.IndicatorFactory(
        project=world.project,
        name="Werkgevers benaderd",
        target_value=Decimal(100),
        target_date=datetime.date(2022, 12, 31),
        order=3,
    )
    indicators = [*world.indicators, third]
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    report = services.save_draft(
        report=report,
        user=world.coordinator,
        version=report.version,
        data=services.ReportInput(
            summary="Het project loopt volgens plan.\n\n- 60 mensen aan het werk",
            reported_light="green",
            budget_note="Uitgaven volgens begroting.",
            activities=(
                services.ActivityInput(
                    pk=None,
                    year=2021,
                    activity="Werving zorgpersoneel",
                    progress="Twee campagnes gedraaid.",
                ),
            ),
            values=tuple(
                services.IndicatorValueInput(indicator_id=indicator.pk, value=Decimal(value))
                for indicator, value in zip(indicators, (60, 10, 30), strict=True)
            ),
            budget_lines=(
                services.BudgetLineInput(
                    year=2021, budget=Decimal(1610000), spent=Decimal("620000.50")
                ),
            ),
            funding_lines=(
                services.FundingLineInput(
                    source_id=world.sources[0].pk,
                    budgeted=Decimal(2300000),
                    received=Decimal(1830000),
                ),
            ),
        ),
    )
    services.submit_report(report=report, user=world.coordinator)
    services.approve_report(report=report, user=world.manager)
    period = factories.ReportingPeriodFactory(
        programme=world.programme, peildatum=datetime.date(2022, 1, 1)
    )
    return world, indicators, period


def test_actions_to_submit_a_report_where_only_the_values_changed(
    page, live_server, client, approved_world, axe_check
):
    from playwright.sync_api import expect

    world, indicators, period = approved_world
    log_in_as(page, client, live_server, world.coordinator)
    # Where sign-in leads a coordinator: the to-do list (not counted: no action of theirs).
    page.goto(reverse("reporting:landing"))
    expect(page.locator("h1")).to_contain_text("Mijn rapportages")
    counted = Counted(page)

    counted.click(page.get_by_role("button", name="Beginnen"), "Beginnen")
    expect(page.locator("#kop-overgenomen")).to_contain_text("Overgenomen van peildatum 1-7-2021")
    assert page.input_value("#id_summary").startswith("Het project loopt volgens plan.")
    axe_check(page, "rapportage met overgenomen teksten")

    counted.click(
        page.locator("[data-confirm-all]"), "Alles ongewijzigd bevestigen (bovenaan het formulier)"
    )
    expect(page.locator(".alert-success")).to_contain_text("bevestigd als ongewijzigd")
    expect(page.locator("#kop-overgenomen")).to_have_count(0)

    for indicator, value in zip(indicators, ("130", "25", "60"), strict=True):
        counted.type_in(f"#id_ind-{indicator.pk}-value", value, indicator.name)
    counted.click(page.get_by_role("button", name="Opslaan en indienen"), "Opslaan en indienen")
    expect(page.locator(".alert-success")).to_contain_text("ingediend")

    report = ProgressReport.objects.get(project=world.project, period=period)
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.carried_over == []
    assert report.summary.startswith("Het project loopt volgens plan.")
    assert sorted(report.values.values_list("value", flat=True)) == [25, 60, 130]
    print("\n".join(counted.actions))
    assert len(counted.actions) == 6 <= GOAL

    # The reviewer sees that only the values changed.
    log_in_as(page, client, live_server, world.manager)
    page.goto(reverse("reporting:approve", args=[report.pk]))
    changes = page.locator("#wijzigingen")
    expect(changes).to_contain_text("Indicatoren: 3 van 3 gewijzigd")
    expect(changes).to_contain_text("Onderdelen met tekst: 0 gewijzigd, 4 ongewijzigd")
    expect(changes).to_contain_text("Kosten en inkomsten: 0 van 2 regels gewijzigd")
    axe_check(page, "goedkeuren met wijzigingen")


def test_without_confirming_the_submit_is_refused_and_links_to_each_section(
    page, live_server, client, approved_world
):
    from playwright.sync_api import expect

    world, indicators, period = approved_world
    report = services.start_report(project=world.project, period=period, user=world.coordinator)
    log_in_as(page, client, live_server, world.coordinator)
    page.goto(reverse("reporting:report_edit", args=[report.pk]))
    for indicator, value in zip(indicators, ("130", "25", "60"), strict=True):
        page.fill(f"#id_ind-{indicator.pk}-value", value)
    page.fill("#id_summary", "Een nieuw halfjaar, een nieuwe samenvatting.")
    page.click("button[value=submit]")
    summary = page.locator("#foutoverzicht")
    expect(summary).to_be_visible()
    links = summary.locator("a")
    assert [links.nth(i).get_attribute("data-error-link") for i in range(links.count())] == [
        "id_confirm_activities",
        "id_confirm_finances",
        "id_confirm_light",
    ]
    links.nth(2).click()
    assert page.evaluate("document.activeElement.id") == "id_confirm_light"
    page.keyboard.press("Space")
    page.check("#id_confirm_activities")
    page.check("#id_confirm_finances")
    page.click("button[value=submit]")
    expect(page.locator(".alert-success")).to_contain_text("ingediend")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.summary == "Een nieuw halfjaar, een nieuwe samenvatting."
