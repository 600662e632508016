"""What a service raises when an action is not possible: a Dutch message for the user, and
per field the problems a form can show next to the field.

Plain exception classes: this module must never import models or other services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


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


def required_reason(reason: str | None, message: str) -> str:
    """The reason stripped; a ReportingError on the field `reason` when it is empty."""
    reason = (reason or "").strip()
    if not reason:
        raise ReportingError(message, problems=[("reason", message)])
    return reason
