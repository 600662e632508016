"""Signing in, in a real browser, in Dutch, with an accessible page."""

import pytest

from tests import factories
from tests.browser_support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_is_dutch_and_accessible(page, axe_check):
    page.goto("/")
    assert "/aanmelden/" in page.url
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", name="Aanmelden").is_visible()
    axe_check(page, "aanmelden")


def test_wrong_password_gives_a_dutch_message(page):
    factories.UserFactory(username="wethouder")
    sign_in(page, "wethouder", "fout")
    assert "/aanmelden/" in page.url
    assert page.get_by_text("Voer een juiste gebruikersnaam en wachtwoord in").is_visible()
