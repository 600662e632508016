"""The Celery application of the monitor: report bundles, clean-up and reminders.

Configured from Django's settings (the `CELERY_` names in monitor/settings.py, block
"Background jobs"): Redis when REDIS_URL is set, else kombu's filesystem transport under
var/celery/ for `make run`. Tasks live in `<app>/tasks.py` and are found by autodiscovery.

Start a worker with `celery -A monitor worker` and the schedule with `celery -A monitor beat`
(exactly one beat in a deployment; docs/deploy.md). This module must never start a thread
or a loop of its own.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitor.settings")

app = Celery("monitor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
