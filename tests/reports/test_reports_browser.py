"""A ministry reader finds the Rapporten page, which is accessible, and downloads a PDF."""

import pytest

from tests import factories
from tests.browser_support import log_in_as
from tests.reports.helpers import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ministry_downloads_the_monitor_from_the_rapporten_page(
    page, client, live_server, gooi, axe_check, screenshot
):
    log_in_as(page, client, live_server, factories.MinistryUserFactory())

    page.goto("/")
    page.get_by_role("link", name="Rapporten").click()
    assert page.get_by_role("heading", name="Rapporten", exact=True).is_visible()
    page.locator("summary", has_text="Voortgangsrapportages per project").click()
    axe_check(page, "rapporten")
    screenshot(page, "rapporten")
    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name="PDF programmamonitor Werken aan Werk, peildatum 1-7-2021"
        ).click()
    download = download_info.value

    assert download.suggested_filename == (
        "programmamonitor-gooi-en-vechtstreek-werken-aan-werk-2021-07-01.pdf"
    )
    with open(download.path(), "rb") as pdf:
        assert "ZorgStart" in pdf_text(pdf.read())
