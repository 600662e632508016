"""Report bundles made by reports.jobs.run_job (the Celery task's body), without a broker:
one PDF with cover, contents, a chapter per region and running page numbers; a ZIP of the
separate tagged PDFs; cancel, failure, retry and clean-up. The broker itself is tested in
test_celery_worker.py."""

import datetime
import io
import logging
import re
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from reports import bundles, jobs
from reports.models import ReportJob
from reports.service import region_monitor_pdf
from tests import worlds
from tests.reports.helpers import pdf_pages

PEILDATUM = datetime.date(2021, 7, 1)
STAMP = re.compile(r"blz\. \d+ van \d+")  # the bundle's running page number


@pytest.fixture(autouse=True)
def _bundle_root(settings, tmp_path):
    settings.REPORT_BUNDLE_ROOT = tmp_path / "bundels"
    return settings.REPORT_BUNDLE_ROOT


@pytest.fixture
def country(db):
    """Gooi en Vechtstreek and a second region with the same programme shape at peildatum
    1-7-2021, and Zeeland, which has no period at that peildatum."""
    gooi = worlds.gooi()
    flevoland = worlds.gooi(
        region={"code": "flevoland", "name": "Flevoland"},
        slug="werken-aan-werk-flevoland",
        name="Werken aan Werk Flevoland",
    )
    zeeland = worlds.zeeland()
    people = worlds.users_for(gooi, outsider_in=zeeland)
    return gooi, flevoland, zeeland, people


def _run(django_capture_on_commit_callbacks, **request) -> ReportJob:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.request_bundle(**request)
    # Queued (and its audit line written) after the commit, never run in the request.
    assert len(callbacks) == 2
    assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.QUEUED
    jobs.run_job(job.pk)
    job.refresh_from_db()
    return job


def _file(job: ReportJob) -> Path:
    return jobs.bundle_root() / job.file_path


def test_national_pdf_has_cover_contents_chapters_and_running_page_numbers(
    country, django_capture_on_commit_callbacks
):
    gooi, flevoland, zeeland, people = country
    job = _run(
        django_capture_on_commit_callbacks,
        user=people.ministerie,
        kind=ReportJob.Kind.PDF,
        peildatum=PEILDATUM,
    )
    assert job.status == ReportJob.Status.DONE, job.error_message
    assert job.progress_text == "regio 3 van 3"
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.expires_at > timezone.now() + datetime.timedelta(days=6)
    data = _file(job).read_bytes()
    pages = pdf_pages(data)
    assert len(pages) == job.page_count
    # The first page says that the merged PDF lost its tags and where the accessible ones are.
    assert "ZIP" in pages[0] and "toegankelijke" in pages[0]
    # Every page carries its number in the whole document.
    for number, text in enumerate(pages, start=1):
        assert f"blz. {number} van {len(pages)}" in text
    # The contents list every region as a chapter with the page it starts on, and each
    # document with its page; the numbers point at the right pages.
    contents = " ".join(page for page in pages[:3] if "Inhoud" in page)
    for region in ("Flevoland", "Gooi en Vechtstreek", "Zeeland"):
        match = re.search(rf"{region} (\d+)", contents)
        assert match, region
        chapter_page = pages[int(match.group(1)) - 1]
        assert "Hoofdstuk" in chapter_page and region in chapter_page
    # One document per region: its region monitor, on the page the contents give.
    assert "Programmamonitor" not in contents
    monitor = re.search(r"Regiomonitor Flevoland (\d+)", contents)
    assert monitor
    first_page = pages[int(monitor.group(1)) - 1]
    assert "Monitor Werken aan Werk Flevoland" in first_page
    assert "pagina 1 van" in first_page  # the report's own first page
    # A region without a period at this peildatum still has its chapter, which says so.
    zeeland_page = next(p for p in pages if "Hoofdstuk" in p and "Zeeland" in p)
    assert "Geen programma met een rapportageperiode op deze peildatum" in zeeland_page
    # Bookmarks: the contents, then a chapter per region.
    outline = PdfReader(io.BytesIO(data)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Inhoud", "Flevoland", "Gooi en Vechtstreek", "Zeeland"]
    # The separate parts are gone; only the bundle is kept.
    assert [p.name for p in _file(job).parent.iterdir()] == [_file(job).name]


def test_a_chapter_is_the_region_monitor_a_reader_downloads_alone(
    country, django_capture_on_commit_callbacks
):
    """No figure in the bundle differs from the region monitor on its own: every page of a
    chapter reads as the single PDF, rendered afresh, apart from the bundle's page number."""
    gooi, flevoland, zeeland, people = country
    job = _run(
        django_capture_on_commit_callbacks,
        user=people.ministerie,
        kind=ReportJob.Kind.PDF,
        peildatum=PEILDATUM,
    )
    pages = pdf_pages(_file(job).read_bytes())
    contents = " ".join(page for page in pages[:3] if "Inhoud" in page)
    cache.clear()  # not the bundle's cached copy: the monitor made again from the data
    for region in (gooi.region, flevoland.region):
        single = pdf_pages(
            region_monitor_pdf(region=region, peildatum=PEILDATUM, user=people.ministerie).pdf
        )
        start = int(re.search(rf"Regiomonitor {region.name} (\d+)", contents).group(1))
        chapter = [
            " ".join(STAMP.sub(" ", page).split())
            for page in pages[start - 1 : start - 1 + len(single)]
        ]
        assert chapter == single
        # Figures, to be explicit: the projects and the reported lights, in both.
        for figure in (r"\d+ lopende of geplande projecten", r"Gerapporteerd \d+ \d+ \d+ \d+"):
            found = re.search(figure, single[0])
            assert found and found.group(0) in chapter[0], figure
        # The page after the chapter's last is the next chapter (or the end): one document.
        if start - 1 + len(single) < len(pages):
            assert "Hoofdstuk" in pages[start - 1 + len(single)]


def test_zip_holds_the_separate_tagged_pdfs(country, django_capture_on_commit_callbacks):
    gooi, flevoland, zeeland, people = country
    job = _run(
        django_capture_on_commit_callbacks,
        user=people.ministerie,
        kind=ReportJob.Kind.ZIP,
        peildatum=PEILDATUM,
    )
    assert job.status == ReportJob.Status.DONE, job.error_message
    with zipfile.ZipFile(_file(job)) as archive:
        names = archive.namelist()
        assert len(names) == 2
        assert {name.split("/")[0] for name in names} == {"flevoland", "gooi-en-vechtstreek"}
        for name in names:
            reader = PdfReader(io.BytesIO(archive.read(name)))
            assert "/StructTreeRoot" in reader.trailer["/Root"]  # still tagged
            assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_region_bundle_holds_monitor_and_every_project_report(
    country, django_capture_on_commit_callbacks
):
    gooi, flevoland, zeeland, people = country
    job = _run(
        django_capture_on_commit_callbacks,
        user=people.wethouder,
        kind=ReportJob.Kind.PDF,
        peildatum=PEILDATUM,
        region=gooi.region,
    )
    assert job.status == ReportJob.Status.DONE, job.error_message
    reports = len(gooi.reports)
    assert reports > 1
    assert job.progress_text == f"rapport {reports + 1} van {reports + 1}"
    pages = pdf_pages(_file(job).read_bytes())
    text = " ".join(pages)
    assert "Flevoland" not in text  # only the region asked for
    assert "Monitor Werken aan Werk" in text
    for project in gooi.projects:
        if any(r.project_id == project.pk for r in gooi.reports):
            assert project.title in text


def test_cancel_between_regions_stops_the_job(
    country, django_capture_on_commit_callbacks, monkeypatch
):
    gooi, flevoland, zeeland, people = country
    real = bundles.render_part
    seen = []

    def render_and_cancel(part, **kwargs):
        seen.append(part.region.name)
        ReportJob.objects.update(cancel_requested=True)  # the requester clicks "Stop"
        return real(part, **kwargs)

    monkeypatch.setattr(bundles, "render_part", render_and_cancel)
    job = _run(
        django_capture_on_commit_callbacks,
        user=people.ministerie,
        kind=ReportJob.Kind.PDF,
        peildatum=PEILDATUM,
    )
    assert job.status == ReportJob.Status.CANCELLED
    assert seen == ["Flevoland"]  # the flag is read before the next region
    assert job.progress_done == 0  # the part that saw the flag was not counted
    assert not job.file_path
    assert not (jobs.bundle_root() / f"job-{job.pk}").exists()


def test_cancel_of_a_queued_job_is_immediate(country):
    gooi, flevoland, zeeland, people = country
    job = ReportJob.objects.create(
        kind=ReportJob.Kind.PDF, requested_by=people.ministerie, peildatum=PEILDATUM
    )
    jobs.cancel_job(user=people.ministerie, pk=job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.CANCELLED
    jobs.run_job(job.pk)  # a worker that picks it up later does nothing
    job.refresh_from_db()
    assert job.status == ReportJob.Status.CANCELLED and not job.started_at


def test_failure_is_logged_shown_in_dutch_and_can_be_retried(
    country, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    gooi, flevoland, zeeland, people = country

    def broken(part, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(bundles, "render_part", broken)
    with caplog.at_level(logging.ERROR, logger="reports.jobs"):
        job = _run(
            django_capture_on_commit_callbacks,
            user=people.ministerie,
            kind=ReportJob.Kind.PDF,
            peildatum=PEILDATUM,
        )
    assert job.status == ReportJob.Status.FAILED
    assert job.error_message.startswith("Het maken van de rapportage is mislukt.")
    assert "schijf vol" not in job.error_message  # details go to the log, not the screen
    assert any("failed" in r.message and r.exc_info for r in caplog.records)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=False):
        again = jobs.retry_job(user=people.ministerie, pk=job.pk)
    assert again.pk != job.pk and again.status == ReportJob.Status.QUEUED
    jobs.run_job(again.pk)
    again.refresh_from_db()
    assert again.status == ReportJob.Status.DONE


def test_expired_bundles_are_removed(country, django_capture_on_commit_callbacks):
    gooi, flevoland, zeeland, people = country
    job = _run(
        django_capture_on_commit_callbacks,
        user=people.wethouder,
        kind=ReportJob.Kind.ZIP,
        peildatum=PEILDATUM,
        region=gooi.region,
    )
    path = _file(job)
    assert path.is_file()
    assert jobs.remove_expired(now=timezone.now()) == 0
    assert jobs.remove_expired(now=job.expires_at + datetime.timedelta(seconds=1)) == 1
    assert not path.exists()
    job.refresh_from_db()
    assert job.file_path == ""


def test_parts_finish_in_any_order_and_only_the_last_queues_the_merge(
    country, django_capture_on_commit_callbacks
):
    """What the Celery tasks do, step by step: parts done on several worker processes in
    any order are counted once each ("regio 2 van 3"), the part that completes the set
    says so (its task queues the merge), and a task delivered twice does no harm."""
    gooi, flevoland, zeeland, people = country
    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.request_bundle(user=people.ministerie, kind="pdf", peildatum=PEILDATUM)
    assert jobs.start_job(job.pk) == [0, 1, 2]  # Flevoland, Gooi, Zeeland
    assert jobs.render_part(job.pk, 2) is False  # Zeeland: a chapter without a document
    assert jobs.render_part(job.pk, 0) is False
    job.refresh_from_db()
    assert (job.progress_done, job.progress_text) == (2, "regio 2 van 3")
    # The plan task delivered again (its worker was lost) queues only the missing part.
    assert jobs.start_job(job.pk) == [1]
    assert jobs.render_part(job.pk, 1) is True  # the last one: queue the merge
    job.refresh_from_db()
    assert (job.progress_done, job.status) == (3, ReportJob.Status.RUNNING)
    # Delivered again, it cannot know whether the merge was queued: it says so once more,
    # and the count stays.
    assert jobs.render_part(job.pk, 1) is True
    job.refresh_from_db()
    assert job.progress_done == 3
    jobs.finish_job(job.pk)
    jobs.finish_job(job.pk)  # a merge queued twice: the second does nothing
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error_message
    assert len(pdf_pages(_file(job).read_bytes())) == job.page_count
    assert jobs.render_part(job.pk, 0) is False  # a late part of a finished job: ignored
