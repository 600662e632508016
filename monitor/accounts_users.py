"""User management (BIO2 5.15, 5.16, 5.18): invite a user for a role and a scope, deactivate
a user, and the one-time link with which an invited user sets a password.

Administrators (superusers) invite and deactivate anyone but themselves. A programme manager
works within their own programmes: they invite coordinators for projects of those
programmes and readers (wethouders) of those programmes' regions, and deactivate users whose
only access lies within their programmes. Every change is an audit event.

The link is Django's password-reset token: it is valid for PASSWORD_RESET_TIMEOUT seconds and
only once (the token covers the password hash and last sign-in, which setting the password
changes). This module never sees or stores a password.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from monitor import audit
from programmes import roles
from programmes.models import Programme, Project, Region
from programmes.services.errors import NotAllowed, ReportingError

User = get_user_model()

MANAGER = "manager"
COORDINATOR = "coordinator"
READER = "reader"
MINISTRY = "ministry"
ROLE_LABELS = {
    MANAGER: "Programmamanager",
    COORDINATOR: "Programmacoördinator",
    READER: "Lezer (bijv. wethouder)",
    MINISTRY: "Ministerie",
}


@dataclass(frozen=True)
class Invitation:
    email: str
    first_name: str
    last_name: str
    role: str
    regions: tuple[Region, ...] = ()
    programmes: tuple[Programme, ...] = ()
    projects: tuple[Project, ...] = ()


def can_manage_users(user) -> bool:
    return user.is_authenticated and (user.is_superuser or managed_programmes(user).exists())


def managed_programmes(user) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(managers=user)


def roles_for(user) -> list[str]:
    """The roles this user may hand out."""
    if user.is_superuser:
        return [MANAGER, COORDINATOR, READER, MINISTRY]
    if managed_programmes(user).exists():
        return [COORDINATOR, READER]
    return []


def manageable_users(user) -> QuerySet:
    """The users this user may see in the user list and deactivate."""
    if user.is_superuser:
        return User.objects.exclude(pk=user.pk).order_by("username")
    programmes = managed_programmes(user)
    own_projects = Project.objects.filter(programme__in=programmes)
    own_regions = Region.objects.filter(programmes__in=programmes)
    inside = User.objects.filter(coordinated_projects__in=own_projects) | User.objects.filter(
        viewed_regions__in=own_regions
    )
    outside = (
        User.objects.filter(is_staff=True)
        | User.objects.filter(is_superuser=True)
        | User.objects.filter(managed_programmes__isnull=False)
        | User.objects.filter(coordinated_projects__in=Project.objects.exclude(pk__in=own_projects))
        | User.objects.filter(viewed_regions__in=Region.objects.exclude(pk__in=own_regions))
        | User.objects.filter(groups__name=roles.MINISTRY)
    )
    return (
        User.objects.filter(pk__in=inside.values("pk"))
        .exclude(pk__in=outside.values("pk"))
        .exclude(pk=user.pk)
        .order_by("username")
    )


def _check_scope(by, invitation: Invitation) -> None:
    if invitation.role not in roles_for(by):
        raise NotAllowed(_("U mag deze rol niet toekennen."))
    if by.is_superuser:
        return
    programmes = set(managed_programmes(by).values_list("pk", flat=True))
    if any(project.programme_id not in programmes for project in invitation.projects):
        raise NotAllowed(_("U kunt alleen toegang geven tot projecten van uw eigen programma's."))
    own_regions = set(
        Programme.objects.filter(pk__in=programmes).values_list("region_id", flat=True)
    )
    if any(region.pk not in own_regions for region in invitation.regions):
        raise NotAllowed(_("U kunt alleen lezers toevoegen voor de regio's van uw programma's."))


@transaction.atomic
def invite_user(*, by, invitation: Invitation, request=None):
    """Create the user without a password, give the role and scope, and mail the one-time link
    (after the commit). Returns the new user."""
    _check_scope(by, invitation)
    email = invitation.email.strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        message = _("Er is al een gebruiker met dit e-mailadres.")
        raise ReportingError(message, problems=[("email", message)])
    needs_scope = {
        MANAGER: invitation.programmes,
        COORDINATOR: invitation.projects,
        READER: invitation.regions,
    }
    if invitation.role in needs_scope and not needs_scope[invitation.role]:
        message = _("Kies waartoe deze gebruiker toegang krijgt.")
        raise ReportingError(message, problems=[("scope", message)])
    user = User(
        username=email,
        email=email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        is_staff=invitation.role == MANAGER,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    groups = roles.ensure_roles()
    if invitation.role == MANAGER:
        user.groups.add(groups[roles.MANAGER])
        for programme in invitation.programmes:
            programme.managers.add(user)
    elif invitation.role == COORDINATOR:
        user.groups.add(groups[roles.COORDINATOR])
        for project in invitation.projects:
            project.coordinators.add(user)
    elif invitation.role == READER:
        for region in invitation.regions:
            region.viewers.add(user)
    elif invitation.role == MINISTRY:
        user.groups.add(groups[roles.MINISTRY])
    link = invitation_link(user)
    context = {
        "user": user,
        "link": link,
        "by": by,
        "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
    audit.record(
        action="user.invite",
        actor=by,
        obj=user,
        detail={
            "role": invitation.role,
            "regions": [region.pk for region in invitation.regions],
            "programmes": [programme.pk for programme in invitation.programmes],
            "projects": [project.pk for project in invitation.projects],
        },
        request=request,
    )
    return user


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:invitation", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def deactivate_user(*, by, user, request=None) -> None:
    """Sign the user out for good: inactive accounts cannot sign in; their sessions end at the
    next request (Django checks is_active), and their devices are removed."""
    if not manageable_users(by).filter(pk=user.pk).exists():
        raise NotAllowed(_("U mag deze gebruiker niet deactiveren."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    from django_otp import devices_for_user

    for device in devices_for_user(user, confirmed=None):
        device.delete()
    audit.record(action="user.deactivate", actor=by, obj=user, request=request)
