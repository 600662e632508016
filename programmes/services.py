"""Every write that matters for progress reporting: one function per intention.

Reporting periods (`generate_periods`, `close_period`) and the report workflow
(`start_report`, `save_draft`, `submit_report`, `approve_report`, `return_report`,
`reopen_report`). Each function takes keyword-only arguments, runs inside a transaction,
checks the user's permission and the report's state, records who did it and why in the
history (simple_history), and raises a `ReportingError` with a Dutch message when the
action is not possible. Views call these and never write to the models themselves.

It must never render pages, read the request, or compute a light itself (that is
`programmes.status`, reached through `programmes.report_data`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import permissions, report_data, sanitize, status
from programmes.formatting import nl_number
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    IndicatorValue,
    PlanningChange,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
)

DEADLINE_AFTER_PEILDATUM = datetime.timedelta(days=45)
EDITABLE_STATES = (ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)


class ReportingError(Exception):
    """An action that is not possible; the message is for the user."""

    def __init__(self, message: str, *, problems: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.message = message
        # (field name, message) pairs, e.g. from the completeness check, for the form.
        self.problems = tuple(problems)


class NotAllowed(ReportingError, PermissionDenied):
    """The user may see the object but not do this to it (a 403)."""


class WrongState(ReportingError):
    """The report or period is not in a state that allows this action."""


class Incomplete(ReportingError):
    """The report lacks what a submitted report must have."""


@dataclass(frozen=True)
class Change:
    """One field that someone else changed while the user was editing."""

    label: str
    yours: str
    theirs: str


class EditConflict(ReportingError):
    """Someone else saved the report after the user opened it (optimistic locking)."""

    def __init__(self, message: str, *, changes: Sequence[Change]) -> None:
        super().__init__(message)
        self.changes = tuple(changes)


# -- Input: what a form (or an import) hands to save_draft ----------------------------------


@dataclass(frozen=True)
class ActivityInput:
    activity: str
    progress: str = ""
    year: int | None = None
    pk: int | None = None  # an existing row of this report; None for a new one


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
    highlight: str = ""
    highlight_text: str = ""
    activities: tuple[ActivityInput, ...] = ()
    values: tuple[IndicatorValueInput, ...] = ()
    planning_changes: tuple[PlanningChangeInput, ...] = ()
    budget_lines: tuple[BudgetLineInput, ...] = ()
    funding_lines: tuple[FundingLineInput, ...] = field(default=())


# -- Periods --------------------------------------------------------------------------------


def next_peildatum(after: datetime.date) -> datetime.date:
    """The first 1 January or 1 July strictly after the given date."""
    if after < datetime.date(after.year, 7, 1):
        return datetime.date(after.year, 7, 1)
    return datetime.date(after.year + 1, 1, 1)


def peildatums_for(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every 1 January and 1 July after `start`, up to and including the first on or after
    `end`: the last one reports on the programme's final half-year."""
    dates = [next_peildatum(start)]
    while dates[-1] < end:
        dates.append(next_peildatum(dates[-1]))
    return dates


@transaction.atomic
def generate_periods(
    *, programme: Programme, user=None, deadline_after: datetime.timedelta | None = None
) -> list[ReportingPeriod]:
    """The reporting periods of a programme for its whole duration. Idempotent: existing
    periods (and their deadlines and closed state) are kept, missing ones are added."""
    if user is not None and not permissions.manages_programme(user, programme):
        raise NotAllowed(_("Alleen een programmamanager kan perioden aanmaken."))
    deadline_after = deadline_after or DEADLINE_AFTER_PEILDATUM
    existing = {period.peildatum: period for period in programme.periods.all()}
    periods = []
    for peildatum in peildatums_for(programme.start_date, programme.end_date):
        period = existing.get(peildatum)
        if period is None:
            period = ReportingPeriod(
                programme=programme, peildatum=peildatum, deadline=peildatum + deadline_after
            )
            period.full_clean()
            period._change_reason = _("Periode aangemaakt")
            period.save()
        periods.append(period)
    return periods


@transaction.atomic
def close_period(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Close a period: from now on its reports are read-only everywhere."""
    period = (
        ReportingPeriod.objects.select_for_update().select_related("programme").get(pk=period.pk)
    )
    if not permissions.manages_programme(user, period.programme):
        raise NotAllowed(_("Alleen een programmamanager kan een periode sluiten."))
    if period.is_closed:
        raise WrongState(_("Deze periode is al gesloten."))
    period.is_closed = True
    period.closed_at = timezone.now()
    period.closed_by = user
    period._history_user = user
    period._change_reason = _("Periode gesloten")
    period.full_clean()
    period.save(update_fields=["is_closed", "closed_at", "closed_by"])
    return period


# -- Reports --------------------------------------------------------------------------------


def _lock(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("project__programme", "period")
        .get(pk=report.pk)
    )


def _ensure_editable(report: ProgressReport, user) -> None:
    if report.period.is_closed:
        raise WrongState(_("De periode is gesloten; de rapportage kan niet meer worden gewijzigd."))
    if report.state == ProgressReport.State.APPROVED:
        raise WrongState(_("Een goedgekeurde rapportage kan niet worden gewijzigd."))
    if report.state == ProgressReport.State.SUBMITTED:
        raise WrongState(
            _("De rapportage is ingediend en wacht op beoordeling; wijzigen kan nu niet.")
        )
    if not permissions.can_edit_report(user, report):
        raise NotAllowed(_("U mag deze rapportage niet wijzigen."))


def _save_report(report: ProgressReport, user, reason: str, fields: Iterable[str]) -> None:
    report.version += 1
    report._history_user = user
    report._change_reason = reason
    report.full_clean()
    report.save(update_fields=[*fields, "version", "updated_at"])


def last_approved_report(*, project: Project, before: datetime.date) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(
            project=project,
            state=ProgressReport.State.APPROVED,
            period__peildatum__lt=before,
        )
        .order_by("-period__peildatum")
        .first()
    )


@transaction.atomic
def start_report(*, project: Project, period: ReportingPeriod, user) -> ProgressReport:
    """The report of a project for a period, created on first use and prefilled from the
    last approved report: activities, planning changes, budget and funding lines (indicator
    values start empty). Returns the existing report when there is one."""
    if period.programme_id != project.programme_id:
        raise WrongState(_("Deze periode hoort bij een ander programma."))
    if not permissions.can_start_report(user, project):
        raise NotAllowed(_("U mag voor dit project geen rapportage starten."))
    existing = ProgressReport.objects.filter(project=project, period=period).first()
    if existing is not None:
        return existing
    if period.is_closed:
        raise WrongState(_("De periode is gesloten; er kan geen rapportage meer worden gestart."))
    report = ProgressReport(project=project, period=period)
    report._history_user = user
    report._change_reason = _("Rapportage gestart")
    report.full_clean()
    report.save()
    source = last_approved_report(project=project, before=period.peildatum)
    if source is not None:
        reason = _("Overgenomen uit %(period)s") % {"period": source.period.label}
        for row in source.activities.all():
            _create(
                ActivityProgress,
                user,
                reason,
                report=report,
                order=row.order,
                year=row.year,
                activity=row.activity,
                progress=row.progress,
            )
        for row in source.planning_changes.all():
            _create(
                PlanningChange,
                user,
                reason,
                report=report,
                year=row.year,
                original_description=row.original_description,
                changed_description=row.changed_description,
            )
        for row in source.budget_lines.all():
            _create(
                BudgetLine,
                user,
                reason,
                report=report,
                year=row.year,
                budget=row.budget,
                spent=row.spent,
                forecast=row.forecast,
            )
        for row in source.funding_lines.all():
            _create(
                FundingLine,
                user,
                reason,
                report=report,
                source_id=row.source_id,
                budgeted=row.budgeted,
                received=row.received,
                committed=row.committed,
                to_request=row.to_request,
                note=row.note,
            )
    return report


def _create(model, user, reason: str, **values):
    row = model(**values)
    row._history_user = user
    row._change_reason = reason
    row.full_clean(validate_constraints=False)
    row.save()
    return row


def _update(row, user, reason: str, values: dict) -> None:
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(row, name, values[name])
    row._history_user = user
    row._change_reason = reason
    row.full_clean(validate_constraints=False)
    row.save(update_fields=changed)


def _delete(row, user, reason: str) -> None:
    row._history_user = user
    row._change_reason = reason
    row.delete()


def _is_empty(values: dict) -> bool:
    return all(value in (None, "") for value in values.values())


ROW_KEYS = ("year", "source_id", "indicator_id")


def _sync_rows(
    *, existing: dict, wanted: dict, model, user, reason: str, report: ProgressReport
) -> None:
    """Make the rows of one kind match the input: update by key, create new, delete gone.
    Rows whose fields are all empty are not kept."""
    for key, values in wanted.items():
        row = existing.pop(key, None)
        if _is_empty({k: v for k, v in values.items() if k not in ROW_KEYS}):
            if row is not None:
                _delete(row, user, reason)
            continue
        if row is None:
            _create(model, user, reason, report=report, **values)
        else:
            _update(row, user, reason, values)
    for row in existing.values():
        _delete(row, user, reason)


@transaction.atomic
def save_draft(*, report: ProgressReport, user, data: ReportInput, version: int) -> ProgressReport:
    """Store what the user entered. `version` is the report version the user opened; when
    someone saved in between, nothing is stored and EditConflict lists the differences."""
    report = _lock(report)
    _ensure_editable(report, user)
    if version != report.version:
        raise EditConflict(
            _(
                "Iemand anders heeft deze rapportage opgeslagen nadat u hem opende. Uw invoer "
                "staat nog op het scherm; vergelijk hieronder en sla opnieuw op."
            ),
            changes=conflicting_changes(report=report, data=data, opened_version=version),
        )
    reason = _("Concept opgeslagen")
    indicator_ids = set(report.project.indicators.values_list("pk", flat=True))
    unknown = [
        value.indicator_id for value in data.values if value.indicator_id not in indicator_ids
    ]
    if unknown:
        raise WrongState(_("Een indicator hoort niet bij dit project."))

    activities = {row.pk: row for row in report.activities.all()}
    kept: set[int] = set()
    for order, item in enumerate(data.activities):
        values = {
            "order": order,
            "year": item.year,
            "activity": item.activity,
            "progress": item.progress,
        }
        row = activities.get(item.pk) if item.pk else None
        if row is None:
            _create(ActivityProgress, user, reason, report=report, **values)
        else:
            kept.add(row.pk)
            _update(row, user, reason, values)
    for pk, row in activities.items():
        if pk not in kept:
            _delete(row, user, reason)

    _sync_rows(
        existing={row.indicator_id: row for row in report.values.all()},
        wanted={
            item.indicator_id: {
                "indicator_id": item.indicator_id,
                "value": item.value,
                "note": item.note,
            }
            for item in data.values
        },
        model=IndicatorValue,
        user=user,
        reason=reason,
        report=report,
    )
    _sync_rows(
        existing={row.year: row for row in report.planning_changes.all()},
        wanted={
            item.year: {
                "year": item.year,
                "original_description": item.original_description,
                "changed_description": item.changed_description,
            }
            for item in data.planning_changes
        },
        model=PlanningChange,
        user=user,
        reason=reason,
        report=report,
    )
    _sync_rows(
        existing={row.year: row for row in report.budget_lines.all()},
        wanted={
            item.year: {
                "year": item.year,
                "budget": item.budget,
                "spent": item.spent,
                "forecast": item.forecast,
            }
            for item in data.budget_lines
        },
        model=BudgetLine,
        user=user,
        reason=reason,
        report=report,
    )
    _sync_rows(
        existing={row.source_id: row for row in report.funding_lines.all()},
        wanted={
            item.source_id: {
                "source_id": item.source_id,
                "budgeted": item.budgeted,
                "received": item.received,
                "committed": item.committed,
                "to_request": item.to_request,
                "note": item.note,
            }
            for item in data.funding_lines
        },
        model=FundingLine,
        user=user,
        reason=reason,
        report=report,
    )
    for name in REPORT_FIELDS:
        setattr(report, name, getattr(data, name))
    _save_report(report, user, reason, REPORT_FIELDS)
    return report


def completeness_problems(report: ProgressReport) -> list[tuple[str, str]]:
    """What a report still lacks before it can be submitted, as (field, message) pairs."""
    context = report_data.load_report_context(report)
    problems: list[tuple[str, str]] = []
    for line in context.lines:
        name = f"ind-{line.indicator.pk}-value"
        if line.value is None and not line.note.strip():
            problems.append(
                (
                    name,
                    _("Vul een waarde in voor '%(indicator)s' of licht toe waarom die ontbreekt.")
                    % {"indicator": line.indicator.name},
                )
            )
        elif line.is_below_previous and not line.note.strip():
            problems.append(
                (
                    name,
                    _("'%(indicator)s' is lager dan vorige periode (%(previous)s); licht dit toe.")
                    % {
                        "indicator": line.indicator.name,
                        "previous": nl_number(line.previous_value),
                    },
                )
            )
    if not report.reported_light:
        problems.append(("reported_light", _("Kies een stoplicht: groen, oranje of rood.")))
    elif status.explanation_required(
        reported=report.reported_light, computed=context.computed_light
    ):
        if report.reported_light in (status.Light.AMBER, status.Light.RED):
            for name, label in (
                ("light_cause", _("de oorzaak")),
                ("light_consequences", _("de gevolgen")),
                ("light_recovery", _("de bijsturing")),
            ):
                if not getattr(report, name).strip():
                    problems.append(
                        (
                            name,
                            _("Bij %(light)s beschrijft u %(what)s.")
                            % {"light": status.Light(report.reported_light).label, "what": label},
                        )
                    )
        differs = status.lights_differ(
            reported=report.reported_light, computed=context.computed_light
        )
        if differs and not report.light_explanation.strip():
            problems.append(
                (
                    "light_explanation",
                    _(
                        "Het gekozen stoplicht (%(reported)s) wijkt af van het berekende "
                        "(%(computed)s); licht toe waarom."
                    )
                    % {
                        "reported": status.Light(report.reported_light).label,
                        "computed": context.computed_light.label,
                    },
                )
            )
    if report.highlight and not report.highlight_text.strip():
        problems.append(("highlight_text", _("Geef de highlight een regel tekst.")))
    return problems


@transaction.atomic
def submit_report(*, report: ProgressReport, user) -> ProgressReport:
    """Hand a complete report to the programme managers for review."""
    report = _lock(report)
    _ensure_editable(report, user)
    problems = completeness_problems(report)
    if problems:
        raise Incomplete(
            _("De rapportage is nog niet compleet. Vul aan wat hieronder staat."),
            problems=problems,
        )
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    _save_report(report, user, _("Ingediend"), ["state", "submitted_at", "submitted_by"])
    _notify(
        report=report,
        recipients=report.project.programme.managers.all(),
        template="emails/report_submitted",
        actor=user,
    )
    return report


def _ensure_reviewable(report: ProgressReport, user) -> None:
    if not permissions.can_review_report(user, report):
        raise NotAllowed(_("Alleen een programmamanager kan rapportages beoordelen."))
    if report.period.is_closed:
        raise WrongState(_("De periode is gesloten; de rapportage kan niet meer worden gewijzigd."))


@transaction.atomic
def approve_report(*, report: ProgressReport, user) -> ProgressReport:
    """Approve a submitted report; from then on it cannot change (unless reopened)."""
    report = _lock(report)
    _ensure_reviewable(report, user)
    if report.state != ProgressReport.State.SUBMITTED:
        raise WrongState(_("Alleen een ingediende rapportage kan worden goedgekeurd."))
    report.state = ProgressReport.State.APPROVED
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.return_reason = ""
    _save_report(
        report, user, _("Goedgekeurd"), ["state", "reviewed_at", "reviewed_by", "return_reason"]
    )
    _notify(
        report=report,
        recipients=report.project.coordinators.all(),
        template="emails/report_approved",
        actor=user,
    )
    return report


def _required_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReportingError(message, problems=[("reason", message)])
    return reason


@transaction.atomic
def return_report(*, report: ProgressReport, user, reason: str) -> ProgressReport:
    """Send a submitted report back to its coordinators with a comment."""
    report = _lock(report)
    _ensure_reviewable(report, user)
    if report.state != ProgressReport.State.SUBMITTED:
        raise WrongState(_("Alleen een ingediende rapportage kan worden teruggestuurd."))
    reason = _required_reason(reason, _("Schrijf erbij waarom u de rapportage terugstuurt."))
    report.state = ProgressReport.State.RETURNED
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    _save_report(
        report,
        user,
        _("Teruggestuurd: %(reason)s") % {"reason": reason},
        ["state", "return_reason", "reviewed_at", "reviewed_by"],
    )
    _notify(
        report=report,
        recipients=report.project.coordinators.all(),
        template="emails/report_returned",
        actor=user,
        reason=reason,
    )
    return report


@transaction.atomic
def reopen_report(*, report: ProgressReport, user, reason: str) -> ProgressReport:
    """Open an approved report again for changes (state teruggestuurd), with a reason."""
    report = _lock(report)
    _ensure_reviewable(report, user)
    if report.state != ProgressReport.State.APPROVED:
        raise WrongState(_("Alleen een goedgekeurde rapportage kan worden heropend."))
    reason = _required_reason(reason, _("Schrijf erbij waarom u de rapportage heropent."))
    report.state = ProgressReport.State.RETURNED
    report.return_reason = reason
    _save_report(
        report,
        user,
        _("Heropend: %(reason)s") % {"reason": reason},
        ["state", "return_reason"],
    )
    _notify(
        report=report,
        recipients=report.project.coordinators.all(),
        template="emails/report_returned",
        actor=user,
        reason=reason,
    )
    return report


def _notify(*, report: ProgressReport, recipients, template: str, actor, **extra) -> None:
    addresses = sorted({user.email for user in recipients if user.email})
    if not addresses:
        return
    context = {
        "report": report,
        "actor": actor,
        "url": getattr(settings, "SITE_URL", "").rstrip("/")
        + reverse("reporting:report_detail", args=[report.pk]),
        **extra,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, addresses)


# -- Concurrent edits -----------------------------------------------------------------------


def _display(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, Decimal):
        return nl_number(value)
    return sanitize.html_to_text(str(value))


def _snapshot_of(report, activities, values, planning, budget, funding, labels) -> dict:
    """A flat {key: (label, display value)} view of a report's data, for comparisons."""
    snapshot: dict[str, tuple[str, str]] = {}
    field_labels = {f.name: str(f.verbose_name) for f in ProgressReport._meta.fields}
    for name in REPORT_FIELDS:
        snapshot[name] = (field_labels[name].capitalize(), _display(getattr(report, name)))
    for index, row in enumerate(activities, 1):
        snapshot[f"activity-{index}"] = (
            _("Activiteit %(number)s") % {"number": index},
            _display(f"{row.activity} — {row.progress}" if row.progress else row.activity),
        )
    for row in values:
        name = labels.get(row.indicator_id, str(row.indicator_id))
        snapshot[f"value-{row.indicator_id}"] = (name, _display(row.value))
        snapshot[f"note-{row.indicator_id}"] = (
            _("%(indicator)s: toelichting") % {"indicator": name},
            _display(row.note),
        )
    for row in planning:
        snapshot[f"planning-{row.year}"] = (
            _("Planningswijziging %(year)s") % {"year": row.year},
            _display(row.changed_description),
        )
    for row in budget:
        for name, label in (
            ("budget", _("begroting")),
            ("spent", _("uitgaven")),
            ("forecast", _("prognose")),
        ):
            snapshot[f"budget-{row.year}-{name}"] = (
                f"{row.year}: {label}",
                _display(getattr(row, name)),
            )
    for row in funding:
        for name in ("budgeted", "received", "committed", "to_request"):
            label = str(FundingLine._meta.get_field(name).verbose_name)
            snapshot[f"funding-{row.source_id}-{name}"] = (
                f"{labels.get(('source', row.source_id), row.source_id)}: {label}",
                _display(getattr(row, name)),
            )
    return snapshot


def _labels(report: ProgressReport) -> dict:
    from programmes.models import FundingSource

    labels: dict = dict(report.project.indicators.values_list("pk", "name"))
    labels.update(
        {("source", pk): name for pk, name in FundingSource.objects.values_list("pk", "name")}
    )
    return labels


def _snapshot_current(report: ProgressReport, labels: dict) -> dict:
    return _snapshot_of(
        report,
        report.activities.order_by("order", "pk"),
        report.values.all(),
        report.planning_changes.all(),
        report.budget_lines.all(),
        report.funding_lines.all(),
        labels,
    )


def _snapshot_input(data: ReportInput, labels: dict) -> dict:
    return _snapshot_of(
        data,
        data.activities,
        data.values,
        data.planning_changes,
        data.budget_lines,
        data.funding_lines,
        labels,
    )


def _snapshot_at_version(report: ProgressReport, version: int, labels: dict) -> dict | None:
    """The report as it was when `version` was saved, from the history tables."""
    record = (
        ProgressReport.history.filter(id=report.pk, version=version)
        .order_by("-history_date")
        .first()
    )
    if record is None:
        return None
    moment = record.history_date

    def rows(model):
        return [
            row.instance if hasattr(row, "instance") else row
            for row in model.history.as_of(moment).filter(report_id=report.pk)
        ]

    return _snapshot_of(
        record,
        sorted(rows(ActivityProgress), key=lambda row: (row.order, row.pk)),
        rows(IndicatorValue),
        rows(PlanningChange),
        rows(BudgetLine),
        rows(FundingLine),
        labels,
    )


def conflicting_changes(
    *, report: ProgressReport, data: ReportInput, opened_version: int
) -> list[Change]:
    """The fields someone else changed since `opened_version` where the user's input now
    differs from what is stored: (field, the user's value, the other person's value)."""
    labels = _labels(report)
    current = _snapshot_current(report, labels)
    yours = _snapshot_input(data, labels)
    base = _snapshot_at_version(report, opened_version, labels)
    changes = []
    for key in sorted(set(current) | set(yours), key=lambda k: (k not in REPORT_FIELDS, k)):
        label, theirs = current.get(key, (yours.get(key, ("", ""))[0], "–"))
        mine = yours.get(key, (label, "–"))[1]
        if mine == theirs:
            continue
        if base is not None and base.get(key, (label, "–"))[1] == theirs:
            continue  # only the user changed this one: no conflict
        changes.append(Change(label=label, yours=mine, theirs=theirs))
    return changes
