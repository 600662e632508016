"""The national overview: the home page of a user who sees more than one region (the
ministry). A row per labour-market region at one peildatum: its projects per light, how many
reported lights differ from the computed ones, the state of its reports, who is late, and
spending against budget; totals and shares for the country.

Reads only the stored status (`StoredStatus`, kept true by `programmes.services.derived`)
with aggregates in the database: a fixed number of queries and a size that grows with the
number of regions, never with the number of projects. Readers see figures only from
submitted (voorlopig) and approved reports: a draft's computed light counts as "geen
gegevens". This module must never compute a light or read the source rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, Sum
from django.utils.translation import gettext as _

from programmes import calendar, permissions
from programmes.models import ProgressReport, ReportingPeriod, StoredStatus
from programmes.status import Light

READABLE_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)
DONE = Q(report_state__in=READABLE_STATES)
LIGHTS = (Light.RED, Light.AMBER, Light.GREEN, Light.GREY)
SORTS = ("naam", "rood", "verschil", "te-laat", "besteding")
FILTERS = ("rood", "verschil", "te-laat", "niet-gestart")


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    projects: int  # active projects with a period at this peildatum
    computed: dict[Light, int]  # from submitted and approved reports; the rest is grey
    reported: dict[Light, int]
    unreported: int  # active projects without a submitted or approved light
    differing: int
    approved: int
    submitted: int
    in_progress: int  # concept or teruggestuurd
    not_started: int
    late: int  # deadline passed, not submitted or approved
    total_budget: Decimal
    total_spent: Decimal
    over_budget: int  # projects whose budget light is rood

    @property
    def spending_ratio(self) -> Decimal | None:
        return self.total_spent / self.total_budget if self.total_budget else None

    @property
    def computed_counts(self) -> tuple[tuple[Light, int], ...]:
        return tuple((light, self.computed[light]) for light in LIGHTS)

    @property
    def reported_counts(self) -> tuple[tuple[Light, int], ...]:
        return tuple((light, self.reported[light]) for light in LIGHTS[:3])


@dataclass(frozen=True)
class NationalOverview:
    peildatum: datetime.date | None
    peildata: tuple[datetime.date, ...]  # to choose from, newest first
    rows: tuple[RegionRow, ...]
    total: RegionRow | None
    sort: str
    filter: str

    @property
    def key(self) -> str:
        return calendar.period_key(self.peildatum) if self.peildatum else ""

    @property
    def label(self) -> str:
        return calendar.format_peildatum(self.peildatum) if self.peildatum else ""

    @property
    def shares(self) -> tuple[tuple[Light, int, Decimal], ...]:
        """Per computed light the country's number of active projects and its share."""
        if self.total is None or not self.total.projects:
            return ()
        return tuple(
            (light, count, Decimal(count) / self.total.projects)
            for light, count in self.total.computed_counts
        )


def _aggregates() -> dict[str, Count | Sum]:
    readable_light = {
        f"computed_{light.value}": Count("pk", filter=DONE & Q(computed_light=light))
        for light in (Light.RED, Light.AMBER, Light.GREEN)
    }
    reported = {
        f"reported_{light.value}": Count("pk", filter=DONE & Q(reported_light=light))
        for light in (Light.RED, Light.AMBER, Light.GREEN)
    }
    return {
        "projects": Count("pk"),
        **readable_light,
        **reported,
        "differing": Count("pk", filter=DONE & Q(lights_differ=True)),
        "approved": Count("pk", filter=Q(report_state=ProgressReport.State.APPROVED)),
        "submitted": Count("pk", filter=Q(report_state=ProgressReport.State.SUBMITTED)),
        "in_progress": Count(
            "pk",
            filter=Q(report_state__in=(ProgressReport.State.DRAFT, ProgressReport.State.RETURNED)),
        ),
        "not_started": Count("pk", filter=Q(report_state="")),
        "late": Count("pk", filter=~DONE & Q(late=True)),
        "total_budget": Sum("total_budget", filter=DONE),
        "total_spent": Sum("total_spent", filter=DONE),
        "over_budget": Count("pk", filter=DONE & Q(budget_light=Light.RED)),
    }


def _row(code: str, name: str, values: dict) -> RegionRow:
    readable = {
        light: values[f"computed_{light.value}"] for light in (Light.RED, Light.AMBER, Light.GREEN)
    }
    readable[Light.GREY] = values["projects"] - sum(readable.values())
    reported = {
        light: values[f"reported_{light.value}"] for light in (Light.RED, Light.AMBER, Light.GREEN)
    }
    return RegionRow(
        code=code,
        name=name,
        projects=values["projects"],
        computed=readable,
        reported=reported,
        unreported=values["projects"] - sum(reported.values()),
        differing=values["differing"],
        approved=values["approved"],
        submitted=values["submitted"],
        in_progress=values["in_progress"],
        not_started=values["not_started"],
        late=values["late"],
        total_budget=values["total_budget"] or Decimal(0),
        total_spent=values["total_spent"] or Decimal(0),
        over_budget=values["over_budget"],
    )


_SORT_KEYS = {
    "naam": lambda row: (row.name,),
    "rood": lambda row: (-row.computed[Light.RED], row.name),
    "verschil": lambda row: (-row.differing, row.name),
    "te-laat": lambda row: (-row.late, row.name),
    "besteding": lambda row: (-(row.spending_ratio or Decimal(0)), row.name),
}
_FILTERS = {
    "rood": lambda row: row.computed[Light.RED] > 0,
    "verschil": lambda row: row.differing > 0,
    "te-laat": lambda row: row.late > 0,
    "niet-gestart": lambda row: row.not_started > 0,
}


def national_overview(
    *,
    user,
    today: datetime.date,
    period_key: str = "",
    sort: str = "naam",
    filter: str = "",
) -> NationalOverview:
    """The regions the user sees at a peildatum (`period_key`, else the latest with an
    approved report, else the latest that has begun). At most four queries: the peildata,
    the latest approved one, the aggregate per region, the regions."""
    sort = sort if sort in SORTS else "naam"
    filter = filter if filter in FILTERS else ""
    regions = permissions.visible_regions(user)
    statuses = StoredStatus.objects.filter(is_active=True).order_by()
    if not permissions.sees_everything(user):
        # A reader of a few regions; for the ministry the filter would only cost (it keeps
        # PostgreSQL from walking the peildatum index for the latest approved report).
        statuses = statuses.filter(region__in=regions)
    # Query 1: the peildata of the user's programmes, to choose from (a small table).
    known = sorted(
        set(
            ReportingPeriod.objects.filter(programme__in=permissions.visible_programmes(user))
            .order_by()
            .values_list("peildatum", flat=True)
        ),
        reverse=True,
    )
    chosen = calendar.peildatum_for_key(period_key)
    if chosen not in known:
        # Query 2: the latest peildatum with an approved report (an index look-up).
        chosen = statuses.filter(report_state=ProgressReport.State.APPROVED).aggregate(
            latest=Max("peildatum")
        )["latest"] or next((p for p in known if p <= today), known[-1] if known else None)
    if chosen is None:
        return NationalOverview(None, (), (), None, sort, filter)
    # Query 3: the aggregate per region at that peildatum.
    at = statuses.filter(peildatum=chosen).annotate(
        late=ExpressionWrapper(Q(deadline__lt=today), output_field=BooleanField())
    )
    by_region: dict[int, dict] = {
        values["region_id"]: dict(values)
        for values in at.values("region_id").annotate(**_aggregates())
    }
    # Query 4: every region the user sees; one without projects at this peildatum gets an
    # empty row, so a region never silently drops out of the national picture.
    empty = dict.fromkeys(_aggregates(), 0)
    rows = [
        _row(code, name, by_region.get(pk, empty))
        for pk, code, name in regions.order_by().values_list("pk", "code", "name")
    ]
    total = _row("", str(_("Nederland")), _summed(by_region.values())) if by_region else None
    rows = sorted(
        (row for row in rows if not filter or _FILTERS[filter](row)), key=_SORT_KEYS[sort]
    )
    return NationalOverview(chosen, tuple(known), tuple(rows), total, sort, filter)


def _summed(values) -> dict:
    total: dict = {}
    for row in values:
        for name, value in row.items():
            if name == "region_id":
                continue
            total[name] = (total.get(name) or 0) + (value or 0)
    return total
