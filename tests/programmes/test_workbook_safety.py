"""An upload costs at most the limits, whatever the file says about itself; no macros get in.

The scan in `programmes.imports.safety` runs before openpyxl: these tests check that it
stops as soon as a limit is passed (by what it counted and read, not by a stopwatch), that it
finds cells wherever the zip hides them, and that normal workbooks still import.
"""

import io
import struct
import zipfile

import openpyxl
import pytest
from openpyxl.comments import Comment

from programmes import imports
from programmes.imports import safety
from programmes.management.commands.benchmark_import import cell_bomb

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def template_bytes() -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Indicatoren"
    ws.append(["Projectcode", "Indicator", "Realisatie", "Toelichting"])
    ws.append(["A1", "Uitstroom naar werk", "43", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_parts(content: bytes, parts: dict[str, bytes | str]) -> bytes:
    """The workbook `content` with `parts` added or replaced."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            if entry.filename not in parts:
                target.writestr(entry, source.read(entry))
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def refusal(content: bytes, filename: str = "ingevuld.xlsx") -> safety.UnsafeWorkbook:
    with pytest.raises(imports.ImportRefused) as refused:
        imports.read_workbook(content, filename=filename)
    assert len(refused.value.messages) == 1
    assert isinstance(refused.value.__cause__, safety.UnsafeWorkbook)
    return refused.value.__cause__


@pytest.fixture
def openpyxl_must_not_load(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the scan should have refused")

    monkeypatch.setattr(imports.reading, "load_workbook", fail)


def test_the_cell_bomb_of_issue_10_is_refused_long_before_its_end(openpyxl_must_not_load):
    """170 KB, 39 MB and 2,6 million cells unpacked: it took openpyxl 29 s and 1 GB.
    The scan stops at the first cell over the limit (`benchmark_import --bomb` measures
    0,3 s of CPU and under 1 MB of Python memory for it, see docs/excel.md)."""
    bomb = cell_bomb()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    assert len(bomb) < 200 * 1024
    assert safety.MAX_UNPACKED_BYTES > unpacked > 38 * 1024 * 1024

    error = refusal(bomb)

    assert str(error) == (
        "Het bestand heeft meer dan 250.000 cellen; dat is te veel om veilig te lezen. Verdeel "
        "de rijen over meer bestanden en upload ze een voor een."
    )
    assert error.scan.cells == safety.MAX_CELLS + 1
    assert error.scan.bytes_read < unpacked / 8


def test_rows_without_cells_are_counted_too(openpyxl_must_not_load):
    error = refusal(cell_bomb(rows=safety.MAX_ROW_ELEMENTS + 100, columns=0))

    assert str(error).startswith("Het bestand heeft meer dan 50.000 rijen;")
    assert error.scan.rows == safety.MAX_ROW_ELEMENTS + 1


def test_a_full_template_size_passes_the_scan():
    """20.000 rows of the template's 8 columns stay well within the limits."""
    scan = safety.check_upload(cell_bomb(rows=20_000, columns=8))

    assert (scan.rows, scan.cells) == (20_001, 160_003)


def test_cells_are_found_in_a_part_with_any_name(monkeypatch, openpyxl_must_not_load):
    """A relationship can point a sheet at any part name, so every part is scanned."""
    monkeypatch.setattr(safety, "MAX_CELLS", 100)
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>' + "<row><c><v>1</v></c></row>" * 101
    content = with_parts(
        template_bytes(), {"xl/media/image1.png": sheet + "</sheetData></worksheet>"}
    )

    assert refusal(content).scan.cells == 101


def test_elements_of_every_kind_are_bounded(monkeypatch, openpyxl_must_not_load):
    monkeypatch.setattr(safety, "MAX_XML_ELEMENTS", 20)

    assert str(refusal(template_bytes())).startswith(
        "Het bestand is te ingewikkeld om veilig te lezen (meer dan 20 onderdelen"
    )


def test_a_tag_that_keeps_growing_is_refused(openpyxl_must_not_load):
    """Expat has to hold a start tag whole; one of 3 MB is refused before it is."""
    sheet = f'<worksheet xmlns="{MAIN}" x="' + "x" * (3 * 1024 * 1024) + '"/>'
    content = with_parts(template_bytes(), {"xl/worksheets/sheet1.xml": sheet})

    error = refusal(content)

    assert str(error).startswith("Het bestand bevat een element van meer dan 2 MB;")
    assert error.scan.bytes_read < 3 * 1024 * 1024


@pytest.mark.parametrize("declaration", ["doctype", "entity"])
def test_entity_declarations_are_refused(declaration, openpyxl_must_not_load):
    """The "billion laughs": refused at the declaration, nothing is expanded."""
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        if declaration == "entity"
        else "<!DOCTYPE worksheet>"
    )
    sheet = f'<?xml version="1.0"?>{laughs}<worksheet xmlns="{MAIN}"><sheetData/></worksheet>'
    content = with_parts(template_bytes(), {"xl/worksheets/sheet1.xml": sheet})

    assert str(refusal(content)).startswith("Het bestand bevat een DOCTYPE- of ENTITY-declaratie.")


@pytest.mark.parametrize(
    "start",
    [
        b'<?xml version="1.0" encoding="shift_jis"?><worksheet/>',
        "<worksheet/>".encode("utf-32"),
        "<worksheet/>".encode("utf-32-be"),
    ],
    ids=["multi-byte-encoding", "utf-32", "utf-32-without-bom"],
)
def test_a_part_in_an_encoding_expat_cannot_read_is_refused(start, openpyxl_must_not_load):
    content = with_parts(template_bytes(), {"xl/worksheets/sheet1.xml": start})

    assert "gebruikt een tekenset die niet veilig te lezen is" in str(refusal(content))


def test_declared_sizes_that_lie_do_not_get_more_read(openpyxl_must_not_load):
    """A zip whose directory says a part is small while it unpacks to much more."""
    content = bytearray(cell_bomb(rows=2000, columns=20))
    # Make every central-directory entry claim 100 bytes unpacked.
    position = content.find(b"PK\x01\x02")
    while position != -1:
        content[position + 24 : position + 28] = struct.pack("<I", 100)
        position = content.find(b"PK\x01\x02", position + 4)

    error = refusal(bytes(content))

    assert str(error) == "Het bestand is beschadigd: het kan niet uitgepakt worden."


def test_too_many_parts_are_refused(openpyxl_must_not_load):
    parts = {f"xl/media/p{n}.bin": b"" for n in range(safety.MAX_PARTS)}

    assert str(refusal(with_parts(template_bytes(), parts))).startswith(
        "Het bestand bestaat uit te veel onderdelen"
    )


def test_a_workbook_with_comments_and_their_drawings_still_imports():
    """Comments bring VML drawing parts (which Excel writes as loose, not well-formed XML)."""
    book = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    book.active["C2"].comment = Comment("Gecontroleerd", "Jan")
    buffer = io.BytesIO()
    book.save(buffer)
    loose_vml = b"<xml><v:shape><br></v:shape></xml>"
    content = with_parts(buffer.getvalue(), {"xl/drawings/extra.vml": loose_vml})

    parsed = imports.read_workbook(content, filename="met-opmerking.xlsx")

    assert [(row.row, row.value) for row in parsed.indicators] == [(2, 43)]


# --- Macros ----------------------------------------------------------------------------------

MACRO_MESSAGE = (
    "Dit bestand bevat macro's (VBA, Excel 4.0-macrobladen of ActiveX-elementen). Die nemen we "
    "om veiligheidsredenen niet aan. Kies in Excel Bestand > Opslaan als, bestandstype "
    "'Excel-werkmap (*.xlsx)', en upload dat bestand."
)


def macro_content_types(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    macro = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    plain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    assert plain in types
    return with_parts(content, {"[Content_Types].xml": types.replace(plain, macro)})


@pytest.mark.parametrize(
    "make, filename",
    [
        (lambda c: with_parts(c, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "a.xlsx"),
        (lambda c: with_parts(c, {"xl/vbaProjectSignature.bin": b"x"}), "a.xlsx"),
        (lambda c: with_parts(c, {"xl/activeX/activeX1.xml": "<ax/>"}), "a.xlsx"),
        (lambda c: with_parts(c, {"xl/macrosheets/sheet1.xml": "<xm/>"}), "a.xlsx"),
        (macro_content_types, "a.xlsx"),
        (
            lambda c: with_parts(
                c,
                {
                    "xl/_rels/extra.xml.rels": '<Relationships><Relationship Id="r9" Type='
                    '"http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                    'Target="code.dat"/></Relationships>'
                },
            ),
            "a.xlsx",
        ),
        (lambda c: c, "ingevuld.xlsm"),
        (lambda c: c, "SJABLOON.XLTM"),
        (lambda c: c, "invoegtoepassing.xlam"),
    ],
    ids=[
        "vba-project",
        "vba-signature",
        "activex",
        "excel4-macro-sheet",
        "macro-enabled-content-type",
        "vba-relationship",
        "xlsm",
        "xltm",
        "xlam",
    ],
)
def test_macro_enabled_content_is_refused(make, filename, openpyxl_must_not_load):
    assert str(refusal(make(template_bytes()), filename=filename)) == MACRO_MESSAGE
