# The Celery app is loaded with Django, so that `shared_task` uses it (docs/deploy.md).
from monitor.celery import app as celery_app

__all__ = ("celery_app",)
