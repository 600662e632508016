"""Checks on an uploaded .xlsx before any spreadsheet library opens it: bounded cost, no macros.

openpyxl builds a Python object for every cell, row and style of every sheet. A file of
200 KB can unpack to 40 MB and 2,6 million cells (a "cell bomb"); loading it took 29 s and
1 GB. `check_upload(data, filename=...)` refuses such files first, at a cost bounded by
the limits below rather than by the file:

- the kind of file: size, empty, OLE2 (password protected or old .xls), text, .ods, .xlsb,
  a zip that holds no workbook;
- macro-enabled content: a VBA project, Excel 4.0 macro sheets, ActiveX controls, a
  macro-enabled content type or relationship, or an .xlsm/.xltm/.xlam name;
- the sizes the zip declares, then every part streamed through expat in chunks, counting
  bytes, elements, rows and cells and stopping at the first limit passed. DOCTYPE and entity
  declarations are refused (no entity expansion), and so is a single tag that keeps growing.

Every part is scanned, not only the files under xl/worksheets/: a sheet can live under any
name its relationships point to. Where a part stops being well-formed XML (an image or a
printer-settings blob at once, Excel's loose VML drawings later) the scan of that part stops
too: openpyxl's parser, expat as well, cannot read a sheet past that point either.

This module must never load the workbook, hold a whole unpacked part in memory, or trust
what the file says about itself: the zip's declared sizes, a sheet's <dimension>, and the
`r` and `spans` attributes of rows and cells are all ignored. Messages are Dutch, for the
person who uploaded the file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from xml.parsers import expat

from django.utils.translation import gettext as _

from programmes.formatting import nl_number

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # 20.000 full template rows unpack to about 12 MB
# 20.000 data rows of the template's 8 columns are 160.000 cells; the margin is for rows
# that only carry formatting (a column coloured down to row 25.000) and the other sheets.
MAX_CELLS = 250_000
MAX_ROW_ELEMENTS = 50_000
MAX_XML_ELEMENTS = 1_500_000  # cells, their values, shared strings, styles: all parts
MAX_PARTS = 2_000
MAX_PENDING_BYTES = 2 * 1024 * 1024  # one tag (with its attributes) can be no longer
CHUNK_BYTES = 64 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Byte orders libxml2 would read but expat (and so openpyxl's parser) would not: refused
# rather than skipped, so that a different XML parser can never read more than we counted.
_UNREAD_XML_STARTS = (
    b"\x00\x00\x00<",
    b"<\x00\x00\x00",
    b"\x00\x00<\x00",
    b"\x00<\x00\x00",
    b"\x00\x00\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"Lo\xa7\x94",  # "<?xm" in EBCDIC
)
_SPREADSHEET_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_ROW = frozenset(f"{ns} row" for ns in _SPREADSHEET_NS)
_CELL = frozenset(f"{ns} c" for ns in _SPREADSHEET_NS)
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam")
_MACRO_PARTS = ("vbaproject", "vbadata.xml")  # vbaProject.bin, vbaProjectSignature.bin, ...
_MACRO_FOLDERS = ("xl/activex/", "xl/macrosheets/")
_MACRO_TYPES = ("macroenabled", "vbaproject", "activex", "macrosheet")
_ENCODING_ERRORS = frozenset(
    expat.errors.codes[message]
    for message in (
        expat.errors.XML_ERROR_UNKNOWN_ENCODING,
        expat.errors.XML_ERROR_INCORRECT_ENCODING,
    )
)


@dataclass
class XmlScan:
    """What the streaming scan saw before it finished or stopped."""

    parts: int = 0
    bytes_read: int = 0
    elements: int = 0
    rows: int = 0
    cells: int = 0


class UnsafeWorkbook(Exception):
    """The upload is refused before any spreadsheet library opened it; the message is Dutch.

    `scan` holds the counts reached when the scan stopped (None when it never started)."""

    def __init__(self, message: str, *, scan: XmlScan | None = None):
        super().__init__(message)
        self.scan = scan


def check_upload(data: bytes, *, filename: str = "") -> XmlScan:
    """Refuse what is no clean .xlsx or would cost too much to open; return the counts."""
    _check_kind(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            _check_workbook_kind(archive, names)
            _check_macros(names, filename)
            if len(entries) > MAX_PARTS:
                raise UnsafeWorkbook(
                    _("Het bestand bestaat uit te veel onderdelen (%(parts)s) om veilig te lezen.")
                    % {"parts": nl_number(len(entries))}
                )
            if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise UnsafeWorkbook(_unpacked_too_large())
            return _scan_parts(archive, entries)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        # A damaged archive, an unknown compression method or an encrypted entry.
        raise UnsafeWorkbook(
            _("Het bestand is beschadigd: het kan niet uitgepakt worden.")
        ) from error


def _unpacked_too_large() -> str:
    return _("Het bestand is uitgepakt te groot om veilig te lezen.")


def file_too_large(size: int | None) -> str:
    """The refusal of a file over MAX_FILE_BYTES; `size` None when reading stopped early."""
    limit = nl_number(MAX_FILE_BYTES // (1024 * 1024))
    if size is None:
        return _("Het bestand is groter dan %(max)s MB; dat is de grens.") % {"max": limit}
    return _("Het bestand is %(size)s MB groot; de grens is %(max)s MB.") % {
        "size": nl_number(Decimal(size) / 1024 / 1024, decimals=1),
        "max": limit,
    }


def _check_kind(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeWorkbook(file_too_large(len(data)))
    if not data:
        raise UnsafeWorkbook(_("Het bestand is leeg."))
    if data.startswith(OLE2_MAGIC):
        raise UnsafeWorkbook(
            _(
                "Dit bestand is met een wachtwoord beveiligd (versleuteld) of is een oud "
                "Excel-bestand (.xls). Sla het op als Excel-werkmap (.xlsx) zonder wachtwoord."
            )
        )
    if not data.startswith(ZIP_MAGIC):
        if _looks_like_text(data):
            raise UnsafeWorkbook(
                _(
                    "Dit is een tekstbestand (bijvoorbeeld CSV), geen Excel-werkmap (.xlsx). "
                    "Download het sjabloon, vul het in en sla het op als .xlsx."
                )
            )
        raise UnsafeWorkbook(
            _("Dit is geen Excel-werkmap (.xlsx). Gebruik het sjabloon en sla het op als .xlsx.")
        )


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    if b"\0" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        return error.start >= len(sample) - 3
    return True


def _check_workbook_kind(archive: zipfile.ZipFile, names: set[str]) -> None:
    """What people upload instead of the template, named so the message can say what to do."""
    # The "mimetype" entry of an OpenDocument file is stored, not compressed, and a few
    # dozen bytes long: reading it unpacks nothing of size.
    mimetype = (
        archive.read("mimetype")[:100]
        if "mimetype" in names and archive.getinfo("mimetype").file_size <= 100
        else b""
    )
    if mimetype.startswith(ODS_MIMETYPE):
        raise UnsafeWorkbook(
            _(
                "Dit is een OpenDocument-rekenblad (.ods), geen Excel-werkmap (.xlsx). Kies in "
                "LibreOffice Bestand > Opslaan als, bestandstype 'Excel 2007-365 (.xlsx)', en "
                "upload dat bestand."
            )
        )
    if "xl/workbook.bin" in names:
        raise UnsafeWorkbook(
            _(
                "Dit is een binaire Excel-werkmap (.xlsb). Sla het bestand op als "
                "Excel-werkmap (.xlsx) en upload dat."
            )
        )
    if "xl/workbook.xml" not in names:
        raise UnsafeWorkbook(
            _("Dit is geen Excel-werkmap (.xlsx), maar een ander soort bestand.")
            if "[Content_Types].xml" in names
            else _("Dit is geen Excel-werkmap (.xlsx). Gebruik het sjabloon.")
        )


def _macro_refusal() -> UnsafeWorkbook:
    return UnsafeWorkbook(
        _(
            "Dit bestand bevat macro's (VBA, Excel 4.0-macrobladen of ActiveX-elementen). "
            "Die nemen we om veiligheidsredenen niet aan. Kies in Excel Bestand > Opslaan als, "
            "bestandstype 'Excel-werkmap (*.xlsx)', en upload dat bestand."
        )
    )


def _check_macros(names: set[str], filename: str) -> None:
    if filename.casefold().endswith(MACRO_EXTENSIONS):
        raise _macro_refusal()
    for name in names:
        folded = name.casefold()
        if folded.rsplit("/", 1)[-1].startswith(_MACRO_PARTS) or folded.startswith(_MACRO_FOLDERS):
            raise _macro_refusal()


def _scan_parts(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> XmlScan:
    scan = XmlScan()
    # The content types first: a macro-enabled type is refused before anything else is read.
    for entry in sorted(entries, key=lambda entry: entry.filename != "[Content_Types].xml"):
        if not entry.is_dir():
            scan.parts += 1
            _scan_part(archive, entry, scan)
    return scan


def _scan_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, scan: XmlScan) -> None:
    """Stream one part through expat, counting into `scan`; raise at the first limit."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_declaration
    parser.EntityDeclHandler = _refuse_declaration
    # Relationships and content types name the kind of every part: look for macros there.
    inspect = entry.filename == "[Content_Types].xml" or entry.filename.endswith(".rels")

    # Plain local counters: this runs once per element, up to a million and a half times.
    elements, rows, cells = scan.elements, scan.rows, scan.cells

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal elements, rows, cells
        elements += 1
        if name in _CELL:
            cells += 1
            if cells > MAX_CELLS:
                raise _too_large("cells", counted())
        elif name in _ROW:
            rows += 1
            if rows > MAX_ROW_ELEMENTS:
                raise _too_large("rows", counted())
        if elements > MAX_XML_ELEMENTS:
            raise _too_large("elements", counted())
        if inspect:
            kind = (attributes.get("ContentType", "") + attributes.get("Type", "")).casefold()
            if any(word in kind for word in _MACRO_TYPES):
                raise _macro_refusal()

    def counted() -> XmlScan:
        scan.elements, scan.rows, scan.cells = elements, rows, cells
        return scan

    parser.StartElementHandler = start
    fed = 0
    with archive.open(entry) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if fed == 0 and chunk.startswith(_UNREAD_XML_STARTS):
                raise _unreadable_part(entry)
            fed += len(chunk)
            scan.bytes_read += len(chunk)
            if scan.bytes_read > MAX_UNPACKED_BYTES:  # the zip's sizes can lie
                raise UnsafeWorkbook(_unpacked_too_large(), scan=scan)
            if not _feed(parser, chunk, entry):
                counted()
                return  # not XML (an image, say): openpyxl cannot read it as a sheet either
            if fed - parser.CurrentByteIndex > MAX_PENDING_BYTES:
                raise _too_large("tag", counted())
    _feed(parser, b"", entry, final=True)
    counted()


def _feed(parser, chunk: bytes, entry: zipfile.ZipInfo, *, final: bool = False) -> bool:
    """Parse a chunk; False when the part turned out not to be (well-formed) XML."""
    try:
        parser.Parse(chunk, final)
    except expat.ExpatError as error:
        if error.code in _ENCODING_ERRORS:
            raise _unreadable_part(entry) from error
        return False
    except ValueError as error:  # pyexpat: "multi-byte encodings are not supported"
        raise _unreadable_part(entry) from error
    return True


def _refuse_declaration(*args) -> None:
    raise UnsafeWorkbook(
        _(
            "Het bestand bevat een DOCTYPE- of ENTITY-declaratie. Die hoort niet in een "
            "Excel-werkmap en wordt om veiligheidsredenen geweigerd. Sla het bestand opnieuw "
            "op als .xlsx."
        )
    )


def _unreadable_part(entry: zipfile.ZipInfo) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        _(
            "Het onderdeel %(part)s van het bestand gebruikt een tekenset die niet veilig te "
            "lezen is. Sla het bestand opnieuw op als .xlsx."
        )
        % {"part": entry.filename[:100]}
    )


def _too_large(limit: str, scan: XmlScan) -> UnsafeWorkbook:
    split = _("Verdeel de rijen over meer bestanden en upload ze een voor een.")
    messages = {
        "cells": _("Het bestand heeft meer dan %(max)s cellen; dat is te veel om veilig te lezen.")
        % {"max": nl_number(MAX_CELLS)},
        "rows": _("Het bestand heeft meer dan %(max)s rijen; dat is te veel om veilig te lezen.")
        % {"max": nl_number(MAX_ROW_ELEMENTS)},
        "elements": _(
            "Het bestand is te ingewikkeld om veilig te lezen (meer dan %(max)s onderdelen in "
            "de bladen, opmaak en teksten samen)."
        )
        % {"max": nl_number(MAX_XML_ELEMENTS)},
        "tag": _(
            "Het bestand bevat een element van meer dan %(max)s MB; dat is te groot om veilig "
            "te lezen."
        )
        % {"max": nl_number(MAX_PENDING_BYTES // (1024 * 1024))},
    }
    return UnsafeWorkbook(f"{messages[limit]} {split}", scan=scan)
