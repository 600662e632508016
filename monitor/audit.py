"""The audit trail (BIO2 8.15): who did what, to which object, with which result, from where.

`record(...)` is the one way in. It writes one structured JSON line to the logger "audit"
(settings.LOGGING sends it to a file or stdout) and one `monitor.models.AuditEvent` row, which
administrators read and filter in the admin and can never change or delete.

The request being served (its id, client address and user) comes from a context variable set
by `monitor.middleware.RequestIDMiddleware`, so a service deep down only names the actor, the
action and the object. This module must never store a password, a code, a token or a
narrative: only identifiers and short outcomes.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import models, transaction

logger = logging.getLogger("audit")

current_request: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "audit_current_request", default=None
)

# Every field of a line, in this order; the formatter writes them all (empty when unknown).
FIELDS = (
    "time",
    "actor",
    "actor_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "result",
    "client_ip",
    "request_id",
    "detail",
)

# The signed-in user's role, kept in the session at sign-in (monitor.accounts).
ROLE_SESSION_KEY = "monitor_audit_role"

OK = "ok"
FAILED = "failed"
DENIED = "denied"


def _after_commit(write) -> None:
    transaction.on_commit(write, robust=True)


def new_request_id() -> str:
    return uuid.uuid4().hex


def client_ip(request) -> str:
    """REMOTE_ADDR, or the first address of the trusted proxy's header when one is set."""
    if request is None:
        return ""
    header = getattr(settings, "AUDIT_CLIENT_IP_HEADER", "")
    if header:
        meta_key = "HTTP_" + header.upper().replace("-", "_")
        forwarded = request.META.get(meta_key, "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def role_of(user) -> str:
    """The user's role as people say it: beheerder, or the role groups, or lezer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if user.is_superuser:
        return "beheerder"
    names = sorted(group.name for group in user.groups.all())
    if names:
        return ",".join(names)
    return "medewerker" if user.is_staff else "lezer"


def _role(actor, request) -> str:
    """The role kept in the session at sign-in (no query), else from the user's groups."""
    session = getattr(request, "session", None)
    if (
        session is not None
        and session.get(ROLE_SESSION_KEY) is not None
        and str(session.get("_auth_user_id")) == str(actor.pk)
    ):
        return session[ROLE_SESSION_KEY]
    return role_of(actor)


def _object_fields(obj: Any, object_type: str, object_id: str) -> tuple[str, str]:
    if obj is not None:
        if isinstance(obj, models.Model):
            meta = obj._meta
            return object_type or f"{meta.app_label}.{meta.model_name}", object_id or str(obj.pk)
        return object_type or type(obj).__name__, object_id or str(obj)
    return object_type, object_id


def record(
    *,
    action: str,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    result: str = OK,
    detail: dict[str, Any] | None = None,
    request: Any = None,
    actor_name: str | None = None,
) -> dict[str, Any]:
    """Write one audit event: one JSON log line and one AuditEvent row. Returns the line.

    `actor` defaults to the signed-in user of the current request; `actor_name` overrides the
    name shown (a failed sign-in names what was typed, never whether such a user exists).
    """
    from monitor.models import AuditEvent

    request = request if request is not None else current_request.get()
    if actor is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and getattr(candidate, "is_authenticated", False):
            actor = candidate
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    object_type, object_id = _object_fields(obj, object_type, str(object_id or ""))
    line = {
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
        "actor": (
            actor_name if actor_name is not None else actor.get_username() if authenticated else ""
        ),
        "actor_id": actor.pk if authenticated else None,
        "role": _role(actor, request) if authenticated else "",
        "action": action,
        "object_type": object_type,
        "object_id": object_id[:64],
        "result": result,
        "client_ip": client_ip(request),
        "request_id": getattr(request, "request_id", "") if request is not None else "",
        "detail": detail or {},
    }
    AuditEvent.objects.create(
        time=datetime.datetime.fromisoformat(line["time"]),
        actor=line["actor"][:150],
        actor_user_id=line["actor_id"],
        role=line["role"][:200],
        action=action,
        object_type=object_type[:100],
        object_id=line["object_id"],
        result=result,
        client_ip=line["client_ip"] or None,
        request_id=line["request_id"][:64],
        detail=line["detail"],
    )
    # The line is written when the transaction commits: an action that is rolled back leaves
    # neither a row nor a line. Outside a transaction that is at once.
    _after_commit(lambda: logger.info(action, extra={"audit": line}))
    return line


class JSONFormatter(logging.Formatter):
    """One JSON object per line. An audit record carries its fields in `record.audit`; any
    other record becomes time, level, logger and message (and the request id when known)."""

    def format(self, record: logging.LogRecord) -> str:
        payload = getattr(record, "audit", None)
        if payload is not None:
            line = {field: payload.get(field, "") for field in FIELDS}
        else:
            request = current_request.get()
            line = {
                "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                    timespec="milliseconds"
                ),
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage(),
                "request_id": getattr(request, "request_id", "") if request is not None else "",
            }
            if record.exc_info:
                line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str, sort_keys=False)
