import pytest

# The real-browser fixtures (browser, page, axe_check, screenshot) for every test folder.
pytest_plugins = ["tests.browser_support"]


@pytest.fixture(autouse=True)
def _no_axes_lockout_between_tests(settings):
    """Sign-in throttling is tested on purpose in its own test; elsewhere it stays off."""
    settings.AXES_ENABLED = False
