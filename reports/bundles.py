"""Report bundles: many report PDFs as one document with a table of contents, or as a ZIP.

A bundle has a chapter per region. `plan` decides what each region contributes and cuts
the bundle into parts, the unit one worker task renders: for the national bundle one part
per region (its region monitor: every programme the requester sees, in one document; a
region without a period at the peildatum is a part without a document, so that "regio 12
van 35" counts every region), for a region bundle one part per document (the region
monitor, then every project report), for a programme's bundle its programme monitor and
project reports. The plan is written to the job's folder as JSON, so that tasks in other
processes (or on other machines sharing REPORT_BUNDLE_ROOT) read the same list.

`render_part` renders one part through the report service, which caches PDFs by their
data: the region monitor in a bundle is the very document a reader downloads on its own.
`write_part` writes it to disk and `mark_part_done` a small marker file after it; the
markers say which parts are done (`finished_parts`) and `chapters` reads them back for the
merge. Memory holds one
document at a time, never one giant HTML.

`assemble_pdf` merges the files with pypdf behind a cover and a table of contents (rendered
by WeasyPrint from templates/reports/jobs/) and a one-page divider per chapter, adds
bookmarks, and stamps a running page number on every page in a second pass; the table of
contents is rendered again until its own length is stable, so its page numbers are right.
A merged PDF loses the structure tags of its parts: its cover says so and points to the
ZIP, which `assemble_zip` writes from the same files, each still a tagged PDF/UA document.

This module must never check permissions beyond the scope it is handed (reports.jobs does),
compute a light or figure (the report modules do) or touch a ReportJob row (reports.jobs
does).
"""

from __future__ import annotations

import datetime
import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from programmes import calendar
from programmes.models import ProgressReport, Region, ReportingPeriod
from reports.common import AUTHOR, ReportKind, short_slug
from reports.pdf import PDF_STATIC_URL, render_pdf
from reports.service import (
    REPORT_LANGUAGE,
    ReportFile,
    region_monitor_pdf,
    report_for_download,
)

STAMP_FONT_SIZE = 7.5
STAMP_BOTTOM = 20  # points above the bottom edge: under the reports' own footer line
PLAN_FILE = "plan.json"


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
class Part:
    """One unit of work: a document to render, or a region without one (kind empty)."""

    region: RegionScope
    kind: str = ""  # a ReportKind value; REGION is the region monitor
    scope_pk: int = 0  # the region, programme or project
    period_pk: int = 0  # 0 for the region monitor, which is made at the peildatum
    programme_pk: int = 0
    title: str = ""


@dataclass(frozen=True)
class Document:
    """One rendered report, on disk."""

    title: str
    path: Path
    arcname: str  # its name inside the ZIP: region folder / file name
    pages: int
    merge_path: Path | None = None  # the pages alone, untagged, for the one PDF


@dataclass
class Chapter:
    region: RegionScope
    documents: list[Document] = field(default_factory=list)
    note: str = ""  # why a region has no documents


# --- What a bundle holds -------------------------------------------------------------------


def plan(
    regions: Sequence[RegionScope],
    peildatum: datetime.date,
    *,
    with_projects: bool,
    region_monitor: bool = True,
) -> list[Part]:
    """The parts of a bundle, in order. Per region its region monitor (every programme of
    it in scope that has a period at the peildatum), or with `region_monitor=False` (the
    bundle of one programme) each programme's own monitor; with `with_projects` every
    project report after it. A region with nothing at the peildatum is one empty part.
    Two queries."""
    programme_pks = [pk for region in regions for pk in region.programme_pks]
    periods = list(
        ReportingPeriod.objects.filter(programme_id__in=programme_pks, peildatum=peildatum)
        .select_related("programme")
        .order_by("programme__start_date", "programme__name", "programme_id")
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
    parts: list[Part] = []
    for region in regions:
        own = [p for p in periods if p.programme_id in region.programme_pks]
        if not own:
            parts.append(Part(region=region))
            continue
        if region_monitor:
            title = _("Regiomonitor %(region)s") % {"region": region.name}
            parts.append(Part(region, ReportKind.REGION.value, region.pk, 0, 0, title))
        for period in own:
            programme = period.programme
            if not region_monitor:
                title = _("Programmamonitor %(programme)s") % {"programme": programme.name}
                parts.append(
                    Part(
                        region,
                        ReportKind.MONITOR.value,
                        programme.pk,
                        period.pk,
                        programme.pk,
                        title,
                    )
                )
            for project_pk, label in projects.get(programme.pk, []):
                parts.append(
                    Part(
                        region, ReportKind.PROJECT.value, project_pk, period.pk, programme.pk, label
                    )
                )
    return parts


def write_plan(directory: Path, parts: Sequence[Part]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomically(directory / PLAN_FILE, json.dumps([asdict(part) for part in parts]).encode())


def read_plan(directory: Path) -> list[Part]:
    """The parts written by `write_plan`; FileNotFoundError when there is none."""
    rows = json.loads((directory / PLAN_FILE).read_text())
    return [
        Part(
            **{
                **row,
                "region": RegionScope(
                    **{**row["region"], "programme_pks": tuple(row["region"]["programme_pks"])}
                ),
            }
        )
        for row in rows
    ]


# --- One part --------------------------------------------------------------------------


def render_part(part: Part, *, peildatum: datetime.date, user) -> ReportFile | None:
    """The PDF of a part (None for a region without a document), from the report cache or
    rendered: the same document the reader downloads on its own. The region monitor holds
    the programmes of the region that `user` sees."""
    if not part.kind:
        return None
    if part.kind == ReportKind.REGION:
        region = Region.objects.get(pk=part.scope_pk)
        # A bundle is a document to pass on: submitted and approved reports only, like the
        # project reports beside it (report_for_download's default).
        return region_monitor_pdf(region=region, peildatum=peildatum, user=user, drafts=False)
    return report_for_download(
        ReportKind(part.kind),
        scope_pk=part.scope_pk,
        period_pk=part.period_pk,
        programme_pk=part.programme_pk,
    )


def _part_paths(directory: Path, index: int) -> tuple[Path, Path]:
    return directory / f"{index:04d}.pdf", directory / f"{index:04d}.json"


def _merge_copy_path(directory: Path, index: int) -> Path:
    return directory / f"{index:04d}-paginas.pdf"


def _write_pages_alone(source: Path, target: Path) -> int:
    """Copy the pages of a tagged PDF without its structure tree, which a merged document
    loses anyway. Done per part, in parallel: a tagged report keeps thousands of structure
    objects in compressed object streams, and pypdf parses a whole stream to reach the
    page tree. Merging 35 tagged region monitors took about ten times as long and three
    times the memory (650 MB) as merging these copies, which pypdf reads lazily.
    Returns the number of pages."""
    writer = PdfWriter()
    for page in PdfReader(source).pages:
        writer.add_page(page)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    with temporary.open("wb") as out:
        writer.write(out)
    os.replace(temporary, target)
    return len(writer.pages)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def write_part(
    directory: Path, index: int, part: Part, report: ReportFile | None, *, for_merge: bool
) -> dict:
    """Write a rendered part (and with `for_merge` a copy of its pages for the one PDF),
    each file in one rename; returns what `mark_part_done` records."""
    directory.mkdir(parents=True, exist_ok=True)
    pdf_path, _marker = _part_paths(directory, index)
    entry: dict = {"index": index}
    if report is not None:
        _write_atomically(pdf_path, report.pdf)
        if for_merge:
            pages = _write_pages_alone(pdf_path, _merge_copy_path(directory, index))
        else:
            pages = len(PdfReader(pdf_path).pages)
        entry.update(
            pages=pages,
            arcname=f"{short_slug(part.region.name)}/{report.filename}",
            for_merge=for_merge,
        )
    return entry


def mark_part_done(directory: Path, index: int, entry: dict) -> None:
    """The marker of a part whose files are whole on disk: from now on it counts as done."""
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomically(_part_paths(directory, index)[1], json.dumps(entry).encode())


def part_is_saved(directory: Path, index: int) -> bool:
    return _part_paths(directory, index)[1].is_file()


def finished_parts(directory: Path) -> int:
    """How many parts have their marker (are done)."""
    if not directory.is_dir():
        return 0
    return sum(1 for path in directory.glob("[0-9]*.json"))


def chapters(parts: Sequence[Part], directory: Path) -> list[Chapter]:
    """The chapters of a finished bundle, a region each, from the plan and the markers."""
    result: list[Chapter] = []
    for index, part in enumerate(parts):
        if not result or result[-1].region.pk != part.region.pk:
            result.append(Chapter(region=part.region))
        chapter = result[-1]
        if not part.kind:
            chapter.note = _("Geen programma met een rapportageperiode op deze peildatum.")
            continue
        pdf_path, marker = _part_paths(directory, index)
        entry = json.loads(marker.read_text())
        chapter.documents.append(
            Document(
                title=part.title,
                path=pdf_path,
                arcname=entry["arcname"],
                pages=entry["pages"],
                merge_path=_merge_copy_path(directory, index) if entry["for_merge"] else None,
            )
        )
    return result


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
            for page in PdfReader(document.merge_path or document.path).pages:
                writer.add_page(page)
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
