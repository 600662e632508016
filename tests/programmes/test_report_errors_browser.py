"""The report form when a save is refused, in a real browser (issue #14, item 1): the error
summary takes the focus and links to each field, the live lights keep what is in the boxes,
amounts keep their cents, and what was typed survives a post the server cannot read or an
expired session (the copy in localStorage, offered back with a Dutch message)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from programmes import services
from tests.browser_support import log_in_as
from tests.worlds import reporting_world as build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def form(page, live_server, client):
    world = build_world()
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    log_in_as(page, client, live_server, world.coordinator)
    url = reverse("reporting:report_edit", args=[report.pk])
    page.goto(url)
    return page, world, report, url


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_refused_save_focuses_the_summary_whose_links_reach_each_field(form, axe_check):
    from playwright.sync_api import expect

    page, world, _report, _url = form
    first = world.indicators[0]
    page.fill(f"#id_ind-{first.pk}-value", "60")
    light = page.locator(f"#light-{first.pk}")
    expect(light).to_contain_text("groen")
    before = light.inner_text()
    page.fill("#id_budget-2021-spent", "2.3000.000")
    page.locator("summary", has_text="Geen highlight").click()
    page.fill("#id_highlight_text", "Zonder keuze positief of bijgesteld")
    page.click("button[value=save]")

    summary = page.locator("#foutoverzicht")
    expect(summary).to_be_visible()
    assert page.title().startswith("Fout:")
    expect(summary).to_be_focused()  # waits for the page's scripts, which move the focus
    links = summary.locator("a")
    assert links.count() == 2
    for index in range(links.count()):
        target = links.nth(index).get_attribute("data-error-link")
        links.nth(index).click()
        assert _focused_id(page) == target
    # Each message also stands beside its field.
    expect(page.locator("#id_budget-2021-spent-fout")).to_be_visible()
    # The live light is computed from what is in the box, as before the save.
    assert page.input_value(f"#id_ind-{first.pk}-value") == "60"
    assert light.inner_text() == before
    axe_check(page, "geweigerd concept")


def test_a_refused_submit_focuses_the_summary(form, axe_check):
    from playwright.sync_api import expect

    page, world, _report, _url = form
    for indicator in world.indicators:
        page.fill(f"#id_ind-{indicator.pk}-value", "10")
    page.click("button[value=submit]")
    summary = page.locator("#foutoverzicht")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # waits for the page's scripts, which move the focus
    link = summary.locator("a[data-error-link='id_reported_light_0']")
    expect(link).to_contain_text("stoplicht")
    link.click()
    assert _focused_id(page) == "id_reported_light_0"
    axe_check(page, "geweigerd indienen")


def test_amounts_with_cents_come_back_with_two_decimals(form):
    from playwright.sync_api import expect

    page, world, _report, _url = form
    page.fill("#id_budget-2021-budget", "€ 1.610.000,50")
    page.fill(f"#id_fund-{world.sources[0].pk}-received", "1830000,5")
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("Concept opgeslagen")
    assert page.input_value("#id_budget-2021-budget") == "1.610.000,50"
    assert page.input_value(f"#id_fund-{world.sources[0].pk}-received") == "1.830.000,50"


def test_a_post_over_the_size_limit_keeps_what_was_typed(form, settings):
    from playwright.sync_api import expect

    page, _world, _report, _url = form
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    long_text = "Voortgang in de zorg. " * 2_000  # about 44 kB
    page.fill("#id_summary", long_text)
    page.locator("summary", has_text="Oorzaak, gevolgen").click()
    page.fill("#id_light_cause", "Een korte oorzaak")
    page.click("button[value=save]")
    expect(page.locator("h1")).to_contain_text("Uw invoer kon niet worden gelezen")
    expect(page.locator("main")).to_contain_text("deze browser heeft een kopie bewaard")
    page.get_by_role("link", name="Terug naar het formulier").click()
    offer = page.locator("#restore-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Niet opgeslagen invoer gevonden")
    assert page.input_value("#id_summary") == ""
    page.get_by_role("button", name="Mijn invoer terugzetten").click()
    assert page.input_value("#id_summary") == long_text
    assert page.input_value("#id_light_cause") == "Een korte oorzaak"


def test_an_expired_session_keeps_what_was_typed(form, client, live_server):
    from playwright.sync_api import expect

    page, world, _report, url = form
    first = world.indicators[0]
    page.fill(f"#id_ind-{first.pk}-value", "61")
    page.fill("#id_summary", "Getypt terwijl de sessie verliep")
    page.context.clear_cookies(name=django_settings.SESSION_COOKIE_NAME)
    page.click("button[value=save]")
    expect(page).to_have_url(f"{live_server.url}{reverse('login')}?next={url}")
    log_in_as(page, client, live_server, world.coordinator)
    page.goto(url)
    expect(page.locator("#restore-offer")).to_be_visible()
    page.get_by_role("button", name="Mijn invoer terugzetten").click()
    assert page.input_value("#id_summary") == "Getypt terwijl de sessie verliep"
    assert page.input_value(f"#id_ind-{first.pk}-value") == "61"
    expect(page.locator(f"#light-{first.pk}")).to_contain_text("groen")
    # Saved: the copy is gone, a new visit offers nothing.
    page.click("button[value=save]")
    expect(page.locator(".alert-success")).to_contain_text("Concept opgeslagen")
    page.goto(url)
    expect(page.locator("#restore-offer")).to_be_hidden()


def test_form_length_of_the_zeeland_report_at_1366_by_900(page, client, live_server):
    """Measured for docs/reporting.md: the Zeeland project's form in a 1366×900 window."""
    import datetime

    from tests import worlds

    zeeland = worlds.zeeland(
        periods=[
            worlds.period(datetime.date(2020, 1, 1)),
            worlds.period(datetime.date(2020, 7, 1)),
        ]
    )
    people = worlds.users_for(zeeland)
    report = services.start_report(
        project=zeeland.project,
        period=zeeland.period_at(datetime.date(2020, 7, 1)),
        user=people.coordinator,
    )
    log_in_as(page, client, live_server, people.coordinator)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(reverse("reporting:report_edit", args=[report.pk]))
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"Zeeland report form at 1366x900: {height} px")
    # 3,485 px on 2-12-2026 with the previous report's texts carried over (docs/reporting.md).
    assert height < 3_600


def test_my_reports_on_a_phone_has_no_horizontal_scroll(page, client, live_server):
    world = build_world()
    log_in_as(page, client, live_server, world.coordinator)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(reverse("reporting:my_reports"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert page.locator(".todo-card").count() == 1
