"""Import of realisations and budgets from the Excel template: round trip, refusals, rules."""

import datetime
import io
import re
import shutil
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from programmes import imports, permissions
from programmes.models import ActivityProgress, BudgetLine, IndicatorValue, ProgressReport
from tests import factories

pytestmark = pytest.mark.django_db

PEILDATUM = datetime.date(2021, 7, 1)


@pytest.fixture
def world():
    region = factories.RegionFactory(code="gooi", name="Gooi en Vechtstreek")
    programme = factories.ProgrammeFactory(region=region, slug="werken-aan-werk")
    previous = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 1, 1)
    )
    period = factories.ReportingPeriodFactory(programme=programme, peildatum=PEILDATUM)
    manager = factories.UserFactory(username="manager")
    programme.managers.add(manager)
    coordinator = factories.UserFactory(username="coordinator")
    zorg = factories.ProjectFactory(programme=programme, code="A1", title="ZorgStart")
    waarde = factories.ProjectFactory(programme=programme, code="B2", title="Waardetas")
    zorg.coordinators.add(coordinator)
    uitstroom = factories.IndicatorFactory(project=zorg, name="Uitstroom naar werk", order=1)
    trajecten = factories.IndicatorFactory(project=zorg, name="Gestarte trajecten", order=2)
    deelnemers = factories.IndicatorFactory(project=waarde, name="Deelnemers", order=1)
    old_report = factories.ProgressReportFactory(project=zorg, period=previous)
    factories.IndicatorValueFactory(report=old_report, indicator=uitstroom, value=Decimal("20"))
    return {
        "programme": programme,
        "period": period,
        "previous": previous,
        "manager": manager,
        "coordinator": coordinator,
        "zorg": zorg,
        "waarde": waarde,
        "uitstroom": uitstroom,
        "trajecten": trajecten,
        "deelnemers": deelnemers,
    }


def template_book(client, world):
    client.force_login(world["manager"])
    response = client.get(
        reverse(
            "excel:import_template",
            kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"},
        )
    )
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def set_cell(ws, project_code, subject, column, value):
    """Write `value` in `column` of the row whose code and indicator (or year) match."""
    headers = [c.value for c in ws[1]]
    key_column = headers.index("Indicator" if ws.title == "Indicatoren" else "Jaar")
    for row in ws.iter_rows(min_row=2):
        if row[0].value == project_code and row[key_column].value == subject:
            row[headers.index(column)].value = value
            return row[0].row
    raise AssertionError(f"no row for {project_code} {subject}")


def upload(client, world, content: bytes, name="ingevuld.xlsx"):
    url = reverse(
        "excel:import_upload", kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"}
    )
    file = io.BytesIO(content)
    file.name = name
    return client.post(url, {"file": file})


def confirm(client, world, response):
    url = reverse(
        "excel:import_confirm", kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"}
    )
    return client.post(
        url, {"token": response.context["token"], "sha256": response.context["sha256"]}
    )


def history_count():
    return (
        IndicatorValue.history.count() + BudgetLine.history.count() + ProgressReport.history.count()
    )


def parsed_from(book, filename="x.xlsx"):
    return imports.read_workbook(save(book), filename=filename)


def refusal(content: bytes) -> list[str]:
    with pytest.raises(imports.ImportRefused) as refused:
        imports.read_workbook(content, filename="x.xlsx")
    return refused.value.messages


# --- The template ------------------------------------------------------------------------------


def test_template_has_a_row_per_indicator_with_last_periods_value(client, world):
    book = template_book(client, world)
    assert book.sheetnames == ["Indicatoren", "Begroting", "Toelichting"]
    ws = book["Indicatoren"]
    assert [c.value for c in ws[1]] == [
        "Projectcode",
        "Projecttitel",
        "Indicator",
        "Eenheid",
        "Streefwaarde",
        "Vorige periode",
        "Realisatie",
        "Toelichting",
    ]
    rows = {(row[0].value, row[2].value): [c.value for c in row] for row in ws.iter_rows(min_row=2)}
    assert rows["A1", "Uitstroom naar werk"][:7] == [
        "A1",
        "ZorgStart",
        "Uitstroom naar werk",
        "inwoners",
        100,
        20,
        None,
    ]
    assert len(rows) == 3
    assert ws.protection.sheet
    assert ws["A2"].protection.locked and not ws["G2"].protection.locked
    budget = book["Begroting"]
    assert [c.value for c in budget[1]] == [
        "Projectcode",
        "Projecttitel",
        "Jaar",
        "Begroting",
        "Uitgaven",
        "Prognose",
    ]
    assert sorted((r[0].value, r[2].value) for r in budget.iter_rows(min_row=2)) == [
        ("A1", 2021),
        ("A1", 2022),
        ("B2", 2021),
        ("B2", 2022),
    ]
    assert book["Toelichting"]["B1"].value == "werken-aan-werk"
    assert book["Toelichting"]["B2"].value.date() == PEILDATUM


def test_template_keeps_a_formula_like_title_as_text(client, world):
    world["waarde"].title = '=HYPERLINK("http://evil","klik")'
    world["waarde"].save()
    book = template_book(client, world)
    cells = [row[1] for row in book["Indicatoren"].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)


# --- Round trip --------------------------------------------------------------------------------


def test_round_trip_preview_confirm_and_second_import_changes_nothing(client, world):
    book = template_book(client, world)
    ws = book["Indicatoren"]
    set_cell(ws, "A1", "Uitstroom naar werk", "Realisatie", 43)
    set_cell(ws, "A1", "Uitstroom naar werk", "Toelichting", "Meer dan verwacht")
    set_cell(ws, "A1", "Gestarte trajecten", "Realisatie", "1.610")
    set_cell(ws, "B2", "Deelnemers", "Realisatie", 4.5)
    set_cell(book["Begroting"], "A1", 2021, "Begroting", "€ 1.610.000,50")
    set_cell(book["Begroting"], "A1", 2021, "Uitgaven", 350000)
    content = save(book)

    response = upload(client, world, content)
    assert response.status_code == 200, response.content.decode()
    plan = response.context["plan"]
    assert len(plan.changed_rows) == 4
    assert plan.new_report_count == 2
    page = response.content.decode()
    assert "Voorbeeld van de import uit ingevuld.xlsx" in page
    assert "→ <strong>43</strong>" in page
    assert "€ 1.610.000,50" in page
    assert IndicatorValue.objects.filter(report__period=world["period"]).count() == 0

    response = confirm(client, world, response)
    assert response.status_code == 302
    assert response.url == "/programma/werken-aan-werk/?periode=2021-H1"
    page = client.get(response.url).content.decode()
    assert "Import uit ingevuld.xlsx opgeslagen voor peildatum 1-7-2021" in page
    project_page = client.get(
        reverse("dashboard:project", kwargs={"slug": "werken-aan-werk", "code": "A1"}),
        {"periode": "2021-H1"},
    ).content.decode()
    assert "Meer dan verwacht" in project_page and "1.610" in project_page
    values = {
        v.indicator.name: (v.value, v.note)
        for v in IndicatorValue.objects.filter(report__period=world["period"])
    }
    assert values == {
        "Uitstroom naar werk": (Decimal("43"), "Meer dan verwacht"),
        "Gestarte trajecten": (Decimal("1610"), ""),
        "Deelnemers": (Decimal("4.5"), ""),
    }
    line = BudgetLine.objects.get(report__project=world["zorg"], report__period=world["period"])
    assert (line.year, line.budget, line.spent, line.forecast) == (
        2021,
        Decimal("1610000.50"),
        Decimal("350000"),
        None,
    )
    report = ProgressReport.objects.get(project=world["zorg"], period=world["period"])
    assert report.state == ProgressReport.State.DRAFT
    record = IndicatorValue.history.filter(indicator=world["uitstroom"]).latest("history_date")
    assert record.history_change_reason == "Import uit ingevuld.xlsx"
    assert record.history_user == world["manager"]

    before = history_count()
    again = upload(client, world, content)
    assert again.status_code == 200
    assert not again.context["plan"].has_changes
    assert "Dit bestand verandert niets" in again.content.decode()
    result = imports.apply_import(
        parsed=imports.read_workbook(content, filename="ingevuld.xlsx"),
        programme=world["programme"],
        period=world["period"],
        user=world["manager"],
    )
    assert not result.changed_anything
    assert history_count() == before


def test_changed_values_are_updated_exactly_with_history(world):
    report = factories.ProgressReportFactory(project=world["zorg"], period=world["period"])
    value = factories.IndicatorValueFactory(
        report=report, indicator=world["uitstroom"], value=Decimal("10"), note="oud"
    )
    other = factories.IndicatorValueFactory(
        report=report, indicator=world["trajecten"], value=Decimal("7"), note="blijft"
    )
    line = factories.BudgetLineFactory(
        report=report, year=2021, budget=Decimal("100"), spent=None, forecast=Decimal("5")
    )
    book = minimal_book("1.610.000,55")
    book.active.append(["A1", "Gestarte trajecten", None, "nieuw = beter"])
    budget = book.create_sheet("Begroting")
    budget.append(["Projectcode", "Jaar", "Begroting", "Uitgaven", "Prognose"])
    budget.append(["A1", 2021, None, "99,99", None])
    version = report.version
    imports.apply_import(
        parsed=parsed_from(book, "update.xlsx"),
        programme=world["programme"],
        period=world["period"],
        user=world["coordinator"],
    )
    value.refresh_from_db()
    other.refresh_from_db()
    line.refresh_from_db()
    report.refresh_from_db()
    assert (value.value, value.note) == (Decimal("1610000.55"), "oud")
    assert (other.value, other.note) == (Decimal("7"), "nieuw = beter")
    assert (line.budget, line.spent, line.forecast) == (Decimal("100"), Decimal("99.99"), 5)
    assert report.version == version + 1
    record = value.history.first()
    assert (record.history_type, record.value, record.history_change_reason) == (
        "~",
        Decimal("1610000.55"),
        "Import uit update.xlsx",
    )
    assert record.history_user == world["coordinator"]
    assert line.history.first().spent == Decimal("99.99")


def test_the_dashboard_read_model_shows_the_imported_values(client, world):
    from programmes.overview import programme_overview

    book = template_book(client, world)
    set_cell(book["Indicatoren"], "A1", "Uitstroom naar werk", "Realisatie", 43)
    response = upload(client, world, save(book))
    confirm(client, world, response)
    overview = programme_overview(programme=world["programme"], period=world["period"])
    row = overview.project(world["zorg"].pk).indicators[0]
    assert row.actual == Decimal("43")


def test_a_libreoffice_style_sheet_with_numbers_as_text_and_moved_columns_imports(world):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "indicatoren "
    ws.append(["Toelichting", "Indicator", "Realisatie", "Projectcode"])
    ws.append(["via LibreOffice", "uitstroom naar werk", "1.234,5", "A1"])
    book.create_sheet("Notities").append(["iets"])
    parsed = parsed_from(book)
    assert parsed.ignored_sheets == ("Notities",)
    plan = imports.plan_import(
        parsed=parsed, programme=world["programme"], period=world["period"], user=world["manager"]
    )
    (row,) = plan.changed_rows
    assert row.fields[0].new == Decimal("1234.5")


def test_preview_is_refused_when_data_changed_before_confirm(client, world):
    book = template_book(client, world)
    set_cell(book["Indicatoren"], "A1", "Uitstroom naar werk", "Realisatie", 43)
    response = upload(client, world, save(book))
    report = factories.ProgressReportFactory(project=world["zorg"], period=world["period"])
    factories.IndicatorValueFactory(report=report, indicator=world["uitstroom"], value=5)
    response = confirm(client, world, response)
    assert response.status_code == 302
    assert IndicatorValue.objects.get(report=report).value == Decimal("5")


def test_confirm_without_the_servers_token_writes_nothing(client, world):
    book = template_book(client, world)
    set_cell(book["Indicatoren"], "A1", "Uitstroom naar werk", "Realisatie", 43)
    response = upload(client, world, save(book))
    url = reverse(
        "excel:import_confirm", kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"}
    )
    forged = client.post(url, {"token": "geraden", "sha256": response.context["sha256"]})
    assert forged.status_code == 302
    assert not IndicatorValue.objects.filter(report__period=world["period"]).exists()


# --- Broken and hostile files ----------------------------------------------------------------


def minimal_book(value="43", *, code="A1", indicator="Uitstroom naar werk"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Indicatoren"
    ws.append(["Projectcode", "Indicator", "Realisatie", "Toelichting"])
    ws.append([code, indicator, value, None])
    return book


def test_not_an_xlsx_is_refused():
    assert refusal(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR") == [
        "Dit is geen Excel-werkmap (.xlsx). Gebruik het sjabloon en sla het op als .xlsx."
    ]


def test_a_csv_or_text_file_is_named_as_such():
    # A CSV export uploaded back, or a .txt renamed to .xlsx.
    for content in [
        "\ufeffProjectcode;Indicator;Realisatie\nA1;Uitstroom naar werk;3\n".encode(),
        "Notities over de uitstroom: 43 inwoners, € 1.610.000".encode(),
    ]:
        assert refusal(content) == [
            "Dit is een tekstbestand (bijvoorbeeld CSV), geen Excel-werkmap (.xlsx). Download "
            "het sjabloon, vul het in en sla het op als .xlsx."
        ]


def test_a_libreoffice_ods_file_says_how_to_save_as_xlsx():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # As LibreOffice writes it: the mimetype first and uncompressed.
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    (message,) = refusal(buffer.getvalue())
    assert message.startswith("Dit is een OpenDocument-rekenblad (.ods)")
    assert "Excel 2007-365 (.xlsx)" in message


def test_a_binary_xlsb_workbook_is_named_as_such():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    (message,) = refusal(buffer.getvalue())
    assert message.startswith("Dit is een binaire Excel-werkmap (.xlsb)")


def test_password_protected_file_is_refused():
    ole2 = imports.OLE2_MAGIC + b"\x00" * 600
    (message,) = refusal(ole2)
    assert "met een wachtwoord beveiligd" in message


def test_too_large_file_is_refused():
    (message,) = refusal(b"PK\x03\x04" + b"\x00" * (imports.MAX_FILE_BYTES + 1))
    assert "de grens is 5 MB" in message


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    (message,) = refusal(buffer.getvalue())
    assert "geen Excel-werkmap" in message


def test_a_zip_bomb_is_refused_before_unpacking():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (imports.MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < imports.MAX_FILE_BYTES
    assert refusal(buffer.getvalue()) == ["Het bestand is uitgepakt te groot om veilig te lezen."]


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    book = minimal_book()
    for _ in range(4):
        book.active.append(["A1", "Uitstroom naar werk", 1])
    (message,) = refusal(save(book))
    assert message == (
        "Het bestand heeft 5 ingevulde rijen; er kunnen er hoogstens 3 tegelijk in. Verdeel de "
        "rijen over meer bestanden."
    )


def test_rows_with_only_formatting_do_not_count_towards_the_row_limit(monkeypatch):
    """Someone colours the column down to row 25.000: the sheet's max_row says 25.000, the
    file holds one row of data and must import, not be refused as too large."""
    from openpyxl.styles import PatternFill

    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    book = minimal_book("43")
    for row in range(3, 40):
        book.active.cell(row=row, column=3).fill = PatternFill("solid", fgColor="FFFF00")
    assert book.active.max_row == 39

    parsed = parsed_from(book)

    assert [(r.row, r.value) for r in parsed.indicators] == [(2, Decimal("43"))]


def test_a_cell_formatted_as_percentage_is_refused():
    """Excel keeps "50%" as 0,5: taking either 0,5 or 50 could be wrong a hundredfold."""
    book = minimal_book(0.5)
    book.active["C2"].number_format = "0%"

    assert refusal(save(book)) == [
        "Blad Indicatoren, rij 2, kolom Realisatie: de cel is opgemaakt als percentage (50% "
        "staat er als 0,5 in). Maak de cel op als getal en typ de waarde zonder %-teken."
    ]


def test_formula_is_refused_not_evaluated():
    book = minimal_book("=2+2")
    assert refusal(save(book)) == [
        "Blad Indicatoren, rij 2, kolom Realisatie: de cel bevat een formule (=2+2). Formules "
        "worden niet uitgerekend: typ de waarde zelf in."
    ]


def test_merged_cells_are_refused():
    book = minimal_book()
    book.active.merge_cells("A2:B2")
    messages = refusal(save(book))
    assert any("Blad Indicatoren, rij 2: de cellen A2:B2 zijn samengevoegd" in m for m in messages)


def test_ambiguous_amount_names_sheet_row_and_column():
    assert refusal(save(minimal_book("2.3000.000"))) == [
        "Blad Indicatoren, rij 2, kolom Realisatie: '2.3000.000' is dubbelzinnig: een punt "
        "scheidt groepen van precies drie cijfers, zoals in 2.300.000."
    ]


def test_a_date_where_a_number_belongs_is_refused():
    (message,) = refusal(save(minimal_book(datetime.datetime(2021, 7, 1))))
    assert message.startswith("Blad Indicatoren, rij 2, kolom Realisatie: de cel is een datum")


def test_negative_number_is_refused():
    (message,) = refusal(save(minimal_book(-5)))
    assert "negatief" in message


def test_missing_column_is_refused():
    book = openpyxl.Workbook()
    book.active.title = "Indicatoren"
    book.active.append(["Projectcode", "Indicator", "Waarde"])
    assert refusal(save(book)) == [
        "Blad Indicatoren, rij 1: de kolom 'Realisatie' ontbreekt in de kopregel. Gebruik de "
        "kolomkoppen van het sjabloon."
    ]


def test_workbook_without_known_sheets_is_refused():
    book = openpyxl.Workbook()
    book.active.title = "Blad1"
    (message,) = refusal(save(book))
    assert "geen blad 'Indicatoren' of 'Begroting'" in message


def test_peildatum_as_odd_text_is_read_and_checked(world):
    book = minimal_book()
    help_ws = book.create_sheet("Toelichting")
    help_ws.append(["Programma", "werken-aan-werk"])
    help_ws.append(["Peildatum", "01-01-2021"])
    parsed = parsed_from(book)
    assert parsed.declared_peildatum == datetime.date(2021, 1, 1)
    with pytest.raises(imports.ImportRefused) as refused:
        imports.plan_import(
            parsed=parsed,
            programme=world["programme"],
            period=world["period"],
            user=world["manager"],
        )
    assert "gemaakt voor peildatum 1-1-2021, u importeert in peildatum 1-7-2021" in str(
        refused.value
    )
    help_ws["B2"] = "7/1/21"
    assert refusal(save(book)) == [
        "Blad Toelichting, rij 2, kolom B: '7/1/21' is geen datum; schrijf bijvoorbeeld 1-7-2021."
    ]


def test_bad_year_in_budget_is_refused():
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Begroting"
    ws.append(["Projectcode", "Jaar", "Begroting", "Uitgaven", "Prognose"])
    ws.append(["A1", "'21", 1000, None, None])
    (message,) = refusal(save(book))
    assert message.startswith("Blad Begroting, rij 2, kolom Jaar: ''21' is geen jaartal")


def test_digits_of_other_scripts_are_refused_by_name_in_values_years_and_peildatum():
    """Python reads "１２３", "١٢٣" and "𝟏𝟐𝟑" as 123; the import names the character instead."""
    book = minimal_book("𝟏𝟐𝟑")
    budget = book.create_sheet("Begroting")
    budget.append(["Projectcode", "Jaar", "Begroting", "Uitgaven", "Prognose"])
    budget.append(["A1", "２０２１", 1000, None, None])
    budget.append(["A1", 2022, "١٢٣", None, None])
    declaration = book.create_sheet("Toelichting")
    declaration.append(["Programma", "werken-aan-werk"])
    declaration.append(["Peildatum", "１-７-２０２１"])

    assert refusal(save(book)) == [
        'Blad Indicatoren, rij 2, kolom Realisatie: Het teken "𝟏" is geen cijfer; typ de '
        "cijfers 0–9.",
        'Blad Begroting, rij 2, kolom Jaar: Het teken "２" is geen cijfer; typ de cijfers 0–9.',
        'Blad Begroting, rij 3, kolom Begroting: Het teken "١" is geen cijfer; typ de cijfers 0–9.',
        "Blad Toelichting, rij 2, kolom B: '１-７-２０２１' is geen datum; schrijf bijvoorbeeld "
        "1-7-2021.",
    ]


def plan_refusal(world, book, user=None) -> list[str]:
    with pytest.raises(imports.ImportRefused) as refused:
        imports.plan_import(
            parsed=parsed_from(book),
            programme=world["programme"],
            period=world["period"],
            user=user or world["manager"],
        )
    return refused.value.messages


def test_unknown_project_and_indicator_are_refused(world):
    book = minimal_book(code="Z9")
    book.active.append(["A1", "Bestaat niet", 3])
    messages = plan_refusal(world, book)
    assert messages == [
        "Blad Indicatoren, rij 2, kolom Projectcode: projectcode 'Z9' bestaat niet in programma "
        f"{world['programme'].name}.",
        "Blad Indicatoren, rij 3, kolom Indicator: project A1 heeft geen indicator 'Bestaat niet'.",
    ]


def test_duplicate_rows_are_refused(world):
    book = minimal_book()
    book.active.append(["A1", "Uitstroom naar werk", 44])
    assert plan_refusal(world, book) == [
        "Blad Indicatoren, rij 3, kolom Indicator: dubbele regel: deze indicator staat ook in "
        "rij 2."
    ]


def test_more_than_two_decimals_fail_the_models_own_validation(world):
    messages = plan_refusal(world, minimal_book(Decimal("21.125")))
    assert len(messages) == 1
    assert messages[0].startswith("Blad Indicatoren, rij 2, kolom Realisatie: ")
    assert "niet meer dan 2 cijfers achter de komma" in messages[0]


@pytest.mark.parametrize(
    "content",
    [
        b"not a workbook",
        imports.OLE2_MAGIC + b"\x00" * 100,
        "formula",
        "merged",
        "ambiguous",
        "unknown",
    ],
)
def test_broken_uploads_write_nothing_and_say_why(client, world, content):
    books = {
        "formula": minimal_book("=A1"),
        "merged": minimal_book(),
        "ambiguous": minimal_book("2.3000.000"),
        "unknown": minimal_book(code="Z9"),
    }
    if content == "merged":
        books["merged"].active.merge_cells("A2:B2")
    if isinstance(content, str):
        content = save(books[content])
    before = (history_count(), IndicatorValue.objects.count(), ProgressReport.objects.count())
    client.force_login(world["manager"])
    response = upload(client, world, content)
    assert response.status_code == 400
    assert "is niet geïmporteerd" in response.content.decode()
    assert "Er is niets opgeslagen" in response.content.decode()
    after = (history_count(), IndicatorValue.objects.count(), ProgressReport.objects.count())
    assert after == before


def test_an_empty_upload_says_the_file_is_empty(client, world):
    client.force_login(world["manager"])

    response = upload(client, world, b"", name="leeg.xlsx")

    html = response.content.decode()
    assert response.status_code == 400
    assert "leeg.xlsx is niet geïmporteerd" in html
    assert "Het bestand is leeg (0 bytes)." in html
    assert "Kies een bestand" not in html


def assert_refused_with_the_form_again(response, message):
    html = response.content.decode()
    assert "Niet geïmporteerd" in html
    assert message in html
    assert 'type="file" name="file"' in html  # the form is there to try again
    assert "Uploaden en controleren" in html


def test_an_upload_over_the_size_limit_is_refused_before_its_body_is_read(client, world):
    """The Content-Length says it all: Django does not stream 6 MB to a temporary file."""
    client.force_login(world["manager"])

    response = upload(client, world, b"PK\x03\x04" + b"\x00" * (6 * 1024 * 1024))

    assert response.status_code == 413
    assert_refused_with_the_form_again(response, "Het bestand is 6,0 MB groot; de grens is 5 MB.")


def test_an_upload_that_grows_past_the_limit_while_streaming_is_stopped(client, world, monkeypatch):
    """A body without an honest length (chunked): reading stops at the first byte too many."""
    from reports import excel_views

    monkeypatch.setattr(excel_views, "MAX_REQUEST_BYTES", 100 * 1024 * 1024)
    client.force_login(world["manager"])

    response = upload(client, world, b"PK\x03\x04" + b"\x00" * (imports.MAX_FILE_BYTES + 1))

    assert response.status_code == 413
    assert_refused_with_the_form_again(response, "Het bestand is groter dan 5 MB; dat is de grens.")


@pytest.mark.parametrize("limit", ["fields", "files"])
def test_a_request_with_too_much_besides_the_file_is_refused_with_the_form(
    client, world, settings, limit
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    client.force_login(world["manager"])
    url = reverse(
        "excel:import_upload", kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"}
    )
    files = [io.BytesIO(save(minimal_book())) for _ in range(2)]
    for number, file in enumerate(files):
        file.name = f"bestand{number}.xlsx"
    data = {"file": files[0], "notitie": "x" * 2000} if limit == "fields" else {"file": files}

    response = client.post(url, data)

    assert response.status_code == 413
    assert_refused_with_the_form_again(
        response, "Stuur één .xlsx-bestand van hoogstens 5 MB, zonder andere velden of bestanden."
    )


def test_the_upload_still_checks_the_csrf_token_and_the_limit_holds_when_it_does(
    world, monkeypatch
):
    """The CSRF check reads the body; the size limit must already be in place by then."""
    from django.test import Client

    from reports import excel_views

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["manager"])
    url = reverse(
        "excel:import_upload", kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"}
    )
    assert upload(client, world, save(minimal_book())).status_code == 403

    page = client.get(reverse("excel:import_start", kwargs={"slug": world["programme"].slug}))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    def post(content: bytes):
        file = io.BytesIO(content)
        file.name = "ingevuld.xlsx"
        return client.post(url, {"csrfmiddlewaretoken": token, "file": file})

    assert post(save(minimal_book())).status_code == 200
    monkeypatch.setattr(excel_views, "MAX_REQUEST_BYTES", 100 * 1024 * 1024)
    response = post(b"PK\x03\x04" + b"\x00" * (imports.MAX_FILE_BYTES + 1))
    assert response.status_code == 413
    assert_refused_with_the_form_again(response, "Het bestand is groter dan 5 MB; dat is de grens.")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_a_template_saved_by_libreoffice_imports(client, world, tmp_path):
    """The template, filled in and saved again by LibreOffice Calc (its own number, date and
    sheet-protection handling), reads as the same rows."""
    import subprocess

    book = template_book(client, world)
    set_cell(book["Indicatoren"], "A1", "Uitstroom naar werk", "Realisatie", "1.234")
    set_cell(book["Indicatoren"], "A1", "Gestarte trajecten", "Realisatie", 17)
    set_cell(book["Begroting"], "A1", 2021, "Begroting", "€ 1.610.000,50")
    source = tmp_path / "ingevuld.xlsx"
    source.write_bytes(save(book))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profiel",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(tmp_path / "uit"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = (tmp_path / "uit" / "ingevuld.xlsx").read_bytes()

    parsed = imports.read_workbook(saved, filename="ingevuld.xlsx")

    assert parsed.declared_peildatum == PEILDATUM
    assert parsed.declared_programme == "werken-aan-werk"
    assert {(r.project_code, r.indicator, r.value) for r in parsed.indicators} == {
        ("A1", "Uitstroom naar werk", Decimal("1234")),
        ("A1", "Gestarte trajecten", Decimal("17")),
    }
    assert [(r.year, r.budget) for r in parsed.budget] == [(2021, Decimal("1610000.50"))]
    plan = imports.plan_import(
        parsed=parsed, programme=world["programme"], period=world["period"], user=world["manager"]
    )
    assert len(plan.changed_rows) == 3


def test_one_bad_row_among_good_ones_writes_nothing(world):
    book = minimal_book("43")
    book.active.append(["A1", "Gestarte trajecten", 12])
    book.active.append(["B2", "Bestaat niet", 3])
    with pytest.raises(imports.ImportRefused):
        imports.apply_import(
            parsed=parsed_from(book),
            programme=world["programme"],
            period=world["period"],
            user=world["manager"],
        )
    assert not ProgressReport.objects.filter(period=world["period"]).exists()
    assert not IndicatorValue.objects.filter(report__period=world["period"]).exists()


# --- Permissions and states --------------------------------------------------------------------


def test_coordinator_may_import_only_into_own_project(world):
    book = minimal_book(code="B2", indicator="Deelnemers")
    assert plan_refusal(world, book, world["coordinator"]) == [
        "Blad Indicatoren, rij 2: u mag de rapportage van dit project niet bewerken."
    ]
    plan = imports.plan_import(
        parsed=parsed_from(minimal_book()),
        programme=world["programme"],
        period=world["period"],
        user=world["coordinator"],
    )
    assert plan.has_changes


@pytest.mark.parametrize(
    ("state", "closed", "expected"),
    [
        ("approved", False, "is goedgekeurd en kan niet meer veranderen"),
        ("submitted", False, "is ingediend en wacht op beoordeling"),
        ("draft", True, "de periode peildatum 1-7-2021 is gesloten"),
    ],
)
def test_approved_submitted_and_closed_are_refused(world, state, closed, expected):
    report = factories.ProgressReportFactory(
        project=world["zorg"], period=world["period"], state=state
    )
    factories.IndicatorValueFactory(report=report, indicator=world["uitstroom"], value=1)
    if closed:
        world["period"].is_closed = True
        world["period"].save()
    (message,) = plan_refusal(world, minimal_book("43"))
    assert expected in message
    assert IndicatorValue.objects.get(report=report).value == Decimal("1")


def test_unchanged_value_in_an_approved_report_is_no_error(world):
    report = factories.ProgressReportFactory(
        project=world["zorg"], period=world["period"], state="approved"
    )
    factories.IndicatorValueFactory(report=report, indicator=world["uitstroom"], value=43)
    plan = imports.plan_import(
        parsed=parsed_from(minimal_book("43,00")),
        programme=world["programme"],
        period=world["period"],
        user=world["manager"],
    )
    assert not plan.has_changes and len(plan.unchanged_rows) == 1


def test_closed_period_without_a_report_creates_nothing(world):
    world["period"].is_closed = True
    world["period"].save()
    (message,) = plan_refusal(world, minimal_book("43"))
    assert "is gesloten" in message


@pytest.mark.parametrize("state", ["draft", "returned", "submitted", "approved"])
@pytest.mark.parametrize("who", ["manager", "coordinator", "stranger"])
def test_set_based_permission_agrees_with_can_edit_report(world, state, who):
    users = {
        "manager": world["manager"],
        "coordinator": world["coordinator"],
        "stranger": factories.UserFactory(),
    }
    user = users[who]
    report = factories.ProgressReportFactory(project=world["zorg"], period=world["period"])
    report.state = state
    manages, coordinated = permissions.editable_project_pks(user=user, programme=world["programme"])
    set_based = permissions.report_is_editable(report) and (
        manages or world["zorg"].pk in coordinated
    )
    assert set_based == permissions.can_edit_report(user, report)
    refused = imports.plan._report_refusal(
        report, world["period"], manages or world["zorg"].pk in coordinated
    )
    assert (refused == "") == permissions.can_edit_report(user, report)


def test_import_pages_answer_404_outside_scope_and_403_for_readers(client, world):
    other = factories.UserFactory()
    other_programme = factories.ProgrammeFactory()
    other_programme.managers.add(other)
    client.force_login(other)
    url = reverse("excel:import_start", kwargs={"slug": world["programme"].slug})
    assert client.get(url).status_code == 404
    template = reverse(
        "excel:import_template",
        kwargs={"slug": world["programme"].slug, "peildatum": "2021-07-01"},
    )
    assert client.get(template).status_code == 404
    reader = factories.UserFactory()
    world["programme"].region.viewers.add(reader)
    client.force_login(reader)
    assert client.get(url).status_code == 403
    assert upload(client, world, save(minimal_book())).status_code == 403
    client.force_login(world["coordinator"])
    page = client.get(url)
    assert page.status_code == 200
    assert "peildatum 1-7-2021" in page.content.decode()


# --- Query counts ------------------------------------------------------------------------------


def build_indicators(world, projects: int, per_project: int = 3):
    from programmes.models import Indicator, Project

    created = Project.objects.bulk_create(
        Project(programme=world["programme"], code=f"Q{n}", title=f"Project {n}")
        for n in range(projects)
    )
    Indicator.objects.bulk_create(
        Indicator(project=p, name=f"Ind {i}", target_value=100)
        for p in created
        for i in range(per_project)
    )
    book = minimal_book()
    ws = book.active
    for p in created:
        for i in range(per_project):
            ws.append([p.code, f"Ind {i}", i + 1, "via import"])
    return book


@pytest.mark.parametrize("projects", [5, 60])
def test_import_queries_do_not_grow_with_rows(world, projects, django_assert_max_num_queries):
    book = build_indicators(world, projects)
    parsed = parsed_from(book)
    # Savepoint, period (locked), projects, indicators, reports (locked), manager?, coordinated
    # projects, existing values and budget lines, the previous reports and their values, the
    # last approved reports and their budget lines (the prefill the preview shows). Reports
    # that do not exist yet are started in bulk (`services.start_reports`: its own checks,
    # the reports with their history, the prefilled rows per kind) and the plan is made
    # again against them. Then per table its inserts or updates and its history inserts, in
    # batches (SQLite splits a batch by its parameter limit): the count follows rows / batch
    # size, never one per row. Starting the reports and the import itself each refresh the
    # programme's stored status (services.derived: the read model's fixed queries, one
    # delete, the inserts in batches), and the import's audit row (monitor.audit).
    with django_assert_max_num_queries(92):
        result = imports.apply_import(
            parsed=parsed,
            programme=world["programme"],
            period=world["period"],
            user=world["manager"],
        )
    assert result.created_values == projects * 3 + 1
    with django_assert_max_num_queries(30):
        again = imports.apply_import(
            parsed=parsed,
            programme=world["programme"],
            period=world["period"],
            user=world["manager"],
        )
    assert not again.changed_anything


# --- Management command ------------------------------------------------------------------------


def test_management_command_dry_run_then_real(world, tmp_path, capsys):
    path = tmp_path / "bulk.xlsx"
    path.write_bytes(save(minimal_book("43")))
    args = [str(path), "--programme", "werken-aan-werk", "--period", "2021-07-01"]
    call_command("import_realisations", *args, "--user", "manager", "--dry-run")
    assert "Proefdraai" in capsys.readouterr().out
    assert not IndicatorValue.objects.filter(report__period=world["period"]).exists()
    call_command("import_realisations", *args, "--user", "manager")
    assert IndicatorValue.objects.get(report__period=world["period"]).value == Decimal("43")
    record = IndicatorValue.history.latest("history_date")
    assert record.history_change_reason == "Import uit bulk.xlsx"


def test_management_command_reports_errors_and_writes_nothing(world, tmp_path):
    path = tmp_path / "fout.xlsx"
    path.write_bytes(save(minimal_book("2.3000.000")))
    with pytest.raises(CommandError, match="rij 2, kolom Realisatie"):
        call_command(
            "import_realisations",
            str(path),
            "--programme",
            "werken-aan-werk",
            "--period",
            "2021-07-01",
            "--user",
            "manager",
        )
    assert not IndicatorValue.objects.filter(report__period=world["period"]).exists()


# --- The import writes as the form does (programmes.services) ----------------------------------


def budget_book(rows):
    book = openpyxl.Workbook()
    book.active.title = "Begroting"
    book.active.append(["Projectcode", "Jaar", "Begroting", "Uitgaven", "Prognose"])
    for row in rows:
        book.active.append(row)
    return book


def apply(world, book, user=None):
    return imports.apply_import(
        parsed=parsed_from(book),
        programme=world["programme"],
        period=world["period"],
        user=user or world["manager"],
    )


def test_a_lower_cumulative_value_needs_a_note_as_in_the_form(world):
    messages = plan_refusal(world, minimal_book("12"))
    assert messages == [
        "Blad Indicatoren, rij 2, kolom Toelichting: De waarde is lager dan vorige periode (20) "
        "terwijl deze indicator optelt; licht toe waarom."
    ]
    book = minimal_book("12")
    book.active["D2"] = "Correctie: dubbel geteld"
    assert apply(world, book).created_values == 1


def test_a_budget_year_outside_the_project_is_refused(world):
    world["zorg"].start_date = datetime.date(2021, 2, 1)
    world["zorg"].end_date = datetime.date(2022, 12, 31)
    world["zorg"].save()
    messages = plan_refusal(world, budget_book([["A1", 1995, 10, 5, 5], ["A1", 2022, 10, 5, 5]]))
    assert messages == [
        "Blad Begroting, rij 2, kolom Jaar: Jaar 1995 valt buiten de looptijd van het project "
        "(2021–2022)."
    ]


def test_a_report_the_import_creates_is_prefilled_like_the_forms(world):
    approved = ProgressReport.objects.get(project=world["zorg"], period=world["previous"])
    approved.state = ProgressReport.State.APPROVED
    approved.save()
    factories.BudgetLineFactory(report=approved, year=2021, budget=Decimal("1000"), spent=None)
    ActivityProgress.objects.create(report=approved, activity="Werving", progress="Gestart")
    result = apply(world, budget_book([["A1", 2021, None, 400, None]]))
    assert result.created_reports == 1
    report = ProgressReport.objects.get(project=world["zorg"], period=world["period"])
    assert list(report.activities.values_list("activity", flat=True)) == ["Werving"]
    line = report.budget_lines.get(year=2021)
    assert (line.budget, line.spent) == (Decimal("1000"), Decimal("400"))
    assert report.history.earliest().history_change_reason == "Rapportage gestart"


def test_a_form_save_after_an_import_keeps_the_imported_years(world, client):
    from programmes import services

    world["zorg"].start_date = datetime.date(2021, 1, 1)
    world["zorg"].end_date = datetime.date(2021, 12, 31)
    world["zorg"].save()
    apply(world, budget_book([["A1", 2021, 500, 100, 400]]), user=world["coordinator"])
    report = ProgressReport.objects.get(project=world["zorg"], period=world["period"])
    services.save_draft(
        report=report,
        user=world["coordinator"],
        data=services.ReportInput(summary="Loopt"),
        version=report.version,
    )
    assert report.budget_lines.get(year=2021).budget == Decimal("500")


def test_import_and_form_store_the_same_rows_for_the_same_input(world):
    """The same value and budget, once through the import and once through the services the
    form calls: the stored rows are the same."""
    from programmes import services

    book = minimal_book("43")
    sheet = book.create_sheet("Begroting")
    for row in budget_book([["A1", 2021, 500, 100, 400]]).active.iter_rows(values_only=True):
        sheet.append(list(row))
    apply(world, book)
    imported = ProgressReport.objects.get(project=world["zorg"], period=world["period"])

    def rows(report):
        return (
            list(report.values.values_list("indicator_id", "value", "note")),
            list(report.budget_lines.values_list("year", "budget", "spent", "forecast")),
        )

    expected = rows(imported)
    imported.values.all().delete()
    imported.budget_lines.all().delete()
    imported.refresh_from_db()
    services.save_draft(
        report=imported,
        user=world["manager"],
        data=services.ReportInput(
            values=(services.IndicatorValueInput(world["uitstroom"].pk, Decimal("43")),),
            budget_lines=(
                services.BudgetLineInput(
                    year=2021, budget=Decimal(500), spent=Decimal(100), forecast=Decimal(400)
                ),
            ),
        ),
        version=imported.version,
    )
    assert rows(imported) == expected


def test_a_stored_control_character_never_breaks_the_template(world):
    """An xlsx cannot carry one (XML refuses it), but an old narrative or title might."""
    world["zorg"].title = "ZorgStart\x07"
    world["zorg"].save()
    content = imports.build_template(programme=world["programme"], period=world["period"])
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Indicatoren"]
    assert sheet["B2"].value == "ZorgStart"
