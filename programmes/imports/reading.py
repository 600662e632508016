"""Step 1 of the Excel import: read an uploaded workbook into plain rows (`ParsedWorkbook`).

`read_workbook(data, filename=...)` refuses what is not a clean .xlsx: first, before openpyxl
opens anything, `programmes.imports.safety` (too large, not a zip, an OLE2 file, macros, too
many cells counted while streaming); then too many rows, merged cells, formulas, missing
columns, values that cannot be read unambiguously. Text in number cells goes through
`programmes.parsing.parse_decimal`; numeric cells become a Decimal via `str()`, never via
float arithmetic. Nothing is evaluated: a formula is refused, not computed. Every problem is
an `ImportIssue` placed by sheet, row and column; `ImportRefused` carries them all.

This module also holds the template's layout (sheet names, column headers) that the plan and
the template share.

Choices made here: openpyxl's normal (not read-only) mode, because read-only mode cannot see
merged cells and trusts the sheet's own dimension tag for its size; memory stays bounded by
the limits `programmes.imports.safety` checks before openpyxl opens the file. Extra sheets
are ignored and named in the preview. This module must never evaluate a formula, open a file
the safety checks have not accepted, or touch the database.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from programmes.formatting import nl_date, nl_number
from programmes.imports import safety
from programmes.parsing import AmountError, check_ascii_digits, parse_decimal
from programmes.text import normalise_text

MAX_FILE_BYTES = safety.MAX_FILE_BYTES
MAX_UNPACKED_BYTES = safety.MAX_UNPACKED_BYTES
MAX_ROWS = 20_000
MAX_ISSUES_SHOWN = 200

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

OLE2_MAGIC = safety.OLE2_MAGIC


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
        safety.check_upload(data, filename=filename)
    except safety.UnsafeWorkbook as error:
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
