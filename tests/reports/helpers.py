"""Reading the PDFs back: text per page and metadata, with pypdf."""

import io

from pypdf import PdfReader


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of every page, whitespace collapsed so that figures read as printed."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def pdf_text(pdf: bytes) -> str:
    return " ".join(pdf_pages(pdf))


def pdf_reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))
