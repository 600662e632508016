"""Real-browser test fixtures, a pytest plugin registered in tests/conftest.py: Playwright
for Python driving Debian's chromium against live_server.

Never downloads a browser: it uses /usr/bin/chromium (`.ci/run` installs it when missing).
Each journey saves a screenshot of its main page in test-output/screenshots/ for review, and
every page a journey visits is checked with axe-core (no serious or critical violations).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the live_server tests still
# make synchronous ORM calls next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# tests/browser_support.py -> the project root (test-output/ is in .gitignore).
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context on the live server; fails if the page reaches another host."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    # Nothing may leave the machine: any request not to the live server fails the test.
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not outside, f"requests outside the application: {outside}"


@pytest.fixture
def axe_check():
    """Run axe-core on the current page; fail on serious or critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str):
        results = axe.run(page)
        bad = [
            violation
            for violation in results.response["violations"]
            if violation.get("impact") in ("serious", "critical")
        ]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5] if node.get("target"))
            for v in bad
        )
        assert not bad, f"axe on {label}:\n{details}"
        return results

    return check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in_as(page, client, live_server, user) -> None:
    """Reuse a Django test-client session in the browser: skips the sign-in form."""
    from django.conf import settings

    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def sign_in(page, username: str, password: str = "demo") -> None:
    page.goto("/aanmelden/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state("networkidle")
