"""Separation of duties, closing a period and reminders (issue #14, items 4 and 5): four
eyes with an administrator's override in the history, closing marks the drafts and keeps
them from readers, and reminders reach exactly the coordinators of the open reports, once
per report and day, with a frozen clock (a `today` passed in)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from programmes import permissions, services
from programmes.models import ProgressReport, SentReminder
from programmes.services.reminders import send_due_reminders, send_reminders
from tests import factories
from tests.worlds import reporting_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build_world()
    for user, address in (
        (w.coordinator, "coordinator@example.org"),
        (w.manager, "manager@example.org"),
        (w.admin, "admin@example.org"),
    ):
        user.email = address
        user.save()
    return w


def _draft(world, user):
    report = services.start_report(project=world.project, period=world.period, user=user)
    first, second = world.indicators
    return services.save_draft(
        report=report,
        user=user,
        version=report.version,
        data=services.ReportInput(
            summary="Loopt.",
            reported_light="green",
            values=(
                services.IndicatorValueInput(indicator_id=first.pk, value=Decimal(70)),
                services.IndicatorValueInput(indicator_id=second.pk, value=Decimal(12)),
            ),
        ),
    )


def test_the_submitter_cannot_approve_with_four_eyes_on(world):
    report = services.submit_report(report=_draft(world, world.manager), user=world.manager)
    with pytest.raises(services.NotAllowed, match="Vier-ogenprincipe"):
        services.approve_report(report=report, user=world.manager)
    other = factories.UserFactory(username="tweede-manager")
    world.programme.managers.add(other)
    assert services.approve_report(report=report, user=other).state == "approved"


def test_four_eyes_off_lets_the_submitter_approve(world):
    world.programme.four_eyes = False
    world.programme.save()
    report = services.submit_report(report=_draft(world, world.manager), user=world.manager)
    assert services.approve_report(report=report, user=world.manager).state == "approved"


def test_an_administrator_overrides_with_a_reason_kept_in_the_history(world):
    report = services.submit_report(report=_draft(world, world.admin), user=world.admin)
    with pytest.raises(services.ReportingError):
        services.approve_report(report=report, user=world.admin, override_reason=" ")
    services.approve_report(
        report=report, user=world.admin, override_reason="Enige beheerder tijdens de zomer"
    )
    last = ProgressReport.history.filter(id=report.pk).order_by("-history_date").first()
    assert "vier-ogenprincipe doorbroken" in last.history_change_reason
    assert "Enige beheerder tijdens de zomer" in last.history_change_reason


def test_closing_marks_the_drafts_and_keeps_them_from_readers(world):
    report = _draft(world, world.coordinator)
    services.close_period(period=world.period, user=world.manager)
    report.refresh_from_db()
    assert report.unsubmitted_at_close and report.state == "draft"
    last = ProgressReport.history.filter(id=report.pk).order_by("-history_date").first()
    assert last.history_change_reason == "Niet ingediend bij sluiting van de periode"
    report = ProgressReport.objects.select_related("period", "project__programme").get(pk=report.pk)
    assert permissions.can_view_report(world.coordinator, report)
    assert permissions.can_view_report(world.manager, report)
    assert not permissions.can_view_report(world.viewer, report)
    assert not permissions.can_view_report(world.ministry, report)
    services.reopen_period(period=world.period, user=world.manager, reason="Vergissing")
    report.refresh_from_db()
    assert not report.unsubmitted_at_close


def test_a_manual_reminder_reaches_the_coordinators_and_is_logged(
    world, django_capture_on_commit_callbacks
):
    report = _draft(world, world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders(user=world.manager, reports=[report])
    assert result.mails == 1
    assert [m.to for m in mail.outbox] == [["coordinator@example.org"]]
    assert "ZorgStart" in mail.outbox[0].body
    assert f"/rapportages/{report.pk}/bewerken/" in mail.outbox[0].body
    assert SentReminder.objects.filter(kind="manual", recipient=world.coordinator).count() == 1
    with pytest.raises(services.NotAllowed):
        send_reminders(user=world.coordinator, reports=[report])


def test_due_reminders_reach_exactly_the_open_reports_coordinators_once_a_day(
    world, settings, django_capture_on_commit_callbacks
):
    settings.REMINDER_DAYS_BEFORE = 7
    settings.SITE_URL = "https://monitor.example.nl"
    world.period.deadline = datetime.date(2021, 8, 15)
    world.period.save()
    # A second project whose report is submitted: its coordinator gets nothing, the
    # manager gets one mail to review it.
    done = factories.ProjectFactory(
        programme=world.programme,
        title="Waardetas",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2022, 12, 31),
    )
    busy = factories.UserFactory(username="klaar", email="klaar@example.org")
    done.coordinators.add(busy)
    submitted = services.start_report(project=done, period=world.period, user=world.manager)
    submitted = services.save_draft(
        report=submitted,
        user=world.manager,
        version=submitted.version,
        data=services.ReportInput(summary="Klaar.", reported_light="green"),
    )
    services.submit_report(report=submitted, user=world.manager)
    _draft(world, world.coordinator)

    too_early = datetime.date(2021, 8, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=too_early).mails == 0
    assert mail.outbox == []

    today = datetime.date(2021, 8, 10)
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders(today=today)
    assert result.mails == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"coordinator@example.org", "manager@example.org"}
    assert "ZorgStart" in by_address["coordinator@example.org"].body
    assert "Waardetas" not in by_address["coordinator@example.org"].body
    assert "Waardetas" in by_address["manager@example.org"].body
    assert "https://monitor.example.nl/rapportages/" in by_address["coordinator@example.org"].body

    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=today).mails == 0
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders(today=today + datetime.timedelta(days=1)).mails == 2


def test_due_reminders_name_a_project_not_started(world, django_capture_on_commit_callbacks):
    world.period.deadline = datetime.date(2021, 8, 15)
    world.period.save()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_due_reminders(today=datetime.date(2021, 8, 14))
    assert result.mails == 1
    assert "niet begonnen" in mail.outbox[0].body
