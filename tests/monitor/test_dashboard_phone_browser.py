"""The alderman's ten seconds, in a real browser, on the demo data as `wethouder` (Gooi en
Vechtstreek only), on a phone (390×844) and a desk (1366×900): home names the projects that
need attention with their explanation, following a name keeps the peildatum, no page is
wider than the phone, and the first chart page stays light (plotly.js compressed).

Screenshots of each page at both sizes are saved in test-output/screenshots/ for review; the
reviewed ones are kept in docs/screenshots/."""

import pytest
from django.db import connections
from django.test.testcases import LiveServerThread

from programmes.demo import load_demo
from tests.browser_support import SCREENSHOTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = SCREENSHOTS
SIZES = {"telefoon": (390, 844), "bureau": (1366, 900)}
PROGRAMME = "/programma/werken-aan-werk-gooi-en-vechtstreek/"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    load_demo()


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _page_width(page) -> tuple[int, int]:
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("size", list(SIZES))
def test_home_names_what_needs_attention_and_keeps_the_peildatum(page, demo, size, axe_check):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "wethouder")
    page.goto("/")
    assert page.get_by_text("peildatum 1-7-2021").first.is_visible()
    attention = page.locator("ol.attention-list")
    names = attention.locator(".attention-title a").all_inner_texts()
    assert "Hout" in names and "Waardetas" in names, names
    hout = attention.locator("li", has=page.get_by_role("link", name="Hout", exact=True))
    assert "lopen daardoor achter" in hout.inner_text()
    assert "oranje" in hout.inner_text()
    axe_check(page, f"home ({size})")
    _shoot(page, f"home-{size}")
    page.get_by_role("link", name="Hout", exact=True).first.click()
    page.wait_for_load_state("load")
    assert "periode=2021-H1" in page.url
    assert page.get_by_role("heading", name="2. Hout").is_visible()
    assert page.get_by_text("peildatum 1-7-2021").first.is_visible()
    _shoot(page, f"project-hout-{size}")
    page.goto(PROGRAMME + "?periode=2021-H1")
    page.wait_for_load_state("load")
    axe_check(page, f"programma ({size})")
    _shoot(page, f"programma-{size}")


def test_on_a_phone_no_page_is_wider_than_the_screen(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "wethouder")
    for url in [
        "/",
        PROGRAMME + "?periode=2021-H1",
        PROGRAMME + "project/BIJ-05/?periode=2021-H1",
        "/bestaat-niet/",
    ]:
        page.goto(url)
        page.wait_for_load_state("load")
        document_width, screen = _page_width(page)
        assert document_width <= screen, (url, document_width, screen)
    page.goto("/")
    page.wait_for_load_state("load")
    # On home nothing scrolls sideways: the tables became cards.
    sideways = page.evaluate(
        """() => [...document.querySelectorAll('main *')].filter(e => {
               const style = getComputedStyle(e);
               return ['auto', 'scroll'].includes(style.overflowX)
                      && e.scrollWidth > e.clientWidth + 1;
           }).map(e => e.className || e.tagName)"""
    )
    assert sideways == [], sideways


class _NoStaticHandler:
    """Leave /static/ to the application: WhiteNoise serves it, compressed, as under
    `make run` (the usual live server serves static files itself, uncompressed)."""

    def __new__(cls, application):
        return application


@pytest.fixture
def whitenoise_server(settings, transactional_db):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # As Django's LiveServerTestCase: an in-memory SQLite database is shared with the thread.
    connections_override = {
        conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite"
    }
    for conn in connections_override.values():
        conn.inc_thread_sharing()
    thread = LiveServerThread(
        "127.0.0.1",
        static_handler=_NoStaticHandler,
        connections_override=connections_override,
        port=0,
    )
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for conn in connections_override.values():
        conn.dec_thread_sharing()


def test_first_chart_page_transfers_at_most_one_and_a_half_megabyte(
    browser, whitenoise_server, demo
):
    signing_in = browser.new_context(base_url=whitenoise_server, locale="nl-NL")
    page = signing_in.new_page()
    page.set_default_timeout(60_000)  # the first request compresses plotly.js once
    sign_in(page, "wethouder")
    page.goto("/static/vendor/plotly/plotly.min.js")  # compressed copies made before measuring
    # A fresh context with the session only: an empty cache, as on a first visit.
    context = browser.new_context(
        base_url=whitenoise_server, locale="nl-NL", storage_state=signing_in.storage_state()
    )
    signing_in.close()
    page = context.new_page()
    page.set_default_timeout(30_000)
    transferred = {}

    def count(response):
        sizes = response.request.sizes()
        transferred[response.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.on("response", count)
    page.goto(PROGRAMME)
    page.wait_for_selector(".chart.chart-drawn svg.main-svg")
    page.wait_for_load_state("networkidle")
    plotly = [url for url in transferred if url.endswith("plotly.min.js")]
    assert plotly, transferred
    total = sum(transferred.values())
    assert total <= 1_500_000, transferred
    assert transferred[plotly[0]] < 1_300_000  # 4.8 MB uncompressed
    context.close()
