"""Test data for progress reporting: two regions, each with a programme, a project with
indicators, a period, and the people of every role. Built with the factories."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model

from programmes.models import ProgressReport
from tests import factories

PEILDATUM = datetime.date(2021, 7, 1)


@dataclass
class World:
    coordinator: object
    manager: object
    viewer: object
    other_viewer: object
    ministry: object
    admin: object
    programme: object
    project: object
    indicators: list
    period: object
    sources: list
    other_programme: object
    other_project: object
    other_period: object
    other_report: object


def build_world() -> World:
    coordinator = factories.UserFactory(username="coordinator", email="coordinator@example.org")
    manager = factories.UserFactory(username="manager", email="manager@example.org")
    viewer = factories.UserFactory(username="wethouder")
    other_viewer = factories.UserFactory(username="wethouder-elders")
    ministry = factories.MinistryUserFactory(username="ministerie")
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "demo")

    programme = factories.ProgrammeFactory(name="Perspectief op Werk")
    programme.managers.add(manager)
    programme.region.viewers.add(viewer)
    project = factories.ProjectFactory(programme=programme, title="ZorgStart")
    project.coordinators.add(coordinator)
    indicators = [
        factories.IndicatorFactory(
            project=project,
            name="Uitstroom naar werk",
            target_value=Decimal("250"),
            target_date=datetime.date(2022, 12, 31),
            order=1,
        ),
        factories.IndicatorFactory(
            project=project,
            name="Gestarte trajecten",
            target_value=Decimal("40"),
            target_date=datetime.date(2022, 12, 31),
            order=2,
        ),
    ]
    period = factories.ReportingPeriodFactory(programme=programme, peildatum=PEILDATUM)
    sources = [
        factories.FundingSourceFactory(name="Regio Deal", order=1),
        factories.FundingSourceFactory(name="Provincie", order=2),
    ]

    other_programme = factories.ProgrammeFactory(name="Werken aan Werk")
    other_programme.region.viewers.add(other_viewer)
    other_project = factories.ProjectFactory(programme=other_programme, title="Waardetas")
    other_period = factories.ReportingPeriodFactory(programme=other_programme, peildatum=PEILDATUM)
    other_report = factories.ProgressReportFactory(project=other_project, period=other_period)
    return World(
        coordinator=coordinator,
        manager=manager,
        viewer=viewer,
        other_viewer=other_viewer,
        ministry=ministry,
        admin=admin,
        programme=programme,
        project=project,
        indicators=indicators,
        period=period,
        sources=sources,
        other_programme=other_programme,
        other_project=other_project,
        other_period=other_period,
        other_report=other_report,
    )


def complete_post(report: ProgressReport, world: World, **overrides) -> dict:
    """The POST of a complete, valid report form, typed as a Dutch coordinator would."""
    first, second = world.indicators
    data = {
        "version": str(report.version),
        "summary": "Het project loopt voorspoedig.\n\n• 43 mensen aan het werk\n• 4 trajecten",
        "reported_light": "green",
        "light_cause": "",
        "light_consequences": "",
        "light_recovery": "",
        "light_explanation": "",
        "budget_note": "",
        "highlight": "",
        "highlight_text": "",
        "act-TOTAL_FORMS": "1",
        "act-INITIAL_FORMS": "0",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "1000",
        "act-0-id": "",
        "act-0-year": "2021",
        "act-0-activity": "Werving zorgpersoneel",
        "act-0-progress": "Campagnes gedraaid.",
        f"ind-{first.pk}-value": "60",
        f"ind-{first.pk}-note": "",
        f"ind-{second.pk}-value": "10",
        f"ind-{second.pk}-note": "",
        "budget-2021-budget": "€ 1.610.000",
        "budget-2021-spent": "620.000,50",
        "budget-2021-forecast": "",
        f"fund-{world.sources[0].pk}-budgeted": "2.300.000",
        f"fund-{world.sources[0].pk}-received": "1830000",
        "action": "save",
    }
    data.update(overrides)
    return data
