"""Tables of the monitor app: the audit trail only.

`AuditEvent` is written by `monitor.audit.record` and nothing else; no code path updates or
deletes a row (the admin is read-only, see monitor/admin.py). Keep it free of foreign keys
that cascade: a deleted user's events must stay.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    time = models.DateTimeField(_("tijdstip (UTC)"), db_index=True)
    actor = models.CharField(_("gebruiker"), max_length=150, blank=True, db_index=True)
    # The id, not a foreign key: the event outlives the account.
    actor_user_id = models.BigIntegerField(_("gebruikers-id"), null=True, blank=True)
    role = models.CharField(_("rol"), max_length=200, blank=True)
    action = models.CharField(_("actie"), max_length=64, db_index=True)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    result = models.CharField(_("resultaat"), max_length=16)
    client_ip = models.GenericIPAddressField(_("adres van de client"), null=True, blank=True)
    request_id = models.CharField(_("verzoek-id"), max_length=64, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.actor or '-'} {self.action} {self.result}"
