"""Audit lines for changes made in the admin: Django writes a LogEntry for every add, change
and delete there, and this turns each into an audit event. The only signal receiver of the
audit trail besides the sign-in ones (monitor/accounts.py); it never changes data."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from monitor import audit

ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def _on_log_entry(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    content_type = instance.content_type
    audit.record(
        action=ACTIONS.get(instance.action_flag, "admin.other"),
        actor=instance.user,
        object_type=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        object_id=str(instance.object_id or ""),
        detail={"repr": instance.object_repr[:200]},
    )


def connect_signals() -> None:
    post_save.connect(_on_log_entry, sender=LogEntry, dispatch_uid="monitor.audit_hooks.admin")
