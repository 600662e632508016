"""Excel and CSV export of what a user can see: one data builder, two output formats.

`export_tables(overviews)` turns the shared read model (`programmes.overview`) into plain
tables; `workbook_bytes(tables)` writes them as an .xlsx with openpyxl and `csv_bytes(table)`
writes one of them as CSV through pandas. Every figure and every light comes from the read
model (and so from `programmes.status`); this module only lays them out.

Formats: numbers are stored as numbers and dates as dates, so that Excel can calculate with
them; amounts carry a euro number format (number formats are locale-neutral codes, a Dutch
Excel shows "€ 1.610.000,00"). The CSV is for a Dutch Excel: `;` as separator, a decimal
comma, dates as 1-7-2021 and a UTF-8 byte order mark.

Every text cell goes through `programmes.text.text_for_excel`: a control character stored
by an older import or the admin is dropped, so it can never break an export. Text cells that
a spreadsheet could read as a formula (starting with = + - @, a tab or a carriage return)
are neutralised with a leading apostrophe (CSV/formula injection). Narratives are plain
text and go into a cell as typed, line breaks included.

This module must never compute a light or a total itself, check permissions (the views pass
only programmes the user may read) or query the database.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from programmes.formatting import nl_date
from programmes.overview import ProgrammeOverview, ProjectStatus
from programmes.status import Light
from programmes.text import text_for_excel

TEXT = "text"
NUMBER = "number"
EURO = "euro"
DATE = "date"
PERCENT = "percent"
YEAR = "year"

# A whole number shows without decimals; "#,##0.##" would leave a dangling decimal sign
# ("243,") in Excel, so fractions get their own format per cell.
WHOLE_FORMAT = "#,##0"
FRACTION_FORMAT = "#,##0.0#"
NUMBER_FORMATS = {
    NUMBER: WHOLE_FORMAT,
    YEAR: "0",
    EURO: '"€" #,##0.00;-"€" #,##0.00',
    DATE: "d-m-yyyy",
    PERCENT: "0%",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: int = 14


@dataclass(frozen=True)
class Table:
    key: str  # for ?tabel=... and the CSV file name
    title: str  # the sheet name
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]


def neutralise(text: str) -> str:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if text and text.startswith(DANGEROUS_START):
        return "'" + text
    return text


def _light(light: Light | None) -> str:
    return str(light.label) if light else ""


def _yes_no(value: bool) -> str:
    return str(_("ja")) if value else str(_("nee"))


def export_tables(overviews: Sequence[ProgrammeOverview]) -> tuple[Table, ...]:
    """The tables of an export: projects, indicator values per period, budget per year,
    funding per source, report states per period and programme targets."""
    projects, indicators, budget, funding, reports, targets = [], [], [], [], [], []
    for overview in overviews:
        programme = overview.programme.name
        peildatum = overview.period.peildatum if overview.period else None
        for project in overview.projects:
            report = project.report
            projects.append(
                (
                    programme,
                    project.pillar_name,
                    project.code,
                    project.title,
                    project.status_label,
                    project.start_date,
                    project.end_date,
                    project.owner,
                    project.planned_cost,
                    peildatum,
                    report.state_label if report else _("geen rapportage"),
                    _light(project.reported_light),
                    _light(project.computed_light),
                    _yes_no(project.lights_differ),
                    report.summary if report else "",
                    report.light_explanation if report else "",
                    report.light_cause if report else "",
                    report.light_consequences if report else "",
                    report.light_recovery if report else "",
                    *_finance_cells(project),
                )
            )
            for indicator in project.indicators:
                for point in indicator.history:
                    indicators.append(
                        (
                            programme,
                            project.code,
                            project.title,
                            indicator.name,
                            indicator.unit,
                            point.period.peildatum,
                            point.target,
                            point.planned,
                            _one_decimal(point.expected),
                            point.actual,
                            point.realised_to_date,
                            _light(point.light),
                        )
                    )
            for line in project.budget_lines:
                budget.append(
                    (
                        programme,
                        project.code,
                        project.title,
                        peildatum,
                        line.year,
                        line.budget,
                        line.spent,
                        line.forecast,
                    )
                )
            for line in project.funding_lines:
                funding.append(
                    (
                        programme,
                        project.code,
                        project.title,
                        peildatum,
                        line.source,
                        line.budgeted,
                        line.received,
                        line.committed,
                        line.to_request,
                        line.note,
                    )
                )
            for step in project.history:
                reports.append(
                    (
                        programme,
                        project.code,
                        project.title,
                        step.period.peildatum,
                        step.state_label or _("geen rapportage"),
                        _light(step.reported_light),
                        _light(step.computed_light),
                        _yes_no(step.lights_differ),
                    )
                )
        for target in overview.targets:
            targets.append(
                (
                    programme,
                    peildatum,
                    target.name,
                    target.unit,
                    target.target,
                    target.original_target,
                    target.realised,
                    target.progress,
                )
            )

    programme_col = Column(_("Programma"), width=30)
    code_col = Column(_("Projectcode"), width=12)
    title_col = Column(_("Project"), width=40)
    peildatum_col = Column(_("Peildatum"), DATE, 12)
    return (
        Table(
            "projecten",
            _("Projecten"),
            (
                programme_col,
                Column(_("Pijler"), width=25),
                code_col,
                title_col,
                Column(_("Fase")),
                Column(_("Startdatum"), DATE, 12),
                Column(_("Einddatum"), DATE, 12),
                Column(_("Eigenaar"), width=25),
                Column(_("Kosten volgens projectplan"), EURO, 16),
                peildatum_col,
                Column(_("Status rapportage")),
                Column(_("Gerapporteerd stoplicht")),
                Column(_("Berekend stoplicht")),
                Column(_("Stoplichten verschillen")),
                Column(_("Samenvatting"), width=60),
                Column(_("Toelichting stoplicht"), width=60),
                # Oorzaak, gevolgen, bijsturing: the explanation of an oranje or rood light,
                # as the PDFs print it.
                Column(_("Oorzaak"), width=40),
                Column(_("Gevolgen"), width=40),
                Column(_("Bijsturing"), width=40),
                Column(_("Stoplicht budget")),
                Column(_("Reden stoplicht budget"), width=60),
                Column(_("Totaal begroting"), EURO, 16),
                Column(_("Verwachte uitgaven (realisatie en prognose)"), EURO, 18),
                Column(_("Opgegeven totaal uitgaven"), EURO, 16),
                Column(_("Totaal begroot (inkomsten)"), EURO, 16),
                Column(_("Opgegeven totaal begroot (inkomsten)"), EURO, 16),
                Column(_("Totalen onvolledig"), width=60),
            ),
            tuple(projects),
        ),
        Table(
            "indicatoren",
            _("Indicatoren"),
            (
                programme_col,
                code_col,
                title_col,
                Column(_("Indicator"), width=40),
                Column(_("Eenheid")),
                peildatum_col,
                Column(_("Streefwaarde"), NUMBER),
                Column(_("Planning"), NUMBER),
                Column(_("Verwacht"), NUMBER),
                Column(_("Realisatie"), NUMBER),
                Column(_("Realisatie tot en met peildatum"), NUMBER, 18),
                Column(_("Stoplicht")),
            ),
            tuple(indicators),
        ),
        Table(
            "begroting",
            _("Begroting"),
            (
                programme_col,
                code_col,
                title_col,
                peildatum_col,
                Column(_("Jaar"), YEAR, 8),
                Column(_("Begroting"), EURO, 16),
                Column(_("Uitgaven"), EURO, 16),
                Column(_("Prognose"), EURO, 16),
            ),
            tuple(budget),
        ),
        Table(
            "financiering",
            _("Financiering"),
            (
                programme_col,
                code_col,
                title_col,
                peildatum_col,
                Column(_("Bron"), width=25),
                Column(_("Begroot"), EURO, 16),
                Column(_("Ontvangen"), EURO, 16),
                Column(_("Toegezegd"), EURO, 16),
                Column(_("Nog aan te vragen"), EURO, 16),
                Column(_("Toelichting"), width=40),
            ),
            tuple(funding),
        ),
        Table(
            "rapportages",
            _("Rapportages"),
            (
                programme_col,
                code_col,
                title_col,
                peildatum_col,
                Column(_("Status")),
                Column(_("Gerapporteerd stoplicht")),
                Column(_("Berekend stoplicht")),
                Column(_("Stoplichten verschillen")),
            ),
            tuple(reports),
        ),
        Table(
            "doelen",
            _("Programmadoelen"),
            (
                programme_col,
                peildatum_col,
                Column(_("Doel"), width=40),
                Column(_("Eenheid")),
                Column(_("Streefwaarde"), NUMBER),
                Column(_("Oorspronkelijke streefwaarde"), NUMBER, 18),
                Column(_("Gerealiseerd"), NUMBER),
                Column(_("Voortgang"), PERCENT),
            ),
            tuple(targets),
        ),
    )


def _one_decimal(value: Decimal | None) -> Decimal | None:
    """A computed value (expected, a ratio) rounded as the screens show it."""
    return None if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _finance_cells(project: ProjectStatus) -> tuple:
    """The budget light with its reason and the totals of the cost and income tables, as
    the read model computes them; a total that leaves out a line says which."""
    budget, costs, income = project.budget, project.budget_total, project.funding_total
    incomplete = [
        f"{label}: {column.missing_text}"
        for label, column in (
            (_("Begroting"), costs.budget if costs else None),
            (_("Verwachte uitgaven"), costs.expected if costs else None),
            (_("Begroot (inkomsten)"), income.budgeted if income else None),
        )
        if column is not None and column.is_incomplete
    ]
    return (
        _light(budget.light) if budget else "",
        budget.reason if budget else "",
        costs.budget.amount if costs else None,
        costs.expected.amount if costs else None,
        project.stated_cost.stated if project.stated_cost else None,
        income.budgeted.amount if income else None,
        project.stated_income.stated if project.stated_income else None,
        "; ".join(incomplete),
    )


# How many decimals a figure keeps in a cell: money to the cent, a ratio to a tenth of a
# per cent, a number to two decimals (what a user can enter); never a 28-digit quotient.
QUANTUM = {EURO: Decimal("0.01"), PERCENT: Decimal("0.001"), NUMBER: Decimal("0.01")}


def _rounded(value, kind: str):
    quantum = QUANTUM.get(kind)
    if quantum is None or not isinstance(value, Decimal):
        return value
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    return rounded.normalize() if kind != EURO else rounded


def table_by_key(tables: Sequence[Table], key: str) -> Table | None:
    return next((table for table in tables if table.key == key), None)


def _cell_value(value, kind: str):
    if value is None:
        return None
    if kind == TEXT:
        return neutralise(text_for_excel(str(value)))
    if kind == DATE:
        return value
    return _rounded(value, kind)  # Decimal or int: openpyxl stores it as a number


def workbook_bytes(tables: Sequence[Table], *, title: str) -> bytes:
    """An .xlsx with one sheet per table: bold Dutch headers, numbers as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = text_for_excel(title)
    workbook.properties.language = "nl-NL"
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    wrapped = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        ws = workbook.create_sheet(table.title[:31])
        ws.append([column.header for column in table.columns])
        for index, column in enumerate(table.columns, start=1):
            cell = ws.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.column_dimensions[get_column_letter(index)].width = column.width
        for row in table.rows:
            ws.append(
                [
                    _cell_value(value, column.kind)
                    for value, column in zip(row, table.columns, strict=True)
                ]
            )
        for index, column in enumerate(table.columns, start=1):
            number_format = NUMBER_FORMATS.get(column.kind)
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                if column.kind == TEXT and isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text
                    if "\n" in cell.value:
                        cell.alignment = wrapped  # a narrative's paragraphs, one per line
                elif number_format and cell.value is not None:
                    cell.number_format = number_format
                    if column.kind == NUMBER and cell.value != int(cell.value):
                        cell.number_format = FRACTION_FORMAT
        ws.freeze_panes = "A2"
        if table.rows:
            ws.auto_filter.ref = ws.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value, kind: str) -> str:
    """Dutch Excel reads a decimal comma and d-m-yyyy; no thousands separators (they would
    be read back as text in some locales)."""
    if value is None:
        return ""
    if kind == TEXT:
        return neutralise(text_for_excel(str(value)))
    if kind == DATE and isinstance(value, datetime.date):
        return nl_date(value)
    if isinstance(value, Decimal | int):
        number = Decimal(_rounded(value, kind)) * (100 if kind == PERCENT else 1)
        text = format(number.normalize(), "f") if number != 0 else "0"
        return text.replace(".", ",") + ("%" if kind == PERCENT else "")
    return neutralise(text_for_excel(str(value)))


def csv_bytes(table: Table) -> bytes:
    """One table as CSV for a Dutch Excel: `;`-separated, decimal comma, UTF-8 with BOM."""
    frame = pd.DataFrame(
        [
            [_csv_value(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
            for row in table.rows
        ],
        columns=[column.header for column in table.columns],
        dtype="object",
    )
    text = frame.to_csv(sep=";", index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")
