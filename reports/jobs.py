"""Report bundle jobs: ask for one, follow it, stop it, try again, download it, clean up.

The request side (`request_bundle`, `cancel_job`, `retry_job`, `downloadable_job`) checks
who may do what through programmes.permissions: a user asks only for regions they see, and
only the requester downloads the result, and only while the scope is still theirs. The
worker side (`run_job`, called by the Celery task `reports.tasks.build_bundle`) renders
through reports.bundles and keeps the job row up to date; it re-reads the requester's scope
when it starts, so a bundle never holds more than its requester may read at that moment.
Jobs are queued with `transaction.on_commit`: a rolled-back request never starts a worker.

This module must never render a PDF itself (reports.bundles does) or run a job in a thread
or loop of its own: Celery runs it.
"""

from __future__ import annotations

import datetime
import logging
import shutil
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


def bundle_root() -> Path:
    return Path(settings.REPORT_BUNDLE_ROOT)


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


def _stop_asked(job: ReportJob) -> bool:
    return ReportJob.objects.filter(pk=job.pk, cancel_requested=True).exists()


def run_job(job_pk: int) -> None:
    """Make the bundle of a job (the Celery task's body). Never raises for a failure of the
    bundle itself: the job row says what happened."""
    job = ReportJob.objects.select_related("requested_by", "region").filter(pk=job_pk).first()
    if job is None or job.status in (ReportJob.Status.DONE, ReportJob.Status.CANCELLED):
        return
    if job.cancel_requested:
        _update(job, status=ReportJob.Status.CANCELLED, finished_at=timezone.now())
        return
    _update(
        job,
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now(),
        error_message="",
        progress_done=0,
    )
    workdir = bundle_root() / f"job-{job.pk}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    try:
        with translation.override("nl"):
            target = _build(job, workdir)
    except bundles.Cancelled:
        shutil.rmtree(workdir, ignore_errors=True)
        _update(job, status=ReportJob.Status.CANCELLED, finished_at=timezone.now())
        logger.info("report bundle %s cancelled", job.pk)
        audit.record(action="bundle.run", actor=job.requested_by, obj=job, result="cancelled")
        return
    except BundleRefused as refusal:
        logger.warning("report bundle %s refused: %s", job.pk, refusal)
        shutil.rmtree(workdir, ignore_errors=True)
        _update(
            job,
            status=ReportJob.Status.FAILED,
            error_message=str(refusal),
            finished_at=timezone.now(),
        )
        audit.record(action="bundle.run", actor=job.requested_by, obj=job, result="refused")
        return
    except Exception:
        logger.exception("report bundle %s failed", job.pk)
        shutil.rmtree(workdir, ignore_errors=True)
        _update(
            job,
            status=ReportJob.Status.FAILED,
            error_message=FAILURE_MESSAGE,
            finished_at=timezone.now(),
        )
        audit.record(action="bundle.run", actor=job.requested_by, obj=job, result=audit.FAILED)
        return
    now = timezone.now()
    _update(
        job,
        status=ReportJob.Status.DONE,
        file_path=str(target.relative_to(bundle_root())),
        file_name=target.name,
        file_size=target.stat().st_size,
        finished_at=now,
        expires_at=now + datetime.timedelta(days=settings.REPORT_BUNDLE_DAYS),
    )
    logger.info("report bundle %s done: %s", job.pk, target.name)
    audit.record(action="bundle.run", actor=job.requested_by, obj=job)


def _build(job: ReportJob, workdir: Path) -> Path:
    regions = _scope(job)
    if job.region_id and not any(r.programme_pks for r in regions):
        raise BundleRefused(SCOPE_LOST_MESSAGE)
    national = job.region_id is None
    parts = workdir / "delen"
    chapters: list[bundles.Chapter] = []
    if national:
        _update(job, progress_total=len(regions), progress_text=_progress_text(None, 0, 0))
    for number, region in enumerate(regions, start=1):
        if _stop_asked(job):
            raise bundles.Cancelled

        def on_document(done: int, total: int) -> None:
            if national:
                return
            if _stop_asked(job):
                raise bundles.Cancelled
            _update(
                job,
                progress_total=total,
                progress_done=done,
                progress_text=_progress_text(job.region, done, total),
            )

        chapters.append(
            bundles.render_region(
                region,
                peildatum=job.peildatum,
                with_projects=not national,
                directory=parts,
                on_document=on_document,
            )
        )
        if national:
            _update(
                job,
                progress_done=number,
                progress_text=_progress_text(None, number, len(regions)),
            )
    if _stop_asked(job):
        raise bundles.Cancelled
    scope_name = job.region.name if job.region else _("alle regio's")
    slug = job.region.code if job.region else "landelijk"
    stem = f"rapportage-{slug}-{job.peildatum.isoformat()}"
    if job.kind == ReportJob.Kind.ZIP:
        target = workdir / f"{stem}.zip"
        bundles.assemble_zip(chapters, target=target)
    else:
        target = workdir / f"{stem}.pdf"
        pages = bundles.assemble_pdf(
            chapters,
            target=target,
            title=_("Rapportage %(scope)s") % {"scope": scope_name},
            peildatum=job.peildatum,
            scope=scope_name if job.region else _("Alle regio's"),
        )
        _update(job, page_count=pages)
    shutil.rmtree(parts, ignore_errors=True)
    logger.info(
        "report bundle %s: %s, peildatum %s",
        job.pk,
        scope_name,
        calendar.format_peildatum(job.peildatum),
    )
    return target


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
