"""What the three PDF reports share: their kinds, file names and the document frame.

Nothing here reads the database; the report modules pass plain values in.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable

from django.db.models import TextChoices
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

AUTHOR = "Arbeidsmarktmonitor"


class ReportKind(TextChoices):
    """The downloadable reports; the value is the first word of the file name."""

    PROJECT = "voortgangsrapportage", _("Voortgangsrapportage project")
    MONITOR = "programmamonitor", _("Programmamonitor")
    AGENDA = "agenda-overzicht", _("Agenda-overzicht per pijler")
    REGION = "regiomonitor", _("Regiomonitor (alle programma's)")


def short_slug(text: str, max_length: int = 40) -> str:
    """A slug of at most `max_length` characters, cut at a word boundary."""
    slug = slugify(text)
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1].rsplit("-", 1)[0]
    return cut or slug[:max_length]


def _without_region(subject: str, region_name: str) -> str:
    """The subject's slug without the region's name, which the file name already carries:
    "Regionale doe-agenda 2020-2022 Zuid-Kennemerland en IJmond" would otherwise be cut
    to "...-2020-2022-zuid". The subject is kept whole when nothing else would remain."""
    slug, region = slugify(subject), slugify(region_name)
    if not region:
        return slug
    words = slug.split("-")
    region_words = region.split("-")
    for start in range(len(words) - len(region_words) + 1):
        if words[start : start + len(region_words)] == region_words:
            rest = words[:start] + words[start + len(region_words) :]
            return "-".join(rest) if rest else slug
    return slug


def report_filename(
    kind: ReportKind,
    *,
    region_code: str,
    subject: str,
    peildatum: datetime.date,
    region_name: str = "",
    code: str = "",
) -> str:
    """voortgangsrapportage-zeeland-aanvalsplan-voor-de-arbeidsmarktregio-2020-01-01.pdf

    `code` (a project's code, unique in its programme) goes before the title when the title
    alone is not unique: Zuid-Kennemerland has two activities "SROI", and a ministry that
    saves every report into one folder must not see one overwrite the other
    (voortgangsrapportage-zuid-kennemerland-en-ijmond-wg-04-sroi-2023-01-01.pdf)."""
    subject_slug = short_slug(_without_region(subject, region_name or region_code))
    code_slug = slugify(code)
    if code_slug and (subject_slug == code_slug or subject_slug.startswith(code_slug + "-")):
        code_slug = ""  # "zorg-zorg-..." says nothing more
    parts = [kind.value, slugify(region_code), code_slug, subject_slug, peildatum.isoformat()]
    return "-".join(part for part in parts if part) + ".pdf"


# --- Keeping short table rows on one page -----------------------------------------------
#
# WeasyPrint splits a table row cell by cell: a three-line project title that cannot be
# split two-and-two (orphans, widows) moves to the next page while the other cells of its
# row stay behind, leaving a row without a title. `break-inside: avoid` on every row would
# cure that, but a row taller than a page then loses the repeated table header. So rows that
# surely fit on part of a page are kept whole (class "keep"), long ones may break.


def estimated_lines(text: str | None, chars_per_line: int) -> int:
    """Roughly how many lines `text` (a plain-text narrative) takes in a column that holds
    `chars_per_line` characters; every line of the text starts a new line."""
    if not text:
        return 1
    paragraphs = [part.strip() for part in str(text).split("\n") if part.strip()]
    return max(1, sum(math.ceil(len(part) / chars_per_line) for part in paragraphs))


def row_fits(cells: Iterable[tuple[str | None, int]], *, max_lines: int) -> bool:
    """Whether a row whose cells hold these (text, characters per line) stays within
    `max_lines` lines: the tallest cell decides."""
    return max((estimated_lines(text, width) for text, width in cells), default=1) <= max_lines
