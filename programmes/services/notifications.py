"""E-mail to the people a workflow step concerns, sent only once the transaction that made
the step has committed: a rolled-back approval never mails.

It must never decide who may do what, nor send anything outside `transaction.on_commit`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from programmes.models import ProgressReport


def notify_after_commit(
    *, report: ProgressReport, recipients: Iterable, template: str, actor, **extra
) -> None:
    """Queue a mail from `emails/<template>` to the recipients that have an address; it is
    rendered now (the report as it is at this step) and sent when the transaction commits."""
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
    transaction.on_commit(lambda: send_mail(subject, body, None, addresses))
