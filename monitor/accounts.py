"""Signing in (BIO2 5.17, 8.5): the steps after the password, the session clock, and the
glue between django-otp, django-axes and the audit trail.

- After the password (Django's own LoginView, so django-axes still counts failures) the
  session holds the next step: "verify" (the user has a device: give a code) or "enrol" (the
  user must use two-step verification and has no device yet). `SecondFactorMiddleware` sends
  every request there until the step is done. The step is decided once, at sign-in.
- A wrong code is reported to django-axes as a failed sign-in (`second_factor_failed`), so
  codes and passwords together count towards the same lockout.
- Every sign-in event becomes an audit line (`monitor.audit.record`).

This module must never show or log a code, a key or a password.
"""

from __future__ import annotations

import base64
import io
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from monitor import accounts_users, audit

STEP_KEY = "monitor_sign_in_step"
SIGNED_IN_AT_KEY = "monitor_signed_in_at"
LAST_ACTIVITY_KEY = "monitor_last_activity"
RECOVERY_CODES_KEY = "monitor_new_recovery_codes"
MANAGES_USERS_KEY = "monitor_manages_users"
VERIFY = "verify"
ENROL = "enrol"
STEP_VIEWS = {VERIFY: "accounts:mfa_verify", ENROL: "accounts:mfa_enrol"}
# What a user between password and second factor may reach (SecondFactorMiddleware).
HALF_SIGNED_IN_VIEWS = frozenset(
    {
        "login",
        "logout",
        "set_language",
        "accounts:mfa_verify",
        "accounts:mfa_enrol",
        "accounts:mfa_recovery_codes",
        "accounts:session",
        "accounts:invitation",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
TOTP_NAME = "Authenticator-app"
RECOVERY_NAME = "Herstelcodes"


def mfa_required(user) -> bool:
    """Must this user use two-step verification? Never in the demo (DEMO_MODE)."""
    if settings.DEMO_MODE or not user.is_authenticated:
        return False
    if settings.MFA_REQUIRED_FOR_STAFF and (user.is_staff or user.is_superuser):
        return True
    roles = set(settings.MFA_REQUIRED_ROLES)
    if "*" in roles:
        return True
    return bool(roles) and user.groups.filter(name__in=roles).exists()


def sign_in_step(user) -> str | None:
    if user_has_device(user, confirmed=True):
        return VERIFY
    if mfa_required(user):
        return ENROL
    return None


def finish_sign_in(request, user) -> None:
    """The whole sign-in succeeded: forget earlier failures of this user name."""
    request.session.pop(STEP_KEY, None)
    axes_reset(username=user.get_username())


# --- the session clock ---------------------------------------------------------------------


def seconds_left(request) -> int:
    last = request.session.get(LAST_ACTIVITY_KEY, int(time.time()))
    return max(0, settings.SESSION_IDLE_TIMEOUT - (int(time.time()) - last))


def extend_session(request) -> None:
    request.session[LAST_ACTIVITY_KEY] = int(time.time())


def security_context(request) -> dict[str, Any]:
    """Template context: seconds before the idle timeout, for static/js/session.js."""
    if not hasattr(request, "session"):
        return {"session_seconds_left": settings.SESSION_IDLE_TIMEOUT}
    return {
        "session_seconds_left": seconds_left(request),
        "manages_users": request.session.get(MANAGES_USERS_KEY, False),
    }


# --- devices ---------------------------------------------------------------------------


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator device being enrolled (one per user, made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as a QR code, an SVG rendered here (no network)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app without a camera."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[index : index + 4] for index in range(0, len(key), 4))


@transaction.atomic
def confirm_enrolment(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; make new recovery codes. Returns the
    codes (to be shown once), or None when the code was wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(user=user)
    audit.record(action="mfa.enrol", actor=user, obj=device)
    return codes


def new_recovery_codes(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def remove_devices(*, user, by=None) -> int:
    """Remove the user's authenticator and recovery codes (a new phone, or an administrator
    helping someone who lost theirs). Returns how many devices were removed."""
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    audit.record(
        action="mfa.remove", actor=by or user, object_type="auth.user", object_id=str(user.pk)
    )
    return count


def verify_second_factor(request, token: str):
    """The device that accepts `token` (authenticator or a recovery code), or None. A wrong
    code counts as a failed sign-in for django-axes and in the audit trail."""
    user = request.user
    token = "".join(token.split())
    device = None
    if token:
        with transaction.atomic():
            for candidate in devices_for_user(user, for_verify=True):
                if candidate.verify_token(token):
                    device = candidate
                    break
    if device is None:
        second_factor_failed(request, user)
    return device


def second_factor_failed(request, user) -> None:
    """Tell django-axes (and the audit receiver below) that a sign-in failed: the same signal
    Django's authenticate() sends for a wrong password, with the user name as credentials."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), "second_factor": True},
        request=request,
    )


def is_locked_out(request, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": user.get_username()})


# --- audit receivers ----------------------------------------------------------------------


def _on_logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    step = sign_in_step(user)
    now = int(time.time())
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now
    request.session[MANAGES_USERS_KEY] = accounts_users.can_manage_users(user)
    request.session[audit.ROLE_SESSION_KEY] = audit.role_of(user)
    if step:
        request.session[STEP_KEY] = step
    else:
        request.session.pop(STEP_KEY, None)
        axes_reset(username=user.get_username())
    audit.record(
        action="auth.password_ok" if step else "auth.login",
        actor=user,
        request=request,
        detail={"next_step": step} if step else None,
    )


def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The same line whether or not the user name exists: only what was typed.
    typed = str(credentials.get("username", ""))[:150]
    audit.record(
        action="auth.mfa_failed" if credentials.get("second_factor") else "auth.login_failed",
        actor_name=typed,
        object_type="auth.user",
        result=audit.FAILED,
        request=request,
    )


def _on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(action="auth.logout", actor=user, request=request)


def _on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit.record(
        action="auth.lockout",
        actor_name=str(username or "")[:150],
        object_type="auth.user",
        result=audit.DENIED,
        request=request,
    )


def connect_signals() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="monitor.accounts.logged_in")
    user_login_failed.connect(_on_login_failed, dispatch_uid="monitor.accounts.login_failed")
    user_logged_out.connect(_on_logged_out, dispatch_uid="monitor.accounts.logged_out")
    user_locked_out.connect(_on_locked_out, dispatch_uid="monitor.accounts.locked_out")
