"""The traffic-light rules (stoplichtmodel), as pure functions over plain values.

This is the one place where a light, an expected value, a progress ratio or a budget variance
is computed. The dashboard, the report form, the PDFs and the exports all call it, so that
they always agree. It must never touch the database, the request or the clock: every input
is an argument (the peildatum included), every output a value.

The rules (docs/traffic-lights.md explains them for users):

- Indicator at a peildatum: the expected value is the planned value for that period if one is
  set, otherwise linear from the baseline at the project start to the target at the target
  date. Progress = (actual - baseline) / (expected - baseline). Green at or above the green
  threshold (default 90 %), oranje at or above the amber threshold (60 %), red below. Target
  reached is green. Without a value or before there is any expectation: grey.
- Budget: actual spending against the budget for the elapsed time; over budget is marked.
  Every budget light carries its reason in figures (`BudgetStatus.reason`).
- Totals of a cost or income table: a column total is the sum of that column's cells; a line
  without an amount is left out and named (`ColumnTotal.missing`), never read as zero.
- Project: the computed light is the worst of its indicator lights, grey ignored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes.formatting import euro, nl_number

ZERO = Decimal("0")
ONE = Decimal("1")


class Light(TextChoices):
    """A traffic light. Dutch reports say "oranje", never "amber"."""

    GREEN = "green", _("groen")
    AMBER = "amber", _("oranje")
    RED = "red", _("rood")
    GREY = "grey", _("grijs")

    @property
    def severity(self) -> int:
        """Higher is worse; grey ranks lowest so that `worst` can ignore it."""
        return _SEVERITY[self]


_SEVERITY = {Light.GREY: 0, Light.GREEN: 1, Light.AMBER: 2, Light.RED: 3}


@dataclass(frozen=True)
class Thresholds:
    """Progress ratios from which a light is green or oranje; a programme setting."""

    green: Decimal = Decimal("0.90")
    amber: Decimal = Decimal("0.60")

    def __post_init__(self) -> None:
        if not (ZERO <= self.amber <= self.green):
            raise ValueError("amber threshold must lie between 0 and the green threshold")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class IndicatorStatus:
    """Everything a reader needs to trust one indicator's light at one peildatum."""

    light: Light
    expected: Decimal | None
    actual: Decimal | None
    progress: Decimal | None  # ratio; 1 means exactly as expected
    target_reached: bool

    @property
    def progress_percent(self) -> Decimal | None:
        if self.progress is None:
            return None
        return (self.progress * 100).quantize(ONE, rounding=ROUND_HALF_UP)


def _fraction_elapsed(start: datetime.date, end: datetime.date, at: datetime.date) -> Decimal:
    total = (end - start).days
    if total <= 0:
        return ONE
    elapsed = min(max((at - start).days, 0), total)
    return Decimal(elapsed) / Decimal(total)


def expected_value_at(
    *,
    peildatum: datetime.date,
    baseline: Decimal,
    target: Decimal,
    start_date: datetime.date | None,
    target_date: datetime.date | None,
    planned: Decimal | None = None,
    is_cumulative: bool = True,
) -> Decimal | None:
    """The value expected at `peildatum`, or None while there is no expectation yet.

    A planned value for the period wins. Otherwise a cumulative indicator is expected to move
    linearly from `baseline` at `start_date` to `target` at `target_date`; a per-period
    indicator is expected to reach its target each period once the project has started.
    """
    if planned is not None:
        return planned
    if start_date is None or peildatum <= start_date:
        return None
    if not is_cumulative:
        return target
    if target_date is None:
        return None
    if peildatum >= target_date:
        return target
    return baseline + (target - baseline) * _fraction_elapsed(start_date, target_date, peildatum)


def is_target_reached(*, target: Decimal, actual: Decimal, higher_is_better: bool = True) -> bool:
    return actual >= target if higher_is_better else actual <= target


def progress_ratio(
    *, baseline: Decimal, expected: Decimal, actual: Decimal, higher_is_better: bool = True
) -> Decimal | None:
    """(actual - baseline) / (expected - baseline); None when no progress was expected yet.

    The formula holds for lower-is-better indicators too: both differences are negative.
    """
    expected_change = expected - baseline
    if expected_change == 0 or (expected_change < 0) == higher_is_better:
        return None
    return (actual - baseline) / expected_change


def light_for_progress(progress: Decimal, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Light:
    if progress >= thresholds.green:
        return Light.GREEN
    if progress >= thresholds.amber:
        return Light.AMBER
    return Light.RED


def indicator_status(
    *,
    baseline: Decimal,
    target: Decimal,
    expected: Decimal | None,
    actual: Decimal | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    higher_is_better: bool = True,
) -> IndicatorStatus:
    """The light of one indicator at one peildatum, with the figures behind it."""
    if actual is None:
        return IndicatorStatus(Light.GREY, expected, None, None, target_reached=False)
    if is_target_reached(target=target, actual=actual, higher_is_better=higher_is_better):
        progress = None
        if expected is not None:
            progress = progress_ratio(
                baseline=baseline,
                expected=expected,
                actual=actual,
                higher_is_better=higher_is_better,
            )
        return IndicatorStatus(Light.GREEN, expected, actual, progress, target_reached=True)
    if expected is None:
        return IndicatorStatus(Light.GREY, None, actual, None, target_reached=False)
    progress = progress_ratio(
        baseline=baseline, expected=expected, actual=actual, higher_is_better=higher_is_better
    )
    if progress is None:
        return IndicatorStatus(Light.GREY, expected, actual, None, target_reached=False)
    return IndicatorStatus(
        light_for_progress(progress, thresholds), expected, actual, progress, target_reached=False
    )


def indicator_light(
    baseline: Decimal,
    target: Decimal,
    expected: Decimal | None,
    actual: Decimal | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    higher_is_better: bool = True,
) -> Light:
    """Shorthand for `indicator_status(...).light`."""
    return indicator_status(
        baseline=baseline,
        target=target,
        expected=expected,
        actual=actual,
        thresholds=thresholds,
        higher_is_better=higher_is_better,
    ).light


class Revision(Protocol):
    """A revised streefwaarde as the rules need it (a TargetRevision or its read-model row)."""

    @property
    def revised_on(self) -> datetime.date: ...

    @property
    def previous_value(self) -> Decimal: ...

    @property
    def new_value(self) -> Decimal: ...


def target_in_force(
    *, current: Decimal, revisions: Sequence[Revision], peildatum: datetime.date | None
) -> Decimal:
    """The streefwaarde in force at a peildatum: the newest revision on or before it,
    otherwise the original one (the value the first revision replaced). Revisions oldest
    first; without a peildatum, the current streefwaarde."""
    if not revisions or peildatum is None:
        return current
    in_force = revisions[0].previous_value
    for revision in revisions:
        if revision.revised_on <= peildatum:
            in_force = revision.new_value
    return in_force


def expectation_line(
    *,
    project_start: datetime.date | None,
    project_end: datetime.date | None,
    programme_start: datetime.date | None,
    programme_end: datetime.date | None,
    target_date: datetime.date | None,
) -> tuple[datetime.date | None, datetime.date | None]:
    """Where an indicator's expected line starts and where it reaches the target: from the
    project's start (its programme's when the project has none) to the indicator's target
    date (else the project's end, else the programme's)."""
    return project_start or programme_start, target_date or project_end or programme_end


@dataclass(frozen=True)
class IndicatorAt:
    """An indicator at one peildatum: the streefwaarde in force, what was expected, and the
    status (progress and light) of the value reported for that peildatum."""

    target: Decimal
    expected: Decimal | None
    status: IndicatorStatus


def indicator_at(
    *,
    peildatum: datetime.date,
    baseline: Decimal,
    current_target: Decimal,
    revisions: Sequence[Revision],
    planned: Decimal | None,
    actual: Decimal | None,
    is_cumulative: bool,
    higher_is_better: bool,
    start_date: datetime.date | None,
    target_date: datetime.date | None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> IndicatorAt:
    """The one computation of an indicator's light at a peildatum, used by every surface:
    the streefwaarde in force then, the expected value on the line from `start_date` to
    `target_date` (see `expectation_line`) unless a planned value is set, and the status of
    `actual` against it."""
    target = target_in_force(current=current_target, revisions=revisions, peildatum=peildatum)
    expected = expected_value_at(
        peildatum=peildatum,
        baseline=baseline,
        target=target,
        start_date=start_date,
        target_date=target_date,
        planned=planned,
        is_cumulative=is_cumulative,
    )
    return IndicatorAt(
        target=target,
        expected=expected,
        status=indicator_status(
            baseline=baseline,
            target=target,
            expected=expected,
            actual=actual,
            thresholds=thresholds,
            higher_is_better=higher_is_better,
        ),
    )


def worst_light(lights: Iterable[Light | str]) -> Light:
    """The worst light, grey ignored; grey when there is nothing else."""
    worst = Light.GREY
    for light in lights:
        light = Light(light)
        if light.severity > worst.severity:
            worst = light
    return worst


def project_light(indicator_lights: Iterable[Light | str]) -> Light:
    """A project's computed light: the worst of its indicator lights, grey ignored."""
    return worst_light(indicator_lights)


class GreyReason(TextChoices):
    """Why a light is grey, in the word a printed report puts beside it."""

    NO_VALUE = "no_value", _("geen waarde")
    NO_EXPECTATION = "no_expectation", _("nog geen verwachting")


def grey_reason(statuses: Iterable[IndicatorStatus]) -> GreyReason | None:
    """Why the light computed from these indicator statuses is grey, or None when it is not.

    "nog geen verwachting": a value is known but there is nothing to hold it against yet
    (before the first planned value, or an expectation equal to the baseline); "geen
    waarde": no indicator has a value for the peildatum, or the project has no indicator.
    """
    statuses = list(statuses)
    if project_light(s.light for s in statuses) != Light.GREY:
        return None
    if any(s.actual is not None for s in statuses):
        return GreyReason.NO_EXPECTATION
    return GreyReason.NO_VALUE


class EvaluationStatus(TextChoices):
    """The state of an agenda item in an evaluation, as the Zuid-Kennemerland evaluation
    names them: the project's phase, with "vertraagd" for a running item whose latest
    report marks an activity as delayed."""

    NOT_STARTED = "not_started", _("niet gestart")
    RUNNING = "running", _("lopend")
    DELAYED = "delayed", _("vertraagd")
    PAUSED = "paused", _("gepauzeerd")
    COMPLETED = "completed", _("afgerond")
    STOPPED = "stopped", _("gestopt")


_EVALUATION_BY_PHASE = {
    "planned": EvaluationStatus.NOT_STARTED,
    "running": EvaluationStatus.RUNNING,
    "on_hold": EvaluationStatus.PAUSED,
    "completed": EvaluationStatus.COMPLETED,
    "stopped": EvaluationStatus.STOPPED,
}


def evaluation_status(*, phase: str, is_delayed: bool) -> EvaluationStatus:
    """An agenda item's evaluation state from its phase (Project.Status value) and whether
    its latest report marks an activity as delayed (only a running item can be delayed)."""
    status = _EVALUATION_BY_PHASE[phase]
    if status == EvaluationStatus.RUNNING and is_delayed:
        return EvaluationStatus.DELAYED
    return status


def lights_differ(*, reported: Light | str | None, computed: Light | str) -> bool:
    """True when a reported light disagrees with a computed one that is not grey."""
    if not reported or Light(computed) == Light.GREY:
        return False
    return Light(reported) != Light(computed)


def explanation_required(*, reported: Light | str | None, computed: Light | str) -> bool:
    """Oranje or rood needs an explanation (oorzaak, gevolgen, bijsturing), and so does a
    reported light that differs from the computed one."""
    if reported and Light(reported) in (Light.AMBER, Light.RED):
        return True
    return lights_differ(reported=reported, computed=computed)


@dataclass(frozen=True)
class BudgetYear:
    """One calendar year of a project's cost table."""

    year: int
    budget: Decimal | None = None
    spent: Decimal | None = None
    forecast: Decimal | None = None


@dataclass(frozen=True)
class BudgetStatus:
    total_budget: Decimal
    total_spent: Decimal  # actual spending so far
    total_expected: Decimal  # actual spending plus the forecast for the other years
    budget_to_date: Decimal  # the budget for the time elapsed at the peildatum
    variance: Decimal  # total_expected - total_budget; positive is an overrun
    spending_ratio: Decimal | None  # total_spent / budget_to_date
    is_over_budget: bool
    is_under_spent: bool
    light: Light
    under_spent_below: Decimal = DEFAULT_THRESHOLDS.amber  # the ratio that counts as behind

    @property
    def variance_ratio(self) -> Decimal | None:
        """The expected overrun (positive) or underrun as a share of the total budget."""
        return self.variance / self.total_budget if self.total_budget > 0 else None

    @property
    def reason(self) -> str:
        """Why the light has its colour, in the figures it was computed from, e.g.
        "verwacht totaal € 3.648.455 > begroting € 3.000.000, +21,6 %"."""
        if self.total_budget == 0:
            return gettext("geen begroting ingevuld, dus geen oordeel")
        over_total = self.total_expected > self.total_budget
        total = gettext("verwacht totaal %(expected)s %(sign)s begroting %(budget)s, %(pct)s") % {
            "expected": euro(self.total_expected, cents=False),
            "sign": ">" if over_total else "≤",
            "budget": euro(self.total_budget, cents=False),
            "pct": signed_percent(self.variance_ratio),
        }
        parts = [total]
        if self.spending_ratio is not None:
            if self.spending_ratio > ONE:
                judgement = gettext("meer dan begroot")
            elif self.is_under_spent:
                judgement = gettext("minder dan %(pct)s") % {
                    "pct": signed_percent(self.under_spent_below, sign=False)
                }
            else:
                judgement = gettext("binnen de begroting")
            to_date = gettext(
                "uitgegeven %(spent)s = %(pct)s van %(to_date)s begroot tot de peildatum "
                "(%(judgement)s)"
            ) % {
                "spent": euro(self.total_spent, cents=False),
                "pct": signed_percent(self.spending_ratio, sign=False),
                "to_date": euro(self.budget_to_date, cents=False),
                "judgement": judgement,
            }
            # The part that decided the light comes first.
            if self.spending_ratio > ONE and not over_total or self.is_under_spent:
                parts.insert(0, to_date)
            else:
                parts.append(to_date)
        return "; ".join(parts)


def signed_percent(ratio: Decimal | None, *, sign: bool = True) -> str:
    """Decimal("0.2161") -> "+21,6 %" (one decimal); None -> "–"."""
    if ratio is None:
        return "–"
    text = nl_number(ratio * 100, decimals=1)
    return f"+{text} %" if sign and ratio > 0 else f"{text} %"


def budget_to_date(lines: Sequence[BudgetYear], peildatum: datetime.date) -> Decimal:
    """The budget of the years before the peildatum, plus the elapsed part of its year."""
    total = ZERO
    for line in lines:
        if line.budget is None:
            continue
        if line.year < peildatum.year:
            total += line.budget
        elif line.year == peildatum.year:
            start = datetime.date(line.year, 1, 1)
            end = datetime.date(line.year + 1, 1, 1)
            total += line.budget * _fraction_elapsed(start, end, peildatum)
    return total


def budget_status(
    lines: Sequence[BudgetYear],
    *,
    peildatum: datetime.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> BudgetStatus:
    """Spending against the budget for the elapsed time.

    Over budget when the actual spending exceeds the budget to date, or when spending plus
    forecast exceeds the total budget. Under-spent when less than the amber threshold of the
    budget to date was spent. Light: red when over budget by more than 10 %, oranje when over
    budget or under-spent, green otherwise, grey without a budget.
    """
    total_budget = sum((line.budget or ZERO for line in lines), ZERO)
    total_spent = sum((line.spent or ZERO for line in lines), ZERO)
    total_expected = sum((expected_spending(line) or ZERO for line in lines), ZERO)
    to_date = budget_to_date(lines, peildatum)
    ratio = total_spent / to_date if to_date > 0 else None
    over_now = ratio is not None and ratio > ONE
    over_in_total = total_budget > 0 and total_expected > total_budget
    is_over_budget = over_now or over_in_total
    is_under_spent = ratio is not None and ratio < thresholds.amber
    if total_budget == 0:
        light = Light.GREY
    elif (ratio is not None and ratio > Decimal("1.10")) or (
        over_in_total and total_expected > total_budget * Decimal("1.10")
    ):
        light = Light.RED
    elif is_over_budget or is_under_spent:
        light = Light.AMBER
    else:
        light = Light.GREEN
    return BudgetStatus(
        total_budget=total_budget,
        total_spent=total_spent,
        total_expected=total_expected,
        budget_to_date=to_date,
        variance=total_expected - total_budget,
        spending_ratio=ratio,
        is_over_budget=is_over_budget,
        is_under_spent=is_under_spent,
        light=light,
        under_spent_below=thresholds.amber,
    )


def expected_spending(line: BudgetYear) -> Decimal | None:
    """A year's expected spending: its realisation where there is one, else its forecast."""
    return line.spent if line.spent is not None else line.forecast


@dataclass(frozen=True)
class Omission:
    """A line left out of a column total because it has no amount there."""

    label: str  # the year or the funding source
    reason: str  # the line's note, else "geen bedrag ingevuld"

    def __str__(self) -> str:
        return f"{self.label}: {self.reason}"


@dataclass(frozen=True)
class ColumnTotal:
    """The sum of a column's cells, and the lines it leaves out (then it is incomplete)."""

    amount: Decimal | None  # None when no cell has an amount
    missing: tuple[Omission, ...] = ()

    @property
    def is_incomplete(self) -> bool:
        return bool(self.missing)

    @property
    def missing_text(self) -> str:
        """'exclusief Regio Deal: bedrag in de bron dubbelzinnig', or '' when complete."""
        if not self.missing:
            return ""
        return gettext("exclusief %(lines)s") % {
            "lines": "; ".join(str(omission) for omission in self.missing)
        }


def column_total(cells: Iterable[tuple[str, Decimal | None, str]]) -> ColumnTotal:
    """Sum (label, amount, note) cells. When some cells have an amount, those without one
    are named as left out, with the note as reason (else "geen bedrag ingevuld"); a column
    without any amount has no total and leaves nothing out."""
    cells = list(cells)
    present = [amount for _, amount, _ in cells if amount is not None]
    if not present:
        return ColumnTotal(None)
    missing = tuple(
        Omission(label, note.strip() or gettext("geen bedrag ingevuld"))
        for label, amount, note in cells
        if amount is None
    )
    return ColumnTotal(sum(present, ZERO), missing)


@dataclass(frozen=True)
class CostTotals:
    """The totals of a cost table (years). Budget and expected spending name the years they
    leave out; realisation and forecast do not, since a year has one or the other."""

    budget: ColumnTotal
    spent: ColumnTotal
    forecast: ColumnTotal
    expected: ColumnTotal  # per year the realisation, else the forecast


def cost_totals(lines: Sequence[BudgetYear]) -> CostTotals:
    def column(value_of):
        return column_total((str(line.year), value_of(line), "") for line in lines)

    no_spending = gettext("geen realisatie of prognose ingevuld")
    expected = column(expected_spending)
    expected = ColumnTotal(
        expected.amount, tuple(Omission(o.label, no_spending) for o in expected.missing)
    )
    return CostTotals(
        budget=column(lambda line: line.budget),
        spent=ColumnTotal(column(lambda line: line.spent).amount),
        forecast=ColumnTotal(column(lambda line: line.forecast).amount),
        expected=expected,
    )


@dataclass(frozen=True)
class FundingYear:
    """One funding source of a report's income table."""

    source: str
    budgeted: Decimal | None = None
    received: Decimal | None = None
    committed: Decimal | None = None
    to_request: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class FundingTotals:
    """The totals of an income table. "Begroot" names the sources it leaves out; an empty
    received, committed or to-request cell means nothing (yet), as the sources' own totals
    read it, so those totals are plain sums."""

    budgeted: ColumnTotal
    received: ColumnTotal
    committed: ColumnTotal
    to_request: ColumnTotal


def funding_totals(lines: Sequence[FundingYear]) -> FundingTotals:
    def plain(values):
        present = [value for value in values if value is not None]
        return ColumnTotal(sum(present, ZERO) if present else None)

    return FundingTotals(
        budgeted=column_total((line.source, line.budgeted, line.note) for line in lines),
        received=plain(line.received for line in lines),
        committed=plain(line.committed for line in lines),
        to_request=plain(line.to_request for line in lines),
    )


@dataclass(frozen=True)
class StatedTotal:
    """A total as the report states it, beside the computed one, with the difference."""

    stated: Decimal
    computed: ColumnTotal
    note: str = ""

    @property
    def difference(self) -> Decimal | None:
        """Computed minus stated; None without a computed total."""
        return None if self.computed.amount is None else self.computed.amount - self.stated

    @property
    def agrees(self) -> bool:
        return self.difference == 0 and not self.computed.is_incomplete

    def __str__(self) -> str:
        text = gettext("opgegeven totaal %(stated)s; berekend %(computed)s") % {
            "stated": euro(self.stated),
            "computed": euro(self.computed.amount),
        }
        if self.computed.is_incomplete:
            text += " " + gettext("(onvolledig)")
        if self.difference is not None:
            difference = euro(self.difference)
            text += "; " + gettext("verschil %(difference)s") % {"difference": difference}
        return text


def stated_total(
    stated: Decimal | None, computed: ColumnTotal | None, note: str = ""
) -> StatedTotal | None:
    if stated is None:
        return None
    return StatedTotal(stated, computed or ColumnTotal(None), note)


def count_lights(lights: Iterable[Light | str]) -> dict[Light, int]:
    """How many of each light, in the order green, oranje, red, grey (for summaries)."""
    counts = {Light.GREEN: 0, Light.AMBER: 0, Light.RED: 0, Light.GREY: 0}
    for light in lights:
        counts[Light(light)] += 1
    return counts


def target_progress(*, target: Decimal, realised: Decimal | None) -> Decimal | None:
    """Share of a (programme) target realised, as a ratio; None without a realisation."""
    if realised is None or target <= 0:
        return None
    return realised / target


# --- Explaining a light (the dashboard's legend, badges and "aandacht nodig") ----------------


def indicator_basis(
    *,
    indicator: IndicatorStatus,
    peildatum: datetime.date | None,
    start_date: datetime.date | None,
    target_date: datetime.date | None,
    planned: Decimal | None,
    target: Decimal,
) -> str:
    """What a computed indicator light rests on, in one Dutch sentence, e.g.
    "43 van verwacht 51 (84 %) op 1-7-2021; verwachting lineair van 1-2-2021 tot 31-1-2023".
    """

    def day(value: datetime.date | None) -> str:
        return f"{value.day}-{value.month}-{value.year}" if value else "–"

    if indicator.light == Light.GREY:
        grey = grey_reason([indicator])
        reason = str(grey.label) if grey else ""
        if indicator.actual is None:
            return gettext("grijs: %(reason)s op %(date)s") % {
                "reason": reason,
                "date": day(peildatum),
            }
        return gettext("grijs: %(reason)s op %(date)s (realisatie %(actual)s)") % {
            "reason": reason,
            "date": day(peildatum),
            "actual": nl_number(indicator.actual),
        }
    if indicator.target_reached:
        figures = gettext("%(actual)s, streefwaarde %(target)s gehaald op %(date)s") % {
            "actual": nl_number(indicator.actual),
            "target": nl_number(target),
            "date": day(peildatum),
        }
    else:
        figures = gettext("%(actual)s van verwacht %(expected)s (%(pct)s) op %(date)s") % {
            "actual": nl_number(indicator.actual),
            "expected": nl_number(indicator.expected, 0),
            "pct": f"{nl_number(indicator.progress_percent)} %",
            "date": day(peildatum),
        }
    if planned is not None:
        line = gettext("verwachting volgens de planning van deze periode")
    else:
        line = gettext("verwachting lineair van %(start)s tot %(end)s") % {
            "start": day(start_date),
            "end": day(target_date),
        }
    return f"{figures}; {line}"


def needs_attention(*, reported: Light | str | None, computed: Light | str) -> bool:
    """A project needs attention when its reported or its computed light is oranje or rood."""
    lights = {Light(computed)} | ({Light(reported)} if reported else set())
    return bool(lights & {Light.AMBER, Light.RED})


def attention_order(
    *, reported: Light | str | None, computed: Light | str, progress: Decimal | None
) -> tuple:
    """The order of "aandacht nodig": the worse of both lights first (rood before oranje),
    then the furthest behind (lowest progress ratio; unknown progress last)."""
    worst = worst_light([computed, *([reported] if reported else [])])
    return (-worst.severity, progress is None, progress if progress is not None else ZERO)
