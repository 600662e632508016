"""Revising a streefwaarde, never silently: the revision keeps the value it replaces, the
date, the reason and who did it, and the indicator or programme target holds the new value.

It must never let a caller type the previous value: it is read from the target itself.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitor import audit
from programmes import permissions
from programmes.models import Indicator, ProgrammeTarget, TargetRevision
from programmes.services import derived
from programmes.services.errors import NotAllowed, ReportingError, required_reason


@transaction.atomic
def revise_target(
    *,
    target: Indicator | ProgrammeTarget,
    new_value: Decimal,
    reason: str,
    user,
    revised_on: datetime.date | None = None,
) -> TargetRevision:
    """Give an indicator or a programme target a new streefwaarde and record the revision."""
    model = type(target)
    target = model.objects.select_for_update().get(pk=target.pk)
    programme = target.project.programme if isinstance(target, Indicator) else target.programme
    if not permissions.manages_programme(user, programme):
        raise NotAllowed(_("Alleen een programmamanager kan een streefwaarde bijstellen."))
    reason = required_reason(reason, _("Schrijf erbij waarom de streefwaarde wordt bijgesteld."))
    if new_value == target.target_value:
        message = _("De nieuwe streefwaarde is gelijk aan de huidige.")
        raise ReportingError(message, problems=[("new_value", message)])
    revision = TargetRevision(
        indicator=target if isinstance(target, Indicator) else None,
        programme_target=target if isinstance(target, ProgrammeTarget) else None,
        previous_value=target.target_value,
        new_value=new_value,
        revised_on=revised_on or timezone.localdate(),
        reason=reason,
        revised_by=user,
    )
    revision.full_clean()
    revision.save()
    target.target_value = new_value
    target._history_user = user  # type: ignore[union-attr]  # simple_history reads it
    target._change_reason = _("Streefwaarde bijgesteld: %(reason)s") % {"reason": reason}  # type: ignore[union-attr]  # simple_history reads it
    target.full_clean()
    target.save(update_fields=["target_value"])
    derived.refresh_status(programme_ids=[programme.pk])
    audit.record(action="target.revise", actor=user, obj=revision)
    return revision
