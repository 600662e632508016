"""The demo data: built from the five seed reports, safe to load twice, honest about what
was generated, and free of personal data."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes import models as m
from programmes import permissions
from programmes.demo import DEMO_DIR, load_demo

pytestmark = pytest.mark.django_db

REGIONS = {
    "zeeland": "Zeeland",
    "gooi-en-vechtstreek": "Gooi en Vechtstreek",
    "zuid-limburg": "Zuid-Limburg",
    "zuid-kennemerland-en-ijmond": "Zuid-Kennemerland en IJmond",
    "gorinchem": "Gorinchem",
}


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    return load_demo()


def counts():
    tracked = [
        m.Region,
        m.Programme,
        m.Project,
        m.Indicator,
        m.ProgressReport,
        m.IndicatorValue,
        m.BudgetLine,
        m.FundingLine,
        m.ProgressReport.history.model,
        m.IndicatorValue.history.model,
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in tracked}


def test_the_five_seed_regions_are_loaded(demo):
    assert dict(m.Region.objects.values_list("code", "name")) == REGIONS
    for code in REGIONS:
        assert m.Project.objects.filter(programme__region__code=code).exists(), code


def test_loading_twice_changes_nothing_and_writes_no_history(settings):
    settings.DEMO_MODE = True
    call_command("load_demo")
    before = counts()
    stats = load_demo()
    assert stats.created == 0 and stats.updated == 0
    assert counts() == before


def test_zeeland_figures_are_those_of_the_report(demo):
    report = m.ProgressReport.objects.get(
        project__programme__region__code="zeeland",
        period__peildatum=datetime.date(2020, 1, 1),
        is_demo_data=False,
    )
    vacancies = report.values.get(indicator__name__icontains="vacatures")
    assert vacancies.value == Decimal("447")
    planned = m.PlannedValue.objects.get(indicator=vacancies.indicator, period=report.period)
    assert planned.value == Decimal("200")
    lines = {line.year: line for line in report.budget_lines.all()}
    assert (lines[2018].budget, lines[2018].spent) == (Decimal("620000"), Decimal("878855"))
    assert (lines[2019].budget, lines[2019].spent) == (Decimal("1610000"), Decimal("2066773"))
    assert (lines[2020].budget, lines[2020].forecast) == (Decimal("770000"), Decimal("652827"))
    assert lines[2021].forecast == Decimal("50000")
    assert sum(line.budget or 0 for line in lines.values()) == Decimal("3000000")
    assert "3.595.628" in report.budget_note
    funding = {line.source.name: line for line in report.funding_lines.all()}
    assert funding["Regio Deal"].budgeted is None  # "€ 2.3000.000" is ambiguous in the seed
    assert "2.3000.000" in funding["Regio Deal"].note
    assert funding["Provincie"].received == Decimal("689905")
    assert report.activities.count() == 5
    assert report.source and not report.is_demo_data


def test_gooi_en_vechtstreek_programmes_targets_and_projects(demo):
    programmes = m.Programme.objects.filter(region__code="gooi-en-vechtstreek")
    names = set(programmes.values_list("name", flat=True))
    assert any("Werken aan Werk" in name for name in names)
    assert any("Perspectief op Werk" in name for name in names)
    targets = set(
        m.ProgrammeTarget.objects.filter(programme__in=programmes).values_list(
            "target_value", flat=True
        )
    )
    assert {Decimal("1180"), Decimal("860"), Decimal("520")} <= targets
    zorgstart = m.Project.objects.get(programme__in=programmes, title__icontains="ZorgStart")
    assert zorgstart.start_date == datetime.date(2021, 2, 1)
    assert zorgstart.indicators.filter(target_value=Decimal("250")).exists()
    assert m.IndicatorValue.objects.filter(
        indicator__project=zorgstart,
        value=Decimal("43"),
        report__period__peildatum=datetime.date(2021, 7, 1),
    ).exists()
    waardetas = m.Project.objects.get(programme__in=programmes, title__icontains="Waardetas")
    assert waardetas.start_date == datetime.date(2021, 5, 1)
    assert waardetas.indicators.filter(target_value=Decimal("40")).exists()
    assert m.Project.objects.filter(programme__in=programmes).finished().count() >= 5


def test_zuid_kennemerland_has_four_pillars(demo):
    pillars = m.Pillar.objects.filter(programme__region__code="zuid-kennemerland-en-ijmond")
    names = {name.lower() for name in pillars.values_list("name", flat=True)}
    assert {"van werk naar werk", "van uitkering naar werk", "van onderwijs naar werk"} <= names
    assert any("werkgelegenheid" in name for name in names)
    assert (
        m.Project.objects.filter(programme__region__code="zuid-kennemerland-en-ijmond").count()
        >= 30
    )


def test_plans_keep_their_projects_and_cost_per_year(demo):
    # Gorinchem's doe-agenda gives cost per project year; Zuid-Limburg's plan only an
    # estimated total per activity ("Geschatte kosten"), kept as a number, not split.
    ambachtsschool = m.BudgetPlan.objects.filter(
        project__programme__region__code="gorinchem", project__title__icontains="Ambachtsschool"
    )
    assert sorted(ambachtsschool.values_list("year", "amount")) == [
        (2020, Decimal("350000")),
        (2021, Decimal("350000")),
    ]
    costs = dict(
        m.Project.objects.filter(programme__region__code="zuid-limburg").values_list(
            "code", "estimated_cost"
        )
    )
    assert costs == {
        "MOW-1": Decimal("2197000"),
        "MOW-2": Decimal("2350000"),
        "MOW-3": Decimal("650000"),
        "MOW-4": Decimal("200000"),
        "MOW-5": Decimal("200000"),
        "MOW-6": Decimal("400000"),
    }


def test_generated_values_are_marked_as_demo_data(demo):
    for report in m.ProgressReport.objects.all():
        assert report.source, report
        assert report.is_demo_data == ("Gegenereerde demodata" in report.source), report


PERSONAL = [
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),  # e-mail address
    re.compile(r"(?:\+31|\b0)[\s-]?\d(?:[\s-]?\d){8}\b"),  # Dutch phone number
    re.compile(r"Wolthers"),  # the alderman the Gooi en Vechtstreek seed names
]


@pytest.mark.parametrize("path", sorted(DEMO_DIR.glob("*.json")), ids=lambda p: p.name)
def test_no_personal_data_in_the_demo_files(path):
    text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    for pattern in PERSONAL:
        assert not pattern.search(text), (path.name, pattern.pattern)


def test_demo_users_and_their_scopes(demo):
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) >= {"coordinator", "manager", "wethouder", "ministerie", "admin"}
    for user in users.values():
        assert user.check_password("demo")
    wethouder_regions = set(
        permissions.visible_regions(users["wethouder"]).values_list("code", flat=True)
    )
    assert wethouder_regions == {"gooi-en-vechtstreek"}
    assert permissions.visible_regions(users["ministerie"]).count() == 5
    assert users["admin"].is_superuser
    assert users["coordinator"].coordinated_projects.exists()
    assert users["manager"].managed_programmes.exists()
