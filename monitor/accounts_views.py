"""Views of the account pages: the second sign-in step, enrolment, recovery codes and the
session ping. Thin: the rules are in monitor/accounts.py."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from monitor import accounts, accounts_users, audit
from monitor.accounts_forms import InvitationForm
from programmes.services.errors import NotAllowed, ReportingError


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RemoveForm(forms.Form):
    password = forms.CharField(
        label=_("Uw wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked(request) -> HttpResponse:
    logout(request)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """Second step of signing in: a code from the app or a recovery code."""
    if request.session.get(accounts.STEP_KEY) != accounts.VERIFY:
        return redirect(_next_url(request))
    if accounts.is_locked_out(request, request.user):
        return _locked(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = accounts.verify_second_factor(request, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            accounts.finish_sign_in(request, request.user)
            audit.record(
                action="auth.login",
                detail={"second_factor": type(device).__name__},
            )
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):
            return _locked(request)
        form.add_error("code", _("Deze code klopt niet. Probeer de volgende code uit de app."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol(request):
    """Set up two-step verification: scan the QR code, confirm with a first code. A user who
    has it already sees that, and may remove it (with their password) to set it up again."""
    if request.session.get(accounts.STEP_KEY) == accounts.VERIFY:
        return redirect("accounts:mfa_verify")
    if user_has_device(request.user, confirmed=True):
        return _enrolled(request)
    device = accounts.pending_totp_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = accounts.confirm_enrolment(
            user=request.user, device=device, token="".join(form.cleaned_data["code"].split())
        )
        if codes is not None:
            otp_login(request, device)
            accounts.finish_sign_in(request, request.user)
            request.session[accounts.RECOVERY_CODES_KEY] = codes
            request.session["monitor_after_codes"] = _next_url(request)
            return redirect("accounts:mfa_recovery_codes")
        form.add_error("code", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "qr_code": accounts.qr_code_data_uri(device),
            "manual_key": accounts.manual_key(device),
            "required": accounts.mfa_required(request.user),
            "next": _next_url(request),
        },
    )


def _enrolled(request):
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            accounts.remove_devices(user=request.user)
            if accounts.mfa_required(request.user):
                request.session[accounts.STEP_KEY] = accounts.ENROL
            return redirect("accounts:mfa_enrol")
        form.add_error("password", _("Dit wachtwoord klopt niet."))
    return render(request, "accounts/mfa_enrolled.html", {"form": form})


@login_required
def mfa_recovery_codes(request):
    """The new recovery codes, shown once: they are gone from the session after this page."""
    codes = request.session.pop(accounts.RECOVERY_CODES_KEY, None)
    if not codes:
        return redirect("accounts:mfa_enrol")
    next_url = request.session.pop("monitor_after_codes", resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": next_url})


@require_http_methods(["GET", "POST"])
def session(request):
    """GET: seconds left before the idle timeout (does not count as activity).
    POST: "Blijf aangemeld", the session starts its idle clock again."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0}, status=401)
    if request.method == "POST":
        accounts.extend_session(request)
    return JsonResponse({"seconds_left": accounts.seconds_left(request)})


# --- user management ----------------------------------------------------------------------


def _user_manager_or_403(request) -> None:
    if not accounts_users.can_manage_users(request.user):
        raise PermissionDenied


@login_required
def users(request):
    """The users an administrator, or a manager within their programmes, may manage."""
    _user_manager_or_403(request)
    listing = accounts_users.manageable_users(request.user).prefetch_related("groups")
    return render(request, "accounts/users.html", {"users": listing})


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    _user_manager_or_403(request)
    form = InvitationForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts_users.invite_user(by=request.user, invitation=form.invitation())
        except NotAllowed as refused:
            raise PermissionDenied(str(refused)) from refused
        except ReportingError as error:
            for field, message in error.problems:
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Uitnodiging verstuurd naar %(email)s.") % {"email": user.email},
            )
            return redirect("accounts:users")
    return render(request, "accounts/invite.html", {"form": form})


@login_required
@require_POST
def deactivate(request, pk: int):
    _user_manager_or_403(request)
    user = get_object_or_404(accounts_users.manageable_users(request.user), pk=pk)
    accounts_users.deactivate_user(by=request.user, user=user)
    messages.success(
        request, _("%(user)s is gedeactiveerd.") % {"user": user.get_full_name() or user.username}
    )
    return redirect("accounts:users")


@login_required
@require_POST
def reset_mfa(request, pk: int):
    """A user lost their phone and codes: remove their devices; they enrol at next sign-in."""
    _user_manager_or_403(request)
    user = get_object_or_404(accounts_users.manageable_users(request.user), pk=pk)
    accounts.remove_devices(user=user, by=request.user)
    messages.success(
        request,
        _("Tweestapsverificatie van %(user)s is verwijderd.")
        % {"user": user.get_full_name() or user.username},
    )
    return redirect("accounts:users")


class InvitationConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time link of an invitation: choose a password (Django's token, valid for
    PASSWORD_RESET_TIMEOUT). Afterwards the user signs in, with two-step enrolment."""

    template_name = "accounts/invitation_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(action="user.invitation_accepted", actor=form.user, obj=form.user)
        messages.success(self.request, _("Uw wachtwoord is ingesteld. U kunt zich nu aanmelden."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, with our templates; the same answer whether or not the
    address is known (Django's own behaviour), and an audit line without the address."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        audit.record(action="auth.password_reset_requested", object_type="auth.user")
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(action="auth.password_reset", actor=form.user, obj=form.user)
        return response
