"""In a real browser, on a tablet-sized screen: the charts are drawn with our own plotly.js,
nothing is fetched from another host, and the project is reached in two clicks."""

import pytest

from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wethouder_on_a_tablet_sees_drawn_charts_without_network(page, gooi):
    # The `page` fixture fails the test on any request to another host.
    user = factories.UserFactory(username="wethouder-tablet")
    gooi.region.viewers.add(user)
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet
    sign_in(page, "wethouder-tablet")
    page.goto("/")
    page.get_by_role("link", name="Werken aan Werk").click()  # click one
    page.get_by_role("link", name="ZorgStart").first.click()  # click two
    assert page.get_by_role("heading", name="5. ZorgStart").is_visible()
    page.wait_for_selector(".chart.chart-drawn svg.main-svg")
    assert page.locator(".chart.chart-drawn").count() == 3
    page.locator("details.chart-table summary").first.click()
    assert page.get_by_role("table", name="Uitstroom naar betaalde baan").is_visible()


def test_tables_that_scroll_sideways_can_be_reached_with_the_keyboard(page, gooi, axe_check):
    user = factories.UserFactory(username="wethouder-telefoon")
    gooi.region.viewers.add(user)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: wide tables scroll
    sign_in(page, "wethouder-telefoon")
    page.get_by_role("link", name="Werken aan Werk").click()
    page.wait_for_load_state("load")
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.table-responsive')]
            .filter(w => w.scrollWidth > w.clientWidth + 1)
            .map(w => [w.getAttribute('tabindex'), w.getAttribute('role'),
                       w.getAttribute('aria-label')])"""
    )
    assert overflowing, "expected at least one table wider than a phone"
    assert all(tab == "0" and role == "region" and label for tab, role, label in overflowing), (
        overflowing
    )
    axe_check(page, "programma op een telefoon")
