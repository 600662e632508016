"""Celery tasks of the programmes: the daily reminders before a period's deadline.

The beat schedule (monitor/settings.py, "Background jobs") runs `send_due_reminders` every
morning; the service decides who is due and never sends the same reminder twice.
"""

from celery import shared_task
from django.utils import timezone


@shared_task(name="programmes.tasks.send_due_reminders")
def send_due_reminders() -> None:
    from programmes.services import reminders

    reminders.send_due_reminders(today=timezone.localdate())
