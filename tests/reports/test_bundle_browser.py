"""The page of a bundle in a real browser: htmx asks for the status every 2 s while the
worker runs, shows "regio 12 van 35" as the row changes, and stops asking once the bundle
is done, when the download button appears. The worker is played by updating the row."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import ReportJob
from tests import factories
from tests.browser_support import log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bundle_page_follows_the_job_and_stops_polling_when_done(
    page, client, live_server, gooi, settings, tmp_path, axe_check
):
    settings.REPORT_BUNDLE_ROOT = tmp_path
    user = factories.MinistryUserFactory()
    log_in_as(page, client, live_server, user)
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.PDF,
        requested_by=user,
        peildatum=datetime.date(2021, 7, 1),
        status=ReportJob.Status.RUNNING,
        progress_total=35,
    )
    polls = []
    page.on(
        "request",
        lambda request: polls.append(request.url) if "/status" in request.url else None,
    )
    page.goto(f"/rapporten/bundels/{job.pk}/")
    status = page.get_by_role("status")
    expect(status).to_contain_text("bezig")
    axe_check(page, "rapportagebundel")

    ReportJob.objects.filter(pk=job.pk).update(progress_done=12)
    expect(status).to_contain_text("regio 12 van 35", timeout=6000)
    expect(page.locator("progress")).to_have_attribute("value", "12")

    (tmp_path / f"job-{job.pk}").mkdir()
    (tmp_path / f"job-{job.pk}" / "bundel.pdf").write_bytes(b"%PDF-1.7\n")
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE,
        progress_done=35,
        file_path=f"job-{job.pk}/bundel.pdf",
        file_name="bundel.pdf",
        file_size=9,
        page_count=416,
        finished_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=6000)
    expect(page.locator("#bundel-status")).not_to_have_attribute("hx-get", re.compile(".*"))
    seen = len(polls)
    page.wait_for_timeout(4500)  # two more polling intervals: none asked
    assert len(polls) == seen
    assert seen >= 2
