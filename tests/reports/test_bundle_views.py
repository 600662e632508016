"""The bundle pages: asking for a bundle, following it, stopping it, and who may download
it (only the requester, and only within their scope), per role."""

import datetime

import pytest
from django.urls import reverse

from reports import jobs
from reports.models import ReportJob
from tests import worlds

PEILDATUM = datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def _bundle_root(settings, tmp_path):
    settings.REPORT_BUNDLE_ROOT = tmp_path / "bundels"


@pytest.fixture
def world(db):
    gooi = worlds.gooi()
    zeeland = worlds.zeeland()
    return gooi, zeeland, worlds.users_for(gooi, outsider_in=zeeland)


def _ask(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:job_request"), data)
    return response, callbacks


def _done_job(user, django_capture_on_commit_callbacks, **request) -> ReportJob:
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.request_bundle(user=user, peildatum=PEILDATUM, **request)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_message
    return job


def test_national_page_and_reports_page_offer_the_buttons(client, world):
    gooi, zeeland, people = world
    client.force_login(people.ministerie)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("reports:job_request") in page and 'name="regio" value=""' in page
    client.force_login(people.wethouder)
    page = client.get(reverse("reports:index")).content.decode()
    assert f'name="regio" value="{gooi.region.code}"' in page
    assert "Maak rapportage (één PDF)" in page


def test_request_queues_a_job_after_commit_and_polls_its_progress(
    client, world, django_capture_on_commit_callbacks
):
    gooi, zeeland, people = world
    client.force_login(people.ministerie)
    response, callbacks = _ask(
        client, django_capture_on_commit_callbacks, soort="pdf", peildatum="2021-07-01", regio=""
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reports:job", args=[job.pk]
    )
    # Two callbacks after the commit: the job to the queue, its audit line.
    assert len(callbacks) == 2 and job.status == ReportJob.Status.QUEUED
    status = client.get(reverse("reports:job_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 2s"' in status.content  # keeps polling while queued
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, progress_done=12, progress_total=35
    )
    status = client.get(reverse("reports:job_status", args=[job.pk])).content.decode()
    assert "regio 12 van 35" in status and "<progress" in status
    client.post(reverse("reports:job_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.cancel_requested
    jobs.run_job(job.pk)
    status = client.get(reverse("reports:job_status", args=[job.pk])).content.decode()
    assert "geannuleerd" in status and "hx-trigger" not in status  # polling stops
    assert "Opnieuw proberen" in status


def test_national_bundle_download_only_by_its_requester(
    client, world, django_capture_on_commit_callbacks
):
    gooi, zeeland, people = world
    job = _done_job(people.ministerie, django_capture_on_commit_callbacks, kind="pdf")
    url = reverse("reports:job_download", args=[job.pk])
    client.force_login(people.ministerie)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for other in (people.manager, people.wethouder, people.outsider, people.coordinator):
        client.force_login(other)
        assert client.get(url).status_code == 404, other.username
        assert client.get(reverse("reports:job", args=[job.pk])).status_code == 404
        assert client.post(reverse("reports:job_cancel", args=[job.pk])).status_code == 404


def test_region_bundle_per_role(client, world, django_capture_on_commit_callbacks):
    gooi, zeeland, people = world
    # A reader of one region may not ask for the national bundle, nor for another region.
    client.force_login(people.wethouder)
    response, callbacks = _ask(
        client, django_capture_on_commit_callbacks, soort="pdf", peildatum="2021-07-01", regio=""
    )
    assert response.status_code == 403 and not ReportJob.objects.exists()
    response, callbacks = _ask(
        client,
        django_capture_on_commit_callbacks,
        soort="zip",
        peildatum="2020-01-01",
        regio=zeeland.region.code,
    )
    assert response.status_code == 404 and not ReportJob.objects.exists()
    assert not ReportJob.objects.exists()
    # Their own region: made, and downloadable by them only.
    job = _done_job(
        people.wethouder, django_capture_on_commit_callbacks, kind="zip", region=gooi.region
    )
    url = reverse("reports:job_download", args=[job.pk])
    assert client.get(url).status_code == 200
    for other in (people.ministerie, people.manager, people.outsider):
        client.force_login(other)
        assert client.get(url).status_code == 404, other.username
    # Once the region is no longer theirs, not even the requester downloads it.
    gooi.region.viewers.remove(people.wethouder)
    client.force_login(people.wethouder)
    assert client.get(url).status_code == 404


def test_manager_asks_for_a_region_bundle_and_an_unknown_peildatum_is_refused(
    client, world, django_capture_on_commit_callbacks
):
    gooi, zeeland, people = world
    client.force_login(people.manager)
    response, callbacks = _ask(
        client,
        django_capture_on_commit_callbacks,
        soort="pdf",
        peildatum="2019-07-01",
        regio=gooi.region.code,
    )
    assert response.status_code == 302 and not ReportJob.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Er is geen rapportageperiode met deze peildatum." in page
    response, callbacks = _ask(
        client,
        django_capture_on_commit_callbacks,
        soort="pdf",
        peildatum="2021-07-01",
        regio=gooi.region.code,
    )
    assert response.status_code == 302 and len(callbacks) == 2  # queue and audit line
    listing = client.get(reverse("reports:jobs")).content.decode()
    assert "Gooi en Vechtstreek: regiomonitor en projectrapportages" in listing


def test_expired_bundle_is_not_downloadable(client, world, django_capture_on_commit_callbacks):
    gooi, zeeland, people = world
    job = _done_job(people.ministerie, django_capture_on_commit_callbacks, kind="zip")
    ReportJob.objects.filter(pk=job.pk).update(expires_at=job.finished_at)
    client.force_login(people.ministerie)
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_a_bundle_is_audited_from_request_to_download(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    from monitor.models import AuditEvent

    gooi, zeeland, people = world
    monkeypatch.setattr(jobs, "_enqueue", lambda job: None)  # run here, not through a broker
    with django_capture_on_commit_callbacks(execute=True):
        job = _done_job(people.ministerie, django_capture_on_commit_callbacks, kind="pdf")
        client.force_login(people.ministerie)
        assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 200
    events = AuditEvent.objects.filter(object_id=str(job.pk)).values_list("action", "result")
    assert set(events) >= {("bundle.request", "ok"), ("bundle.run", "ok")}
    assert AuditEvent.objects.filter(action="download.bundle", result="ok").count() == 1
