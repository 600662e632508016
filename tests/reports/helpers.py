"""Reading the PDFs back: text per page and metadata, with pypdf."""

import io

from pypdf import PdfReader

# WeasyPrint hyphenates long words in narrow columns with U+2010 (typed hyphens are
# U+002D); "Mobili‐ teitsteam" in the extracted text is one word again without it.
LAYOUT_HYPHEN = "\u2010 "


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of every page, whitespace collapsed so that figures read as printed and
    hyphenated words joined again."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        " ".join(page.extract_text().split()).replace(LAYOUT_HYPHEN, "") for page in reader.pages
    ]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))
