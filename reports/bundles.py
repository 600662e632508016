"""Report bundles: many report PDFs as one document with a table of contents, or as a ZIP.

A bundle has a chapter per region. `render_region` renders the documents of one region
(its programme monitors, and for a region bundle also every project report) through the
report service, one PDF at a time, each written to disk straight away: memory holds one
document, never one giant HTML. It is the one place that decides what a region contributes,
so it can switch to a region monitor later without touching the rest.

`assemble_pdf` merges the files with pypdf behind a cover and a table of contents (rendered
by WeasyPrint from templates/reports/jobs/) and a one-page divider per chapter, adds
bookmarks, and stamps a running page number on every page in a second pass; the table of
contents is rendered again until its own length is stable, so its page numbers are right.
A merged PDF loses the structure tags of its parts: its cover says so and points to the
ZIP, which `assemble_zip` writes from the same files, each still a tagged PDF/UA document.

This module must never check permissions beyond the scope it is handed (reports.jobs does),
compute a light or figure (the report modules do) or touch a ReportJob row (reports.tasks
does, through the callbacks it passes in).
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from programmes import calendar
from programmes.models import ProgressReport, ReportingPeriod
from reports.common import AUTHOR, ReportKind, short_slug
from reports.pdf import PDF_STATIC_URL, render_pdf
from reports.service import REPORT_LANGUAGE, report_for_download

STAMP_FONT_SIZE = 7.5
STAMP_BOTTOM = 20  # points above the bottom edge: under the reports' own footer line


class Cancelled(Exception):
    """The requester asked to stop; raised between documents."""


@dataclass(frozen=True)
class RegionScope:
    """A region and the programmes of it that the requester may read."""

    pk: int
    code: str
    name: str
    programme_pks: tuple[int, ...]


@dataclass(frozen=True)
class Document:
    """One rendered report, on disk."""

    title: str
    path: Path
    arcname: str  # its name inside the ZIP: region folder / file name
    pages: int


@dataclass
class Chapter:
    region: RegionScope
    documents: list[Document] = field(default_factory=list)
    note: str = ""  # why a region has no documents


@dataclass(frozen=True)
class Progress:
    """Callbacks of the task: report progress, and ask whether to stop."""

    step: Callable[[int, int, str], None]
    should_stop: Callable[[], bool]


def _parts(
    region: RegionScope, peildatum: datetime.date, *, with_projects: bool
) -> list[tuple[ReportKind, int, int, int, str]]:
    """(kind, scope, period, programme, title) of every document of a region, in order:
    per programme its monitor, then its project reports. Two queries."""
    periods = list(
        ReportingPeriod.objects.filter(programme_id__in=region.programme_pks, peildatum=peildatum)
        .select_related("programme")
        .order_by("programme__name", "programme_id")
    )
    projects: dict[int, list[tuple[int, str]]] = {}
    if with_projects and periods:
        for programme_pk, project_pk, number, title in (
            ProgressReport.objects.filter(period__in=periods)
            .order_by("project__programme_id", "project__pillar__order", "project__number", "pk")
            .values_list("project__programme_id", "project_id", "project__number", "project__title")
        ):
            label = f"{number}. {title}" if number is not None else title
            projects.setdefault(programme_pk, []).append((project_pk, label))
    parts = []
    for period in periods:
        programme = period.programme
        parts.append(
            (
                ReportKind.MONITOR,
                programme.pk,
                period.pk,
                programme.pk,
                _("Programmamonitor %(programme)s") % {"programme": programme.name},
            )
        )
        for project_pk, label in projects.get(programme.pk, []):
            parts.append((ReportKind.PROJECT, project_pk, period.pk, programme.pk, label))
    return parts


def render_region(
    region: RegionScope,
    *,
    peildatum: datetime.date,
    with_projects: bool,
    directory: Path,
    on_document: Callable[[int, int], None] | None = None,
) -> Chapter:
    """Render a region's documents into `directory` (one file each) and return its chapter.

    The one function to change when a region gets a monitor of its own. `on_document(done,
    total)` is called after each document; it may raise `Cancelled`.
    """
    chapter = Chapter(region=region)
    parts = _parts(region, peildatum, with_projects=with_projects)
    if not parts:
        chapter.note = _("Geen programma met een rapportageperiode op deze peildatum.")
        return chapter
    folder = directory / region.code
    folder.mkdir(parents=True, exist_ok=True)
    for number, (kind, scope_pk, period_pk, programme_pk, title) in enumerate(parts, start=1):
        report = report_for_download(
            kind, scope_pk=scope_pk, period_pk=period_pk, programme_pk=programme_pk
        )
        path = folder / report.filename
        path.write_bytes(report.pdf)
        pages = len(PdfReader(path).pages)
        chapter.documents.append(
            Document(
                title=title,
                path=path,
                arcname=f"{short_slug(region.name)}/{report.filename}",
                pages=pages,
            )
        )
        del report
        if on_document:
            on_document(number, len(parts))
    return chapter


# --- One PDF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    title: str
    page: int
    level: int  # 0 chapter, 1 document


def _render(template: str, context: dict) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        html = render_to_string(
            template, {**context, "static_url": PDF_STATIC_URL, "author": AUTHOR}
        )
    return render_pdf(html).pdf


def _front_matter(context: dict, chapters: Sequence[Chapter], front_pages: int) -> tuple:
    """The cover and table of contents when the front matter has `front_pages` pages, and
    the page (1-based, through the whole bundle) where each chapter and document begins."""
    entries: list[TocEntry] = []
    starts: list[tuple[int, list[int]]] = []
    page = front_pages + 1
    for chapter in chapters:
        chapter_page = page
        entries.append(TocEntry(chapter.region.name, chapter_page, 0))
        page += 1  # the divider
        documents = []
        for document in chapter.documents:
            entries.append(TocEntry(document.title, page, 1))
            documents.append(page)
            page += document.pages
        starts.append((chapter_page, documents))
    pdf = _render("reports/jobs/bundle_front.html", {**context, "entries": entries})
    return pdf, starts, page - 1


def assemble_pdf(
    chapters: Sequence[Chapter], *, target: Path, title: str, peildatum: datetime.date, scope: str
) -> int:
    """Merge the chapters behind a cover, contents and dividers into `target`; number every
    page. Returns the number of pages."""
    context = {
        "title": title,
        "scope": scope,
        "peildatum": peildatum,
        "peildatum_label": calendar.format_peildatum(peildatum),
        "chapters": chapters,
        "made_on": timezone.localdate(),
    }
    front_pages = 2
    for _attempt in range(5):
        front, starts, total = _front_matter(context, chapters, front_pages)
        actual = len(PdfReader(_as_stream(front)).pages)
        if actual == front_pages:
            break
        front_pages = actual
    else:  # pragma: no cover - the length converges after one or two renders
        raise RuntimeError("table of contents did not settle")
    dividers = _render("reports/jobs/bundle_dividers.html", {**context, "starts": starts})
    divider_pages = PdfReader(_as_stream(dividers)).pages
    if len(divider_pages) != len(chapters):
        raise RuntimeError("a chapter divider did not fit on one page")

    writer = PdfWriter()
    writer.append(PdfReader(_as_stream(front)), import_outline=False)
    writer.add_outline_item(title=_("Inhoud"), page_number=1 if front_pages > 1 else 0)
    for chapter, divider, (chapter_page, document_pages) in zip(
        chapters, divider_pages, starts, strict=True
    ):
        writer.add_page(divider)
        parent = writer.add_outline_item(title=chapter.region.name, page_number=chapter_page - 1)
        for document, start in zip(chapter.documents, document_pages, strict=True):
            writer.append(str(document.path), import_outline=False)
            writer.add_outline_item(title=document.title, page_number=start - 1, parent=parent)
    if len(writer.pages) != total:
        raise RuntimeError("page count differs from the table of contents")
    label = _("blz. %(page)s van %(pages)s")
    for number, page in enumerate(writer.pages, start=1):
        page.merge_page(_number_stamp(page, label % {"page": number, "pages": total}))
    writer.add_metadata({"/Title": f"{title} – {context['peildatum_label']}", "/Author": AUTHOR})
    writer.page_mode = "/UseOutlines"
    with target.open("wb") as out:
        writer.write(out)
    return total


def _as_stream(pdf: bytes):
    import io

    return io.BytesIO(pdf)


def _number_stamp(page: PageObject, text: str) -> PageObject:
    """A transparent page of the same size with `text` centred near the bottom edge."""
    box = page.mediabox
    width, height = float(box.width), float(box.height)
    stamp = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    stamp[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FBlz"): font})}
    )
    # Helvetica's digits and most letters are about half an em wide: close enough to centre.
    x = float(box.left) + width / 2 - len(text) * STAMP_FONT_SIZE * 0.25
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = DecodedStreamObject()
    content.set_data(
        f"q 0.29 0.29 0.29 rg BT /FBlz {STAMP_FONT_SIZE} Tf "
        f"{x:.2f} {float(box.bottom) + STAMP_BOTTOM:.2f} Td ({escaped}) Tj ET Q".encode("cp1252")
    )
    stamp[NameObject("/Contents")] = content
    return stamp


# --- ZIP -----------------------------------------------------------------------------------


def assemble_zip(chapters: Sequence[Chapter], *, target: Path) -> int:
    """The separate, tagged PDFs in a ZIP with a folder per region. Returns the number of
    files. Written file by file; PDFs are compressed already, so they are stored."""
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for chapter in chapters:
            for document in chapter.documents:
                archive.write(document.path, arcname=document.arcname)
                count += 1
    return count
