"""The engine behind the test worlds: small frozen specs that describe a programme, and
`build()`, which turns them into database rows with the factories and returns a `World`.

Specs are plain data, so a region module can keep its seed data as constants and a test can
ask for another shape with `spec.but(...)` or `dataclasses.replace`. Anything a spec leaves
out is left to the factory default (tests/factories.py), so a spec says only what matters.
This module never decides what a region holds; that is tests/worlds/seeds.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from programmes import models
from programmes.services import refresh_status
from tests import factories

Fields = Mapping[str, Any]


class _Spec:
    def but(self, **changes):
        """A copy with `changes`: known attributes are replaced, anything else is merged into
        the model fields (`ZORGSTART.but(code="ZS", reports=())`)."""
        own = {name: value for name, value in changes.items() if name in self.__dataclass_fields__}
        extra = {name: value for name, value in changes.items() if name not in own}
        if extra:
            own["fields"] = {**self.fields, **extra}
        return replace(self, **own)


@dataclass(frozen=True)
class PeriodSpec(_Spec):
    peildatum: datetime.date
    fields: Fields = field(default_factory=dict)  # deadline, is_closed


@dataclass(frozen=True)
class PillarSpec(_Spec):
    name: str
    fields: Fields = field(default_factory=dict)  # order, description


@dataclass(frozen=True)
class TargetSpec(_Spec):
    name: str
    fields: Fields = field(default_factory=dict)  # target_value, unit, order


@dataclass(frozen=True)
class IndicatorSpec(_Spec):
    name: str
    target: str | None = None  # the name of the programme target it counts towards
    planned: Mapping[datetime.date, Decimal] = field(default_factory=dict)  # per peildatum
    fields: Fields = field(default_factory=dict)


@dataclass(frozen=True)
class FundingSpec(_Spec):
    source: str
    source_order: int | None = None  # None: the factory default (0) for a new source
    fields: Fields = field(default_factory=dict)  # budgeted, received, committed, ...


@dataclass(frozen=True)
class ReportSpec(_Spec):
    peildatum: datetime.date
    values: Mapping[str, Decimal] = field(default_factory=dict)  # indicator name -> value
    activities: Sequence[Fields] = ()  # ActivityProgress fields
    planning_years: Sequence[int] = ()  # a PlanningChange row per year
    budget: Sequence[Fields] = ()  # BudgetLine fields, with `year`
    funding: Sequence[FundingSpec] = ()
    fields: Fields = field(default_factory=dict)  # state, reported_light, summary, ...


@dataclass(frozen=True)
class ProjectSpec(_Spec):
    title: str
    pillar: str | None = None  # the pillar's name
    partners: Sequence[str] = ()  # organisation names
    indicators: Sequence[IndicatorSpec] = ()
    reports: Sequence[ReportSpec] = ()
    plan: Mapping[int, Decimal] = field(default_factory=dict)  # BudgetPlan amount per year
    fields: Fields = field(default_factory=dict)  # code, number, status, dates, texts


def period(peildatum: datetime.date, **fields) -> PeriodSpec:
    return PeriodSpec(peildatum, fields)


def pillar(name: str, **fields) -> PillarSpec:
    return PillarSpec(name, fields)


def target(name: str, **fields) -> TargetSpec:
    return TargetSpec(name, fields)


def indicator(name: str, *, target=None, planned=None, **fields) -> IndicatorSpec:
    return IndicatorSpec(name, target, planned or {}, fields)


def funding(source: str, *, source_order: int | None = None, **fields) -> FundingSpec:
    return FundingSpec(source, source_order, fields)


def report(
    peildatum: datetime.date,
    *,
    values=None,
    activities=(),
    planning_years=(),
    budget=(),
    funding=(),
    **fields,
) -> ReportSpec:
    return ReportSpec(
        peildatum,
        values=values or {},
        activities=tuple(activities),
        planning_years=tuple(planning_years),
        budget=tuple(budget),
        funding=tuple(funding),
        fields=fields,
    )


def project(
    title: str, *, pillar=None, partners=(), indicators=(), reports=(), plan=None, **fields
) -> ProjectSpec:
    return ProjectSpec(
        title,
        pillar=pillar,
        partners=tuple(partners),
        indicators=tuple(indicators),
        reports=tuple(reports),
        plan=plan or {},
        fields=fields,
    )


@dataclass(frozen=True)
class World:
    """What a test needs of one programme in one region. Tuples keep the build order."""

    region: models.Region
    programme: models.Programme
    periods: tuple[models.ReportingPeriod, ...]
    pillars: tuple[models.Pillar, ...]
    targets: tuple[models.ProgrammeTarget, ...]
    projects: tuple[models.Project, ...]
    indicators: tuple[models.Indicator, ...]
    reports: tuple[models.ProgressReport, ...]

    @property
    def project(self) -> models.Project:
        """The project of a one-project world."""
        (only,) = self.projects
        return only

    def project_titled(self, title: str) -> models.Project:
        (found,) = [p for p in self.projects if p.title == title]
        return found

    def period_at(self, peildatum: datetime.date) -> models.ReportingPeriod:
        (found,) = [p for p in self.periods if p.peildatum == peildatum]
        return found

    def indicator_named(self, name: str, project_title: str | None = None) -> models.Indicator:
        (found,) = [
            i
            for i in self.indicators
            if i.name == name and project_title in (None, i.project.title)
        ]
        return found

    def report_of(self, project_title: str, peildatum: datetime.date) -> models.ProgressReport:
        (found,) = [
            r
            for r in self.reports
            if r.project.title == project_title and r.period.peildatum == peildatum
        ]
        return found


def build(
    *,
    region: Fields,
    programme: Fields,
    periods: Sequence[PeriodSpec] = (),
    pillars: Sequence[PillarSpec] = (),
    targets: Sequence[TargetSpec] = (),
    projects: Sequence[ProjectSpec] = (),
) -> World:
    """Create one programme in its region, in this order: region, programme, periods,
    pillars, targets, then per project its partners, indicators (with planned values) and
    reports (with values, activities, planning changes, budget and funding lines)."""
    region_row = factories.RegionFactory(**region)
    programme_row = factories.ProgrammeFactory(region=region_row, **programme)
    period_rows = {
        spec.peildatum: factories.ReportingPeriodFactory(
            programme=programme_row, peildatum=spec.peildatum, **spec.fields
        )
        for spec in periods
    }

    def period_at(peildatum):
        if peildatum not in period_rows:
            period_rows[peildatum] = factories.ReportingPeriodFactory(
                programme=programme_row, peildatum=peildatum
            )
        return period_rows[peildatum]

    pillar_rows = {
        spec.name: factories.PillarFactory(programme=programme_row, name=spec.name, **spec.fields)
        for spec in pillars
    }
    target_rows = {
        spec.name: factories.ProgrammeTargetFactory(
            programme=programme_row, name=spec.name, **spec.fields
        )
        for spec in targets
    }
    project_rows, indicator_rows, report_rows = [], [], []
    for spec in projects:
        row = factories.ProjectFactory(
            programme=programme_row,
            pillar=pillar_rows[spec.pillar] if spec.pillar else None,
            title=spec.title,
            **spec.fields,
        )
        if spec.partners:
            row.partners.set([factories.OrganisationFactory(name=name) for name in spec.partners])
        for year, amount in spec.plan.items():
            factories.BudgetPlanFactory(project=row, year=year, amount=amount)
        project_rows.append(row)
        by_name = {}
        for ispec in spec.indicators:
            indicator_row = factories.IndicatorFactory(
                project=row,
                name=ispec.name,
                programme_target=target_rows[ispec.target] if ispec.target else None,
                **ispec.fields,
            )
            for peildatum, value in ispec.planned.items():
                models.PlannedValue.objects.create(
                    indicator=indicator_row, period=period_at(peildatum), value=value
                )
            by_name[ispec.name] = indicator_row
            indicator_rows.append(indicator_row)
        for rspec in spec.reports:
            report_rows.append(_report(row, period_at(rspec.peildatum), rspec, by_name))
    # Built with factories, as a bulk load: the stored status is computed afterwards, as the
    # services would have kept it.
    refresh_status(programme_ids=[programme_row.pk])
    return World(
        region=region_row,
        programme=programme_row,
        periods=tuple(sorted(period_rows.values(), key=lambda p: p.peildatum)),
        pillars=tuple(pillar_rows.values()),
        targets=tuple(target_rows.values()),
        projects=tuple(project_rows),
        indicators=tuple(indicator_rows),
        reports=tuple(report_rows),
    )


def _report(project_row, period_row, spec: ReportSpec, indicators) -> models.ProgressReport:
    row = factories.ProgressReportFactory(project=project_row, period=period_row, **spec.fields)
    for activity in spec.activities:
        models.ActivityProgress.objects.create(report=row, **activity)
    for name, value in spec.values.items():
        factories.IndicatorValueFactory(report=row, indicator=indicators[name], value=value)
    for year in spec.planning_years:
        models.PlanningChange.objects.create(report=row, year=year)
    for line in spec.budget:
        factories.BudgetLineFactory(report=row, **line)
    for fspec in spec.funding:
        order = {} if fspec.source_order is None else {"order": fspec.source_order}
        source = factories.FundingSourceFactory(name=fspec.source, **order)
        factories.FundingLineFactory(report=row, source=source, **fspec.fields)
    return row
