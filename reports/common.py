"""What the three PDF reports share: their kinds, file names and the document frame.

Nothing here reads the database; the report modules pass plain values in.
"""

from __future__ import annotations

import datetime

from django.db.models import TextChoices
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

AUTHOR = "Arbeidsmarktmonitor"


class ReportKind(TextChoices):
    """The downloadable reports; the value is the first word of the file name."""

    PROJECT = "voortgangsrapportage", _("Voortgangsrapportage project")
    MONITOR = "programmamonitor", _("Programmamonitor")
    AGENDA = "agenda-overzicht", _("Agenda-overzicht per pijler")


def short_slug(text: str, max_length: int = 40) -> str:
    """A slug of at most `max_length` characters, cut at a word boundary."""
    slug = slugify(text)
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1].rsplit("-", 1)[0]
    return cut or slug[:max_length]


def report_filename(
    kind: ReportKind, *, region_code: str, subject: str, peildatum: datetime.date
) -> str:
    """voortgangsrapportage-zeeland-aanvalsplan-voor-de-arbeidsmarktregio-2020-01-01.pdf"""
    parts = [kind.value, slugify(region_code), short_slug(subject), peildatum.isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"
