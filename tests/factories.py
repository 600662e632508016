"""Factories for test data. Fixtures are only for the demo; tests build what they need."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from programmes import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password("demo")


class MinistryUserFactory(UserFactory):
    @factory.post_generation
    def ministry(obj, create, extracted, **kwargs):
        obj.user_permissions.add(Permission.objects.get(codename="view_all_regions"))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"regio-{n}")
    name = factory.Sequence(lambda n: f"Regio {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisatie {n}")


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FundingSource
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Bron {n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme

    region = factory.SubFactory(RegionFactory)
    slug = factory.Sequence(lambda n: f"programma-{n}")
    name = factory.Sequence(lambda n: f"Programma {n}")
    funder = "Ministerie van SZW"
    start_date = datetime.date(2021, 1, 1)
    end_date = datetime.date(2022, 12, 31)


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Pillar

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Pijler {n}")
    order = factory.Sequence(lambda n: n)


class ProgrammeTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgrammeTarget

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Doel {n}")
    unit = "trajecten"
    target_value = Decimal("100")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Project

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"P-{n:03d}")
    title = factory.Sequence(lambda n: f"Project {n}")
    status = models.Project.Status.RUNNING
    start_date = datetime.date(2021, 1, 1)
    end_date = datetime.date(2022, 12, 31)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "inwoners"
    baseline = Decimal("0")
    target_value = Decimal("100")
    target_date = datetime.date(2022, 12, 31)


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReportingPeriod
        django_get_or_create = ["programme", "peildatum"]

    programme = factory.SubFactory(ProgrammeFactory)
    peildatum = datetime.date(2021, 7, 1)
    deadline = datetime.date(2021, 8, 15)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ProgressReport

    project = factory.SubFactory(ProjectFactory)
    period = factory.LazyAttribute(lambda o: ReportingPeriodFactory(programme=o.project.programme))


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndicatorValue

    report = factory.SubFactory(ProgressReportFactory)
    indicator = factory.LazyAttribute(lambda o: IndicatorFactory(project=o.report.project))
    value = Decimal("10")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BudgetLine

    report = factory.SubFactory(ProgressReportFactory)
    year = 2021
    budget = Decimal("100000")
    spent = Decimal("50000")


class FundingLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FundingLine

    report = factory.SubFactory(ProgressReportFactory)
    source = factory.SubFactory(FundingSourceFactory)
    budgeted = Decimal("100000")


class BudgetPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BudgetPlan

    project = factory.SubFactory(ProjectFactory)
    year = 2021
    amount = Decimal("100000")
