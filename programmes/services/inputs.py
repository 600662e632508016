"""What a form or an import hands to the report services: frozen plain values, already
parsed (Decimals, ints, cleaned text), never request data or model instances.

This module must never import models or do any I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ActivityInput:
    activity: str
    progress: str = ""
    year: int | None = None
    pk: int | None = None  # an existing row of this report; None for a new one
    is_delayed: bool = False  # the activity runs behind its planning (vertraagd)


@dataclass(frozen=True)
class IndicatorValueInput:
    indicator_id: int
    value: Decimal | None
    note: str = ""


@dataclass(frozen=True)
class PlanningChangeInput:
    year: int
    original_description: str = ""
    changed_description: str = ""


@dataclass(frozen=True)
class BudgetLineInput:
    year: int
    budget: Decimal | None = None
    spent: Decimal | None = None
    forecast: Decimal | None = None


@dataclass(frozen=True)
class FundingLineInput:
    source_id: int
    budgeted: Decimal | None = None
    received: Decimal | None = None
    committed: Decimal | None = None
    to_request: Decimal | None = None
    note: str = ""


REPORT_FIELDS = (
    "summary",
    "reported_light",
    "light_explanation",
    "light_cause",
    "light_consequences",
    "light_recovery",
    "budget_note",
    "stated_cost_total",
    "stated_income_total",
    "stated_totals_note",
    "highlight",
    "highlight_text",
)


@dataclass(frozen=True)
class ReportInput:
    """Everything a coordinator enters in one report."""

    summary: str = ""
    reported_light: str = ""
    light_explanation: str = ""
    light_cause: str = ""
    light_consequences: str = ""
    light_recovery: str = ""
    budget_note: str = ""
    stated_cost_total: Decimal | None = None  # as the source states it; shown beside the sum
    stated_income_total: Decimal | None = None
    stated_totals_note: str = ""
    highlight: str = ""
    highlight_text: str = ""
    activities: tuple[ActivityInput, ...] = ()
    values: tuple[IndicatorValueInput, ...] = ()
    planning_changes: tuple[PlanningChangeInput, ...] = ()
    budget_lines: tuple[BudgetLineInput, ...] = ()
    funding_lines: tuple[FundingLineInput, ...] = ()
