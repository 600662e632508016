"""System checks of the security layer, run at start-up and by `manage.py check`:

- monitor.E001: the demo users (password "demo") exist while DEMO_MODE is off;
- monitor.W001: DEBUG is off but two-step verification is required of nobody.

Checks read; they never change a user.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

DEMO_USERNAMES = ("coordinator", "manager", "wethouder", "ministerie", "admin")


@register(Tags.security, deploy=False)
def demo_users_outside_demo(app_configs=None, **kwargs):
    if settings.DEMO_MODE:
        return []
    from programmes.demo import DEMO_PASSWORD

    try:
        candidates = list(
            get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True)
        )
    except DatabaseError:  # no tables yet (before the first migrate)
        return []
    found = [user.username for user in candidates if user.check_password(DEMO_PASSWORD)]
    if not found:
        return []
    return [
        Error(
            f"Demo users with the demo password exist while DEMO_MODE is off: {', '.join(found)}.",
            hint="Deactivate them or give them a real password "
            "(manage.py changepassword), or turn DEMO_MODE on for a demo.",
            id="monitor.E001",
        )
    ]


@register(Tags.security, deploy=True)
def mfa_required_of_somebody(app_configs=None, **kwargs):
    if settings.DEMO_MODE or settings.MFA_REQUIRED_ROLES or settings.MFA_REQUIRED_FOR_STAFF:
        return []
    return [
        Warning(
            "Two-step verification is required of nobody (MFA_REQUIRED_ROLES is empty).",
            hint="Only leave it empty when every user signs in through an SSO with MFA.",
            id="monitor.W001",
        )
    ]
