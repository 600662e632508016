import pytest
from django.conf import settings as django_settings
from django.utils import translation

# The real-browser fixtures (browser, page, axe_check, screenshot) for every test folder.
pytest_plugins = ["tests.browser_support"]


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    """Sign-in throttling is tested on purpose in its own test; elsewhere it stays off."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _dutch_at_the_start_of_every_test():
    """The language middleware activates the chosen language for the thread it runs on; a
    test that asked for an English page must not leave the next test in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
