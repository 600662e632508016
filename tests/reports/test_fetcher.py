"""WeasyPrint loads nothing but our own static files and data: URIs."""

import base64
import builtins
import io
import socket

import pytest

from reports import pdf as pdf_module
from reports.narrative import narrative_html
from reports.pdf import PDF_STATIC_URL, StaticFilesOnlyFetcher, render_pdf, static_file_for
from tests.reports.helpers import pdf_text

PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944"
        "4154789c6360000002000001e221bc330000000049454e44ae426082"
    )
).decode()


@pytest.fixture
def guarded(monkeypatch):
    """Fail on any socket connection; record every file opened from Python."""
    opened: list[str] = []

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    return opened


def _html(body: str) -> str:
    return (
        '<!doctype html><html lang="nl"><head><title>Test</title>'
        f'<link rel="stylesheet" href="{PDF_STATIC_URL}css/print.css"></head>'
        f"<body>{body}</body></html>"
    )


def test_remote_and_local_files_are_refused_without_any_fetch(guarded):
    fetcher = StaticFilesOnlyFetcher()
    body = (
        "<p>Voortgang</p>"
        '<img src="http://example.org/tracker.png" alt="">'
        '<img src="https://example.org/x.png" alt="">'
        '<img src="file:///etc/passwd" alt="">'
        '<img src="/etc/passwd" alt="">'
        '<img src="static/../../../../etc/passwd" alt="">'
        '<div style="background: url(ftp://example.org/a.png)">x</div>'
    )

    result = render_pdf(_html(body), fetcher=fetcher)

    assert "Voortgang" in pdf_text(result.pdf)
    assert set(result.refused) >= {
        "http://example.org/tracker.png",
        "https://example.org/x.png",
        "file:///etc/passwd",
        "ftp://example.org/a.png",
    }
    assert "https://arbeidsmarktmonitor.invalid/etc/passwd" in result.refused
    assert not any("passwd" in path for path in guarded)
    assert not any(url.startswith(("http://", "file:")) for url in result.served)


def test_our_static_files_and_data_uris_are_served_from_disk(guarded):
    pdf_module._read.cache_clear()  # read once per process: clear to see the read
    fetcher = StaticFilesOnlyFetcher()
    body = f'<p>Tekst</p><img src="data:image/png;base64,{PIXEL}" alt="punt">'

    result = render_pdf(_html(body), fetcher=fetcher)

    assert f"{PDF_STATIC_URL}css/print.css" in result.served
    assert f"{PDF_STATIC_URL}fonts/DejaVuSans.ttf" in result.served
    assert "data:" in result.served
    assert result.refused == ()
    assert any(path.endswith("static/fonts/DejaVuSans.ttf") for path in guarded)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/static/css/print.css",
        f"{PDF_STATIC_URL}../monitor/settings.py",
        f"{PDF_STATIC_URL}%2e%2e/monitor/settings.py",
        f"{PDF_STATIC_URL}css/print.css?x=1",
        f"{PDF_STATIC_URL}css/",
        f"{PDF_STATIC_URL}css/niet-bestaand.css",
        "file:///work/static/css/print.css",
    ],
)
def test_only_existing_static_files_resolve(url):
    assert static_file_for(url) is None


def test_fetcher_refuses_directly_and_records_it():
    fetcher = StaticFilesOnlyFetcher()

    with pytest.raises(ValueError):
        fetcher.fetch("http://127.0.0.1:1/")

    assert fetcher.refused == ["http://127.0.0.1:1/"]


def test_narrative_keeps_text_and_loads_nothing():
    dirty = (
        '<p onclick="x()">Voortgang <img src="http://example.org/a.png"> '
        '<a href="file:///etc/passwd">link</a><script>alert(1)</script>'
        '<iframe src="http://example.org"></iframe><strong style="color:red">vet</strong></p>'
        "<style>p { background: url(http://example.org/b.png) }</style>"
    )

    clean = narrative_html(dirty)

    assert "Voortgang" in clean and "vet" in clean and "link" in clean
    for loader in ["<img", "<script", "<iframe", "<style", "<strong", 'href="file', 'src="']:
        assert loader not in clean
    # An address in the text is a link, an annotation WeasyPrint never fetches.
    assert '<a href="http://example.org" rel="noopener">' in clean


def test_plain_narrative_becomes_paragraphs_and_is_escaped():
    assert narrative_html("regel 1\nregel 2\n\njonger dan <3 jaar & ouder") == (
        "<p>regel 1<br>regel 2</p><p>jonger dan &lt;3 jaar &amp; ouder</p>"
    )


@pytest.mark.django_db
def test_narrative_with_a_remote_image_causes_no_fetch_in_the_report(zeeland, guarded):
    from reports.common import ReportKind
    from reports.service import report_html

    report = zeeland.reports.get()
    report.summary = (
        '<p>Samenvatting <img src="http://example.org/spy.png"> <img src="file:///etc/passwd"></p>'
    )
    report.save()
    html, _ = report_html(ReportKind.PROJECT, scope_pk=zeeland.pk, period_pk=report.period_id)
    fetcher = StaticFilesOnlyFetcher()

    render_pdf(html, fetcher=fetcher)

    assert "<img src=" not in html and "Samenvatting &lt;img" in html
    assert not any("example.org" in url or "passwd" in url for url in fetcher.requested)
    assert not any("passwd" in path for path in guarded)


@pytest.mark.django_db
def test_a_real_report_loads_every_asset_it_asks_for(zeeland):
    from reports.common import ReportKind
    from reports.service import report_html

    report = zeeland.reports.get()
    html, _ = report_html(ReportKind.PROJECT, scope_pk=zeeland.pk, period_pk=report.period_id)

    result = render_pdf(html)

    assert result.refused == ()
    assert f"{PDF_STATIC_URL}fonts/DejaVuSans-Bold.ttf" in result.served
