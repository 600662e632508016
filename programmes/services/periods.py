"""Reporting periods: generate a programme's periods, close one, reopen one with a reason.

Every function checks that the user manages the programme. The only change to reports is
closing's mark on those still open ("niet ingediend bij sluiting"); their data stays as is.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from monitor import audit
from programmes import calendar, permissions
from programmes.models import Programme, ProgressReport, ReportingPeriod
from programmes.services import derived
from programmes.services.errors import NotAllowed, WrongState, required_reason

DEADLINE_AFTER_PEILDATUM = datetime.timedelta(days=45)


@transaction.atomic
def generate_periods(
    *, programme: Programme, user, deadline_after: datetime.timedelta | None = None
) -> list[ReportingPeriod]:
    """The reporting periods of a programme for its whole duration. Idempotent: existing
    periods (and their deadlines and closed state) are kept, missing ones are added."""
    if not permissions.manages_programme(user, programme):
        raise NotAllowed(_("Alleen een programmamanager kan perioden aanmaken."))
    deadline_after = deadline_after or DEADLINE_AFTER_PEILDATUM
    existing = {period.peildatum: period for period in programme.periods.all()}
    periods = []
    for peildatum in calendar.peildata_between(programme.start_date, programme.end_date):
        period = existing.get(peildatum)
        if period is None:
            period = ReportingPeriod(
                programme=programme, peildatum=peildatum, deadline=peildatum + deadline_after
            )
            period.full_clean()
            period._history_user = user  # type: ignore[attr-defined]  # simple_history reads it
            period._change_reason = _("Periode aangemaakt")  # type: ignore[attr-defined]  # simple_history reads it
            period.save()
        periods.append(period)
    derived.refresh_status(programme_ids=[programme.pk])
    audit.record(action="period.generate", actor=user, obj=programme)
    return periods


def _lock(period: ReportingPeriod) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update().select_related("programme").get(pk=period.pk)


@transaction.atomic
def close_period(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Close a period: from now on its reports are read-only everywhere. Reports still in
    concept or returned are marked "niet ingediend bij sluiting" (in their history too);
    they stay readable for the project's coordinators and the programme's managers."""
    period = _lock(period)
    if not permissions.manages_programme(user, period.programme):
        raise NotAllowed(_("Alleen een programmamanager kan een periode sluiten."))
    if period.is_closed:
        raise WrongState(_("Deze periode is al gesloten."))
    period.is_closed = True
    period.closed_at = timezone.now()
    period.closed_by = user
    period._history_user = user  # type: ignore[attr-defined]  # simple_history reads it
    period._change_reason = _("Periode gesloten")  # type: ignore[attr-defined]  # simple_history reads it
    period.full_clean()
    period.save(update_fields=["is_closed", "closed_at", "closed_by"])
    still_open = list(
        ProgressReport.objects.select_for_update(of=("self",)).filter(
            period=period, state__in=permissions.EDITABLE_STATES
        )
    )
    for report in still_open:
        report.unsubmitted_at_close = True
        report.version += 1
    if still_open:
        bulk_update_with_history(
            still_open,
            ProgressReport,
            ["unsubmitted_at_close", "version"],
            default_user=user,
            default_change_reason=_("Niet ingediend bij sluiting van de periode"),
        )
    derived.refresh_status(programme_ids=[period.programme_id])
    audit.record(action="period.close", actor=user, obj=period)
    return period


@transaction.atomic
def reopen_period(*, period: ReportingPeriod, user, reason: str) -> ReportingPeriod:
    """Open a closed period again, with a reason kept in the history; its reports become
    editable again in their own states (approved ones stay approved)."""
    period = _lock(period)
    if not permissions.manages_programme(user, period.programme):
        raise NotAllowed(_("Alleen een programmamanager kan een periode heropenen."))
    if not period.is_closed:
        raise WrongState(_("Deze periode is niet gesloten."))
    reason = required_reason(reason, _("Schrijf erbij waarom u de periode heropent."))
    period.is_closed = False
    period.closed_at = None
    period.closed_by = None
    period._history_user = user  # type: ignore[attr-defined]  # simple_history reads it
    period._change_reason = _("Periode heropend: %(reason)s") % {"reason": reason}  # type: ignore[attr-defined]  # simple_history reads it
    period.full_clean()
    period.save(update_fields=["is_closed", "closed_at", "closed_by"])
    marked = list(
        ProgressReport.objects.select_for_update(of=("self",)).filter(
            period=period, unsubmitted_at_close=True
        )
    )
    for report in marked:
        report.unsubmitted_at_close = False
        report.version += 1
    if marked:
        bulk_update_with_history(
            marked,
            ProgressReport,
            ["unsubmitted_at_close", "version"],
            default_user=user,
            default_change_reason=_("Periode heropend"),
        )
    derived.refresh_status(programme_ids=[period.programme_id])
    audit.record(action="period.reopen", actor=user, obj=period)
    return period
