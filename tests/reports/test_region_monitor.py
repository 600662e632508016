"""The region monitor and the demo PDFs as a ministry official reads them: the Gooi en
Vechtstreek monitor holds both programmes like seed 001, no document speaks of "demo"
outside its one notice on the first page, and every figure in the structure tree has an
alternative text."""

import datetime
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from programmes import models as m
from programmes.demo import load_demo
from reports.common import ReportKind
from reports.service import region_monitor_pdf, render_region_monitor, render_report
from tests.reports.helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db

GOOI_PEILDATUM = datetime.date(2021, 7, 1)
# The notice a document with generated figures carries once (templates/reports/
# _generated_notice.html, project_report.html): the only place "demo" may appear.
NOTICE = re.compile(r"Let op: dit document bevat gegenereerde cijfers\..*?uit een bronrapport\.")
OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "img" / "reports"


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    load_demo(with_users=False)


def _gooi(peildatum=GOOI_PEILDATUM):
    region = m.Region.objects.get(code="gooi-en-vechtstreek")
    pks = list(region.programmes.values_list("pk", flat=True))
    return render_region_monitor(region_pk=region.pk, peildatum=peildatum, programme_pks=pks)


def _body_lines(page):
    """Lines of body text on a page: without the running header and the footer."""
    lines = [line for line in page.extract_text().splitlines() if line.strip()]
    return [
        line
        for line in lines
        if not re.search(r"Peildatum \d|pagina \d+ van \d+|^Arbeidsmarktmonitor$", line)
    ]


def test_gooi_region_monitor_is_the_seed_monitor(demo):
    report = _gooi()
    text = pdf_text(report.pdf)

    assert report.filename == "regiomonitor-gooi-en-vechtstreek-2021-07-01.pdf"
    # Both programmes, one document.
    assert "Programma Werken aan Werk" in text and "Programma Perspectief op Werk" in text
    # The joint targets once, never "no targets".
    for figure in ["1.180", "860", "520"]:
        assert (
            len(
                re.findall(
                    rf"(?<![\d.]){re.escape(figure)}(?![\d.])",
                    text.split("Doelstellingen", 1)[1].split("Programma ", 1)[0],
                )
            )
            == 1
        ), figure
    assert "Geen programmadoelen" not in text and "geen programmadoelen" not in text
    # The seed's highlights in the seed's order, verbatim.
    seed_order = [
        "Het grootste project, ZorgStart, loopt na een vliegende start",
        "De eerste 15 deelnemers van het Wijkleerbedrijf",
        "Het project Artificial Intelligence heeft het eerste half jaar",
        "Het project Jongeren heeft na drie maanden",
        "ZorgStart heeft met de publiek-private samenwerking geïnspireerd",
        "De veranderde krappe arbeidsmarkt heeft direct gevolg gehad",
        "De projecten Hout en Waardetas kenden een latere start",
    ]
    positions = [text.index(sentence) for sentence in seed_order]
    assert positions == sorted(positions)
    # Two reports give the same highlight: it prints once among the highlights (and again
    # only beside Hout's and Waardetas's lights, as the source sentence of their light).
    highlights = text.split("Highlights", 1)[1].split("Bijstelling programma's Nr.", 1)[0]
    assert highlights.count("De projecten Hout en Waardetas kenden") == 1
    # Projects in the seed's numbering within each section.
    bijstelling = text.split("Bijstelling programma's Nr.", 1)[1]
    titles = [
        "Gooi en Vechtstreek werkt door",
        "Hout",
        "Waardetas",
        "Artificial Intelligence",
        "ZorgStart",
        "Accountmanager Jongeren",
        "Energietransitie",
    ]
    assert [bijstelling.index(f"{n} {t}") for n, t in enumerate(titles, start=1)] == sorted(
        bijstelling.index(f"{n} {t}") for n, t in enumerate(titles, start=1)
    )
    # Every grey light in the project tables says why.
    tables = text.split("Doelstellingen", 1)[1]
    assert "grijs" in tables
    assert not re.search(r"grijs(?! (geen waarde|nog geen verwachting))", tables)
    # "on hold" is "gepauzeerd".
    assert "Innovatiefonds initiatieven uit de samenleving gepauzeerd" in text
    # No page with only a few lines.
    for number, page in enumerate(PdfReader(io.BytesIO(report.pdf)).pages, start=1):
        assert len(_body_lines(page)) >= 8, (number, _body_lines(page))


def test_region_monitor_with_generated_figures_says_so_once_and_names_its_sources(demo):
    text = pdf_text(_gooi(datetime.date(2022, 1, 1)).pdf)
    pages = pdf_pages(_gooi(datetime.date(2022, 1, 1)).pdf)

    assert len(NOTICE.findall(pages[0])) == 1
    assert not any(NOTICE.search(page) for page in pages[1:])
    # The Sept 2021 monitor is cited only for the project and programme data.
    assert "Bron programma- en projectgegevens" in text or "Bron:" in text
    assert "gegenereerd en komen niet uit een bronrapport" in text
    # No load date: loaded reports carry no approval date.
    assert "Laatst gewijzigd" not in text


def test_region_monitor_download_is_scoped_to_the_readers_programmes(demo, client):
    from tests import worlds

    people = worlds.roles()
    region = m.Region.objects.get(code="gooi-en-vechtstreek")
    outsider_region = m.Region.objects.get(code="zeeland")
    m.Region.objects.get(code="zeeland").viewers.add(people.wethouder)
    client.force_login(people.wethouder)
    url = f"/rapporten/regiomonitor/{region.code}/2021-07-01/"
    own = f"/rapporten/regiomonitor/{outsider_region.code}/2020-01-01/"

    assert client.get(url).status_code == 404  # the wethouder sees Zeeland only here
    response = client.get(own)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    with pytest.raises(m.Programme.DoesNotExist):
        region_monitor_pdf(region=region, peildatum=GOOI_PEILDATUM, user=people.wethouder)


def _demo_documents():
    for programme in m.Programme.objects.select_related("region"):
        for period in programme.periods.all():
            yield render_report(ReportKind.MONITOR, scope_pk=programme.pk, period_pk=period.pk)
            yield render_report(ReportKind.AGENDA, scope_pk=programme.pk, period_pk=period.pk)
    for report in m.ProgressReport.objects.select_related("project"):
        yield render_report(
            ReportKind.PROJECT, scope_pk=report.project_id, period_pk=report.period_id
        )
    region = m.Region.objects.get(code="gooi-en-vechtstreek")
    pks = list(region.programmes.values_list("pk", flat=True))
    for peildatum in [GOOI_PEILDATUM, datetime.date(2022, 1, 1)]:
        yield render_region_monitor(region_pk=region.pk, peildatum=peildatum, programme_pks=pks)


def _figures(node, found):
    node = node.get_object()
    if isinstance(node, dict):
        if node.get("/S") == "/Figure":
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                _figures(kid, found)
    return found


def test_no_demo_words_and_every_figure_has_alt_text(demo):
    for document in _demo_documents():
        pages = pdf_pages(document.pdf)
        text = NOTICE.sub("", " ".join(pages))
        assert not re.search(r"demo", text, re.IGNORECASE), (
            document.filename,
            re.search(r".{60}demo.{60}", text, re.IGNORECASE),
        )
        root = PdfReader(io.BytesIO(document.pdf)).trailer["/Root"]
        for figure in _figures(root["/StructTreeRoot"], []):
            assert str(figure.get("/Alt", "")).strip(), document.filename


@pytest.mark.skipif(
    not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is not installed"
)
def test_png_renders_for_the_docs(demo):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    zeeland = m.Project.objects.get(code="AANVALSPLAN-II")
    kennemerland = m.Programme.objects.get(region__code="zuid-kennemerland-en-ijmond")
    documents = {
        "zeeland": render_report(
            ReportKind.PROJECT,
            scope_pk=zeeland.pk,
            period_pk=zeeland.programme.periods.get(peildatum="2020-01-01").pk,
        ),
        "gooi-regio": _gooi(),
        "zuid-kennemerland": render_report(
            ReportKind.AGENDA,
            scope_pk=kennemerland.pk,
            period_pk=kennemerland.periods.order_by("peildatum").last().pk,
        ),
    }
    for name, document in documents.items():
        pdf = OUTPUT / f"{name}.pdf"
        pdf.write_bytes(document.pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(OUTPUT / name)],
            check=True,
        )
        pdf.unlink()
        # pdftoppm pads the page number to the width of the page count ("-01" from 10 pages).
        assert sorted(OUTPUT.glob(f"{name}-*1.png")), name


def test_zeeland_project_report_reads_like_the_seed(demo):
    project = m.Project.objects.get(code="AANVALSPLAN-II")
    period = project.programme.periods.get(peildatum="2020-01-01")

    report = render_report(ReportKind.PROJECT, scope_pk=project.pk, period_pk=period.pk)
    text = pdf_text(report.pdf)

    # Report 2: the programme's second peildatum (1-7-2019, 1-1-2020), as the seed says.
    assert "Voortgangsrapportage 2 Regio Deal Zeeland" in text
    assert "Regio Deal Zeeland (Regio Deal Zeeland)" not in text
    # The third column of "Inhoudelijk", loaded from the fixture.
    assert "Voortgangsindicatoren per 1-1-2020 (cumulatief)" in text
    assert "Aantal geschoolden en geplaatsten" in text
    # The Regio Deal's indicator letters.
    assert "d. het aantal vacatures van Zeeuwse werkgevers" in text
    assert "e. het realiseren van een regiomarketing platform" in text
    # 200 is the seed's planning: labelled as planning, and the share says what it is
    # measured against.
    assert "200 vacatures gelijk aan de planning 200 vacatures" in text
    assert re.search(r"224 ?% van de planning en streefwaarde \(200 vacatures\)", text)
    assert "van de streefwaarde" not in text.replace("planning en streefwaarde", "")
    # No page with only a legend or a closing line.
    for number, page in enumerate(PdfReader(io.BytesIO(report.pdf)).pages, start=1):
        assert len(_body_lines(page)) >= 8, (number, _body_lines(page))


def test_agenda_rows_continued_on_a_page_repeat_their_title(demo):
    programme = m.Programme.objects.get(region__code="zuid-kennemerland-en-ijmond")
    period = programme.periods.order_by("peildatum").last()
    titles = list(programme.projects.values_list("title", flat=True))

    report = render_report(ReportKind.AGENDA, scope_pk=programme.pk, period_pk=period.pk)
    pages = pdf_pages(report.pdf)
    header = "Inzet regionale publieke middelen "

    continued = 0
    for number, page in enumerate(pages[1:], start=2):
        if header not in page:
            continue
        after = page.split(header, 1)[1]
        # A page starts with a pillar heading, or a row, whose title comes first: a row
        # that runs on from the page before repeats its title at the top.
        starts_with_title = any(after.startswith(title) for title in titles)
        assert starts_with_title or re.match(r"\d\. ", after), (number, after[:80])
        continued += starts_with_title
    assert continued >= 3
    # Partners with the source's count keep the source's words.
    text = " ".join(pages)
    assert "30+ bedrijven" in text and "60 PO scholen" in text
    # The first page holds the first pillar's first row, not only the introduction.
    assert "1. Van werk naar werk" in pages[0]
    for number, page in enumerate(PdfReader(io.BytesIO(report.pdf)).pages, start=1):
        assert len(_body_lines(page)) >= 8, (number, _body_lines(page))
