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


@app.on_after_configure.connect
def _filesystem_folders(sender: Celery, **kwargs: object) -> None:
    """The filesystem transport needs its folders before the first message: a web process
    started without `make run` (plain runserver) can then queue a bundle as well."""
    options = sender.conf.broker_transport_options or {}
    if str(sender.conf.broker_url).startswith("filesystem://"):
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            if options.get(key):
                os.makedirs(options[key], exist_ok=True)
