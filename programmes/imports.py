"""Import of realisations and budgets from the Excel template: read, validate, preview, write.

Regions keep their figures in Excel; this module meets them there without ever corrupting
data. Three steps, each usable on its own (the web upload and the management command
`import_realisations` both go through them):

1. `read_workbook(data, filename=...)` reads the file into plain rows (`ParsedWorkbook`).
   It refuses what is not a clean .xlsx: first, before openpyxl opens anything,
   `programmes.workbook_safety` (too large, not a zip, an OLE2 file, macros, too many cells
   counted while streaming); then too many rows, merged cells, formulas, missing columns,
   values that cannot be read unambiguously. Text in number cells goes through
   `programmes.parsing.parse_decimal`; numeric cells become a Decimal via `str()`, never via
   float arithmetic. Nothing is evaluated: a formula is refused, not computed.
2. `plan_import(parsed=..., programme=..., period=..., user=...)` compares every row with the
   database and returns an `ImportPlan`: per row the old and the new value, unchanged rows
   marked, or raises `ImportRefused` with every problem named by sheet, row and column.
   Every changed row goes through the model's own field validation (`full_clean`), as manual
   entry does, and through the permission and state rules (`programmes.permissions`).
3. `apply_import(...)` plans again inside one transaction (rows locked), refuses when the
   database changed since the preview, and writes everything or nothing with bulk queries,
   history records included ("Import uit <bestandsnaam>" as the change reason).

`build_template(programme=..., period=...)` makes the workbook people fill in.

Choices made here: openpyxl's normal (not read-only) mode, because read-only mode cannot see
merged cells and trusts the sheet's own dimension tag for its size; memory stays bounded by
the limits `programmes.workbook_safety` checks before openpyxl opens the file. Extra sheets
are ignored and named in the preview. An empty cell never erases a value: it leaves what is
stored. This module must never evaluate a formula, trust a value sent back
by the browser, compute a light or write outside one transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from programmes import calendar, permissions, services, workbook_safety
from programmes.formatting import nl_date, nl_number
from programmes.models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from programmes.parsing import AmountError, check_ascii_digits, parse_decimal
from programmes.text import normalise_text, text_for_excel

MAX_FILE_BYTES = workbook_safety.MAX_FILE_BYTES
MAX_UNPACKED_BYTES = workbook_safety.MAX_UNPACKED_BYTES
MAX_ROWS = 20_000
MAX_ISSUES_SHOWN = 200
CREATE_BATCH = 500

SHEET_INDICATORS = "Indicatoren"
SHEET_BUDGET = "Begroting"
SHEET_HELP = "Toelichting"

# Column headers, as in the template. Keys are what the reader looks for (case-insensitive).
COL_CODE = "Projectcode"
COL_TITLE = "Projecttitel"
COL_INDICATOR = "Indicator"
COL_UNIT = "Eenheid"
COL_TARGET = "Streefwaarde"
COL_PREVIOUS = "Vorige periode"
COL_VALUE = "Realisatie"
COL_NOTE = "Toelichting"
COL_YEAR = "Jaar"
COL_BUDGET = "Begroting"
COL_SPENT = "Uitgaven"
COL_FORECAST = "Prognose"

INDICATOR_COLUMNS = (COL_CODE, COL_TITLE, COL_INDICATOR, COL_UNIT, COL_TARGET, COL_PREVIOUS)
INDICATOR_COLUMNS += (COL_VALUE, COL_NOTE)
INDICATOR_REQUIRED = (COL_CODE, COL_INDICATOR, COL_VALUE)
BUDGET_COLUMNS = (COL_CODE, COL_TITLE, COL_YEAR, COL_BUDGET, COL_SPENT, COL_FORECAST)
BUDGET_REQUIRED = (COL_CODE, COL_YEAR, COL_BUDGET, COL_SPENT, COL_FORECAST)
BUDGET_FIELDS = {COL_BUDGET: "budget", COL_SPENT: "spent", COL_FORECAST: "forecast"}

OLE2_MAGIC = workbook_safety.OLE2_MAGIC
EURO_FORMAT = '"€" #,##0.00'
DATE_FORMAT = "d-m-yyyy"


# --- Problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportIssue:
    """One problem, placed as precisely as we can: sheet, row, column."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        place = []
        if self.sheet:
            place.append(_("Blad %(sheet)s") % {"sheet": self.sheet})
        if self.row is not None:
            place.append(_("rij %(row)s") % {"row": self.row})
        if self.column:
            place.append(_("kolom %(column)s") % {"column": self.column})
        return f"{', '.join(place)}: {self.message}" if place else self.message


class ImportRefused(Exception):
    """The file or its contents cannot be imported; nothing was written."""

    def __init__(self, issues: Iterable[ImportIssue]):
        self.issues = tuple(issues)
        super().__init__("; ".join(str(issue) for issue in self.issues[:5]))

    @property
    def messages(self) -> list[str]:
        return [str(issue) for issue in self.issues]


def _refuse(message: str, **place: Any) -> ImportRefused:
    return ImportRefused([ImportIssue(message, **place)])


# --- Reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    """One filled-in row of the Indicatoren sheet. None means: the cell was empty."""

    row: int
    project_code: str
    indicator: str
    value: Decimal | None
    note: str | None


@dataclass(frozen=True)
class BudgetInput:
    """One filled-in row of the Begroting sheet. None means: the cell was empty."""

    row: int
    project_code: str
    year: int
    budget: Decimal | None
    spent: Decimal | None
    forecast: Decimal | None


@dataclass(frozen=True)
class ParsedWorkbook:
    """What a file says, as plain values; kept server-side between preview and confirm."""

    filename: str
    sha256: str
    indicators: tuple[IndicatorInput, ...]
    budget: tuple[BudgetInput, ...]
    ignored_sheets: tuple[str, ...] = ()
    declared_programme: str = ""
    declared_peildatum: datetime.date | None = None

    def to_json(self) -> dict:
        def number(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "filename": self.filename,
            "sha256": self.sha256,
            "indicators": [
                [r.row, r.project_code, r.indicator, number(r.value), r.note]
                for r in self.indicators
            ],
            "budget": [
                [r.row, r.project_code, r.year, number(r.budget), number(r.spent)]
                + [number(r.forecast)]
                for r in self.budget
            ],
            "ignored_sheets": list(self.ignored_sheets),
            "declared_programme": self.declared_programme,
            "declared_peildatum": (
                self.declared_peildatum.isoformat() if self.declared_peildatum else None
            ),
        }

    @classmethod
    def from_json(cls, data: dict) -> ParsedWorkbook:
        def number(value: str | None) -> Decimal | None:
            return None if value is None else Decimal(value)

        peildatum = data.get("declared_peildatum")
        return cls(
            filename=data["filename"],
            sha256=data["sha256"],
            indicators=tuple(
                IndicatorInput(row, code, name, number(value), note)
                for row, code, name, value, note in data["indicators"]
            ),
            budget=tuple(
                BudgetInput(row, code, year, number(budget), number(spent), number(forecast))
                for row, code, year, budget, spent, forecast in data["budget"]
            ),
            ignored_sheets=tuple(data.get("ignored_sheets", ())),
            declared_programme=data.get("declared_programme", ""),
            declared_peildatum=datetime.date.fromisoformat(peildatum) if peildatum else None,
        )


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_workbook(data: bytes, *, filename: str) -> ParsedWorkbook:
    """Read an uploaded template into plain rows, or raise ImportRefused saying why not."""
    try:
        # Size, kind, macros, and the cells counted while streaming: before openpyxl.
        workbook_safety.check_upload(data, filename=filename)
    except workbook_safety.UnsafeWorkbook as error:
        raise _refuse(str(error)) from error
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=False, data_only=False, keep_links=False
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise _refuse(
            _(
                "Het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden (%(error)s). "
                "Sla het opnieuw op als .xlsx en probeer het nog eens."
            )
            % {"error": type(error).__name__}
        ) from error

    sheets = {ws.title.strip().casefold(): ws for ws in workbook.worksheets}
    indicator_ws = sheets.get(SHEET_INDICATORS.casefold())
    budget_ws = sheets.get(SHEET_BUDGET.casefold())
    help_ws = sheets.get(SHEET_HELP.casefold())
    if indicator_ws is None and budget_ws is None:
        raise _refuse(
            _(
                "Het bestand heeft geen blad '%(a)s' of '%(b)s'. Gebruik het sjabloon dat u "
                "bij de import kunt downloaden."
            )
            % {"a": SHEET_INDICATORS, "b": SHEET_BUDGET}
        )
    known = {id(ws) for ws in (indicator_ws, budget_ws, help_ws) if ws is not None}
    ignored = tuple(ws.title for ws in workbook.worksheets if id(ws) not in known)

    total_rows = sum(_filled_rows(ws) for ws in (indicator_ws, budget_ws) if ws)
    if total_rows > MAX_ROWS:
        raise _refuse(
            _(
                "Het bestand heeft %(rows)s ingevulde rijen; er kunnen er hoogstens %(max)s "
                "tegelijk in. Verdeel de rijen over meer bestanden."
            )
            % {"rows": nl_number(total_rows), "max": nl_number(MAX_ROWS)}
        )

    issues: list[ImportIssue] = []
    indicators: list[IndicatorInput] = []
    budget: list[BudgetInput] = []
    if indicator_ws is not None:
        indicators = _read_indicators(indicator_ws, issues)
    if budget_ws is not None:
        budget = _read_budget(budget_ws, issues)
    declared_programme, declared_peildatum = ("", None)
    if help_ws is not None:
        declared_programme, declared_peildatum = _read_declaration(help_ws, issues)
    if issues:
        raise ImportRefused(issues)
    return ParsedWorkbook(
        filename=filename,
        sha256=file_sha256(data),
        indicators=tuple(indicators),
        budget=tuple(budget),
        ignored_sheets=ignored,
        declared_programme=declared_programme,
        declared_peildatum=declared_peildatum,
    )


def _filled_rows(ws) -> int:
    """Data rows (below the header) with at least one value. `ws.max_row` also counts rows
    that only carry formatting: a sheet coloured down to row 25.000 holds six rows of data,
    not 25.000, and must not be refused as too large."""
    return sum(
        1
        for values in ws.iter_rows(min_row=2, values_only=True)
        if any(not _is_blank(value) for value in values)
    )


def _header_map(ws, expected: tuple[str, ...], required: tuple[str, ...], issues) -> dict | None:
    """Column index per known header of row 1, or None (with issues) when one is missing."""
    found: dict[str, int] = {}
    wanted = {name.casefold(): name for name in expected}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        if not isinstance(cell.value, str):
            continue
        name = wanted.get(cell.value.strip().casefold())
        if name is None:
            continue
        if name in found:
            issues.append(
                ImportIssue(
                    _("de kolom '%(column)s' staat er twee keer in.") % {"column": name},
                    sheet=ws.title,
                    row=1,
                )
            )
            continue
        found[name] = cell.column - 1
    missing = [name for name in required if name not in found]
    for name in missing:
        issues.append(
            ImportIssue(
                _(
                    "de kolom '%(column)s' ontbreekt in de kopregel. Gebruik de kolomkoppen van "
                    "het sjabloon."
                )
                % {"column": name},
                sheet=ws.title,
                row=1,
            )
        )
    if missing or any(issue.row == 1 and issue.sheet == ws.title for issue in issues):
        return None
    return found


def _check_merged(ws, issues: list[ImportIssue]) -> None:
    for merged in ws.merged_cells.ranges:
        issues.append(
            ImportIssue(
                _(
                    "de cellen %(range)s zijn samengevoegd. Maak de samenvoeging ongedaan: "
                    "elke waarde hoort in een eigen cel."
                )
                % {"range": merged.coord},
                sheet=ws.title,
                row=merged.min_row,
            )
        )


def _cells(ws, columns: dict[str, int]) -> Iterable[tuple[int, dict[str, Any]]]:
    """Data rows (from row 2) as {header: cell}, skipping rows whose read cells are empty."""
    width = max(columns.values()) + 1
    for row in ws.iter_rows(min_row=2, max_col=width):
        cells = {name: row[index] for name, index in columns.items() if index < len(row)}
        if all(_is_blank(cell.value) for cell in cells.values()):
            continue
        yield row[0].row, cells


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _formula_issue(cell, ws, row: int, column: str) -> ImportIssue:
    return ImportIssue(
        _(
            "de cel bevat een formule (%(formula)s). Formules worden niet uitgerekend: typ de "
            "waarde zelf in."
        )
        % {"formula": str(cell.value)[:60]},
        sheet=ws.title,
        row=row,
        column=column,
    )


def _is_formula(cell) -> bool:
    return cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))


def _text(cell, ws, row: int, column: str, issues) -> str | None:
    """A text cell: None when empty. Numbers become their plain digits (codes like 101)."""
    if cell is None or _is_blank(cell.value):
        return None
    if _is_formula(cell):
        issues.append(_formula_issue(cell, ws, row, column))
        return None
    value = cell.value
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.date):  # a datetime is a date too
        return nl_date(value)
    try:
        return normalise_text(str(value).strip())
    except ValidationError as error:
        issues.append(ImportIssue(error.messages[0], sheet=ws.title, row=row, column=column))
        return None


def _number(cell, ws, row: int, column: str, issues) -> Decimal | None:
    """A number cell: numeric cells via str() to Decimal, text through parse_decimal."""
    if cell is None or _is_blank(cell.value):
        return None
    place = {"sheet": ws.title, "row": row, "column": column}
    if _is_formula(cell):
        issues.append(_formula_issue(cell, ws, row, column))
        return None
    value = cell.value
    if isinstance(value, bool):
        issues.append(ImportIssue(_("'%(value)s' is geen getal.") % {"value": value}, **place))
        return None
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        issues.append(
            ImportIssue(
                _(
                    "de cel is een datum of tijd, geen getal. Excel maakt soms een datum van "
                    "wat u typt (bijvoorbeeld 1-7); maak de cel op als getal en typ de waarde "
                    "opnieuw."
                ),
                **place,
            )
        )
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            issues.append(ImportIssue(_("de cel bevat geen geldig getal."), **place))
            return None
        if "%" in (cell.number_format or ""):
            # Excel stores "50%" as 0,5: reading it either way could be wrong by a factor 100.
            issues.append(
                ImportIssue(
                    _(
                        "de cel is opgemaakt als percentage (%(shown)s staat er als %(stored)s "
                        "in). Maak de cel op als getal en typ de waarde zonder %%-teken."
                    )
                    % {
                        "shown": nl_number(Decimal(str(value)) * 100) + "%",
                        "stored": nl_number(Decimal(str(value))),
                    },
                    **place,
                )
            )
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - str() of a finite number always reads
            issues.append(ImportIssue(_("de cel bevat geen geldig getal."), **place))
            return None
        if number < 0:
            issues.append(
                ImportIssue(
                    _("'%(value)s' is negatief; een negatief bedrag of aantal kan hier niet.")
                    % {"value": nl_number(number)},
                    **place,
                )
            )
            return None
        return number
    try:
        return parse_decimal(str(value))
    except AmountError as error:
        issues.append(ImportIssue(str(error), **place))
        return None


def _year(cell, ws, row: int, issues) -> int | None:
    place = {"sheet": ws.title, "row": row, "column": COL_YEAR}
    if cell is None or _is_blank(cell.value):
        issues.append(ImportIssue(_("vul het jaar in, bijvoorbeeld 2021."), **place))
        return None
    if _is_formula(cell):
        issues.append(_formula_issue(cell, ws, row, COL_YEAR))
        return None
    value = cell.value
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    text = text.strip()
    try:
        check_ascii_digits(text)
    except AmountError as error:
        issues.append(ImportIssue(str(error), **place))
        return None
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
        issues.append(
            ImportIssue(
                _("'%(value)s' is geen jaartal; schrijf het jaar als vier cijfers, zoals 2021.")
                % {"value": value if not isinstance(value, datetime.date) else nl_date(value)},
                **place,
            )
        )
        return None
    year = int(text)
    if not 1990 <= year <= 2100:
        issues.append(ImportIssue(_("%(year)s is geen plausibel jaar.") % {"year": year}, **place))
        return None
    return year


def _read_indicators(ws, issues: list[ImportIssue]) -> list[IndicatorInput]:
    columns = _header_map(ws, INDICATOR_COLUMNS, INDICATOR_REQUIRED, issues)
    _check_merged(ws, issues)
    if columns is None:
        return []
    rows = []
    for row, cells in _cells(ws, columns):
        value = _number(cells.get(COL_VALUE), ws, row, COL_VALUE, issues)
        note = _text(cells.get(COL_NOTE), ws, row, COL_NOTE, issues)
        if value is None and note is None:
            continue  # nothing filled in: the row asks for no change
        code = _text(cells.get(COL_CODE), ws, row, COL_CODE, issues)
        name = _text(cells.get(COL_INDICATOR), ws, row, COL_INDICATOR, issues)
        if not code:
            issues.append(
                ImportIssue(
                    _("de projectcode ontbreekt."), sheet=ws.title, row=row, column=COL_CODE
                )
            )
        if not name:
            issues.append(
                ImportIssue(
                    _("de naam van de indicator ontbreekt."),
                    sheet=ws.title,
                    row=row,
                    column=COL_INDICATOR,
                )
            )
        if code and name:
            rows.append(IndicatorInput(row, code, name, value, note))
    return rows


def _read_budget(ws, issues: list[ImportIssue]) -> list[BudgetInput]:
    columns = _header_map(ws, BUDGET_COLUMNS, BUDGET_REQUIRED, issues)
    _check_merged(ws, issues)
    if columns is None:
        return []
    rows = []
    for row, cells in _cells(ws, columns):
        amounts = {name: _number(cells.get(name), ws, row, name, issues) for name in BUDGET_FIELDS}
        if all(amount is None for amount in amounts.values()):
            continue
        code = _text(cells.get(COL_CODE), ws, row, COL_CODE, issues)
        year = _year(cells.get(COL_YEAR), ws, row, issues)
        if not code:
            issues.append(
                ImportIssue(
                    _("de projectcode ontbreekt."), sheet=ws.title, row=row, column=COL_CODE
                )
            )
        if code and year is not None:
            rows.append(
                BudgetInput(
                    row, code, year, amounts[COL_BUDGET], amounts[COL_SPENT], amounts[COL_FORECAST]
                )
            )
    return rows


_DATE_PATTERNS = (  # re.ASCII: "１-７-２０２１" is no date (see programmes.parsing)
    (re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$", re.ASCII), ("day", "month", "year")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII), ("year", "month", "day")),
)


def parse_dutch_date(text: str) -> datetime.date:
    """1-7-2021, 01-07-2021, 1/7/2021, 1.7.2021 or 2021-07-01; anything else is refused."""
    value = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            parts = dict(zip(order, (int(group) for group in match.groups()), strict=True))
            try:
                return datetime.date(parts["year"], parts["month"], parts["day"])
            except ValueError:
                break
    raise ValueError(
        _("'%(value)s' is geen datum; schrijf bijvoorbeeld 1-7-2021.") % {"value": text}
    )


def _read_declaration(ws, issues) -> tuple[str, datetime.date | None]:
    """The programme and peildatum the template was made for (cells B1 and B2)."""
    programme = ""
    peildatum = None
    for row in ws.iter_rows(min_row=1, max_row=10, max_col=2):
        label = row[0].value
        if not isinstance(label, str) or len(row) < 2:
            continue
        cell = row[1]
        key = label.strip().casefold()
        if key == "programma" and isinstance(cell.value, str):
            programme = cell.value.strip()
        elif key == "peildatum" and not _is_blank(cell.value):
            if _is_formula(cell):
                issues.append(_formula_issue(cell, ws, cell.row, "B"))
            elif isinstance(cell.value, datetime.datetime):
                peildatum = cell.value.date()
            elif isinstance(cell.value, datetime.date):
                peildatum = cell.value
            else:
                try:
                    peildatum = parse_dutch_date(str(cell.value))
                except ValueError as error:
                    issues.append(ImportIssue(str(error), sheet=ws.title, row=cell.row, column="B"))
    return programme, peildatum


# --- Planning --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: Decimal | str | None
    new: Decimal | str | None
    is_money: bool = False

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def is_text(self) -> bool:
        return isinstance(self.new, str)


@dataclass(frozen=True)
class RowChange:
    """One row of the file as the preview shows it: what it changes, or that it changes nothing."""

    sheet: str
    row: int
    project_code: str
    project_title: str
    subject: str  # the indicator name, or the year
    fields: tuple[FieldChange, ...]
    new_report: bool = False

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.fields)


@dataclass
class _Writes:
    new_reports: dict[int, ProgressReport] = field(default_factory=dict)  # by project pk
    touched_reports: dict[int, ProgressReport] = field(default_factory=dict)
    new_values: list[tuple[int, IndicatorValue]] = field(default_factory=list)  # project pk
    changed_values: list[IndicatorValue] = field(default_factory=list)
    new_budget: list[tuple[int, BudgetLine]] = field(default_factory=list)
    changed_budget: list[BudgetLine] = field(default_factory=list)
    # Only the columns that really change are updated: bulk_update's cost grows with them.
    value_fields: set[str] = field(default_factory=set)
    budget_fields: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ImportPlan:
    programme_pk: int
    period_pk: int
    filename: str
    rows: tuple[RowChange, ...]
    ignored_sheets: tuple[str, ...]
    fingerprint: str
    writes: _Writes = field(repr=False, compare=False, hash=False)

    @property
    def changed_rows(self) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if r.changed)

    @property
    def unchanged_rows(self) -> tuple[RowChange, ...]:
        return tuple(r for r in self.rows if not r.changed)

    @property
    def new_report_count(self) -> int:
        return len(self.writes.new_reports)

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_rows)


@dataclass(frozen=True)
class ImportResult:
    created_reports: int
    created_values: int
    updated_values: int
    created_budget_lines: int
    updated_budget_lines: int
    unchanged_rows: int

    @property
    def changed_anything(self) -> bool:
        return any(
            (
                self.created_reports,
                self.created_values,
                self.updated_values,
                self.created_budget_lines,
                self.updated_budget_lines,
            )
        )


def change_reason(filename: str) -> str:
    return (_("Import uit %(filename)s") % {"filename": filename})[:100]


def _report_refusal(report: ProgressReport | None, period: ReportingPeriod, allowed: bool) -> str:
    """Why a report cannot take this import's changes, or "" when it can."""
    if period.is_closed:
        return _("de periode %(period)s is gesloten; er kan niets meer veranderen.") % {
            "period": period.label
        }
    if not allowed:
        return _("u mag de rapportage van dit project niet bewerken.")
    if report is None:
        return ""
    if report.state == ProgressReport.State.APPROVED:
        return _(
            "de rapportage van dit project voor %(period)s is goedgekeurd en kan niet meer "
            "veranderen."
        ) % {"period": period.label}
    if report.state == ProgressReport.State.SUBMITTED:
        return _(
            "de rapportage van dit project is ingediend en wacht op beoordeling; vraag de "
            "programmamanager hem terug te sturen."
        )
    if not permissions.report_is_editable(report):  # pragma: no cover - states above cover it
        return _("de rapportage van dit project kan nu niet veranderen.")
    return ""


def _validate(instance, exclude: list[str], column_for: dict[str, str]) -> list[tuple[str, str]]:
    """The model's own field validation, as manual entry runs it: (column, message) pairs."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            (column_for.get(name, ""), " ".join(str(m) for m in messages))
            for name, messages in error.message_dict.items()
        ]
    return []


def plan_import(
    *,
    parsed: ParsedWorkbook,
    programme: Programme,
    period: ReportingPeriod,
    user,
    lock: bool = False,
) -> ImportPlan:
    """Compare the file with the database: the preview, or ImportRefused with every problem.

    A fixed number of queries whatever the number of rows. With `lock` (inside a
    transaction) the period's reports are locked against concurrent changes.
    """
    if period.programme_id != programme.pk:
        raise ValueError("The period belongs to another programme.")
    issues: list[ImportIssue] = []
    if parsed.declared_programme and parsed.declared_programme != programme.slug:
        issues.append(
            ImportIssue(
                _(
                    "dit bestand is gemaakt voor programma '%(file)s', niet voor '%(here)s'. "
                    "Download het sjabloon van dit programma."
                )
                % {"file": parsed.declared_programme, "here": programme.slug},
                sheet=SHEET_HELP,
            )
        )
    if parsed.declared_peildatum and parsed.declared_peildatum != period.peildatum:
        issues.append(
            ImportIssue(
                _(
                    "dit bestand is gemaakt voor peildatum %(file)s, u importeert in peildatum "
                    "%(here)s. Download het sjabloon van deze periode."
                )
                % {"file": nl_date(parsed.declared_peildatum), "here": nl_date(period.peildatum)},
                sheet=SHEET_HELP,
            )
        )
    if issues:
        raise ImportRefused(issues)

    codes = {r.project_code for r in parsed.indicators} | {r.project_code for r in parsed.budget}
    projects = {
        p.code: p for p in Project.objects.filter(programme=programme, code__in=codes)
    }  # query 1
    for project in projects.values():
        project.programme = programme
    indicators: dict[tuple[int, str], Any] = {}
    folded: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for indicator in Indicator.objects.filter(project__in=list(projects.values())):  # query 2
        indicators[(indicator.project_id, indicator.name.strip())] = indicator
        folded[(indicator.project_id, indicator.name.strip().casefold())].append(indicator)
    report_qs = ProgressReport.objects.filter(period=period, project__in=list(projects.values()))
    if lock:
        report_qs = report_qs.select_for_update(of=("self",)).order_by("pk")
    reports = {r.project_id: r for r in report_qs}  # query 3
    for report in reports.values():
        report.period = period
    manages, coordinated = permissions.editable_project_pks(
        user=user, programme=programme
    )  # queries 4-5
    values = {
        (v.report_id, v.indicator_id): v
        for v in IndicatorValue.objects.filter(report__in=list(reports.values()))  # query 6
    }
    lines = {
        (line.report_id, line.year): line
        for line in BudgetLine.objects.filter(report__in=list(reports.values()))  # query 7
    }
    previous = _previous_reports(projects.values(), period)  # query 8
    previous_values = {
        (v.report_id, v.indicator_id): v.value
        for v in IndicatorValue.objects.filter(report_id__in=previous.values())  # query 9
    }
    # A report the import creates starts as `start_report` makes it: prefilled from the last
    # approved report. Its budget lines are the "old" values the preview shows.
    sources = services.last_approved_reports(  # query 10
        projects=[p for p in projects.values() if p.pk not in reports], before=period.peildatum
    )
    project_of_source = {report.pk: project_pk for project_pk, report in sources.items()}
    prefilled_lines = {
        (project_of_source[line.report_id], line.year): line
        for line in BudgetLine.objects.filter(report_id__in=project_of_source)  # query 11
    }

    writes = _Writes()
    rows: list[RowChange] = []
    refusal_by_project: dict[int, str] = {}

    def refusal(project: Project) -> str:
        if project.pk not in refusal_by_project:
            allowed = manages or project.pk in coordinated
            refusal_by_project[project.pk] = _report_refusal(
                reports.get(project.pk), period, allowed
            )
        return refusal_by_project[project.pk]

    def report_for(project: Project) -> tuple[ProgressReport | None, bool]:
        report = reports.get(project.pk)
        if report is not None:
            writes.touched_reports[project.pk] = report
            return report, False
        if project.pk not in writes.new_reports:
            writes.new_reports[project.pk] = ProgressReport(
                project=project, period=period, state=ProgressReport.State.DRAFT
            )
        return None, True

    def unknown_project(sheet: str, row: int, code: str) -> None:
        issues.append(
            ImportIssue(
                _("projectcode '%(code)s' bestaat niet in programma %(programme)s.")
                % {"code": code, "programme": programme.name},
                sheet=sheet,
                row=row,
                column=COL_CODE,
            )
        )

    seen: dict[tuple, int] = {}
    for item in parsed.indicators:
        project = projects.get(item.project_code)
        if project is None:
            unknown_project(SHEET_INDICATORS, item.row, item.project_code)
            continue
        indicator = indicators.get((project.pk, item.indicator.strip()))
        if indicator is None:
            candidates = folded.get((project.pk, item.indicator.strip().casefold()), [])
            indicator = candidates[0] if len(candidates) == 1 else None
        if indicator is None:
            issues.append(
                ImportIssue(
                    _("project %(code)s heeft geen indicator '%(name)s'.")
                    % {"code": project.code, "name": item.indicator},
                    sheet=SHEET_INDICATORS,
                    row=item.row,
                    column=COL_INDICATOR,
                )
            )
            continue
        key = ("indicator", indicator.pk)
        if key in seen:
            issues.append(
                ImportIssue(
                    _("dubbele regel: deze indicator staat ook in rij %(row)s.")
                    % {"row": seen[key]},
                    sheet=SHEET_INDICATORS,
                    row=item.row,
                    column=COL_INDICATOR,
                )
            )
            continue
        seen[key] = item.row
        report = reports.get(project.pk)
        existing = values.get((report.pk, indicator.pk)) if report else None
        old_value = existing.value if existing else None
        old_note = existing.note if existing else ""
        new_value = item.value if item.value is not None else old_value
        new_note = item.note if item.note is not None else old_note
        previous_value = previous_values.get((previous.get(project.pk), indicator.pk))
        fields = []
        if item.value is not None:
            fields.append(FieldChange(str(_("Realisatie")), old_value, new_value))
        if item.note is not None:
            fields.append(FieldChange(str(_("Toelichting")), old_note, new_note))
        change = RowChange(
            SHEET_INDICATORS,
            item.row,
            project.code,
            project.title,
            indicator.name,
            tuple(fields),
            new_report=report is None,
        )
        rows.append(change)
        if not change.changed:
            continue
        reason = refusal(project)
        if reason:
            issues.append(ImportIssue(reason, sheet=SHEET_INDICATORS, row=item.row))
            continue
        target = existing or IndicatorValue(indicator=indicator)
        if existing:
            if new_value != old_value:
                writes.value_fields.add("value")
            if new_note != old_note:
                writes.value_fields.add("note")
        target.value, target.note = new_value, new_note
        problems = _validate(
            target, ["report", "indicator"], {"value": COL_VALUE, "note": COL_NOTE}
        )
        lower = services.lower_value_problem(
            indicator, value=new_value, note=new_note, previous=previous_value
        )
        if lower:
            problems.append((COL_NOTE, lower))
        for column, message in problems:
            issues.append(ImportIssue(message, sheet=SHEET_INDICATORS, row=item.row, column=column))
        if problems:
            continue
        report_for(project)
        if existing:
            writes.changed_values.append(existing)
        else:
            writes.new_values.append((project.pk, target))

    for item in parsed.budget:
        project = projects.get(item.project_code)
        if project is None:
            unknown_project(SHEET_BUDGET, item.row, item.project_code)
            continue
        key = ("budget", project.pk, item.year)
        if key in seen:
            issues.append(
                ImportIssue(
                    _("dubbele regel: project %(code)s, jaar %(year)s staat ook in rij %(row)s.")
                    % {"code": project.code, "year": item.year, "row": seen[key]},
                    sheet=SHEET_BUDGET,
                    row=item.row,
                    column=COL_YEAR,
                )
            )
            continue
        seen[key] = item.row
        report = reports.get(project.pk)
        existing = lines.get((report.pk, item.year)) if report else None
        shown = existing if report else prefilled_lines.get((project.pk, item.year))
        fields = []
        new_amounts = {}
        for column, attribute in BUDGET_FIELDS.items():
            old = getattr(shown, attribute) if shown else None
            given = getattr(item, attribute)
            new_amounts[attribute] = given if given is not None else old
            if given is not None:
                fields.append(FieldChange(column, old, given, is_money=True))
        change = RowChange(
            SHEET_BUDGET,
            item.row,
            project.code,
            project.title,
            str(item.year),
            tuple(fields),
            new_report=report is None,
        )
        rows.append(change)
        if not change.changed:
            continue
        reason = refusal(project)
        if reason:
            issues.append(ImportIssue(reason, sheet=SHEET_BUDGET, row=item.row))
            continue
        target = existing or BudgetLine(year=item.year)
        for attribute, amount in new_amounts.items():
            if existing and getattr(existing, attribute) != amount:
                writes.budget_fields.add(attribute)
            setattr(target, attribute, amount)
        problems = _validate(
            target, ["report"], {attribute: column for column, attribute in BUDGET_FIELDS.items()}
        )
        outside = services.year_problem(project, item.year)
        if outside:
            problems.append((COL_YEAR, outside))
        for column, message in problems:
            issues.append(ImportIssue(message, sheet=SHEET_BUDGET, row=item.row, column=column))
        if problems:
            continue
        report_for(project)
        if existing:
            writes.changed_budget.append(existing)
        else:
            writes.new_budget.append((project.pk, target))

    if issues:
        raise ImportRefused(issues)
    # Only reports that really change are touched (version, history).
    changed_projects = {pk for pk, _ in writes.new_values} | {pk for pk, _ in writes.new_budget}
    project_of_report = {r.pk: r.project_id for r in reports.values()}
    changed_projects |= {project_of_report[v.report_id] for v in writes.changed_values}
    changed_projects |= {project_of_report[line.report_id] for line in writes.changed_budget}
    writes.touched_reports = {
        pk: r for pk, r in writes.touched_reports.items() if pk in changed_projects
    }
    return ImportPlan(
        programme_pk=programme.pk,
        period_pk=period.pk,
        filename=parsed.filename,
        rows=tuple(rows),
        ignored_sheets=parsed.ignored_sheets,
        fingerprint=_fingerprint(rows),
        writes=writes,
    )


def _previous_reports(projects: Iterable[Project], period: ReportingPeriod) -> dict[int, int]:
    """Per project pk the pk of its latest earlier report, whatever its state: the report
    `load_report_context` compares with for the "lower than last period" rule. One query."""
    previous: dict[int, int] = {}
    for project_pk, report_pk in (
        ProgressReport.objects.filter(
            project__in=list(projects), period__peildatum__lt=period.peildatum
        )
        .order_by("project_id", "-period__peildatum")
        .values_list("project_id", "pk")
    ):
        previous.setdefault(project_pk, report_pk)
    return previous


def _fingerprint(rows: list[RowChange]) -> str:
    """Stable digest of the preview: if the database changed since, confirm will differ."""
    text = repr(
        [
            (r.sheet, r.row, r.project_code, r.subject, r.new_report)
            + tuple((f.label, str(f.old), str(f.new)) for f in r.fields)
            for r in rows
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _update_with_history(objs: list, model, fields: list[str], history: dict) -> None:
    """UPDATE ... FROM (VALUES ...) in batches, then the history records in bulk.

    Django's `bulk_update` builds a CASE WHEN per row and field in Python, which took most of
    an import's time (see docs/excel.md); one joined UPDATE per batch does the same work in
    the database. Works on SQLite (3.33+) and PostgreSQL. Only for decimal and text fields:
    their CAST is exact on both.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    pk_column = ops.quote_name(model._meta.pk.column)
    model_fields = [model._meta.get_field(name) for name in fields]
    for model_field in model_fields:
        if model_field.get_internal_type() not in ("DecimalField", "TextField", "CharField"):
            raise ValueError(f"{model_field.name}: only decimal and text fields are supported")
    aliases = ", ".join(["pk"] + [f"c{index}" for index in range(len(fields))])
    assignments = ", ".join(
        f"{ops.quote_name(f.column)} = CAST(v.c{index} AS {f.cast_db_type(connection)})"
        for index, f in enumerate(model_fields)
    )
    row_sql = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    for start in range(0, len(objs), CREATE_BATCH):
        batch = objs[start : start + CREATE_BATCH]
        params: list = []
        for obj in batch:
            params.append(obj.pk)
            params.extend(
                f.get_db_prep_save(getattr(obj, f.attname), connection) for f in model_fields
            )
        sql = (
            f"WITH v({aliases}) AS (VALUES {', '.join([row_sql] * len(batch))}) "
            f"UPDATE {table} SET {assignments} FROM v WHERE {table}.{pk_column} = v.pk"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            updated = cursor.rowcount
            if updated == -1 and connection.vendor == "sqlite":
                # Python's sqlite3 does not count rows for a statement starting with WITH.
                cursor.execute("SELECT changes()")
                updated = cursor.fetchone()[0]
            if updated != len(batch):
                raise RuntimeError("An import update touched an unexpected number of rows.")
    model.history.bulk_history_create(objs, batch_size=CREATE_BATCH, update=True, **history)


class PreviewOutdated(Exception):
    """The data changed between preview and confirm; the user must look again."""


def apply_import(
    *,
    parsed: ParsedWorkbook,
    programme: Programme,
    period: ReportingPeriod,
    user,
    expected_fingerprint: str | None = None,
) -> ImportResult:
    """Write the file's changes: everything or nothing, in one transaction, bulk queries only.

    Plans again under row locks so that permissions and states are checked at the moment of
    writing; with `expected_fingerprint` (from the preview) refuses when the plan differs.
    """
    reason = change_reason(parsed.filename)
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)
        plan = plan_import(parsed=parsed, programme=programme, period=period, user=user, lock=True)
        if expected_fingerprint is not None and plan.fingerprint != expected_fingerprint:
            raise PreviewOutdated(
                _(
                    "De gegevens zijn veranderd sinds het voorbeeld. Bekijk het voorbeeld "
                    "opnieuw voordat u bevestigt."
                )
            )
        # Reports the file needs are started as the form starts them (prefilled from the last
        # approved report); the changes are then planned against those reports.
        new_projects = [report.project for report in plan.writes.new_reports.values()]
        if new_projects:
            services.start_reports(projects=new_projects, period=period, user=user)
            plan = plan_import(
                parsed=parsed, programme=programme, period=period, user=user, lock=True
            )
        writes = plan.writes
        now = timezone.now()
        history = {"default_user": user, "default_change_reason": reason, "default_date": now}
        for project_pk, value in writes.new_values:
            value.report = writes.touched_reports[project_pk]
        for project_pk, line in writes.new_budget:
            line.report = writes.touched_reports[project_pk]
        if writes.new_values:
            bulk_create_with_history(
                [v for _, v in writes.new_values],
                IndicatorValue,
                batch_size=CREATE_BATCH,
                **history,
            )
        if writes.changed_values:
            _update_with_history(
                writes.changed_values, IndicatorValue, sorted(writes.value_fields), history
            )
        if writes.new_budget:
            bulk_create_with_history(
                [line for _, line in writes.new_budget],
                BudgetLine,
                batch_size=CREATE_BATCH,
                **history,
            )
        if writes.changed_budget:
            _update_with_history(
                writes.changed_budget, BudgetLine, sorted(writes.budget_fields), history
            )
        # The form uses `version` for optimistic locking: an import is a save like any other.
        touched = list(writes.touched_reports.values())
        for report in touched:
            report.version += 1
            report.updated_at = now
        if touched:
            bulk_update_with_history(
                touched,
                ProgressReport,
                ["version", "updated_at"],
                batch_size=CREATE_BATCH,
                **history,
            )
    return ImportResult(
        created_reports=len(new_projects),
        created_values=len(writes.new_values),
        updated_values=len(writes.changed_values),
        created_budget_lines=len(writes.new_budget),
        updated_budget_lines=len(writes.changed_budget),
        unchanged_rows=len(plan.unchanged_rows),
    )


# --- The template ----------------------------------------------------------------------------


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
