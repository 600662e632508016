"""Report bundle jobs: ask for one, follow it, stop it, try again, download it, clean up.

The request side (`request_bundle`, `cancel_job`, `retry_job`, `downloadable_job`) checks
who may do what through programmes.permissions: a user asks only for regions they see, and
only the requester downloads the result, and only while the scope is still theirs. The
worker side (`start_job`, `render_part`, `finish_job`, the bodies of the Celery tasks in
reports.tasks) renders through reports.bundles, a part per task so that the parts of one
bundle spread over the worker processes, and keeps the job row up to date; it re-reads the
requester's scope when it starts, so a bundle never holds more than its requester may read
at that moment. Jobs are queued with `transaction.on_commit`: a rolled-back request never
starts a worker.

This module must never render a PDF itself (reports.bundles does) or run a job in a thread
of its own: Celery runs it (`run_job` runs the same steps in the calling process, for tests
and the benchmark).
"""

from __future__ import annotations

import datetime
import logging
import os
import resource
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from monitor import audit
from programmes import calendar, permissions
from programmes.models import Programme, Region, ReportingPeriod
from reports import bundles
from reports.models import ReportJob

logger = logging.getLogger(__name__)

# Stored in Dutch on the job; the status block translates them for the reader.
FAILURE_MESSAGE = gettext_noop(
    "Het maken van de rapportage is mislukt. Probeer het opnieuw; lukt het weer niet, meld "
    "dan het tijdstip aan de beheerder."
)
SCOPE_LOST_MESSAGE = gettext_noop(
    "U heeft geen toegang meer tot deze regio; de rapportage is niet gemaakt."
)


class BundleRefused(Exception):
    """A bundle that cannot be made, with the Dutch message the requester sees."""


# --- Request side --------------------------------------------------------------------------


def may_request_national(user) -> bool:
    """A bundle of every region the user sees: for those whose home is the national page."""
    return permissions.sees_more_than_one_region(user)


def bundle_peildata(*, user, region: Region | None = None) -> list[datetime.date]:
    """The peildata a bundle can be asked for, newest first. One query."""
    programmes = permissions.visible_programmes(user)
    if region is not None:
        programmes = programmes.filter(region=region)
    return sorted(
        set(
            ReportingPeriod.objects.filter(programme__in=programmes)
            .order_by()
            .values_list("peildatum", flat=True)
        ),
        reverse=True,
    )


def request_bundle(
    *,
    user,
    kind: str,
    peildatum: datetime.date,
    region: Region | None = None,
    programme: Programme | None = None,
) -> ReportJob:
    """Queue a bundle. A region or programme outside the user's scope is a 404; the national
    bundle for a reader of one region is refused (403)."""
    if kind not in ReportJob.Kind.values:
        raise ValidationError(_("Onbekende soort rapportage."))
    if programme is not None:
        if not permissions.can_view_programme(user, programme):
            raise Http404
        region = programme.region
    if region is None:
        if not may_request_national(user):
            raise PermissionDenied
    elif not permissions.visible_regions(user).filter(pk=region.pk).exists():
        raise Http404
    if peildatum not in bundle_peildata(user=user, region=region):
        raise ValidationError(_("Er is geen rapportageperiode met deze peildatum."))
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind,
            requested_by=user,
            region=region,
            programme=programme,
            peildatum=peildatum,
            progress_text=_progress_text(region, 0, 0),
            task_id=str(uuid.uuid4()),
        )
        transaction.on_commit(lambda: _enqueue(job))
        audit.record(
            action="bundle.request",
            actor=user,
            obj=job,
            detail={
                "kind": kind,
                "region": region.code if region else "",
                "peildatum": str(peildatum),
            },
        )
    logger.info(
        "report bundle %s requested by %s: %s %s %s",
        job.pk,
        user.username,
        kind,
        region.code if region else "alle regio's",
        peildatum,
    )
    return job


def _enqueue(job: ReportJob) -> None:
    """Send the job's id to the broker under the task id stored with it (no write after the
    send, so the web never races the worker for the row)."""
    from reports import tasks

    tasks.build_bundle.apply_async(args=[job.pk], task_id=job.task_id)


def jobs_of(user) -> QuerySet[ReportJob]:
    """The user's own bundles, newest first."""
    return ReportJob.objects.filter(requested_by=user).select_related("region", "programme")


def own_job(*, user, pk: int) -> ReportJob:
    """A job of the user; anyone else's is a 404."""
    job = jobs_of(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def cancel_job(*, user, pk: int) -> ReportJob:
    """Ask the worker to stop between two documents; a job still queued stops at once."""
    job = own_job(user=user, pk=pk)
    if job.is_finished:
        return job
    ReportJob.objects.filter(pk=job.pk).update(cancel_requested=True)
    ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.CANCELLED, finished_at=timezone.now()
    )
    logger.info("report bundle %s: cancel asked by %s", job.pk, user.username)
    audit.record(action="bundle.cancel", actor=user, obj=job)
    job.refresh_from_db()
    return job


def retry_job(*, user, pk: int) -> ReportJob:
    """The same bundle again, as a new job (a failed or cancelled one stays in the list)."""
    job = own_job(user=user, pk=pk)
    if job.status not in (ReportJob.Status.FAILED, ReportJob.Status.CANCELLED):
        raise PermissionDenied
    return request_bundle(
        user=user,
        kind=job.kind,
        peildatum=job.peildatum,
        region=job.region,
        programme=job.programme,
    )


def downloadable_job(*, user, pk: int) -> tuple[ReportJob, Path]:
    """The finished file of the user's own job while it is kept and while its scope is
    still the user's; anything else is a 404."""
    job = own_job(user=user, pk=pk)
    if job.status != ReportJob.Status.DONE or not job.file_path:
        raise Http404
    if job.expires_at and job.expires_at <= timezone.now():
        raise Http404
    if job.region_id is None:
        in_scope = may_request_national(user)
    else:
        in_scope = permissions.visible_regions(user).filter(pk=job.region_id).exists()
    if not in_scope:
        raise Http404
    path = bundle_root() / job.file_path
    if not path.is_file():
        raise Http404
    logger.info("report bundle %s downloaded by %s", job.pk, user.username)
    return job, path


# --- Worker side ---------------------------------------------------------------------------
#
# A bundle is made by three kinds of task (reports.tasks), so that its parts render in
# parallel on every worker process there is, without a result backend:
#   start_job    the job's row to "running", the plan (bundles.plan) to the job's folder;
#                returns the parts to queue
#   render_part  one part: skipped when the job stopped; else rendered, written, counted
#                under a row lock; True for the task that finished the last part, which
#                queues the merge (exactly one task sees it)
#   finish_job   cover, contents and merge (or the ZIP), and the job's row to "done"
# `run_job` runs the three in this process, one after the other (tests, benchmark).


def bundle_root() -> Path:
    return Path(settings.REPORT_BUNDLE_ROOT)


def _workdir(job_pk: int) -> Path:
    return bundle_root() / f"job-{job_pk}"


def _parts_dir(job_pk: int) -> Path:
    return _workdir(job_pk) / "delen"


def _progress_text(region: Region | None, done: int, total: int) -> str:
    """ "regio 12 van 35" for a national bundle, "rapport 3 van 40" for a region's."""
    if region is None:
        return _("regio %(done)s van %(total)s") % {"done": done, "total": total}
    return _("rapport %(done)s van %(total)s") % {"done": done, "total": total}


def _scope(job: ReportJob) -> list[bundles.RegionScope]:
    """The regions and programmes of the bundle that its requester may read now."""
    programmes = permissions.visible_programmes(job.requested_by)
    if job.programme_id:
        programmes = programmes.filter(pk=job.programme_id)
    elif job.region_id:
        programmes = programmes.filter(region_id=job.region_id)
    by_region: dict[int, list[int]] = {}
    for pk, region_id in programmes.order_by("name", "pk").values_list("pk", "region_id"):
        by_region.setdefault(region_id, []).append(pk)
    regions = permissions.visible_regions(job.requested_by)
    if job.region_id:
        regions = regions.filter(pk=job.region_id)
    return [
        bundles.RegionScope(pk, code, name, tuple(by_region.get(pk, ())))
        for pk, code, name in regions.order_by("name", "pk").values_list("pk", "code", "name")
    ]


def _update(job: ReportJob, **fields) -> None:
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def _job(job_pk: int, *, lock: bool = False) -> ReportJob | None:
    rows = ReportJob.objects.select_related("requested_by", "region")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(pk=job_pk).first()


def _end(job: ReportJob, status: str, *, result: str, message: str = "") -> None:
    """Stop a job for good (cancelled or failed): its folder goes, the row says why."""
    shutil.rmtree(_workdir(job.pk), ignore_errors=True)
    _update(job, status=status, error_message=message, finished_at=timezone.now())
    audit.record(action="bundle.run", actor=job.requested_by, obj=job, result=result)


def _fail(job_pk: int, *, message: str, result: str) -> None:
    """Mark a running job failed, once (other parts may fail at the same time)."""
    with transaction.atomic():
        job = _job(job_pk, lock=True)
        if job is not None and job.status == ReportJob.Status.RUNNING:
            _end(job, ReportJob.Status.FAILED, result=result, message=message)


def start_job(job_pk: int) -> list[int]:
    """Start a job: its plan to disk, progress to 0 of the number of parts. Returns the
    indexes of the parts still to render (all of them, or after a lost worker those
    without a marker); empty when there is nothing to do. Never raises for a failure of
    the bundle itself: the job row says what happened."""
    job = _job(job_pk)
    if job is None or job.status in ReportJob.FINISHED:
        return []
    if job.cancel_requested:
        _update(job, status=ReportJob.Status.CANCELLED, finished_at=timezone.now())
        return []
    workdir = _workdir(job.pk)
    if job.status == ReportJob.Status.RUNNING and (workdir / bundles.PLAN_FILE).is_file():
        # The task came again (its worker was lost after queueing): queue what is missing.
        parts = bundles.read_plan(workdir)
        done = {int(p.stem) for p in _parts_dir(job.pk).glob("[0-9]*.json")}
        missing = [index for index in range(len(parts)) if index not in done]
        if not missing:
            finish_job(job.pk)
        return missing
    shutil.rmtree(workdir, ignore_errors=True)
    try:
        regions = _scope(job)
        if job.region_id and not any(r.programme_pks for r in regions):
            raise BundleRefused(SCOPE_LOST_MESSAGE)
        parts = bundles.plan(
            regions,
            job.peildatum,
            with_projects=job.region_id is not None,
            region_monitor=not job.programme_id,
        )
        bundles.write_plan(workdir, parts)
    except BundleRefused as refusal:
        logger.warning("report bundle %s refused: %s", job.pk, refusal)
        _update(job, status=ReportJob.Status.RUNNING, started_at=timezone.now())
        _fail(job.pk, message=str(refusal), result="refused")
        return []
    except Exception:
        logger.exception("report bundle %s failed", job.pk)
        _update(job, status=ReportJob.Status.RUNNING, started_at=timezone.now())
        _fail(job.pk, message=FAILURE_MESSAGE, result=audit.FAILED)
        return []
    with translation.override("nl"):
        text = _progress_text(job.region, 0, len(parts))
    _update(
        job,
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now(),
        error_message="",
        progress_done=0,
        progress_total=len(parts),
        progress_text=text,
    )
    logger.info("report bundle %s started: %s parts", job.pk, len(parts))
    if not parts:  # nothing in scope: the bundle is its cover alone
        finish_job(job.pk)
    return list(range(len(parts)))


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KB on Linux


def _stopped(job_pk: int) -> bool:
    """True when the job no longer runs; a stop asked for ends it here (once)."""
    with transaction.atomic():
        job = _job(job_pk, lock=True)
        if job is None or job.status != ReportJob.Status.RUNNING:
            return True
        if job.cancel_requested:
            _end(job, ReportJob.Status.CANCELLED, result="cancelled")
            logger.info("report bundle %s cancelled", job.pk)
            return True
    return False


def render_part(job_pk: int, index: int) -> bool:
    """Render part `index` of a running job and count it. Returns True for the one call
    that finished the last part: its caller queues `finish_job`. Never raises for a
    failure of the bundle itself: the job row says what happened."""
    if _stopped(job_pk):
        return False
    workdir = _workdir(job_pk)
    started = time.perf_counter()
    parts_dir = _parts_dir(job_pk)
    try:
        job = _job(job_pk)
        part = bundles.read_plan(workdir)[index]
        with translation.override("nl"):
            report = bundles.render_part(part, peildatum=job.peildatum, user=job.requested_by)
        # The files before the lock, the marker under it: parts that end together wait
        # for each other only for a rename and a count.
        entry = bundles.write_part(
            parts_dir, index, part, report, for_merge=job.kind == ReportJob.Kind.PDF
        )
    except Exception:
        logger.exception("report bundle %s failed in part %s", job_pk, index)
        _fail(job_pk, message=FAILURE_MESSAGE, result=audit.FAILED)
        return False
    with transaction.atomic():
        # The row lock orders the parts that end at the same moment: each counts the
        # markers on disk, and only the one that moves the count to the total sees it.
        job = _job(job_pk, lock=True)
        if job is None or job.status != ReportJob.Status.RUNNING or job.cancel_requested:
            if job is not None and job.status == ReportJob.Status.RUNNING:
                _end(job, ReportJob.Status.CANCELLED, result="cancelled")
                logger.info("report bundle %s cancelled", job.pk)
            elif job is not None and job.status == ReportJob.Status.DONE:
                shutil.rmtree(parts_dir, ignore_errors=True)  # a late copy of a part
            else:
                shutil.rmtree(workdir, ignore_errors=True)  # stopped while it rendered
            return False
        again = bundles.part_is_saved(parts_dir, index)  # a task delivered twice
        bundles.mark_part_done(parts_dir, index, entry)
        done = bundles.finished_parts(parts_dir)
        total = job.progress_total
        # A task delivered again after its worker was lost may not know whether the merge
        # was queued: it queues it (once more) when every part is done.
        last = done >= total and (job.progress_done < total or again)
        with translation.override("nl"):
            text = _progress_text(job.region, min(done, total), total)
        _update(job, progress_done=min(done, total), progress_text=text)
    # benchmark_national reads these lines from the worker's log.
    logger.info(
        "report bundle %s: part %s rendered in %.2f s, peak memory of this process %s MB",
        job_pk,
        index,
        time.perf_counter() - started,
        _peak_mb(),
    )
    return last


def finish_job(job_pk: int) -> None:
    """Merge the parts of a job whose parts are all done, and mark it done. Never raises
    for a failure of the bundle itself: the job row says what happened."""
    if _stopped(job_pk):
        return
    job = _job(job_pk)
    workdir = _workdir(job_pk)
    started = time.perf_counter()
    try:
        with translation.override("nl"):
            target = _assemble(job, workdir)
    except Exception:
        logger.exception("report bundle %s failed", job_pk)
        _fail(job_pk, message=FAILURE_MESSAGE, result=audit.FAILED)
        return
    now = timezone.now()
    ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
        status=ReportJob.Status.DONE,
        file_path=str(target.relative_to(bundle_root())),
        file_name=target.name,
        file_size=target.stat().st_size,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=settings.REPORT_BUNDLE_DAYS),
    )
    logger.info(
        "report bundle %s done: %s merged in %.2f s, peak memory of this process %s MB",
        job.pk,
        target.name,
        time.perf_counter() - started,
        _peak_mb(),
    )
    audit.record(action="bundle.run", actor=job.requested_by, obj=job)


def _assemble(job: ReportJob, workdir: Path) -> Path:
    parts = bundles.read_plan(workdir)
    chapters = bundles.chapters(parts, _parts_dir(job.pk))
    scope_name = job.region.name if job.region else _("alle regio's")
    slug = job.region.code if job.region else "landelijk"
    stem = f"rapportage-{slug}-{job.peildatum.isoformat()}"
    # Written under a temporary name and renamed: a merge run twice (a task delivered
    # again) never leaves half a file under the final name.
    if job.kind == ReportJob.Kind.ZIP:
        target = workdir / f"{stem}.zip"
        temporary = workdir / f".{stem}.zip.{os.getpid()}"
        bundles.assemble_zip(chapters, target=temporary)
    else:
        target = workdir / f"{stem}.pdf"
        temporary = workdir / f".{stem}.pdf.{os.getpid()}"
        pages = bundles.assemble_pdf(
            chapters,
            target=temporary,
            title=_("Rapportage %(scope)s") % {"scope": scope_name},
            peildatum=job.peildatum,
            scope=scope_name if job.region else _("Alle regio's"),
        )
        _update(job, page_count=pages)
    os.replace(temporary, target)
    shutil.rmtree(_parts_dir(job.pk), ignore_errors=True)
    (workdir / bundles.PLAN_FILE).unlink(missing_ok=True)
    logger.info(
        "report bundle %s: %s, peildatum %s",
        job.pk,
        scope_name,
        calendar.format_peildatum(job.peildatum),
    )
    return target


def run_job(job_pk: int) -> None:
    """A whole job in this process, part after part, as one worker process would run its
    tasks (tests, `benchmark_national --bundle`); Celery runs the same steps as tasks."""
    for index in start_job(job_pk):
        if render_part(job_pk, index):
            finish_job(job_pk)


def remove_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of bundles past their date and mark the jobs; also removes the
    working folders of jobs that ended without a file. Returns the number of jobs."""
    now = now or timezone.now()
    expired = ReportJob.objects.filter(expires_at__lte=now).exclude(file_path="")
    count = 0
    for job in expired:
        shutil.rmtree(bundle_root() / f"job-{job.pk}", ignore_errors=True)
        _update(job, file_path="", file_size=None)
        count += 1
    logger.info("removed %s expired report bundles", count)
    return count
