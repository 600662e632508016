"""A bundle job through a real Celery worker: on Redis (CI sets REDIS_URL) and on kombu's
filesystem transport (what `make run` uses without Redis). The worker runs in a thread of
this process (celery.contrib.testing.worker.start_worker) and reads the committed job from
the test database, as a worker on another machine would."""

import datetime
import os
import threading

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from monitor.celery import app as monitor_app
from reports import jobs, tasks
from reports.models import ReportJob
from tests import worlds

PEILDATUM = datetime.date(2021, 7, 1)


@pytest.fixture(autouse=True)
def _bundle_root(settings, tmp_path):
    settings.REPORT_BUNDLE_ROOT = tmp_path / "bundels"


FINISHED = threading.Event()


TASKS_RUN: list[str] = []


def _close_worker_connections(sender=None, args=(), **kwargs):
    # A bundle is several tasks (plan, a task per part, merge). After each, the worker
    # thread looks whether the job has ended and closes its own database connection, so
    # that the test database can be dropped afterwards; once the job has ended the test
    # may read the result (the test database of SQLite is in memory, where two connections
    # must not write at once).
    TASKS_RUN.append(sender.name)
    ended = ReportJob.objects.filter(pk=args[0], status__in=ReportJob.FINISHED).exists()
    connections.close_all()
    if ended:
        FINISHED.set()


def _app(broker_url: str, **transport_options) -> Celery:
    """A Celery app configured like monitor.celery's, on the broker given."""
    app = Celery("monitor-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = transport_options
    app.conf.task_always_eager = False
    assert tasks.build_bundle.name  # the shared task, registered on every app
    app.autodiscover_tasks(force=True)
    return app


def _wait_until_finished(job: ReportJob, seconds: float = 90) -> ReportJob:
    assert FINISHED.wait(seconds), f"job {job.pk} did not finish in {seconds} s"
    job.refresh_from_db()
    return job


def _run_through(app: Celery) -> ReportJob:
    gooi = worlds.gooi()
    people = worlds.users_for(gooi)
    FINISHED.clear()
    TASKS_RUN.clear()
    task_postrun.connect(_close_worker_connections)
    app.set_current()  # request_bundle's .delay() sends through this app's broker
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            job = jobs.request_bundle(
                user=people.wethouder, kind="pdf", peildatum=PEILDATUM, region=gooi.region
            )
            job = _wait_until_finished(job)
    finally:
        monitor_app.set_current()
        task_postrun.disconnect(_close_worker_connections)
    return job


@pytest.mark.django_db(transaction=True)
def test_bundle_job_through_a_worker_on_redis():
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is niet gezet: geen Redis om de worker op te testen (CI zet hem)")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis op {url} antwoordt niet: {error}")
    job = _run_through(_app(url))
    assert job.status == ReportJob.Status.DONE, job.error_message
    assert job.task_id  # sent through the broker, not run in the request
    assert (jobs.bundle_root() / job.file_path).read_bytes().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_bundle_job_through_a_worker_on_the_filesystem_transport(tmp_path):
    queue = tmp_path / "queue"
    queue.mkdir()
    app = _app(
        "filesystem://",
        data_folder_in=str(queue),
        data_folder_out=str(queue),
        control_folder=str(tmp_path / "control"),
        store_processed=False,
    )
    job = _run_through(app)
    assert job.status == ReportJob.Status.DONE, job.error_message
    assert job.task_id
    assert (jobs.bundle_root() / job.file_path).read_bytes().startswith(b"%PDF")
    # Planned, a task per part (the region monitor and each project report), one merge.
    assert TASKS_RUN[0] == "reports.tasks.build_bundle"
    assert TASKS_RUN.count("reports.tasks.render_bundle_part") == job.progress_total > 1
    assert TASKS_RUN[-1] == "reports.tasks.merge_bundle"
    assert TASKS_RUN.count("reports.tasks.merge_bundle") == 1
