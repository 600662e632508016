"""The report workflow: start a report (prefilled from the last approved one), save a
draft, submit it, approve, return or reopen it.

Each function takes keyword-only arguments, runs inside a transaction, locks the report,
checks the user's permission and the report's state (`programmes.permissions`), records who
did it and why in the history, and raises a `ReportingError` with a Dutch message when the
action is not possible. Mail goes out only after the commit (`notifications`).

It must never render pages, read the request, or compute a light itself (that is
`programmes.status`, reached through `programmes.report_data`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection, Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from monitor import audit
from programmes import permissions, report_data, status
from programmes.formatting import nl_number
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    IndicatorValue,
    PlanningChange,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from programmes.read import changes
from programmes.services import derived
from programmes.services.conflicts import conflicting_changes
from programmes.services.errors import (
    EditConflict,
    Incomplete,
    NotAllowed,
    WrongState,
    required_reason,
)
from programmes.services.inputs import REPORT_FIELDS, ReportInput
from programmes.services.notifications import notify_after_commit
from programmes.services.rows import (
    BATCH,
    carried_over_report,
    create_row,
    delete_row,
    prefill_reports,
    sync_rows,
    update_row,
    year_problem,
)


def _lock(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update()
        .select_related("project__programme", "period")
        .get(pk=report.pk)
    )


def _ensure_editable(report: ProgressReport, user) -> None:
    refusal = permissions.edit_refusal(report)
    if refusal:
        raise WrongState(refusal)
    if not permissions.can_edit_report(user, report):
        raise NotAllowed(_("U mag deze rapportage niet wijzigen."))


def _save_report(report: ProgressReport, user, reason: str, fields: Iterable[str]) -> None:
    report.version += 1
    report._history_user = user  # type: ignore[attr-defined]  # simple_history reads it
    report._change_reason = reason  # type: ignore[attr-defined]  # simple_history reads it
    report.full_clean()
    report.save(update_fields=[*fields, "version", "updated_at"])
    derived.refresh_status(programme_ids=[report.project.programme_id])


def last_approved_reports(
    *, projects: Sequence[Project], before: datetime.date
) -> dict[int, ProgressReport]:
    """Per project pk its latest approved report with a peildatum before `before`: the one a
    new report is prefilled from. One query."""
    sources: dict[int, ProgressReport] = {}
    for report in (
        ProgressReport.objects.filter(
            project__in=list(projects),
            state=ProgressReport.State.APPROVED,
            period__peildatum__lt=before,
        )
        .select_related("period")
        .order_by("project_id", "-period__peildatum")
    ):
        sources.setdefault(report.project_id, report)
    return sources


def start_report(*, project: Project, period: ReportingPeriod, user) -> ProgressReport:
    """The report of a project for a period, created on first use and prefilled from the
    last approved report (see `start_reports`). Returns the existing report when there is
    one."""
    return start_reports(projects=[project], period=period, user=user)[project.pk]


@transaction.atomic
def start_reports(
    *, projects: Sequence[Project], period: ReportingPeriod, user
) -> dict[int, ProgressReport]:
    """The reports of projects for a period by project pk, created where missing and
    prefilled from each project's last approved report: the texts (summary, light and its
    explanation, budget note) and the activities, planning changes, budget and funding
    lines, each section that holds something marked "overgenomen" until edited or confirmed
    (`save_draft`); indicator values start empty. The form starts one, the
    import many, in a fixed number of queries."""
    if any(project.programme_id != period.programme_id for project in projects):
        raise WrongState(_("Deze periode hoort bij een ander programma."))
    manages, coordinated = permissions.editable_project_pks(user=user, programme=period.programme)
    if not manages and any(project.pk not in coordinated for project in projects):
        raise NotAllowed(_("U mag voor dit project geen rapportage starten."))
    reports = {
        report.project_id: report
        for report in ProgressReport.objects.filter(period=period, project__in=list(projects))
    }
    missing = [project for project in projects if project.pk not in reports]
    if not missing:
        return reports
    if period.is_closed:
        raise WrongState(_("De periode is gesloten; er kan geen rapportage meer worden gestart."))
    now = timezone.now()
    sources = last_approved_reports(projects=missing, before=period.peildatum)
    source_rows = changes.load_rows(source.pk for source in sources.values())
    created = bulk_create_with_history(
        [
            carried_over_report(
                project=project,
                period=period,
                source=sources.get(project.pk),
                sections=_sections_with_content(sources.get(project.pk), source_rows),
            )
            for project in missing
        ],
        ProgressReport,
        batch_size=BATCH,
        default_user=user,
        default_change_reason=_("Rapportage gestart"),
        default_date=now,
    )
    if any(report.pk is None for report in created):  # a database without RETURNING
        created = list(ProgressReport.objects.filter(period=period, project__in=missing))
    new = {report.project_id: report for report in created}
    prefill_reports(
        pairs=[(new[project_pk], source) for project_pk, source in sources.items()],
        user=user,
        when=now,
    )
    derived.refresh_status(programme_ids=[period.programme_id])
    return reports | new


# The history keeps a change reason of at most 100 characters (simple_history).
MAX_REASON = 100


def _sections_with_content(
    source: ProgressReport | None, rows: dict[int, changes.ReportRows]
) -> list[str]:
    """The sections of a source report that hold something to carry over."""
    if source is None:
        return []
    contents = changes.section_contents(source, rows.get(source.pk, changes.ReportRows()))
    return [key for key, _label in changes.SECTIONS if contents[key]]


def _contents(report: ProgressReport) -> dict[str, tuple]:
    rows = changes.load_rows([report.pk]).get(report.pk, changes.ReportRows())
    return changes.section_contents(report, rows)


@transaction.atomic
def save_draft(
    *,
    report: ProgressReport,
    user,
    data: ReportInput,
    version: int,
    confirm: Collection[str] = (),
) -> ProgressReport:
    """Store what the user entered. `version` is the report version the user opened; when
    someone saved in between, nothing is stored and EditConflict lists the differences.

    A carried-over section (`report.carried_over`) stops being "overgenomen" when its
    content changes here or when it is in `confirm` (the coordinator confirmed it
    unchanged against the previous peildatum, one action per section or for all)."""
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
    carried = list(report.carried_over or ())
    before = _contents(report) if carried else {}
    indicator_ids = set(report.project.indicators.values_list("pk", flat=True))
    unknown = [
        value.indicator_id for value in data.values if value.indicator_id not in indicator_ids
    ]
    if unknown:
        raise WrongState(_("Een indicator hoort niet bij dit project."))
    for year in {item.year for item in data.budget_lines} | {
        item.year for item in data.planning_changes
    }:
        problem = year_problem(report.project, year)
        if problem:
            raise WrongState(problem)

    activities = {row.pk: row for row in report.activities.all()}
    kept: set[int] = set()
    for order, item in enumerate(data.activities):
        values = {
            "order": order,
            "year": item.year,
            "activity": item.activity,
            "progress": item.progress,
            "is_delayed": item.is_delayed,
        }
        row = activities.get(item.pk) if item.pk else None
        if row is None:
            create_row(ActivityProgress, user, reason, report=report, **values)
        else:
            kept.add(row.pk)
            update_row(row, user, reason, values)
    for pk, row in activities.items():
        if pk not in kept:
            delete_row(row, user, reason)

    # Each input's fields are the model's fields; the key names the row within the report.
    keyed_rows = (
        (IndicatorValue, report.values.all(), "indicator_id", data.values),
        (PlanningChange, report.planning_changes.all(), "year", data.planning_changes),
        (BudgetLine, report.budget_lines.all(), "year", data.budget_lines),
        (FundingLine, report.funding_lines.all(), "source_id", data.funding_lines),
    )
    for model, rows, key, items in keyed_rows:
        sync_rows(
            existing={getattr(row, key): row for row in rows},
            wanted={getattr(item, key): dataclasses.asdict(item) for item in items},
            model=model,
            user=user,
            reason=reason,
            report=report,
        )
    for name in REPORT_FIELDS:
        setattr(report, name, getattr(data, name))
    if carried:
        after = _contents(report)
        unchanged = [key for key in carried if before[key] == after[key]]
        confirmed = [key for key in unchanged if key in set(confirm)]
        report.carried_over = [key for key in unchanged if key not in confirmed]
        if confirmed:
            # The history names what the coordinator confirmed unchanged; an edited
            # section speaks for itself in the field changes.
            reason = _("Concept opgeslagen; ongewijzigd bevestigd: %(sections)s") % {
                "sections": ", ".join(str(changes.SECTION_LABELS[key]) for key in confirmed)
            }
            if len(confirmed) > 1 and len(reason) > MAX_REASON:
                reason = _("Concept opgeslagen; alle overgenomen onderdelen ongewijzigd bevestigd")
            reason = reason[:MAX_REASON]
    _save_report(report, user, reason, [*REPORT_FIELDS, "carried_over"])
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
    if report.carried_over:
        source = report.carried_over_from
        label = source.period.label if source is not None else _("de vorige peildatum")
        for key, section in changes.SECTIONS:
            if key in report.carried_over:
                problems.append(
                    (
                        f"confirm_{key}",
                        _(
                            "%(section)s is overgenomen van %(period)s en nog niet bevestigd: "
                            "pas de tekst aan of bevestig dat hij ongewijzigd is."
                        )
                        % {"section": section, "period": label},
                    )
                )
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
    notify_after_commit(
        report=report,
        recipients=report.project.programme.managers.all(),
        template="emails/report_submitted",
        actor=user,
    )
    audit.record(action="report.submit", actor=user, obj=report)
    return report


def _ensure_reviewable(report: ProgressReport, user) -> None:
    if not permissions.can_review_report(user, report):
        raise NotAllowed(_("Alleen een programmamanager kan rapportages beoordelen."))
    if report.period.is_closed:
        raise WrongState(_("De periode is gesloten; de rapportage kan niet meer worden gewijzigd."))


def four_eyes_refusal(report: ProgressReport, user) -> str:
    """Why this user may not approve this report under the four-eyes rule ("" when they
    may): who submitted a report does not approve it, when the programme says so."""
    if report.project.programme.four_eyes and report.submitted_by_id == user.pk:
        return _(
            "Vier-ogenprincipe: u heeft deze rapportage zelf ingediend. Een andere "
            "programmamanager keurt hem goed."
        )
    return ""


@transaction.atomic
def approve_report(*, report: ProgressReport, user, override_reason: str = "") -> ProgressReport:
    """Approve a submitted report; from then on it cannot change (unless reopened).

    Four eyes (`Programme.four_eyes`, on by default): who submitted it may not approve it.
    Only an administrator may override that, with a reason kept in the history."""
    report = _lock(report)
    _ensure_reviewable(report, user)
    if report.state != ProgressReport.State.SUBMITTED:
        raise WrongState(_("Alleen een ingediende rapportage kan worden goedgekeurd."))
    history = _("Goedgekeurd")
    refusal = four_eyes_refusal(report, user)
    if refusal:
        if not user.is_superuser:
            raise NotAllowed(refusal)
        reason = required_reason(
            override_reason,
            _("Vier-ogenprincipe: schrijf erbij waarom u uw eigen indiening goedkeurt."),
        )
        history = _("Goedgekeurd; vier-ogenprincipe doorbroken door de beheerder: %(reason)s") % {
            "reason": reason
        }
    report.state = ProgressReport.State.APPROVED
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    report.return_reason = ""
    _save_report(report, user, history, ["state", "reviewed_at", "reviewed_by", "return_reason"])
    notify_after_commit(
        report=report,
        recipients=report.project.coordinators.all(),
        template="emails/report_approved",
        actor=user,
    )
    audit.record(action="report.approve", actor=user, obj=report)
    return report


@transaction.atomic
def return_report(*, report: ProgressReport, user, reason: str) -> ProgressReport:
    """Send a submitted report back to its coordinators with a comment."""
    report = _lock(report)
    _ensure_reviewable(report, user)
    if report.state != ProgressReport.State.SUBMITTED:
        raise WrongState(_("Alleen een ingediende rapportage kan worden teruggestuurd."))
    reason = required_reason(reason, _("Schrijf erbij waarom u de rapportage terugstuurt."))
    audit.record(action="report.return", actor=user, obj=report)
    return _send_back(
        report,
        user,
        reason=reason,
        history=_("Teruggestuurd: %(reason)s") % {"reason": reason},
        also={"reviewed_at": timezone.now(), "reviewed_by": user},
    )


@transaction.atomic
def reopen_report(*, report: ProgressReport, user, reason: str) -> ProgressReport:
    """Open an approved report again for changes (state teruggestuurd), with a reason."""
    report = _lock(report)
    _ensure_reviewable(report, user)
    if report.state != ProgressReport.State.APPROVED:
        raise WrongState(_("Alleen een goedgekeurde rapportage kan worden heropend."))
    reason = required_reason(reason, _("Schrijf erbij waarom u de rapportage heropent."))
    audit.record(action="report.reopen", actor=user, obj=report)
    return _send_back(
        report, user, reason=reason, history=_("Heropend: %(reason)s") % {"reason": reason}
    )


def _send_back(
    report: ProgressReport, user, *, reason: str, history: str, also: dict | None = None
) -> ProgressReport:
    """Back to the coordinators as teruggestuurd with the reason (returned or reopened), and
    tell them once the transaction has committed."""
    also = also or {}
    report.state = ProgressReport.State.RETURNED
    report.return_reason = reason
    for name, value in also.items():
        setattr(report, name, value)
    _save_report(report, user, history, ["state", "return_reason", *also])
    notify_after_commit(
        report=report,
        recipients=report.project.coordinators.all(),
        template="emails/report_returned",
        actor=user,
        reason=reason,
    )
    return report
