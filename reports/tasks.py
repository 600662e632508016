"""Celery tasks of the reports: make a bundle, remove old bundles (beat, nightly).

Thin: the work and its bookkeeping are in reports.jobs, so that they can be tested and run
without a broker. The broker carries only a job's id.
"""

from celery import shared_task

from reports import jobs


@shared_task(name="reports.tasks.build_bundle", acks_late=True)
def build_bundle(job_pk: int) -> None:
    jobs.run_job(job_pk)


@shared_task(name="reports.tasks.remove_expired_bundles")
def remove_expired_bundles() -> int:
    return jobs.remove_expired()
