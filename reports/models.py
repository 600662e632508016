"""Background report jobs: a bundle of PDFs made by a Celery worker, never in a request.

A `ReportJob` is the whole truth about one bundle: who asked for it and for which scope,
how far the worker is ("regio 12 van 35"), whether the requester asked to stop, where the
finished file lies and until when. The broker only carries the job's id; a worker reads
everything else here, and the web pages poll this row. Written by `reports.jobs` (requests)
and `reports.tasks` (the worker); this module holds no behaviour beyond small questions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", _("één PDF met inhoudsopgave")
        ZIP = "zip", _("ZIP met losse toegankelijke PDF's")

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")
        CANCELLED = "cancelled", _("geannuleerd")

    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.CASCADE,
        related_name="report_jobs",
    )
    # Empty region: every region the requester sees (the national bundle).
    region = models.ForeignKey(
        "programmes.Region",
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programma"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    peildatum = models.DateField(_("peildatum"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress_done = models.PositiveIntegerField(_("klaar"), default=0)
    progress_total = models.PositiveIntegerField(_("totaal"), default=0)
    progress_text = models.CharField(_("voortgang"), max_length=200, blank=True)
    cancel_requested = models.BooleanField(_("annuleren gevraagd"), default=False)
    # Relative to settings.REPORT_BUNDLE_ROOT; never served as a static or media file.
    file_path = models.CharField(_("bestand"), max_length=300, blank=True)
    file_name = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("grootte"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pagina's"), null=True, blank=True)
    error_message = models.TextField(_("foutmelding"), blank=True)
    task_id = models.CharField(_("taak"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("gestart op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("bewaard tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapportagebundel")
        verbose_name_plural = _("rapportagebundels")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="job_requester_created"),
            models.Index(fields=["status", "expires_at"], name="job_status_expires"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")),
                name="job_progress_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.peildatum} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return round(100 * self.progress_done / self.progress_total)

    @property
    def progress_label(self) -> str:
        """ "regio 12 van 35" (national bundles) or "rapport 3 van 40" (a region's)."""
        if self.region_id is None:
            text = gettext("regio %(done)s van %(total)s")
        else:
            text = gettext("rapport %(done)s van %(total)s")
        return text % {"done": self.progress_done, "total": self.progress_total}
