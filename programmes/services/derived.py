"""The stored status (`StoredStatus`): every project at every peildatum of its programme as
the read model computes it, kept in a table so that pages count and filter in the database.

Every service that changes an input of a light or a figure (a report's values, state, budget
lines; a streefwaarde; an import; an admin edit of indicators, plans, dates or thresholds)
calls `refresh_status` inside its own transaction, so the table is never stale after a
commit. The computation is the read model's own (`programmes.overview`, through
`programmes.status`): this module stores its results and must never compute a light itself.
`stale_statuses` compares the table with a fresh computation (`rebuild_status --check`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from programmes import overview, status
from programmes.models import BudgetLine, Programme, StoredStatus

BATCH = 1000

# The columns that carry the status; the keys (project, period) identify a row.
STATUS_FIELDS = (
    "programme_id",
    "region_id",
    "peildatum",
    "deadline",
    "is_active",
    "report_state",
    "reported_light",
    "computed_light",
    "lights_differ",
    "budget_light",
    "total_budget",
    "total_spent",
    "total_expected",
)


def fresh_statuses(programme: Programme) -> list[StoredStatus]:
    """The status of every project of a programme at every one of its peildata, unsaved.
    A fixed number of queries per programme, whatever its size."""
    periods = list(programme.periods.order_by("peildatum"))
    if not periods:
        return []
    result = overview.programme_overview(programme=programme, period=periods[-1], periods=periods)
    budgets = _budget_by_report(programme, {p.pk: p.peildatum for p in periods}, result)
    deadlines = {p.pk: p.deadline for p in periods}
    rows = []
    for project in result.projects:
        for step in project.history:
            budget = budgets.get(step.report_pk) if step.report_pk else None
            rows.append(
                StoredStatus(
                    project_id=project.pk,
                    period_id=step.period.pk,
                    programme_id=programme.pk,
                    region_id=programme.region_id,
                    peildatum=step.period.peildatum,
                    deadline=deadlines[step.period.pk],
                    is_active=project.is_active,
                    report_state=step.state or "",
                    reported_light=step.reported_light or "",
                    computed_light=step.computed_light,
                    lights_differ=step.lights_differ,
                    budget_light=budget.light if budget else "",
                    total_budget=budget.total_budget if budget else None,
                    total_spent=budget.total_spent if budget else None,
                    total_expected=budget.total_expected if budget else None,
                )
            )
    return rows


def _budget_by_report(
    programme: Programme, peildata: dict[int, object], result: overview.ProgrammeOverview
) -> dict[int, status.BudgetStatus]:
    """The budget status of each report of the programme from its own year lines (a report
    is a snapshot): one query."""
    lines: dict[int, list[status.BudgetYear]] = defaultdict(list)
    period_of: dict[int, int] = {}
    for report_pk, period_pk, year, budget, spent, forecast in BudgetLine.objects.filter(
        report__project__programme=programme
    ).values_list("report_id", "report__period_id", "year", "budget", "spent", "forecast"):
        lines[report_pk].append(status.BudgetYear(year, budget, spent, forecast))
        period_of[report_pk] = period_pk
    thresholds = overview.thresholds_for(programme)
    return {
        report_pk: status.budget_status(
            sorted(years, key=lambda line: line.year),
            peildatum=peildata[period_of[report_pk]],  # type: ignore[arg-type]
            thresholds=thresholds,
        )
        for report_pk, years in lines.items()
    }


@transaction.atomic
def refresh_status(*, programme_ids: Iterable[int]) -> None:
    """Recompute and store the status of every project of these programmes at every
    peildatum. Called by the services inside the transaction of the write."""
    for programme in Programme.objects.filter(pk__in=set(programme_ids)).order_by("pk"):
        StoredStatus.objects.filter(programme=programme).delete()
        StoredStatus.objects.bulk_create(fresh_statuses(programme), batch_size=BATCH)


def stale_statuses(*, programmes: Iterable[Programme]) -> list[str]:
    """Every difference between the stored status and a fresh computation, as a line per
    project and peildatum; empty when the table is true."""
    problems = []
    for programme in programmes:
        fresh = {(r.project_id, r.period_id): r for r in fresh_statuses(programme)}
        stored = {
            (r.project_id, r.period_id): r for r in StoredStatus.objects.filter(programme=programme)
        }
        for key in sorted(set(fresh) | set(stored)):
            mine, theirs = stored.get(key), fresh.get(key)
            if mine is None or theirs is None:
                problems.append(
                    f"{programme.slug}: project {key[0]} periode {key[1]}: "
                    + ("ontbreekt" if mine is None else "hoort er niet")
                )
                continue
            changed = [
                f"{name} {getattr(mine, name)!r} ≠ {getattr(theirs, name)!r}"
                for name in STATUS_FIELDS
                if _comparable(getattr(mine, name)) != _comparable(getattr(theirs, name))
            ]
            if changed:
                problems.append(
                    f"{programme.slug}: project {key[0]} periode {key[1]}: " + "; ".join(changed)
                )
    return problems


def _comparable(value: object) -> object:
    return value.normalize() if isinstance(value, Decimal) else value
