"""Turn our own report HTML into a PDF with WeasyPrint, loading nothing but our own files.

WeasyPrint resolves every URL in the HTML and CSS (stylesheets, fonts, images) through a
URL fetcher. `StaticFilesOnlyFetcher` allows exactly two kinds: `data:` URIs, decoded in
memory, and our static files under `PDF_STATIC_URL`, read from disk through Django's
staticfiles finders. Everything else (http, https, ftp, file, a relative path that escapes
the static directories) is refused and recorded, so a narrative that smuggled in
`<img src="http://...">` or `file:///etc/passwd` causes no network request and no file
read. Narratives are plain text, escaped before they reach a template (reports.narrative);
the fetcher is the second line of defence.

This module must never open a socket, read a file outside the static directories, touch the
database or depend on the request: it is a pure function from HTML to PDF bytes.
"""

from __future__ import annotations

import functools
import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

import weasyprint
from django.contrib.staticfiles import finders
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A host that can never resolve (RFC 6761): relative URLs in our templates resolve against
# it, and the fetcher maps it to the static directories without any network access.
PDF_BASE_URL = "https://arbeidsmarktmonitor.invalid/"
PDF_STATIC_URL = PDF_BASE_URL + "static/"

# PDF/UA-1 makes WeasyPrint write a tagged PDF (structure tree, reading order, language)
# with the PDF/UA identification in its metadata.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class URLRefused(ValueError):
    """A resource outside data: URIs and our static files; WeasyPrint skips it."""


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only data: URIs and our own static files.

    WeasyPrint 70 takes a fetcher instance (a subclass of `weasyprint.urls.URLFetcher`);
    its `fetch(url, headers)` returns a `URLFetcherResponse` or raises. Every URL asked for
    is recorded in `requested`, every refusal in `refused`, so that tests can show that
    nothing else was loaded.
    """

    def __init__(self) -> None:
        # The parent sets up urllib handlers that this class never uses, and the options
        # WeasyPrint reads (`_fail_on_errors`): refused resources are skipped, not fatal.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.requested: list[str] = []
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        self.requested.append(url)
        if url.startswith("data:"):
            # urllib's data: handler decodes in memory; no other handler is involved.
            response = DataHandler().data_open(Request(url))
            self.served.append("data:")
            return URLFetcherResponse(
                "data:", response.read(), {"Content-Type": response.headers.get_content_type()}
            )
        path = static_file_for(url)
        if path is None:
            self.refused.append(url)
            raise URLRefused(f"Refused to load {url!r}: only our static files and data: URIs.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.served.append(url)
        return URLFetcherResponse(url, _read(path), {"Content-Type": content_type})

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)


@functools.lru_cache(maxsize=64)
def _read(path: Path) -> bytes:
    """Static files do not change while the process runs (a deploy restarts it); the four
    fonts and the stylesheet are read from disk once, not for every PDF."""
    return path.read_bytes()


@functools.lru_cache(maxsize=256)
def static_file_for(url: str) -> Path | None:
    """The file behind one of our static URLs, or None for anything else.

    Only `PDF_STATIC_URL...` qualifies, with no query string and no `..` segments; the file
    is looked up with the staticfiles finders, the way `runserver` serves static files.
    """
    if not url.startswith(PDF_STATIC_URL):
        return None
    parts = urlsplit(url)
    if parts.query:
        return None
    relative = unquote(parts.path.removeprefix(urlsplit(PDF_STATIC_URL).path))
    normalised = posixpath.normpath(relative)
    if not relative or normalised != relative or normalised.startswith(("/", "..")):
        return None
    found = finders.find(normalised)
    if not found:
        return None
    path = Path(found)
    return path if path.is_file() else None


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    refused: tuple[str, ...]
    served: tuple[str, ...]


def render_pdf(html: str, *, fetcher: StaticFilesOnlyFetcher | None = None) -> RenderedPdf:
    """Render HTML (one of our report templates) to PDF bytes.

    Title, author and language come from the HTML (`<title>`, `<meta name="author">`,
    `<html lang>`); WeasyPrint writes them into the PDF's metadata.
    """
    fetcher = fetcher if fetcher is not None else StaticFilesOnlyFetcher()
    document = weasyprint.HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=FontConfiguration(), **PDF_OPTIONS)
    return RenderedPdf(pdf=pdf, refused=tuple(fetcher.refused), served=tuple(fetcher.served))
