"""BIO2 sign-in and logging (docs/security.md): two-step sign-in, lockout across password and
code, the Content-Security-Policy, Cache-Control, the session clock, the audit trail, user
management and the start-up checks."""

from __future__ import annotations

import datetime
import json
import logging
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from monitor import accounts, audit, checks
from monitor.models import AuditEvent
from programmes import roles as product_roles
from tests import factories, worlds

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the user's app shows now (django_otp.oath.totp, as the app computes it)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{value:06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def sign_in(client, username: str, password: str = "demo"):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def world():
    gooi = worlds.gooi()
    people = worlds.users_for(gooi, outsider_in=None)
    return gooi, people


@pytest.fixture
def mfa_on(settings):
    settings.DEMO_MODE = False
    settings.MFA_REQUIRED_ROLES = ["*"]
    settings.MFA_REQUIRED_FOR_STAFF = True


class AuditLines(logging.Handler):
    """Collects what the audit logger writes, formatted by our JSON formatter."""

    def __init__(self):
        super().__init__()
        self.setFormatter(audit.JSONFormatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def audit_lines(monkeypatch):
    """The lines the audit logger writes. The test's transaction never commits, so lines are
    written at once here instead of after the commit."""
    handler = AuditLines()
    logger = logging.getLogger("audit")
    logger.addHandler(handler)
    monkeypatch.setattr(audit, "_after_commit", lambda write: write())
    yield handler.lines
    logger.removeHandler(handler)


# --- two-step sign-in ------------------------------------------------------------------


def test_a_manager_without_a_device_must_enrol_and_can_reach_nothing_else(client, world, mfa_on):
    _gooi, people = world
    response = sign_in(client, people.manager.username)
    assert response.status_code == 302
    for path in ["/", reverse("reporting:my_reports"), reverse("reports:index"), "/beheer/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:mfa_enrol")), path
    page = client.get(reverse("accounts:mfa_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    assert "Tweestapsverificatie instellen" in html


def test_enrolment_with_a_code_from_the_secret_shows_recovery_codes_once(client, world, mfa_on):
    _gooi, people = world
    sign_in(client, people.manager.username)
    client.get(reverse("accounts:mfa_enrol"))
    device = TOTPDevice.objects.get(user=people.manager, confirmed=False)
    wrong = client.post(reverse("accounts:mfa_enrol"), {"code": "000000"})
    assert "Deze code klopt niet" in wrong.content.decode()
    # django-otp also slows guessing down (a second after a wrong code); skip the wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(reverse("accounts:mfa_enrol"), {"code": code_for(device)})
    assert response["Location"] == reverse("accounts:mfa_recovery_codes")
    codes_page = client.get(reverse("accounts:mfa_recovery_codes")).content.decode()
    tokens = list(StaticToken.objects.filter(device__user=people.manager))
    assert len(tokens) == 10
    assert all(token.token in codes_page for token in tokens)
    # Shown once: a second visit shows no codes.
    assert client.get(reverse("accounts:mfa_recovery_codes")).status_code == 302
    assert client.get("/").status_code == 200


def test_a_user_with_a_device_gives_the_code_after_the_password(client, world, mfa_on):
    _gooi, people = world
    device = confirmed_device(people.manager)
    response = sign_in(client, people.manager.username)
    assert client.get("/")["Location"].startswith(reverse("accounts:mfa_verify"))
    response = client.post(reverse("accounts:mfa_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, world, mfa_on):
    _gooi, people = world
    confirmed_device(people.manager)
    (code,) = accounts.new_recovery_codes(user=people.manager)[:1]
    sign_in(client, people.manager.username)
    assert client.post(reverse("accounts:mfa_verify"), {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
    client.logout()
    sign_in(client, people.manager.username)
    again = client.post(reverse("accounts:mfa_verify"), {"code": code})
    assert again.status_code == 200
    assert client.get("/")["Location"].startswith(reverse("accounts:mfa_verify"))


def test_the_demo_does_not_require_enrolment_but_offers_it(client, world, settings):
    settings.DEMO_MODE = True
    _gooi, people = world
    sign_in(client, people.manager.username)
    home = client.get("/")
    assert home.status_code == 200
    assert reverse("accounts:mfa_enrol") in home.content.decode()


def test_an_empty_role_list_lets_readers_in_without_mfa(client, world, settings):
    settings.DEMO_MODE = False
    settings.MFA_REQUIRED_ROLES = []
    _gooi, people = world
    sign_in(client, people.wethouder.username)
    assert client.get("/").status_code == 200


def test_wrong_codes_count_towards_the_axes_lockout(client, world, mfa_on, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    _gooi, people = world
    device = confirmed_device(people.manager)
    sign_in(client, people.manager.username)
    client.post(reverse("accounts:mfa_verify"), {"code": "111111"})
    client.post(reverse("accounts:mfa_verify"), {"code": "222222"})
    locked = client.post(reverse("accounts:mfa_verify"), {"code": "333333"})
    assert locked.status_code in (403, 429)
    assert "Te veel mislukte pogingen" in locked.content.decode()
    # Signed out, and the password alone does not get back in: the lockout holds.
    assert not client.session.get("_auth_user_id")
    again = sign_in(client, people.manager.username)
    assert again.status_code in (403, 429)
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username=people.manager.username).failures_since_start >= 3
    assert device.pk  # the device stays; only the attempts lock


# --- headers ----------------------------------------------------------------------------


def html_pages(world):
    gooi, _people = world
    project = gooi.project_titled("ZorgStart")
    return [
        "/",
        reverse("dashboard:programme", args=[gooi.programme.slug]),
        reverse("dashboard:project", args=[gooi.programme.slug, project.code]),
        reverse("reporting:my_reports"),
        reverse("reports:index"),
        "/beheer/",
        "/beheer/monitor/auditevent/",
        reverse("accounts:mfa_enrol"),
    ]


def test_every_html_response_has_a_strict_csp(client, world):
    _gooi, people = world
    login = client.get(reverse("login"))
    policies = [login["Content-Security-Policy"]]
    client.force_login(people.admin)
    for path in html_pages(world):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("text/html")
        policies.append(response["Content-Security-Policy"])
    for policy in policies:
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy


def test_our_templates_carry_no_inline_script_or_style():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "templates"
    folders = ["components", "registration", "accounts", "admin", "simple_history"]
    files = [root / "base.html"] + [p for f in folders for p in (root / f).rglob("*.html")]
    offenders = [
        str(path)
        for path in files
        if re.search(
            r"<script(?![^>]*\b(src=|type=\"application/json\"))|\sstyle=|<style", path.read_text()
        )
    ]
    assert offenders == []


def test_report_only_mode_sends_the_policy_as_report_only(client, settings):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = policy
    response = client.get(reverse("login"))
    assert "Content-Security-Policy" not in response
    assert "frame-ancestors 'none'" in response["Content-Security-Policy-Report-Only"]


def test_authenticated_responses_and_downloads_are_not_stored(client, world):
    gooi, people = world
    client.force_login(people.manager)
    for path in ["/", reverse("reports:index")]:
        assert client.get(path)["Cache-Control"] == "private, no-store"
    export = client.get(reverse("excel:programme_export", args=[gooi.programme.slug]))
    assert export.status_code == 200
    assert export["Cache-Control"] == "private, no-store"


def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("login"))
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert kept["X-Request-ID"] == "proxy-1234abcd"
    refused = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>")
    assert refused["X-Request-ID"] != "<script>"


# --- the session clock ---------------------------------------------------------------------


def test_an_idle_session_ends_with_a_dutch_message(client, world, settings):
    _gooi, people = world
    client.force_login(people.wethouder)
    assert client.get("/").status_code == 200
    session = client.session
    session[accounts.LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "sessie=verlopen" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "U bent afgemeld omdat u een tijd niets hebt gedaan" in page
    assert not client.session.get("_auth_user_id")


def test_blijf_aangemeld_extends_the_session(client, world, settings):
    _gooi, people = world
    client.force_login(people.wethouder)
    session = client.session
    session[accounts.LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    status = client.get(reverse("accounts:session")).json()
    assert 0 < status["seconds_left"] <= 60
    extended = client.post(reverse("accounts:session")).json()
    assert extended["seconds_left"] == settings.SESSION_IDLE_TIMEOUT
    assert 'data-session-url="/account/sessie/"' in client.get("/").content.decode()


def test_session_settings_are_within_bio2_limits(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


# --- the audit trail ---------------------------------------------------------------------


def only_line(lines, action):
    found = [line for line in lines if line["action"] == action]
    assert len(found) == 1, (action, lines)
    line = found[0]
    assert list(line) == list(audit.FIELDS)
    return line


def test_sign_in_events_write_one_complete_line_each(client, world, audit_lines):
    _gooi, people = world
    sign_in(client, people.wethouder.username, "fout")
    sign_in(client, people.wethouder.username)
    client.post(reverse("logout"))
    failed = only_line(audit_lines, "auth.login_failed")
    assert failed["actor"] == people.wethouder.username
    assert failed["result"] == "failed"
    assert failed["client_ip"] == "127.0.0.1"
    assert re.fullmatch(r"[0-9a-f]{32}", failed["request_id"])
    login = only_line(audit_lines, "auth.login")
    assert login["actor_id"] == people.wethouder.pk
    assert login["role"] == "lezer"
    assert login["time"].endswith("+00:00")
    only_line(audit_lines, "auth.logout")
    assert (
        AuditEvent.objects.filter(action="auth.login", actor_user_id=people.wethouder.pk).count()
        == 1
    )


def test_a_failed_sign_in_of_an_unknown_user_looks_like_any_other(client, world, audit_lines):
    _gooi, people = world
    sign_in(client, people.wethouder.username, "fout")
    sign_in(client, "niemand-bekend", "fout")
    known, unknown = [line for line in audit_lines if line["action"] == "auth.login_failed"]
    for line in (known, unknown):
        line.pop("time")
        line.pop("request_id")
    assert unknown["actor"] == "niemand-bekend"
    unknown["actor"] = known["actor"]
    assert known == unknown
    assert known["actor_id"] is None and known["role"] == ""


def test_workflow_actions_are_audited_from_the_services(world, audit_lines):
    from programmes.services import periods

    gooi, people = world
    period = gooi.periods[-1]
    periods.close_period(period=period, user=people.manager)
    periods.reopen_period(period=period, user=people.manager, reason="Correctie")
    close = only_line(audit_lines, "period.close")
    assert close["object_type"] == "programmes.reportingperiod"
    assert close["object_id"] == str(period.pk)
    assert close["actor"] == people.manager.username
    assert close["role"] == product_roles.MANAGER
    only_line(audit_lines, "period.reopen")


def test_report_approval_is_audited(client, world, audit_lines):
    from programmes.models import ProgressReport
    from programmes.services import reports

    gooi, people = world
    report = ProgressReport.objects.filter(project__programme=gooi.programme).first()
    ProgressReport.objects.filter(pk=report.pk).update(state=ProgressReport.State.SUBMITTED)
    report.refresh_from_db()
    reports.approve_report(report=report, user=people.manager)
    line = only_line(audit_lines, "report.approve")
    assert line["object_id"] == str(report.pk)


def test_downloads_exports_and_refusals_are_audited(client, world, audit_lines):
    gooi, people = world
    client.force_login(people.manager)
    client.get(reverse("excel:programme_export", args=[gooi.programme.slug]))
    export = only_line(audit_lines, "export.excel")
    assert export["object_type"] == "excel:programme_export"
    assert export["object_id"] == gooi.programme.slug
    client.force_login(people.wethouder)
    client.get(reverse("excel:import_start", args=[gooi.programme.slug]))
    denied = only_line(audit_lines, "permission.denied")
    assert denied["result"] == "denied"
    assert denied["actor"] == people.wethouder.username


def test_admin_changes_are_audited(client, world, audit_lines):
    _gooi, people = world
    client.force_login(people.admin)
    response = client.post(
        "/beheer/programmes/organisation/add/", {"name": "Nieuwe partner", "kind": "overig"}
    )
    assert response.status_code == 302
    line = only_line(audit_lines, "admin.add")
    assert line["object_type"] == "programmes.organisation"


def test_the_audit_table_is_read_only_in_the_admin(client, world):
    _gooi, people = world
    audit.record(action="test.event", actor=people.admin)
    event = AuditEvent.objects.get(action="test.event")
    client.force_login(people.admin)
    listing = client.get("/beheer/monitor/auditevent/?action=test.event")
    assert listing.status_code == 200
    assert "test.event" in listing.content.decode()
    assert client.get("/beheer/monitor/auditevent/add/").status_code == 403
    client.post(f"/beheer/monitor/auditevent/{event.pk}/change/", {"action": "anders"})
    assert client.get(f"/beheer/monitor/auditevent/{event.pk}/delete/").status_code == 403
    event.refresh_from_db()
    assert event.action == "test.event"
    client.force_login(people.manager)
    assert client.get("/beheer/monitor/auditevent/").status_code in (302, 403)


def test_the_client_address_comes_from_the_proxy_header_only_when_configured(
    client, world, settings, audit_lines
):
    _gooi, people = world
    sign_in(client, "x", "fout")
    client.post(
        reverse("login"), {"username": "y", "password": "z"}, HTTP_X_FORWARDED_FOR="10.1.1.1"
    )
    settings.AUDIT_CLIENT_IP_HEADER = "X-Forwarded-For"
    client.post(
        reverse("login"),
        {"username": "w", "password": "z"},
        HTTP_X_FORWARDED_FOR="10.2.2.2, 10.0.0.1",
    )
    addresses = [line["client_ip"] for line in audit_lines if line["action"] == "auth.login_failed"]
    assert addresses == ["127.0.0.1", "127.0.0.1", "10.2.2.2"]


def test_export_command_writes_a_date_range(tmp_path, world):
    _gooi, people = world
    audit.record(action="test.inside", actor=people.admin)
    old = audit.record(action="test.outside", actor=people.admin)
    AuditEvent.objects.filter(action="test.outside").update(
        time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert old
    today = datetime.date.today().isoformat()
    target = tmp_path / "audit.jsonl"
    call_command("export_audit", "--from", today, "--to", today, "--output", str(target))
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["action"] for line in lines] == ["test.inside"]
    csv_target = tmp_path / "audit.csv"
    call_command(
        "export_audit",
        "--from",
        "2019-12-31",
        "--to",
        "2020-01-02",
        "--format",
        "csv",
        "--output",
        str(csv_target),
    )
    rows = csv_target.read_text().splitlines()
    assert rows[0].startswith("time,actor,actor_id,role,action")
    assert len(rows) == 2 and "test.outside" in rows[1]


# --- user management ---------------------------------------------------------------------


def invitation_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/uitnodiging/\S+/)", message.body).group(1)


def test_a_manager_invites_a_coordinator_for_their_own_project(
    client, world, django_capture_on_commit_callbacks
):
    gooi, people = world
    project = gooi.project_titled("ZorgStart")
    client.force_login(people.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {"email": "Nieuw@Example.org", "role": "coordinator", "projects": [project.pk]},
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nieuw@example.org")
    assert not user.has_usable_password()
    assert list(user.coordinated_projects.all()) == [project]
    assert user.groups.filter(name=product_roles.COORDINATOR).exists()
    (message,) = mail.outbox
    assert "Uitnodiging" in message.subject
    path = invitation_path(message)
    client.logout()
    form = client.get(path, follow=True)
    assert "Kies een wachtwoord" in form.content.decode()
    set_path = form.redirect_chain[-1][0]
    done = client.post(
        set_path,
        {"new_password1": "Een-lang-wachtwoord-2024", "new_password2": "Een-lang-wachtwoord-2024"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Een-lang-wachtwoord-2024")
    # One time only.
    again = client.get(path, follow=True)
    assert "verlopen of al gebruikt" in again.content.decode()
    assert AuditEvent.objects.filter(action="user.invite", object_id=str(user.pk)).exists()


def test_an_invitation_link_expires(client, world, settings, django_capture_on_commit_callbacks):
    gooi, people = world
    client.force_login(people.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invite"), {"email": "laat@example.org", "role": "ministry"})
    path = invitation_path(mail.outbox[0])
    client.logout()
    settings.PASSWORD_RESET_TIMEOUT = -1
    page = client.get(path, follow=True)
    assert "verlopen of al gebruikt" in page.content.decode()


def test_a_manager_cannot_invite_outside_their_scope(client, world):
    gooi, people = world
    other = worlds.zeeland()
    client.force_login(people.manager)
    response = client.post(
        reverse("accounts:invite"),
        {"email": "buiten@example.org", "role": "coordinator", "projects": [other.project.pk]},
    )
    # The foreign project is not even a choice.
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="buiten@example.org").exists()
    refused = client.post(
        reverse("accounts:invite"),
        {"email": "baas@example.org", "role": "manager", "programmes": [gooi.programme.pk]},
    )
    assert refused.status_code == 200
    assert not get_user_model().objects.filter(email="baas@example.org").exists()
    client.force_login(people.wethouder)
    assert client.get(reverse("accounts:invite")).status_code == 403
    assert client.get(reverse("accounts:users")).status_code == 403


def test_deactivation_ends_access_and_stays_in_scope(client, world):
    gooi, people = world
    client.force_login(people.manager)
    listing = client.get(reverse("accounts:users")).content.decode()
    assert people.coordinator.username in listing
    assert people.admin.username not in listing
    # An administrator is outside a manager's scope.
    assert client.post(reverse("accounts:deactivate", args=[people.admin.pk])).status_code == 404
    coordinator_client = client.__class__()
    coordinator_client.force_login(people.coordinator)
    response = client.post(reverse("accounts:deactivate", args=[people.coordinator.pk]))
    assert response.status_code == 302
    people.coordinator.refresh_from_db()
    assert not people.coordinator.is_active
    assert coordinator_client.get("/").status_code == 302  # signed out at the next request
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 1


def test_password_reset_by_email(client, world):
    _gooi, people = world
    people.wethouder.email = "wethouder@example.org"
    people.wethouder.save()
    response = client.post(reverse("password_reset"), {"email": "wethouder@example.org"})
    assert response.status_code == 302
    unknown = client.post(reverse("password_reset"), {"email": "onbekend@example.org"})
    assert unknown["Location"] == response["Location"]  # no hint whether the address exists
    (message,) = mail.outbox
    assert "Nieuw wachtwoord" in message.subject
    path = re.search(r"https?://[^/\s]+(/wachtwoord-instellen/\S+/)", message.body).group(1)
    form = client.get(path, follow=True)
    set_path = form.redirect_chain[-1][0]
    client.post(
        set_path,
        {
            "new_password1": "Nog-een-lang-wachtwoord-9",
            "new_password2": "Nog-een-lang-wachtwoord-9",
        },
    )
    people.wethouder.refresh_from_db()
    assert people.wethouder.check_password("Nog-een-lang-wachtwoord-9")


# --- start-up checks ---------------------------------------------------------------------


def test_demo_users_outside_demo_mode_fail_the_check(settings):
    settings.DEMO_MODE = False
    assert checks.demo_users_outside_demo() == []
    factories.UserFactory(username="manager")  # password "demo"
    (error,) = checks.demo_users_outside_demo()
    assert error.id == "monitor.E001"
    settings.DEMO_MODE = True
    assert checks.demo_users_outside_demo() == []


def test_the_wsgi_process_refuses_to_start_with_demo_users_outside_demo_mode(settings):
    """gunicorn runs no checks by itself: monitor.wsgi runs the security checks at start-up."""
    import importlib
    import sys

    from django.core.exceptions import ImproperlyConfigured

    settings.DEMO_MODE = False
    sys.modules.pop("monitor.wsgi", None)
    importlib.import_module("monitor.wsgi")  # no demo users: starts
    factories.UserFactory(username="wethouder")  # password "demo"
    sys.modules.pop("monitor.wsgi", None)
    with pytest.raises(ImproperlyConfigured, match="monitor.E001"):
        importlib.import_module("monitor.wsgi")
    sys.modules.pop("monitor.wsgi", None)
