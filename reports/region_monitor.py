"""The region monitor: every programme of a region at one peildatum in one document, laid
out like the Gooi en Vechtstreek monitor (seed 001), which reports Werken aan Werk and
Perspectief op Werk together.

Algemeen (the programmes' descriptions, each once) with the lights of the running projects;
highlights in the source's order (positief ✓, bijgesteld ↻); the programme targets, once;
then per programme and pillar the projects with their light and progress, and the finished,
stopped and paused projects apart.

`build` reads each programme through the shared read model (programmes.overview) without
the lights matrix, which the document does not print. This module must never compute a
light or a total itself, and never check permissions (callers pass the programmes the
reader may see).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from programmes.models import Programme, Region, ReportingPeriod
from programmes.overview import (
    PeriodInfo,
    PillarGroup,
    ProgrammeOverview,
    ProjectStatus,
    period_info,
    programme_overview,
)
from programmes.status import Light
from reports.charts import progress_bar
from reports.common import ReportKind, report_filename, row_fits
from reports.ordering import in_agenda_order, pillar_ranks, section_name
from reports.programme_monitor import KEEP_LINES, LightCount, TargetLine, _row_cells
from reports.provenance import Provenance, provenance

TEMPLATE = "reports/region_monitor.html"


@dataclass(frozen=True)
class RegionHighlight:
    """A highlight as the source gives it; reports that carry the same text (the seed's
    "De projecten Hout en Waardetas ...") are one highlight."""

    kind: str  # "positive" or "adjusted"
    text: str
    project_titles: tuple[str, ...]
    names_project: bool  # the text itself names its project(s): no title in front
    is_approved: bool


@dataclass(frozen=True)
class ProgrammePart:
    overview: ProgrammeOverview
    period: PeriodInfo
    sections: tuple[PillarGroup, ...]
    finished: tuple[ProjectStatus, ...]


@dataclass(frozen=True)
class RegionMonitorData:
    kind: ReportKind
    title: str  # "Monitor programma's Werken aan Werk en Perspectief op Werk"
    running_title: str  # "Monitor Gooi en Vechtstreek": short, one line
    region_name: str
    period: PeriodInfo  # the peildatum (label and date are the same for every programme)
    descriptions: tuple[str, ...]  # the programmes' descriptions, each text once
    parts: tuple[ProgrammePart, ...]
    targets: tuple[TargetLine, ...]
    positive: tuple[RegionHighlight, ...]
    adjusted: tuple[RegionHighlight, ...]
    reported_counts: tuple[LightCount, ...]
    computed_counts: tuple[LightCount, ...]
    keep_together: frozenset[int]
    provenance: Provenance
    filename: str

    @property
    def active_count(self) -> int:
        return sum(len(part.overview.active_projects) for part in self.parts)

    @property
    def finished_count(self) -> int:
        return sum(len(part.finished) for part in self.parts)

    @property
    def has_finished(self) -> bool:
        return any(part.finished for part in self.parts)

    @property
    def differing_count(self) -> int:
        return sum(part.overview.differing_count for part in self.parts)


def periods_at(
    programmes: Sequence[Programme], peildatum: datetime.date
) -> list[tuple[Programme, ReportingPeriod]]:
    """The programmes that have a period at `peildatum`, with that period (one query)."""
    periods = {
        p.programme_id: p
        for p in ReportingPeriod.objects.filter(
            programme__in=[p.pk for p in programmes], peildatum=peildatum
        )
    }
    return [(p, periods[p.pk]) for p in programmes if p.pk in periods]


def build(
    *,
    region: Region,
    peildatum: datetime.date,
    programmes: Sequence[Programme],
    drafts_of: Collection[int] | None = None,
) -> RegionMonitorData:
    """The monitor of `programmes` (of `region`, in their order) at `peildatum`.
    `drafts_of`: the programmes whose drafts count (None: all; a reader passes an empty set,
    so only submitted and approved reports reach the document)."""
    pairs = periods_at(programmes, peildatum)
    if not pairs:
        raise ReportingPeriod.DoesNotExist("No programme of the region has this peildatum.")
    parts = []
    for programme, period in pairs:
        # periods=(): no lights matrix, which this document never prints.
        overview = programme_overview(
            programme=programme,
            period=period,
            periods=(),
            show_drafts=drafts_of is None or programme.pk in drafts_of,
        )
        groups = [group for group in overview.pillars if group.projects]
        sections = tuple(
            PillarGroup(
                pk=group.pk,
                name=section_name(group, only=len(groups) == 1),
                order=group.order,
                projects=in_agenda_order(group.projects),
            )
            for group in groups
        )
        finished = in_agenda_order(overview.finished, pillar_order=pillar_ranks(overview.pillars))
        parts.append(
            ProgrammePart(
                overview=overview,
                period=overview.period or period_info(period),
                sections=sections,
                finished=finished,
            )
        )
    overviews = [part.overview for part in parts]
    names = [o.programme.name for o in overviews]
    if len(names) == 1:
        title = _("Monitor %(programme)s") % {"programme": names[0]}
    else:
        joined = _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
        title = _("Monitor programma's %(programmes)s") % {"programmes": joined}
    projects = [p for o in overviews for p in o.projects]
    return RegionMonitorData(
        kind=ReportKind.REGION,
        title=title,
        running_title=_("Monitor %(region)s") % {"region": region.name},
        region_name=region.name,
        period=parts[0].period,
        descriptions=tuple(
            dict.fromkeys(o.programme.description for o in overviews if o.programme.description)
        ),
        parts=tuple(parts),
        targets=tuple(
            TargetLine(target=t, bar=progress_bar(target=t.target, realised=t.realised))
            for o in overviews
            for t in o.targets
        ),
        positive=_highlights(overviews, "positive"),
        adjusted=_highlights(overviews, "adjusted"),
        reported_counts=_counts(overviews, reported=True),
        computed_counts=_counts(overviews, reported=False),
        keep_together=frozenset(
            p.pk for p in projects if row_fits(_row_cells(p), max_lines=KEEP_LINES)
        ),
        provenance=provenance(overviews),
        filename=report_filename(
            ReportKind.REGION,
            region_code=region.code,
            subject="",
            peildatum=peildatum,
            region_name=region.name,
        ),
    )


def _highlights(overviews: Sequence[ProgrammeOverview], kind: str) -> tuple[RegionHighlight, ...]:
    """The highlights of every programme in the source's order (ProgressReport.
    highlight_order), then the unnumbered ones in programme and project order; the same
    text reported for several projects once."""
    found = [
        (h, index)
        for index, o in enumerate(overviews)
        for h in (o.positive_highlights if kind == "positive" else o.adjusted_highlights)
    ]
    found.sort(key=lambda item: (item[0].order is None, item[0].order or 0, item[1]))
    merged: dict[str, list] = {}
    for highlight, _index in found:
        merged.setdefault(highlight.text.strip(), []).append(highlight)
    result = []
    for text, items in merged.items():
        titles = tuple(h.project_title for h in items)
        result.append(
            RegionHighlight(
                kind=kind,
                text=text,
                project_titles=titles,
                names_project=all(t.lower() in text.lower() for t in titles),
                is_approved=all(h.state == "approved" for h in items),
            )
        )
    return tuple(result)


def _counts(overviews: Sequence[ProgrammeOverview], *, reported: bool) -> tuple[LightCount, ...]:
    """The lights of the running projects of all programmes, summed per light in the order
    the read model gives them; projects without a reported light in a column of their own."""
    total: dict[Light, int] = {}
    for o in overviews:
        for light, count in (o.reported_counts if reported else o.computed_counts).items():
            total[light] = total.get(light, 0) + count
    counts = [LightCount(light, count) for light, count in total.items()]
    unreported = sum(o.unreported_count for o in overviews)
    if unreported:
        counts.append(LightCount(None, unreported if reported else None))
    return tuple(counts)
