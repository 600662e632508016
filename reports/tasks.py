"""Celery tasks of the reports: make a bundle, remove old bundles (beat, nightly).

A bundle is three kinds of task, so that its parts render in parallel on every worker
process (docs/reports.md "Bundels"): `build_bundle` plans the job and queues a
`render_bundle_part` per part; the part task that finishes the last part queues
`merge_bundle`. No result backend: the job's row and folder hold the state
(reports.jobs), and the broker carries only ids.

Thin: the work and its bookkeeping are in reports.jobs, so that they can be tested and run
without a broker.
"""

from celery import shared_task

from reports import jobs


@shared_task(name="reports.tasks.build_bundle", acks_late=True)
def build_bundle(job_pk: int) -> None:
    for index in jobs.start_job(job_pk):
        render_bundle_part.apply_async(args=[job_pk, index])


@shared_task(name="reports.tasks.render_bundle_part", acks_late=True)
def render_bundle_part(job_pk: int, index: int) -> None:
    if jobs.render_part(job_pk, index):
        merge_bundle.apply_async(args=[job_pk])


@shared_task(name="reports.tasks.merge_bundle", acks_late=True)
def merge_bundle(job_pk: int) -> None:
    jobs.finish_job(job_pk)


@shared_task(name="reports.tasks.remove_expired_bundles")
def remove_expired_bundles() -> int:
    return jobs.remove_expired()
