"""Import of realisations and budgets from the Excel template: read, validate, preview, write.

Regions keep their figures in Excel; this package meets them there without ever corrupting
data. Three steps, each usable on its own (the web upload and the management command
`import_realisations` both go through them):

1. `read_workbook(data, filename=...)` reads the file into plain rows (`ParsedWorkbook`),
   or raises `ImportRefused` saying why not (`reading`, after the checks in `safety`).
2. `plan_import(parsed=..., programme=..., period=..., user=...)` compares every row with the
   database and returns an `ImportPlan`: the preview (`plan`).
3. `apply_import(...)` plans again inside one transaction and writes everything or nothing
   (`apply`).

`build_template(programme=..., period=...)` makes the workbook people fill in (`template`).

Callers use this package's names (`imports.read_workbook(...)`); the modules behind it are:

- `safety`: checks on the raw upload before openpyxl opens it (size, kind, macros, cells)
- `reading`: the template's layout, `ImportIssue`/`ImportRefused`, `read_workbook`
- `plan`: `plan_import`, `ImportPlan`, `RowChange`, `FieldChange`
- `apply`: `apply_import`, `PreviewOutdated`, `ImportResult`
- `template`: `build_template`

The limits are read by the module that defines them: a test that changes one patches that
module (`imports.reading.MAX_ROWS`), not this package. The import must never evaluate a
formula, trust a value sent back by the browser, compute a light or write outside one
transaction.
"""

from programmes.imports.apply import (
    CREATE_BATCH,
    ImportResult,
    PreviewOutdated,
    apply_import,
    change_reason,
)
from programmes.imports.plan import FieldChange, ImportPlan, RowChange, plan_import
from programmes.imports.reading import (
    BUDGET_COLUMNS,
    BUDGET_FIELDS,
    BUDGET_REQUIRED,
    COL_BUDGET,
    COL_CODE,
    COL_FORECAST,
    COL_INDICATOR,
    COL_NOTE,
    COL_PREVIOUS,
    COL_SPENT,
    COL_TARGET,
    COL_TITLE,
    COL_UNIT,
    COL_VALUE,
    COL_YEAR,
    INDICATOR_COLUMNS,
    INDICATOR_REQUIRED,
    MAX_FILE_BYTES,
    MAX_ISSUES_SHOWN,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    OLE2_MAGIC,
    SHEET_BUDGET,
    SHEET_HELP,
    SHEET_INDICATORS,
    BudgetInput,
    ImportIssue,
    ImportRefused,
    IndicatorInput,
    ParsedWorkbook,
    file_sha256,
    parse_dutch_date,
    read_workbook,
)
from programmes.imports.template import DATE_FORMAT, EURO_FORMAT, build_template

__all__ = [
    # The three steps and the template
    "read_workbook",
    "plan_import",
    "apply_import",
    "build_template",
    # What they return or raise
    "ParsedWorkbook",
    "IndicatorInput",
    "BudgetInput",
    "ImportPlan",
    "RowChange",
    "FieldChange",
    "ImportResult",
    "ImportIssue",
    "ImportRefused",
    "PreviewOutdated",
    "change_reason",
    "file_sha256",
    "parse_dutch_date",
    # Limits
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_ROWS",
    "MAX_ISSUES_SHOWN",
    "CREATE_BATCH",
    "OLE2_MAGIC",
    # The template's layout
    "SHEET_INDICATORS",
    "SHEET_BUDGET",
    "SHEET_HELP",
    "COL_CODE",
    "COL_TITLE",
    "COL_INDICATOR",
    "COL_UNIT",
    "COL_TARGET",
    "COL_PREVIOUS",
    "COL_VALUE",
    "COL_NOTE",
    "COL_YEAR",
    "COL_BUDGET",
    "COL_SPENT",
    "COL_FORECAST",
    "INDICATOR_COLUMNS",
    "INDICATOR_REQUIRED",
    "BUDGET_COLUMNS",
    "BUDGET_REQUIRED",
    "BUDGET_FIELDS",
    "EURO_FORMAT",
    "DATE_FORMAT",
]
