"""WSGI entry point for gunicorn: `gunicorn monitor.wsgi`.

A WSGI server runs no system checks by itself, so the security checks (monitor/checks.py:
demo users with the demo password while DEMO_MODE is off) run here, once per process at
start-up: a serious one stops the process instead of serving.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitor.settings")
application = get_wsgi_application()


def _refuse_on_security_errors() -> None:
    from django.core import checks

    serious = [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.is_serious()]
    if serious:
        raise ImproperlyConfigured("; ".join(f"{m.id}: {m.msg}" for m in serious))


_refuse_on_security_errors()
