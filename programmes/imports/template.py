"""The Excel template people fill in for one programme and peildatum: `build_template`.

Built from the shared read model (`programmes.overview`), with the sheet names and column
headers `programmes.imports.reading` reads back. Key columns are locked (the sheet is
protected without a password); text is cleaned for Excel. This module must never write to
the database or let a text cell become a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from programmes import calendar
from programmes.imports.reading import (
    BUDGET_COLUMNS,
    COL_INDICATOR,
    COL_NOTE,
    COL_PREVIOUS,
    COL_TITLE,
    COL_VALUE,
    INDICATOR_COLUMNS,
    SHEET_BUDGET,
    SHEET_HELP,
    SHEET_INDICATORS,
)
from programmes.models import Programme, ReportingPeriod
from programmes.text import text_for_excel

EURO_FORMAT = '"€" #,##0.00'
DATE_FORMAT = "d-m-yyyy"


def _style_header(ws, headers: tuple[str, ...], widths: dict[str, int]) -> None:
    ws.append(list(headers))
    for index, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = widths.get(header, 14)
    ws.freeze_panes = "A2"


def _unlock(ws, columns: Iterable[int], rows: int) -> None:
    """Open the cells people fill in; the sheet is protected without a password, so the key
    columns cannot be changed by accident (Controleren > Blad opheffen lifts it)."""
    unlocked = Protection(locked=False)
    fill = PatternFill("solid", fgColor="FFF8DC")
    for column in columns:
        for row in range(2, rows + 2):
            cell = ws.cell(row=row, column=column)
            cell.protection = unlocked
            cell.fill = fill
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def build_template(*, programme: Programme, period: ReportingPeriod) -> bytes:
    """The workbook to fill in for one programme and peildatum, from the shared read model."""
    from programmes.overview import programme_overview

    overview = programme_overview(programme=programme, period=period)
    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET_INDICATORS
    _style_header(
        ws,
        INDICATOR_COLUMNS,
        {COL_TITLE: 40, COL_INDICATOR: 45, COL_NOTE: 50, COL_PREVIOUS: 16, COL_VALUE: 14},
    )
    count = 0
    for project in overview.projects:
        for indicator in project.indicators:
            ws.append(
                [
                    text_for_excel(project.code),
                    text_for_excel(project.title),
                    text_for_excel(indicator.name),
                    text_for_excel(indicator.unit),
                    indicator.target,
                    indicator.previous,
                    indicator.actual,
                    text_for_excel(indicator.note) or None,
                ]
            )
            count += 1
    for row in ws.iter_rows(min_row=2, min_col=1, max_col=len(INDICATOR_COLUMNS)):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a title starting with "=" stays text, never a formula
    _unlock(
        ws, (INDICATOR_COLUMNS.index(COL_VALUE) + 1, INDICATOR_COLUMNS.index(COL_NOTE) + 1), count
    )

    budget_ws = workbook.create_sheet(SHEET_BUDGET)
    _style_header(budget_ws, BUDGET_COLUMNS, {COL_TITLE: 40})
    count = 0
    for project in overview.projects:
        lines = {line.year: line for line in project.budget_lines}
        years = calendar.project_years(project, programme)
        for year in sorted(set(years) | set(lines)):
            line = lines.get(year)
            budget_ws.append(
                [
                    text_for_excel(project.code),
                    text_for_excel(project.title),
                    year,
                    line.budget if line else None,
                    line.spent if line else None,
                    line.forecast if line else None,
                ]
            )
            count += 1
    for row in budget_ws.iter_rows(min_row=2, max_col=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for row in budget_ws.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = EURO_FORMAT
    _unlock(budget_ws, (4, 5, 6), count)

    help_ws = workbook.create_sheet(SHEET_HELP)
    help_ws.append(["Programma", programme.slug])
    help_ws.append(["Peildatum", period.peildatum])
    help_ws["B2"].number_format = DATE_FORMAT
    help_ws.append(["Programmanaam", text_for_excel(programme.name)])
    help_ws["B3"].data_type = "s"
    help_ws.append([])
    for line in _help_lines():
        help_ws.append([line])
    help_ws.column_dimensions["A"].width = 110
    help_ws.column_dimensions["B"].width = 30
    help_ws.protection.sheet = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _help_lines() -> list[str]:
    return [
        _("Zo vult u dit sjabloon in"),
        _(
            "Blad Indicatoren: één rij per indicator van elk project. Vul de kolom Realisatie "
            "(de stand op de peildatum; bij een cumulatieve indicator het totaal tot nu toe) "
            "en eventueel de kolom Toelichting."
        ),
        _(
            "Projectcode, Projecttitel, Indicator, Eenheid, Streefwaarde en Vorige periode zijn "
            "ter informatie en beveiligd; de import leest alleen Projectcode, Indicator, "
            "Realisatie en Toelichting."
        ),
        _(
            "Blad Begroting: per project per jaar de begroting, de uitgaven (realisatie) en de "
            "prognose, in euro's."
        ),
        _(
            "Getallen: typ ze zoals u gewend bent: 1610000, 1.610.000 of € 1.610.000,50. "
            "Dubbelzinnige getallen zoals 2.3000.000 worden geweigerd."
        ),
        _(
            "Een lege cel laat de bestaande waarde staan; de import wist nooit iets. Formules "
            "worden niet uitgerekend maar geweigerd: typ de waarde zelf in."
        ),
        _(
            "Voeg geen kolommen samen en verander de kolomkoppen en de bladnamen niet. Andere "
            "bladen worden genegeerd."
        ),
        _(
            "Na het uploaden ziet u eerst per rij wat er verandert (oud → nieuw). Pas na uw "
            "bevestiging wordt alles in één keer opgeslagen, of bij een fout niets."
        ),
        _(
            "Goedgekeurde en ingediende rapportages en gesloten perioden kunnen niet via de "
            "import veranderen."
        ),
        _(
            "De bladen zijn beveiligd zonder wachtwoord, zodat u niet per ongeluk een sleutel "
            "wijzigt. Een jaar toevoegen? Hef de beveiliging op (Controleren > Beveiliging "
            "blad opheffen)."
        ),
    ]
