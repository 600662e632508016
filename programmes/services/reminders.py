"""Reminders about reports: one a manager sends by hand, and the automatic ones before a
period's deadline.

- `send_reminders(user=, reports=, not_started=)`: a programme manager (or administrator)
  reminds the coordinators of reports that are not submitted yet, and of projects that
  have not started theirs. Always sent (also twice on one day: the manager asked for it),
  recorded as a `SentReminder` of kind "manual".
- `send_due_reminders(today=)`: for every open period whose deadline is
  `settings.REMINDER_DAYS_BEFORE` days away or closer (and not past), each coordinator with
  reports not yet submitted gets ONE e-mail listing them, and each manager gets one listing
  the reports waiting for review. Never twice for the same report, person and day: the
  `SentReminder` rows say what went out (a unique constraint backs that up). Celery beat
  calls it daily; `today` is passed in, so tests freeze the clock by passing a date.

Mail is rendered now and sent after the commit (`transaction.on_commit`), in Dutch, with
links to the pages (`settings.SITE_URL`). Permission and state are checked here.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes import calendar, permissions
from programmes.models import ProgressReport, Project, ReportingPeriod, SentReminder
from programmes.services.errors import NotAllowed, WrongState

DEFAULT_DAYS_BEFORE = 7
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderItem:
    """One report (or a report not yet started) in a reminder e-mail."""

    project: str
    programme: str
    period: str
    deadline: datetime.date | None
    state: str
    url: str


@dataclass(frozen=True)
class ReminderResult:
    """What went out: e-mails sent and reports they named."""

    mails: int
    reports: int


def _site(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _item(report: ProgressReport) -> ReminderItem:
    path = (
        reverse("reporting:report_edit", args=[report.pk])
        if report.state in permissions.EDITABLE_STATES
        else reverse("reporting:report_detail", args=[report.pk])
    )
    return ReminderItem(
        project=report.project.title,
        programme=report.project.programme.name,
        period=report.period.label,
        deadline=report.period.deadline,
        state=str(report.get_state_display()),
        url=_site(path),
    )


def _mail_after_commit(*, to: str, template: str, context: dict) -> None:
    context = {"my_reports_url": _site(reverse("reporting:my_reports")), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def _record(project_id: int, period_id: int, person, kind: str, day, by=None) -> SentReminder:
    return SentReminder(
        project_id=project_id,
        period_id=period_id,
        recipient=person,
        kind=kind,
        day=day,
        sent_by=by,
    )


def _not_started_item(project: Project, period: ReportingPeriod) -> ReminderItem:
    return ReminderItem(
        project=project.title,
        programme=project.programme.name,
        period=period.label,
        deadline=period.deadline,
        state=_("niet begonnen"),
        url=_site(reverse("reporting:my_reports")),
    )


def _check_not_started(
    user, pairs: Sequence[tuple[Project, ReportingPeriod]]
) -> list[tuple[Project, ReportingPeriod]]:
    """The (project, period) pairs fresh from the database, refused unless each is a project
    of a programme the user manages that reports in that open period and has no report."""
    if not pairs:
        return []
    projects = {
        project.pk: project
        for project in Project.objects.filter(pk__in=[p.pk for p, _pe in pairs])
        .select_related("programme")
        .prefetch_related("coordinators")
    }
    periods = {
        period.pk: period
        for period in ReportingPeriod.objects.filter(pk__in=[pe.pk for _p, pe in pairs])
    }
    started = set(
        ProgressReport.objects.filter(
            project_id__in=list(projects), period_id__in=list(periods)
        ).values_list("project_id", "period_id")
    )
    checked = []
    for given_project, given_period in pairs:
        project, period = projects[given_project.pk], periods[given_period.pk]
        if not permissions.manages_programme(user, project.programme):
            raise NotAllowed(_("Alleen een programmamanager kan een herinnering sturen."))
        if (
            period.programme_id != project.programme_id
            or period.is_closed
            or (project.pk, period.pk) in started
            or not project.is_active
            or not calendar.reports_on(project, period.peildatum)
        ):
            raise WrongState(
                _("Een herinnering kan alleen over een open rapportage in een open periode.")
            )
        checked.append((project, period))
    return checked


@transaction.atomic
def send_reminders(
    *,
    user,
    reports: Sequence[ProgressReport] = (),
    not_started: Sequence[tuple[Project, ReportingPeriod]] = (),
) -> ReminderResult:
    """A manager's reminder to the coordinators of these reports (concept or returned, in
    open periods of programmes the user manages) and of these projects that have not
    started their report in that period (`not_started`: (project, period) pairs). One
    e-mail per coordinator listing them; always sent, and recorded."""
    pairs = _check_not_started(user, not_started)
    reports = list(
        ProgressReport.objects.filter(pk__in=[report.pk for report in reports])
        .select_related("project__programme", "period")
        .prefetch_related("project__coordinators")
    )
    for report in reports:
        if not permissions.manages_programme(user, report.project.programme):
            raise NotAllowed(_("Alleen een programmamanager kan een herinnering sturen."))
        if report.period.is_closed or report.state not in permissions.EDITABLE_STATES:
            raise WrongState(
                _("Een herinnering kan alleen over een open rapportage in een open periode.")
            )
    # Per coordinator: (project pk, period pk, item) of everything they are reminded of.
    by_person: dict[int, list[tuple[int, int, ReminderItem]]] = defaultdict(list)
    people = {}
    named = [
        (report.project, report.project_id, report.period_id, _item(report)) for report in reports
    ] + [
        (project, project.pk, period.pk, _not_started_item(project, period))
        for project, period in pairs
    ]
    for project, project_pk, period_pk, item in named:
        for coordinator in project.coordinators.all():
            if coordinator.is_active and coordinator.email:
                by_person[coordinator.pk].append((project_pk, period_pk, item))
                people[coordinator.pk] = coordinator
    today = timezone.localdate()
    records = []
    for pk, own in by_person.items():
        _mail_after_commit(
            to=people[pk].email,
            template="emails/reminder_manual",
            context={"person": people[pk], "sender": user, "items": [i for _p, _pe, i in own]},
        )
        records += [
            _record(project_pk, period_pk, people[pk], SentReminder.Kind.MANUAL, today, user)
            for project_pk, period_pk, _item_ in own
        ]
    # A second manual reminder on one day is sent all the same; the first row stays.
    SentReminder.objects.bulk_create(records, ignore_conflicts=True)
    logger.info(
        "Herinnering verstuurd door %s over %s rapportage(s) aan %s persoon/personen",
        user.pk,
        len(reports) + len(pairs),
        len(by_person),
    )
    return ReminderResult(
        mails=len(by_person),
        reports=len({(p, pe) for own in by_person.values() for p, pe, _i in own}),
    )


def _due_periods(today: datetime.date, days_before: int) -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(
            is_closed=False,
            peildatum__lte=today,
            deadline__gte=today,
            deadline__lte=today + datetime.timedelta(days=days_before),
        ).select_related("programme")
    )


@transaction.atomic
def send_due_reminders(*, today: datetime.date) -> ReminderResult:
    """The automatic reminders of one day (see the module's docstring). Projects that have
    not started their report are named too, with a link to "Mijn rapportages"."""
    days_before = getattr(settings, "REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE)
    periods = _due_periods(today, days_before)
    if not periods:
        return ReminderResult(mails=0, reports=0)
    by_pk = {period.pk: period for period in periods}
    reports = {
        (report.project_id, report.period_id): report
        for report in ProgressReport.objects.filter(period__in=periods).select_related(
            "project__programme", "period"
        )
    }
    sent = set(
        SentReminder.objects.filter(
            period__in=periods,
            day=today,
            kind__in=[SentReminder.Kind.DUE, SentReminder.Kind.REVIEW],
        ).values_list("project_id", "period_id", "recipient_id", "kind")
    )
    projects = list(
        Project.objects.filter(programme__in=[p.programme_id for p in periods])
        .select_related("programme")
        .prefetch_related("coordinators", "programme__managers")
    )
    # Per person: (project, period, report or None) still to submit, or waiting for review.
    due: dict[int, list[tuple[Project, ReportingPeriod, ProgressReport | None]]] = defaultdict(list)
    review: dict[int, list[tuple[Project, ReportingPeriod, ProgressReport]]] = defaultdict(list)
    people = {}
    for project in projects:
        for period in periods:
            if period.programme_id != project.programme_id:
                continue
            report = reports.get((project.pk, period.pk))
            if report is None and (
                not project.is_active or not calendar.reports_on(project, period.peildatum)
            ):
                continue
            if report is None or report.state in permissions.EDITABLE_STATES:
                for person in project.coordinators.all():
                    key = (project.pk, period.pk, person.pk, SentReminder.Kind.DUE)
                    if person.is_active and person.email and key not in sent:
                        due[person.pk].append((project, period, report))
                        people[person.pk] = person
            elif report.state == ProgressReport.State.SUBMITTED:
                for person in project.programme.managers.all():
                    key = (project.pk, period.pk, person.pk, SentReminder.Kind.REVIEW)
                    if person.is_active and person.email and key not in sent:
                        review[person.pk].append((project, period, report))
                        people[person.pk] = person

    records = []
    for kind, template, lists in (
        (SentReminder.Kind.DUE, "emails/reminder_due", due),
        (SentReminder.Kind.REVIEW, "emails/reminder_review", review),
    ):
        for pk, rows in lists.items():
            items = [
                _item(report) if report is not None else _not_started_item(project, period)
                for project, period, report in rows
            ]
            _mail_after_commit(
                to=people[pk].email,
                template=template,
                context={"person": people[pk], "items": items, "today": today},
            )
            records += [
                _record(project.pk, by_pk[period.pk].pk, people[pk], kind, today)
                for project, period, _report in rows
            ]
    SentReminder.objects.bulk_create(records, ignore_conflicts=True)
    return ReminderResult(
        mails=len(due) + len(review), reports=len({(r.project_id, r.period_id) for r in records})
    )
