"""The monitor app: settings, dashboard, and the security layer (audit, sign-in, checks)."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    default = True
    name = "monitor"
    verbose_name = _("Monitor en beveiliging")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from monitor import accounts, audit_hooks, checks  # noqa: F401  (registers checks)

        accounts.connect_signals()
        audit_hooks.connect_signals()


class AxesConfig(AxesAppConfig):
    """django-axes with a Dutch name in the admin (the package has no Dutch catalogue; its
    model texts are in locale/nl)."""

    default = False
    verbose_name = _("Aanmeldbeveiliging")
