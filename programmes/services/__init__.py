"""Every write of progress reporting, one function per intention: periods (generate, close,
reopen), the report workflow (start, save a draft, submit, approve, return, reopen), the
rows of a report (shared by the form and the Excel import) and target revisions.

The report form, the import, the admin and the management commands all write through these
functions; nothing else writes reports, values, budget and funding lines, periods or
targets. Callers use this package's names (`services.save_draft(...)`); the modules behind
it are:

- `errors`: the exceptions with a Dutch message (ReportingError and its kinds)
- `inputs`: the plain frozen values a form or import hands over (ReportInput, ...)
- `periods`: generate_periods, close_period, reopen_period
- `reports`: start_report, save_draft, submit/approve/return/reopen_report
- `rows`: sync_rows and prefill_report, the row writes the form and the import share
- `targets`: revise_target
- `reminders`: send_reminders (a manager's), send_due_reminders (automatic, daily)
- `notifications`: mail after commit
- `conflicts`: what someone else changed while a user was editing
- `derived`: the stored status every write refreshes (lights, states, budget per peildatum)
"""

from programmes.services.derived import refresh_status
from programmes.services.errors import (
    Change,
    EditConflict,
    Incomplete,
    NotAllowed,
    ReportingError,
    WrongState,
)
from programmes.services.inputs import (
    REPORT_FIELDS,
    ActivityInput,
    BudgetLineInput,
    FundingLineInput,
    IndicatorValueInput,
    PlanningChangeInput,
    ReportInput,
)
from programmes.services.periods import close_period, generate_periods, reopen_period
from programmes.services.reminders import send_due_reminders, send_reminders
from programmes.services.reports import (
    approve_report,
    completeness_problems,
    four_eyes_refusal,
    last_approved_reports,
    reopen_report,
    return_report,
    save_draft,
    start_report,
    start_reports,
    submit_report,
)
from programmes.services.rows import lower_value_problem, year_problem
from programmes.services.targets import revise_target

__all__ = [
    "REPORT_FIELDS",
    "ActivityInput",
    "BudgetLineInput",
    "Change",
    "EditConflict",
    "FundingLineInput",
    "Incomplete",
    "IndicatorValueInput",
    "NotAllowed",
    "PlanningChangeInput",
    "ReportInput",
    "ReportingError",
    "WrongState",
    "approve_report",
    "close_period",
    "completeness_problems",
    "four_eyes_refusal",
    "send_reminders",
    "send_due_reminders",
    "generate_periods",
    "last_approved_reports",
    "lower_value_problem",
    "reopen_period",
    "refresh_status",
    "reopen_report",
    "return_report",
    "revise_target",
    "save_draft",
    "start_report",
    "start_reports",
    "submit_report",
    "year_problem",
]
