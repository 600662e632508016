"""The three PDFs show the figures of the seed documents, as the dashboard does."""

import datetime

import pytest

from programmes.formatting import euro
from programmes.overview import programme_overview, project_overview
from reports.common import ReportKind
from reports.service import render_report
from tests.reports.helpers import pdf_pages, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db


def _render(kind, scope, period):
    return render_report(kind, scope_pk=scope.pk, period_pk=period.pk)


def test_project_report_shows_the_zeeland_figures(zeeland):
    period = zeeland.programme.periods.get()

    report = _render(ReportKind.PROJECT, zeeland, period)
    text = pdf_text(report.pdf)

    assert report.filename == (
        "voortgangsrapportage-zeeland-aanvalsplan-voor-de-arbeidsmarktregio-2020-01-01.pdf"
    )
    # The n-th peildatum of the programme: the test world has only 1-1-2020.
    assert "Voortgangsrapportage 1 Regio Deal Zeeland" in text
    assert "Regio Deal Zeeland (Regio Deal Zeeland)" not in text  # funder = name: once
    assert "Aanvalsplan voor de Arbeidsmarktregio Zeeland" in text
    # Indicator: planned 200, realised 447, green.
    assert "447" in text and "200" in text
    assert "groen" in text
    # Cost per year, with the seed's year lines and the totals the overview computes.
    for figure in ["€ 620.000", "€ 878.855", "€ 1.610.000", "€ 2.066.773", "€ 652.827"]:
        assert figure in text
    assert "€ 3.000.000" in text  # total budget
    assert "€ 3.648.455" in text  # spending plus forecast, from status.budget_status
    # The seed's own "Totaal" row, kept in the budget note.
    assert "3.595.628" in text
    # Income per funding source with its total.
    assert "Eigen bijdrage privaat" in text and "€ 308.550" in text
    assert "€ 3.078.455" in text and "€ 570.000" in text
    # Over budget: the budget light is red, in words.
    assert "rood" in text and "boven de begroting" in text


def test_project_report_agrees_with_the_read_model(zeeland):
    period = zeeland.programme.periods.get()
    status = project_overview(project=zeeland, period=period)

    text = pdf_text(_render(ReportKind.PROJECT, zeeland, period).pdf)

    assert str(status.budget.light.label) in text
    assert str(status.computed_light.label) in text
    assert euro(status.budget.total_expected) in text
    assert euro(status.budget_total.spent.amount) in text


def test_every_page_has_title_peildatum_and_page_number(gooi):
    # Enough projects to fill several pages.
    from tests import factories

    period = gooi.periods.get()
    pillar = gooi.pillars.first()
    for number in range(10, 40):
        project = factories.ProjectFactory(
            programme=gooi, pillar=pillar, number=number, title=f"Werkproject {number}"
        )
        factories.ProgressReportFactory(
            project=project,
            period=period,
            reported_light="green",
            summary="Het project loopt volgens plan. " * 12,
        )

    pages = pdf_pages(_render(ReportKind.MONITOR, gooi, period).pdf)

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Monitor Werken aan Werk" in page
        assert "Peildatum 1-7-2021" in page
        assert f"pagina {number} van {len(pages)}" in page
    # The table header repeats on the pages the section runs over.
    assert sum("Nr. Project Stoplicht Voortgang" in page for page in pages) >= 2


def test_programme_monitor_shows_targets_highlights_lights_and_finished_projects(gooi):
    period = gooi.periods.get()
    overview = programme_overview(programme=gooi, period=period)

    report = _render(ReportKind.MONITOR, gooi, period)
    text = pdf_text(report.pdf)

    assert report.filename == (
        "programmamonitor-gooi-en-vechtstreek-werken-aan-werk-2021-07-01.pdf"
    )
    assert "pagina 1 van" in text
    # Programme targets.
    for figure in ["1.180", "860", "520"]:
        assert figure in text
    assert "Aantal inwoners bemiddeld naar werk" in text
    (outflow,) = [t for t in overview.targets if t.realised is not None]
    assert outflow.realised == 43 and "43" in text
    # Highlights.
    assert "Positief" in text and "ZorgStart loopt na een vliegende start" in text
    assert "Bijgesteld" in text and "Hout kende een latere start" in text
    # Sections with their projects and lights in words.
    from tests.reports.conftest import GOOI_PILLARS

    for title in GOOI_PILLARS:
        assert title in text
    assert "ZorgStart" in text
    for word in ["groen", "oranje", "rood"]:
        assert word in text
    assert "amber" not in text.lower()
    # Finished projects apart.
    finished_at = text.index("Afgeronde of gestopte projecten")
    assert text.index("Meer werk voor huishoudelijke hulpen") > finished_at
    assert text.index("Innovatiefonds") > finished_at


def test_agenda_overview_lists_every_project_under_its_pillar(kennemerland):
    period = kennemerland.periods.get()

    report = _render(ReportKind.AGENDA, kennemerland, period)
    pages = pdf_pages(report.pdf)
    text = " ".join(pages)

    assert report.filename == (
        "agenda-overzicht-zuid-kennemerland-en-ijmond-doe-agenda-2020-2022-2023-01-01.pdf"
    )
    positions = [
        text.rindex(f"{n}. {name}")  # the section heading, after the summary
        for n, name in enumerate(
            ["Van werk naar werk", "Van uitkering naar werk", "Werkgelegenheid"], start=1
        )
    ]
    assert positions == sorted(positions)
    for heading in ["Titel", "Actie", "Beoogd resultaat", "Behaald resultaat", "Vervolg"]:
        assert heading in text
    assert "Regionaal Mobiliteitsteam" in text and "€ 240.000 Crisisdienstverlening" in text
    assert "UWV, FNV" in text  # partners in the order the source lists them
    # A stopped project stays in its pillar, with its phase.
    assert positions[0] < text.index("Blik op de Toekomst") < positions[1]
    assert "gestopt" in text
    # Landscape A4 pages.
    box = pdf_reader(report.pdf).pages[0].mediabox
    assert float(box.width) > float(box.height)
    assert all("Peildatum 1-1-2023" in page for page in pages)


def test_pdf_has_title_author_language_and_tags(zeeland):
    period = zeeland.programme.periods.get()

    reader = pdf_reader(_render(ReportKind.PROJECT, zeeland, period).pdf)

    # The project in the title: every project of a programme has its own document title.
    assert reader.metadata.title == (
        "Voortgangsrapportage Aanvalsplan voor de Arbeidsmarktregio Zeeland"
        " – Regio Deal Zeeland – peildatum 1-1-2020"
    )
    assert reader.metadata.author == "Arbeidsmarktmonitor"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert "/StructTreeRoot" in root  # tagged: headings, tables and reading order
    assert root["/MarkInfo"]["/Marked"]


def test_project_report_without_a_report_for_the_period_says_so(zeeland):
    from tests import factories

    later = factories.ReportingPeriodFactory(
        programme=zeeland.programme, peildatum=datetime.date(2020, 7, 1)
    )

    text = pdf_text(_render(ReportKind.PROJECT, zeeland, later).pdf)

    assert "geen voortgangsrapportage ingediend" in text
    assert "Peildatum 1-7-2020" in text


def test_draft_reports_are_marked_as_not_approved(zeeland):
    report = zeeland.reports.get()
    report.state = "draft"
    report.save()

    text = pdf_text(_render(ReportKind.PROJECT, zeeland, report.period).pdf)

    assert "nog niet goedgekeurd" in text and "concept" in text
