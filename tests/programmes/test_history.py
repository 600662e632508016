"""Every change to reported data is kept: who, when, old and new value, and the reasons for
returning and reopening, visible on the report page in Dutch."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programmes import report_data, services
from programmes.models import ProgressReport
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def edit(client, report, world, **overrides):
    report.refresh_from_db()
    return client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        complete_post(report, world, **overrides),
    )


def test_the_full_round_is_in_the_history_with_who_why_and_field_changes(client, world):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    client.force_login(world.coordinator)
    assert edit(client, report, world, action="submit").status_code == 302
    client.force_login(world.manager)
    client.post(reverse("reporting:return", args=[report.pk]), {"reason": "Cijfers ontbreken"})
    client.force_login(world.coordinator)
    first = world.indicators[0]
    assert (
        edit(
            client,
            report,
            world,
            action="submit",
            **{f"ind-{first.pk}-value": "75", "budget-2021-spent": "€ 700.000"},
        ).status_code
        == 302
    )
    client.force_login(world.manager)
    client.post(reverse("reporting:approve", args=[report.pk]))
    client.post(reverse("reporting:reopen", args=[report.pk]), {"reason": "Telling gecorrigeerd"})

    history = report_data.report_history(report)
    reasons = [entry.reason for entry in history if entry.subject == "Rapportage"]
    assert reasons[:5] == [
        "Heropend: Telling gecorrigeerd",
        "Goedgekeurd",
        "Ingediend",
        "Concept opgeslagen",
        "Teruggestuurd: Cijfers ontbreken",
    ]
    by_reason = {entry.reason: entry for entry in history if entry.subject == "Rapportage"}
    assert by_reason["Goedgekeurd"].user == "manager"
    assert by_reason["Ingediend"].user == "coordinator"
    state_change = {c.label: c for c in by_reason["Goedgekeurd"].changes}["Status"]
    assert (state_change.old, state_change.new) == ("ingediend", "goedgekeurd")

    value_changes = [
        change
        for entry in history
        if entry.subject == "Indicator: Uitstroom naar werk" and entry.kind == "gewijzigd"
        for change in entry.changes
    ]
    assert [(c.label, c.old, c.new) for c in value_changes] == [("Realisatie", "60", "75")]
    spent = [
        change
        for entry in history
        if entry.subject == "Kosten 2021"
        for change in entry.changes
        if change.label == "Uitgaven (realisatie)"
    ]
    assert [(c.old, c.new) for c in spent] == [("€ 620.000,50", "€ 700.000"), ("", "€ 620.000,50")]

    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Geschiedenis" in page
    assert "Heropend: Telling gecorrigeerd" in page
    assert "Teruggestuurd: Cijfers ontbreken" in page
    assert "€ 620.000,50" in page and "€ 700.000" in page


def test_removed_rows_are_in_the_history(client, world):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    services.save_draft(
        report=report,
        user=world.coordinator,
        data=services.ReportInput(activities=(services.ActivityInput(activity="Horecaklas"),)),
        version=report.version,
    )
    report.refresh_from_db()
    services.save_draft(
        report=report, user=world.coordinator, data=services.ReportInput(), version=report.version
    )
    kinds = [
        entry.kind
        for entry in report_data.report_history(report)
        if entry.subject == "Activiteit: Horecaklas"
    ]
    assert kinds == ["verwijderd", "aangemaakt"]


def test_a_closed_period_is_in_the_period_history(world):
    services.close_period(period=world.period, user=world.manager)
    record = world.period.history.first()
    assert record.history_user == world.manager
    assert record.history_change_reason == "Periode gesloten"


def test_the_history_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    for number in range(20):
        report = services.save_draft(
            report=report,
            user=world.coordinator,
            data=services.ReportInput(
                summary=f"<p>Versie {number}</p>",
                values=(services.IndicatorValueInput(world.indicators[0].pk, Decimal(number)),),
            ),
            version=report.version,
        )
    report = ProgressReport.objects.select_related("project", "period").get(pk=report.pk)
    # Indicators, funding sources, six kinds of history rows, the users named in them.
    with django_assert_max_num_queries(9):
        history = report_data.report_history(report)
    assert len(history) > 40


def test_records_of_the_same_moment_show_the_later_one_first(world):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    report.summary = "Tweede versie"
    report._change_reason = "Concept opgeslagen"
    report.save()
    # One save can write two records within the clock's resolution: make them equal.
    records = report.history.order_by("history_id")
    moment = records.first().history_date
    records.update(history_date=moment)
    reasons = [
        e.reason for e in report_data.report_history(report) if e.subject.startswith("Rapportage")
    ]
    assert reasons[:2] == ["Concept opgeslagen", "Rapportage gestart"]
