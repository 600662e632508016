"""Excel and CSV export: contents, formats, formula injection, scoping per role, query counts."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from programmes.models import Indicator, IndicatorValue, ProgressReport, Project
from programmes.overview import programme_overview
from reports import excel
from tests import factories

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","klik")'


@pytest.fixture
def world():
    region = factories.RegionFactory(code="gooi", name="Gooi en Vechtstreek")
    programme = factories.ProgrammeFactory(
        region=region, slug="werken-aan-werk", name="Werken aan Werk"
    )
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 7, 1)
    )
    manager = factories.UserFactory(username="manager")
    programme.managers.add(manager)
    wethouder = factories.UserFactory(username="wethouder")
    region.viewers.add(wethouder)
    zorg = factories.ProjectFactory(programme=programme, code="A1", title="ZorgStart")
    evil = factories.ProjectFactory(programme=programme, code="B2", title=EVIL)
    indicator = factories.IndicatorFactory(
        project=zorg, name="Uitstroom naar werk", target_value=Decimal("250")
    )
    report = factories.ProgressReportFactory(
        project=zorg, period=period, reported_light="green", summary="+ meer dan gepland"
    )
    factories.IndicatorValueFactory(report=report, indicator=indicator, value=Decimal("243"))
    factories.BudgetLineFactory(
        report=report, year=2021, budget=Decimal("1610000.50"), spent=Decimal("350000")
    )
    factories.FundingLineFactory(report=report, source=factories.FundingSourceFactory(name="Rijk"))
    factories.ProgressReportFactory(project=evil, period=period, state="approved")
    factories.ProgrammeTargetFactory(programme=programme, name="Trajecten")
    return {
        "region": region,
        "programme": programme,
        "period": period,
        "manager": manager,
        "wethouder": wethouder,
        "zorg": zorg,
    }


def export_url(world, **query):
    url = reverse("excel:programme_export", kwargs={"slug": world["programme"].slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def download(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response


def open_book(response):
    return openpyxl.load_workbook(io.BytesIO(response.content))


def sheet_rows(ws):
    headers = [c.value for c in ws[1]]
    return headers, [dict(zip(headers, row, strict=True)) for row in ws.iter_rows(min_row=2)]


def test_xlsx_has_dutch_sheets_and_headers(client, world):
    response = download(client, world["manager"], export_url(world))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="werken-aan-werk-2021-H1.xlsx"' in response["Content-Disposition"]
    book = open_book(response)
    assert book.sheetnames == [
        "Projecten",
        "Indicatoren",
        "Begroting",
        "Financiering",
        "Rapportages",
        "Programmadoelen",
    ]
    headers, _ = sheet_rows(book["Indicatoren"])
    assert headers == [
        "Programma",
        "Projectcode",
        "Project",
        "Indicator",
        "Eenheid",
        "Peildatum",
        "Streefwaarde",
        "Planning",
        "Verwacht",
        "Realisatie",
        "Realisatie tot en met peildatum",
        "Stoplicht",
    ]


def test_numbers_are_numbers_amounts_euros_dates_dates_lights_dutch_words(client, world):
    book = open_book(download(client, world["manager"], export_url(world)))
    _, indicators = sheet_rows(book["Indicatoren"])
    (row,) = indicators
    assert row["Realisatie"].value == 243 and row["Realisatie"].data_type == "n"
    assert row["Streefwaarde"].value == 250
    assert isinstance(row["Peildatum"].value, datetime.datetime)
    assert row["Peildatum"].value.date() == datetime.date(2021, 7, 1)
    assert row["Peildatum"].number_format == "d-m-yyyy"
    overview = programme_overview(programme=world["programme"], period=world["period"])
    expected_light = overview.project(world["zorg"].pk).indicators[0].light
    assert row["Stoplicht"].value == str(expected_light.label) == "groen"

    _, budget = sheet_rows(book["Begroting"])
    (line,) = budget
    assert line["Begroting"].value == pytest.approx(1610000.50)
    assert line["Begroting"].data_type == "n"
    assert line["Begroting"].number_format.startswith('"€" #,##0.00')
    assert line["Jaar"].value == 2021 and line["Jaar"].number_format == "0"
    assert row["Realisatie"].number_format == "#,##0"

    _, projects = sheet_rows(book["Projecten"])
    zorg = next(p for p in projects if p["Projectcode"].value == "A1")
    assert zorg["Gerapporteerd stoplicht"].value == "groen"
    assert zorg["Status rapportage"].value == "concept"
    assert zorg["Samenvatting"].value == "'+ meer dan gepland"  # would start a formula
    _, reports = sheet_rows(book["Rapportages"])
    assert {r["Status"].value for r in reports} == {"concept", "goedgekeurd"}


def test_projects_sheet_holds_the_cost_in_the_project_plan(client, world):
    world["zorg"].estimated_cost = 2197000
    world["zorg"].save(update_fields=["estimated_cost"])
    book = open_book(download(client, world["manager"], export_url(world)))
    _, projects = sheet_rows(book["Projecten"])
    zorg = next(p for p in projects if p["Projectcode"].value == "A1")
    cost = zorg["Kosten volgens projectplan"]
    assert cost.value == 2197000 and cost.data_type == "n"
    assert cost.number_format.startswith('"€"')


def test_formula_injection_is_neutralised_in_xlsx_and_csv(client, world):
    book = open_book(download(client, world["manager"], export_url(world)))
    _, projects = sheet_rows(book["Projecten"])
    evil = next(p for p in projects if p["Projectcode"].value == "B2")
    assert evil["Project"].value == "'" + EVIL
    assert evil["Project"].data_type == "s"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            assert all(cell.data_type != "f" for cell in row)

    response = download(client, world["manager"], export_url(world, tabel="projecten"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    evil_row = next(r for r in rows if r[2] == "B2")
    assert evil_row[3] == "'" + EVIL


def test_csv_for_dutch_excel(client, world):
    response = download(client, world["manager"], export_url(world, tabel="begroting"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="werken-aan-werk-2021-H1-begroting.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Programma",
        "Projectcode",
        "Project",
        "Peildatum",
        "Jaar",
        "Begroting",
        "Uitgaven",
        "Prognose",
    ]
    assert rows[1] == [
        "Werken aan Werk",
        "A1",
        "ZorgStart",
        "1-7-2021",
        "2021",
        "1610000,5",
        "350000",
        "",
    ]


def test_unknown_table_is_404(client, world):
    client.force_login(world["manager"])
    assert client.get(export_url(world, tabel="geheim")).status_code == 404


def test_period_choice_and_unknown_period(client, world):
    client.force_login(world["manager"])
    assert client.get(export_url(world, periode="2021-07-01")).status_code == 200
    assert client.get(export_url(world, periode="2021-H1")).status_code == 200
    assert client.get(export_url(world, periode="2020-07-01")).status_code == 404
    assert client.get(export_url(world, periode="gisteren")).status_code == 404


def test_neutralise():
    for text in ("=1+1", "+31", "-5", "@SUM(A1)", "\tx", "\rx"):
        assert excel.neutralise(text) == "'" + text
    assert excel.neutralise("Zorg = goed") == "Zorg = goed"
    assert excel.neutralise("") == ""


# --- Scoping per role --------------------------------------------------------------------------


def test_wethouder_and_ministry_may_export(client, world):
    download(client, world["wethouder"], export_url(world))
    download(client, factories.MinistryUserFactory(), export_url(world))


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(export_url(world))
    assert response.status_code == 302 and "/aanmelden/" in response["Location"]


def test_another_regions_manager_gets_404(client, world):
    other = factories.UserFactory()
    factories.ProgrammeFactory().managers.add(other)
    client.force_login(other)
    assert client.get(export_url(world)).status_code == 404
    assert client.get(export_url(world, tabel="projecten")).status_code == 404
    region_url = reverse("excel:region_export", kwargs={"code": world["region"].code})
    assert client.get(region_url).status_code == 404


def test_region_export_holds_only_the_programmes_the_user_may_read(client, world):
    hidden = factories.ProgrammeFactory(region=world["region"], name="Verborgen programma")
    factories.ProjectFactory(programme=hidden, code="H1", title="Geheim project")
    coordinator = factories.UserFactory()
    world["zorg"].coordinators.add(coordinator)
    url = reverse("excel:region_export", kwargs={"code": "gooi"})
    book = open_book(download(client, coordinator, url))
    _, projects = sheet_rows(book["Projecten"])
    assert {p["Programma"].value for p in projects} == {"Werken aan Werk"}
    book = open_book(download(client, world["wethouder"], url))
    _, projects = sheet_rows(book["Projecten"])
    assert {p["Programma"].value for p in projects} == {"Werken aan Werk", "Verborgen programma"}


# --- Query counts --------------------------------------------------------------------------------


def add_projects(world, count):
    projects = Project.objects.bulk_create(
        Project(programme=world["programme"], code=f"Q{n}", title=f"Project {n}")
        for n in range(count)
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(project=p, name="Deelnemers", target_value=100) for p in projects
    )
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(project=p, period=world["period"]) for p in projects
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(report=r, indicator=i, value=5)
        for r, i in zip(reports, indicators, strict=True)
    )


@pytest.mark.parametrize("count", [10, 120])
def test_export_query_count_does_not_grow_with_projects(
    client, world, count, django_assert_max_num_queries
):
    add_projects(world, count)
    client.force_login(world["manager"])
    # Session and user, the programme lookup (scoped), the period, then the overview's fixed
    # set (about fifteen queries) whatever the number of projects, which programmes' drafts
    # this user may see (one query), and the audit row of the export.
    with django_assert_max_num_queries(26):
        response = client.get(export_url(world, periode="2021-07-01"))
    assert response.status_code == 200
    with django_assert_max_num_queries(26):
        client.get(reverse("excel:region_export", kwargs={"code": "gooi"}))


def test_export_links_include_for_programme_and_region(world):
    from django.template.loader import render_to_string

    overview = programme_overview(programme=world["programme"], period=world["period"])
    html = render_to_string(
        "excel/_export_links.html",
        {"programme": overview.programme, "period": overview.period, "show_import": True},
    )
    assert "/excel/programma/werken-aan-werk/export/?periode=2021-H1" in html
    assert "/excel/programma/werken-aan-werk/export/?tabel=indicatoren&amp;periode=2021-H1" in html
    assert "/excel/programma/werken-aan-werk/import/" in html
    html = render_to_string("excel/_export_links.html", {"region": world["region"]})
    assert "/excel/regio/gooi/export/?tabel=begroting" in html
    assert "import" not in html


def test_number_formats_per_kind():
    table = excel.Table(
        "t",
        "Tabel",
        (
            excel.Column("Aantal", excel.NUMBER),
            excel.Column("Bedrag", excel.EURO),
            excel.Column("Jaar", excel.YEAR),
            excel.Column("Tekst"),
        ),
        ((Decimal("43.5"), Decimal("1610000.50"), 2021, "-5 deelnemers"), (2, None, 2022, "")),
    )
    ws = openpyxl.load_workbook(io.BytesIO(excel.workbook_bytes([table], title="t")))["Tabel"]
    assert [ws["A2"].number_format, ws["A3"].number_format] == ["#,##0.0#", "#,##0"]
    assert ws["A2"].value == 43.5 and ws["B2"].data_type == "n"
    assert ws["D2"].value == "'-5 deelnemers"
    text = excel.csv_bytes(table).decode("utf-8-sig")
    assert text.splitlines()[1] == "43,5;1610000,5;2021;'-5 deelnemers"


def test_narratives_are_exported_as_typed_with_the_light_explanation(client, world):
    report = ProgressReport.objects.get(project=world["zorg"])
    report.summary = "Eerste alinea.\n\n- punt een\n- punt & twee <a>"
    report.light_explanation = "Achter op de planning."
    report.light_cause = "Later gestart."
    report.light_consequences = "Minder uitstroom in 2021."
    report.light_recovery = "Extra werving\r\nvia het WSP."
    report.save()

    book = open_book(download(client, world["manager"], export_url(world)))
    _, projects = sheet_rows(book["Projecten"])
    zorg = next(p for p in projects if p["Projectcode"].value == "A1")

    assert zorg["Samenvatting"].value == "Eerste alinea.\n\n- punt een\n- punt & twee <a>"
    assert zorg["Samenvatting"].alignment.wrap_text
    assert zorg["Toelichting stoplicht"].value == "Achter op de planning."
    assert zorg["Oorzaak"].value == "Later gestart."
    assert zorg["Gevolgen"].value == "Minder uitstroom in 2021."
    assert zorg["Bijsturing"].value == "Extra werving\nvia het WSP."

    response = download(client, world["manager"], export_url(world, tabel="projecten"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, zorg_row = rows[0], next(r for r in rows if r[2] == "A1")
    assert (
        zorg_row[header.index("Samenvatting")] == "Eerste alinea.\n\n- punt een\n- punt & twee <a>"
    )


def test_a_narrative_line_starting_like_a_formula_is_still_neutralised(client, world):
    report = ProgressReport.objects.get(project=world["zorg"])
    report.light_cause = '=HYPERLINK("http://evil.example")'
    report.save()

    book = open_book(download(client, world["manager"], export_url(world)))
    _, projects = sheet_rows(book["Projecten"])
    zorg = next(p for p in projects if p["Projectcode"].value == "A1")

    assert zorg["Oorzaak"].value == '\'=HYPERLINK("http://evil.example")'
    assert zorg["Oorzaak"].data_type == "s"
