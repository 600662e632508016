"""The national overview: the home page of a user who sees more than one region (the
ministry). A row per labour-market region at one peildatum: its projects per light, how many
reported lights differ from the computed ones, the state of its reports, who is late, and
spending against budget; totals and shares for the country.

Reads only the stored status (`StoredStatus`, kept true by `programmes.services.derived`)
with aggregates in the database: a fixed number of queries and a size that grows with the
number of regions, never with the number of projects. Readers see figures only from
submitted (voorlopig) and approved reports: a draft's computed light counts as "geen
gegevens".

The one exception to "stored status only" is the region's budget light: the budget rule of
programmes/status.py (`budget_status`) applied to the region's budget lines summed per year
in the database (one aggregate query, a few rows per region), so the rule itself lives in
status.py alone. This module must never compute a project's light or read rows one by one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Max, Q, Sum
from django.utils.translation import gettext as _

from monitor.charts import Chart, TableCell
from programmes import calendar, permissions, status
from programmes.formatting import nl_number, percent
from programmes.models import BudgetLine, ProgressReport, Project, ReportingPeriod, StoredStatus
from programmes.status import Light

READABLE_STATES = (ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED)
DONE = Q(report_state__in=READABLE_STATES)
LIGHTS = (Light.RED, Light.AMBER, Light.GREEN, Light.GREY)
SORTS = ("naam", "rood", "verschil", "te-laat", "besteding")
# Light filters, then reporting state filters ("filter" in the query string).
LIGHT_FILTERS = ("rood", "oranje", "groen", "grijs", "budget-rood", "budget-oranje")
STATE_FILTERS = ("te-laat", "niet-gestart", "concept", "ingediend", "verschil")
FILTERS = LIGHT_FILTERS + STATE_FILTERS


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
    # The budget rule of status.py on the region's summed budget lines; None without lines.
    budget: status.BudgetStatus | None = None
    # The peildatum of this row: the chosen one, or (by default) the region's own latest
    # with an approved report.
    peildatum: datetime.date | None = None

    @property
    def key(self) -> str:
        return calendar.period_key(self.peildatum) if self.peildatum else ""

    @property
    def label(self) -> str:
        return calendar.format_peildatum(self.peildatum) if self.peildatum else ""

    @property
    def budget_light(self) -> Light | None:
        return self.budget.light if self.budget else None

    @property
    def budget_reason(self) -> str:
        return self.budget.reason if self.budget else ""

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
    # The chosen peildatum; None when each region shows its own latest with an approved
    # report (the default), which each row then names.
    peildatum: datetime.date | None
    peildata: tuple[datetime.date, ...]  # to choose from, newest first
    rows: tuple[RegionRow, ...]
    total: RegionRow | None
    sort: str
    filter: str
    regions: tuple[tuple[str, str], ...]  # (code, name) of every region the user sees
    region_code: str = ""  # the region filter, "" for all

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


def _row(
    code: str,
    name: str,
    values: dict,
    budget: status.BudgetStatus | None = None,
    peildatum: datetime.date | None = None,
) -> RegionRow:
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
        budget=budget,
        peildatum=peildatum,
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
    "oranje": lambda row: row.computed[Light.AMBER] > 0,
    "groen": lambda row: row.computed[Light.GREEN] > 0,
    "grijs": lambda row: row.computed[Light.GREY] > 0,
    "budget-rood": lambda row: row.budget_light == Light.RED,
    "budget-oranje": lambda row: row.budget_light == Light.AMBER,
    "verschil": lambda row: row.differing > 0,
    "te-laat": lambda row: row.late > 0,
    "niet-gestart": lambda row: row.not_started > 0,
    "concept": lambda row: row.in_progress > 0,
    "ingediend": lambda row: row.submitted > 0,
}


def national_overview(
    *,
    user,
    today: datetime.date,
    period_key: str = "",
    sort: str = "naam",
    filter: str = "",
    region_code: str = "",
) -> NationalOverview:
    """The regions the user sees at a peildatum: the chosen one (`period_key`), else per
    region its own latest peildatum with an approved report (else its latest that has
    begun), as the alderman's home page does; filtered by light, reporting state (`filter`)
    and region (`region_code`). At most five queries: the peildata, the latest approved
    peildatum per region, the aggregate per region, the budget lines per region and year,
    the regions."""
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
    if not known:
        return NationalOverview(None, (), (), None, sort, filter, ())
    chosen = calendar.peildatum_for_key(period_key)
    if chosen not in known:
        chosen = None
        # Query 2: per region its latest peildatum with an approved report, else its latest
        # that has begun (one grouped query over the stored status).
        per_region = {
            values["region_id"]: values["approved"] or values["begun"]
            for values in statuses.values("region_id").annotate(
                approved=Max("peildatum", filter=Q(report_state=ProgressReport.State.APPROVED)),
                begun=Max("peildatum", filter=Q(peildatum__lte=today)),
            )
            if values["approved"] or values["begun"]
        }
    # Query 3: the aggregate per region at its peildatum.
    if chosen is not None:
        at_peildata = statuses.filter(peildatum=chosen)
    else:
        pairs = Q(pk__in=[])
        for region_pk, peildatum in per_region.items():
            pairs |= Q(region_id=region_pk, peildatum=peildatum)
        at_peildata = statuses.filter(pairs)
    at = at_peildata.annotate(
        late=ExpressionWrapper(Q(deadline__lt=today), output_field=BooleanField())
    )
    by_region: dict[int, dict] = {
        values["region_id"]: dict(values)
        for values in at.values("region_id").annotate(**_aggregates())
    }
    row_peildata = dict.fromkeys(by_region, chosen) if chosen is not None else dict(per_region)
    # Query 4: the budget lines of the same reports, summed per region and year.
    budget_years = _budget_years(
        row_peildata, None if permissions.sees_everything(user) else regions
    )
    # Query 5: every region the user sees; one without projects at this peildatum gets an
    # empty row, so a region never silently drops out of the national picture.
    empty = dict.fromkeys(_aggregates(), 0)
    region_list = list(regions.order_by("name").values_list("pk", "code", "name"))
    rows = [
        _row(
            code,
            name,
            by_region.get(pk, empty),
            _budget(budget_years.get(pk), row_peildata.get(pk)),
            peildatum=row_peildata.get(pk) if pk in by_region else chosen,
        )
        for pk, code, name in region_list
    ]
    newest = max(row_peildata.values(), default=None)
    total = (
        _row(
            "",
            str(_("Nederland")),
            _summed(by_region.values()),
            _budget([y for years in budget_years.values() for y in years], newest),
            peildatum=chosen,
        )
        if by_region
        else None
    )
    codes = {code for _pk, code, _name in region_list}
    region_code = region_code if region_code in codes else ""
    rows = sorted(
        (
            row
            for row in rows
            if (not filter or _FILTERS[filter](row))
            and (not region_code or row.code == region_code)
        ),
        key=_SORT_KEYS[sort],
    )
    return NationalOverview(
        chosen,
        tuple(known),
        tuple(rows),
        total,
        sort,
        filter,
        tuple((code, name) for _pk, code, name in region_list),
        region_code,
    )


def _budget_years(
    peildata: dict[int, datetime.date], regions
) -> dict[int, list[status.BudgetYear]]:
    """Per region its budget lines at its peildatum (`peildata`: region pk -> peildatum)
    summed per year, from the reports the
    national counts read (submitted or approved, active projects). A year is split in the
    lines with an actual spending and those with only a forecast: the budget rule takes a
    line's spending where there is one, else its forecast, and it is linear in the lines,
    so these sums give the region exactly the light of all its lines together."""
    at = Q(pk__in=[])
    for region_pk, peildatum in peildata.items():
        at |= Q(
            report__project__programme__region_id=region_pk, report__period__peildatum=peildatum
        )
    lines = BudgetLine.objects.filter(
        at,
        report__state__in=READABLE_STATES,
        report__project__status__in=Project.ACTIVE_STATUSES,
    )
    if regions is not None:
        lines = lines.filter(report__project__programme__region__in=regions)
    by_region: dict[int, list[status.BudgetYear]] = {}
    for values in (
        lines.order_by()
        .annotate(
            region_pk=F("report__project__programme__region_id"),
            has_spent=ExpressionWrapper(Q(spent__isnull=False), output_field=BooleanField()),
        )
        .values("region_pk", "year", "has_spent")
        .annotate(budget_sum=Sum("budget"), spent_sum=Sum("spent"), forecast_sum=Sum("forecast"))
    ):
        by_region.setdefault(values["region_pk"], []).append(
            status.BudgetYear(
                year=values["year"],
                budget=values["budget_sum"],
                spent=values["spent_sum"] if values["has_spent"] else None,
                forecast=None if values["has_spent"] else values["forecast_sum"],
            )
        )
    return by_region


def _budget(years: list[status.BudgetYear] | None, peildatum: datetime.date | None):
    if not years or peildatum is None:
        return None
    return status.budget_status(sorted(years, key=lambda y: y.year), peildatum=peildatum)


def shares_chart(overview: NationalOverview) -> Chart | None:
    """The country's active projects per computed light: a bar per light with its share,
    and the same figures as a table. Colour is never alone: every bar has its own pattern
    and the light's word on the axis."""
    if not overview.shares:
        return None
    colours = {
        Light.RED: "#D55E00",
        Light.AMBER: "#E69F00",
        Light.GREEN: "#009E73",
        Light.GREY: "#999999",
    }
    patterns = {Light.RED: "x", Light.AMBER: "/", Light.GREEN: "", Light.GREY: "."}
    labels = [str(light.label) for light, _count, _share in overview.shares]
    figure = {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": [count for _light, count, _share in overview.shares],
                "text": [
                    f"{nl_number(count)} ({percent(share)})"
                    for _light, count, share in overview.shares
                ],
                "textposition": "outside",
                "hoverinfo": "x+text",
                "marker": {
                    "color": [colours[light] for light, _c, _s in overview.shares],
                    "pattern": {
                        "shape": [patterns[light] for light, _c, _s in overview.shares],
                        "fgcolor": "#000000",
                    },
                },
            }
        ],
        "layout": {
            "separators": ",.",
            "margin": {"l": 60, "r": 16, "t": 24, "b": 48},
            "height": 300,
            "showlegend": False,
            "xaxis": {"type": "category"},
            "yaxis": {"title": {"text": _("projecten")}, "rangemode": "tozero"},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
        },
    }
    return Chart(
        id="grafiek-landelijk",
        title=(
            _("Lopende projecten per berekend stoplicht, peildatum %(date)s")
            % {"date": overview.label}
            if overview.peildatum
            else _("Lopende projecten per berekend stoplicht, per regio de laatste peildatum")
        ),
        description=_(
            "Staafgrafiek van het aantal lopende projecten in Nederland per berekend "
            "stoplicht, met het aandeel. De tabel eronder bevat dezelfde aantallen."
        ),
        headers=(_("Stoplicht"), _("Projecten"), _("Aandeel")),
        rows=tuple(
            (TableCell(str(light.label)), TableCell(nl_number(count)), TableCell(percent(share)))
            for light, count, share in overview.shares
        ),
        figure=figure,
        footer=(
            TableCell(_("Totaal")),
            TableCell(nl_number(overview.total.projects if overview.total else 0)),
            TableCell(percent(1)),
        ),
    )


def _summed(values) -> dict:
    total: dict = {}
    for row in values:
        for name, value in row.items():
            if name == "region_id":
                continue
            total[name] = (total.get(name) or 0) + (value or 0)
    return total
