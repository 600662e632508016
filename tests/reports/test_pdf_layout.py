"""How the PDFs read: what looking at the demo's reports beside the seed documents showed.

Every test here is a defect once seen in a rendered page: a project report without the
project's own description, "tot –" for an open end, a monitor counting "no light" as grijs,
rows of a Zuid-Kennemerland style agenda that said nothing but "Geen rapportage", a lone "€"
at a line end, file names cut to "...-2020-2022-zuid", captions left behind at a page foot.
"""

import datetime
import re

import pytest
from django.urls import reverse

from programmes.models import Project
from reports.common import ReportKind, estimated_lines, report_filename, row_fits
from reports.narrative import narrative_html, plain_text
from reports.service import render_report, report_html
from tests import factories
from tests.reports.helpers import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def _render(kind, scope, period):
    return render_report(kind, scope_pk=scope.pk, period_pk=period.pk)


# --- File names ---------------------------------------------------------------------------


def test_file_name_does_not_repeat_the_region_in_the_subject():
    name = report_filename(
        ReportKind.AGENDA,
        region_code="zuid-kennemerland-en-ijmond",
        subject="Regionale doe-agenda 2020-2022 Zuid-Kennemerland en IJmond",
        peildatum=datetime.date(2023, 1, 1),
        region_name="Zuid-Kennemerland en IJmond",
    )
    project = report_filename(
        ReportKind.PROJECT,
        region_code="gooi-en-vechtstreek",
        subject="Pilot scholingsmakelaar Gooi en Vechtstreek",
        peildatum=datetime.date(2021, 7, 1),
        region_name="Gooi en Vechtstreek",
    )

    # Before: "...-regionale-doe-agenda-2020-2022-zuid-2023-01-01.pdf" (cut at 40 characters).
    assert name == (
        "agenda-overzicht-zuid-kennemerland-en-ijmond-regionale-doe-agenda-2020-2022-2023-01-01.pdf"
    )
    assert (
        project == "voortgangsrapportage-gooi-en-vechtstreek-pilot-scholingsmakelaar-2021-07-01.pdf"
    )


def test_project_file_names_stay_unique_when_titles_repeat(kennemerland):
    """Zuid-Kennemerland has two activities called "SROI"; one file must not overwrite the
    other in a download folder. A title that is unique keeps the short name."""
    pillars = list(kennemerland.pillars.order_by("order"))
    first = factories.ProjectFactory(
        programme=kennemerland, pillar=pillars[1], code="UNW-16", title="SROI"
    )
    second = factories.ProjectFactory(
        programme=kennemerland, pillar=pillars[3], code="WG-04", title="SROI"
    )
    unique = kennemerland.projects.get(title="Regionaal Mobiliteitsteam")
    period = kennemerland.periods.get()

    names = [_render(ReportKind.PROJECT, p, period).filename for p in (first, second, unique)]

    assert names == [
        "voortgangsrapportage-zuid-kennemerland-en-ijmond-unw-16-sroi-2023-01-01.pdf",
        "voortgangsrapportage-zuid-kennemerland-en-ijmond-wg-04-sroi-2023-01-01.pdf",
        "voortgangsrapportage-zuid-kennemerland-en-ijmond-regionaal-mobiliteitsteam-2023-01-01.pdf",
    ]


def test_file_name_keeps_a_subject_that_is_only_the_region():
    name = report_filename(
        ReportKind.MONITOR,
        region_code="zeeland",
        subject="Zeeland",
        peildatum=datetime.date(2020, 1, 1),
        region_name="Zeeland",
    )

    assert name == "programmamonitor-zeeland-zeeland-2020-01-01.pdf"


# --- Money and narrative text ---------------------------------------------------------------


def test_euro_sign_and_amount_stay_together():
    assert narrative_html("Totaal € 3.000.000 en (€ 160.000)") == (
        "<p>Totaal €\u00a03.000.000 en (€\u00a0160.000)</p>"
    )
    assert plain_text("Mede door €  160.000 & meer") == "Mede door €\u00a0160.000 & meer"
    # Not an amount: left alone.
    assert narrative_html("in € of in uren") == "<p>in € of in uren</p>"


def test_no_line_of_the_zeeland_report_ends_in_a_lone_euro_sign(zeeland):
    period = zeeland.programme.periods.get()
    report = _render(ReportKind.PROJECT, zeeland, period)

    from tests.reports.helpers import pdf_reader

    lines = [
        line.strip()
        for page in pdf_reader(report.pdf).pages
        for line in page.extract_text().splitlines()
    ]
    assert lines and not [line for line in lines if line.endswith("€")]


# --- Project report -----------------------------------------------------------------------


def test_project_report_without_reports_shows_the_project_description(kennemerland):
    project = kennemerland.projects.get(title="Regionaal Mobiliteitsteam")
    project.end_date = None
    project.start_date = datetime.date(2021, 9, 1)
    project.extra_info = "Het RMT is tot eind 2022 gefinancierd vanuit verschillende stromen."
    project.save()
    period = kennemerland.periods.get()

    text = pdf_text(_render(ReportKind.PROJECT, project, period).pdf)

    assert "Projectbeschrijving" in text
    for label, value in [
        ("Actie", "Opzetten Regionaal Mobiliteitsteam Zuid-Kennemerland en IJmond"),
        ("Beoogd resultaat", "Duurzame bemiddeling van werk naar werk."),
        ("Behaald resultaat", "RMT ZKIJwerktdoor is gestart per 1 september 2021."),
        ("Vervolg / borging", "Verduurzaming dienstverlening RMT."),
        ("Inzet regionale publieke middelen", "€ 240.000 Crisisdienstverlening"),
        ("Extra informatie", "Het RMT is tot eind 2022 gefinancierd"),
    ]:
        assert f"{label} {value}" in text
    # An open end reads "vanaf", never "1-9-2021 tot –".
    assert "vanaf 1-9-2021" in text and "tot –" not in text
    # No indicators: the notice does not promise any.
    assert "geen voortgangsrapportage ingediend" in text
    assert "De indicatoren staan hieronder" not in text


def test_project_report_leaves_out_an_empty_description(zeeland):
    text = pdf_text(_render(ReportKind.PROJECT, zeeland, zeeland.programme.periods.get()).pdf)

    assert "Projectbeschrijving" not in text


def test_captions_stay_on_the_page_of_their_table(zeeland):
    """A short table moves to the next page whole: its caption never stays behind at the
    foot of a page. The activity text grows step by step, so that the tables of the
    finance section pass a page break at every position."""
    from programmes.models import ActivityProgress

    report = zeeland.reports.get()
    activity = ActivityProgress.objects.filter(report=report).last()
    checked = 0
    for step in range(12):
        activity.progress = "Voortgang in deze periode.\n\n" * (step * 3)
        activity.save()
        pages = pdf_pages(_render(ReportKind.PROJECT, zeeland, report.period).pdf)
        for caption, first_row in [
            ("Begroting en uitgaven per 1-1-2020", "Begroting totaal"),
            ("Inkomsten-baten per financieringsbron", "Regio Deal"),
            ("Financiële kostenraming per jaar", "Realisatie 2018"),
            ("Streefwaarde, planning en realisatie per 1-1-2020", "het aantal vacatures"),
        ]:
            (page,) = [page for page in pages if caption in page]
            assert first_row in page.split(caption, 1)[1], (step, caption)
            checked += 1
    assert checked == 48


# --- Programme monitor --------------------------------------------------------------------


def test_monitor_counts_projects_without_a_reported_light_apart(gooi):
    period = gooi.periods.get()
    extra = factories.ProjectFactory(programme=gooi, pillar=gooi.pillars.first(), number=9)
    factories.ProgressReportFactory(project=extra, period=period, summary="Loopt.")

    text = pdf_text(_render(ReportKind.MONITOR, gooi, period).pdf)

    # Reported: 3 groen, 2 oranje, 1 rood, 0 grijs and 1 without a light (not "2 grijs").
    assert "geen stoplicht" in text
    assert re.search(
        r"Gerapporteerd 3 2 1 0 1 Berekend uit de indicatoren( \d+){4} n\.v\.t\.", text
    )


def test_monitor_without_reports_shows_the_projects_results(kennemerland):
    period = kennemerland.periods.get()

    text = pdf_text(_render(ReportKind.MONITOR, kennemerland, period).pdf)

    assert "voor geen enkel project een voortgangsrapportage ingediend" in text
    assert "Gerapporteerd 0 0 0 0 2" in text  # both running projects: no light reported
    assert (
        "Geen rapportage; behaald resultaat uit de projectgegevens: "
        "RMT ZKIJwerktdoor is gestart per 1 september 2021." in text
    )
    assert (
        "Geen rapportage; beoogd resultaat uit de projectgegevens: "
        "Intensieve begeleiding naar werk van schoolverlaters." in text
    )


def test_monitor_budget_table_shows_expected_spending_on_its_own_row(zeeland):
    text = pdf_text(
        _render(ReportKind.MONITOR, zeeland.programme, zeeland.programme.periods.get()).pdf
    )

    # Not "verwacht € 3.648.455" in the forecast column of the totals row.
    assert "Verwachte uitgaven (realisatie en prognose) € 3.648.455" in text
    assert "verwacht € 3.648.455" not in text


def test_monitor_explains_targets_without_indicators(gooi):
    text = pdf_text(_render(ReportKind.MONITOR, gooi, gooi.periods.get()).pdf)

    assert "Bij 2 doelen telt nog geen projectindicator mee" in text


def test_monitor_and_agenda_of_a_programme_without_pillars_say_projecten(zeeland):
    programme, period = zeeland.programme, zeeland.programme.periods.get()

    monitor = pdf_text(_render(ReportKind.MONITOR, programme, period).pdf)
    agenda = pdf_text(_render(ReportKind.AGENDA, programme, period).pdf)

    assert "Overige projecten" not in monitor and "Overige projecten" not in agenda
    assert "Projecten Titel" in agenda and "1. Projecten" not in agenda
    assert "Pijlers" not in agenda


# --- Agenda overview ----------------------------------------------------------------------


def test_agenda_lists_unnumbered_activities_in_the_order_of_their_codes(kennemerland):
    pillar = kennemerland.pillars.get(name="Werkgelegenheid")
    for code, title in [("WG-10", "Aardappel"), ("WG-02", "Zandbak"), ("WG-01", "Baancreatie")]:
        factories.ProjectFactory(programme=kennemerland, pillar=pillar, code=code, title=title)
    period = kennemerland.periods.get()

    text = pdf_text(_render(ReportKind.AGENDA, kennemerland, period).pdf)
    monitor = pdf_text(_render(ReportKind.MONITOR, kennemerland, period).pdf)

    # The numbered Techniekpact (1) first, then WG-01, WG-02, WG-10: not by title.
    for document in (text, monitor):
        positions = [document.index(title) for title in ["Baancreatie", "Zandbak", "Aardappel"]]
        assert positions == sorted(positions)


def _agenda_cells(programme, title):
    """The cells of one project's row in the agenda overview's HTML, by column key (only
    the columns the overview prints: those with text in at least one row)."""
    html, data = report_html(
        ReportKind.AGENDA, scope_pk=programme.pk, period_pk=programme.periods.get().pk
    )
    row = html.split(f'<th scope="row">{title}', 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]
    return dict(zip([c.key for c in data.columns], cells, strict=True))


def test_agenda_uses_the_report_summary_without_a_dash_when_no_result_is_recorded(gooi):
    cells = _agenda_cells(gooi, "ZorgStart")

    # Before: "–" and then the summary in the same cell.
    assert (
        cells["achieved_result"] == "<p>43 inwoners zijn uitgestroomd naar een betaalde baan.</p>"
    )
    # No project of this world records an action, intended result or follow-up: those
    # columns are left out instead of printing a column of dashes.
    assert not {"action", "intended_result", "follow_up"} & set(cells)


def test_agenda_shows_extra_information_without_a_dash_for_missing_funds(kennemerland):
    project = kennemerland.projects.get(title="Jeugdwerkloosheid")
    project.extra_info = "Volledige evaluatie volgt eind 2022."
    project.save()

    funds = _agenda_cells(kennemerland, "Jeugdwerkloosheid")["public_funds"]

    assert funds == '<p class="small muted">Volledige evaluatie volgt eind 2022.</p>'


# --- Rows kept on one page ------------------------------------------------------------------


def test_row_fits_estimates_the_tallest_cell():
    assert estimated_lines("", 20) == 1
    assert estimated_lines("x" * 45 + "\n\nkort", 20) == 4
    assert row_fits([("kort", 20), ("x" * 400, 40)], max_lines=10)
    assert not row_fits([("kort", 20), ("x" * 401, 40)], max_lines=10)


def test_short_rows_are_kept_whole_and_long_ones_may_break(gooi):
    period = gooi.periods.get()
    long_one = factories.ProjectFactory(
        programme=gooi, pillar=gooi.pillars.first(), number=8, title="Lang verhaal"
    )
    factories.ProgressReportFactory(
        project=long_one, period=period, summary="Veel te vertellen. " * 200
    )
    short_one = gooi.projects.get(title="Hout")

    html, data = report_html(ReportKind.MONITOR, scope_pk=gooi.pk, period_pk=period.pk)

    assert short_one.pk in data.keep_together and long_one.pk not in data.keep_together
    assert html.count('<tr class="keep">') == len(data.keep_together)


# --- Rapporten page -----------------------------------------------------------------------


def test_index_links_a_project_report_also_for_a_period_without_a_report(client, kennemerland):
    client.force_login(factories.MinistryUserFactory())
    project = kennemerland.projects.get(title="Regionaal Mobiliteitsteam")

    html = client.get(reverse("reports:index")).content.decode()

    assert reverse("reports:project", args=[project.pk, "2023-01-01"]) in html
    assert "(geen rapportage)" in html
    assert Project.objects.filter(programme=kennemerland).count() == html.count(
        "/rapporten/voortgangsrapportage/"
    )
