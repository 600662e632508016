"""The Celery tasks of the programmes: the daily reminder task hands today's date (in the
site's time zone) to the reminder service, and the beat schedule runs it every morning."""

import datetime

from django.conf import settings

from programmes import tasks
from programmes.services import reminders


def test_the_daily_task_asks_the_service_for_todays_reminders(monkeypatch):
    seen = []
    monkeypatch.setattr(reminders, "send_due_reminders", lambda *, today: seen.append(today))
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2021, 6, 24))
    tasks.send_due_reminders.run()
    assert seen == [datetime.date(2021, 6, 24)]


def test_the_beat_schedule_runs_the_reminders_and_the_clean_up():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule == {
        "programmes.tasks.send_due_reminders",
        "reports.tasks.remove_expired_bundles",
    }
