"""Where the figures of a document come from: the sources of its reports, whether any of
them were generated, and the approval date of the newest report.

A document names its sources truthfully: a report's own source where it cites one, the
programme's source for the programme data, and generated figures as generated (once, as a
notice on the first page). "Laatst gewijzigd" is the approval date of the newest approved
report in the document, never the date the data were loaded. Plain values in, plain values
out: this module must never query the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from programmes.overview import ProgrammeOverview, ProjectStatus


@dataclass(frozen=True)
class Provenance:
    report_sources: tuple[str, ...]  # sources the document's (not generated) reports cite
    programme_sources: tuple[str, ...]  # sources of the programme data, not already above
    generated_count: int  # reports in the document with generated figures
    last_approved: datetime.date | None  # approval date of the newest approved report

    @property
    def has_generated(self) -> bool:
        return self.generated_count > 0


def _reports(projects: Iterable[ProjectStatus]):
    return [p.report for p in projects if p.report is not None]


def provenance_of(projects: Sequence[ProjectStatus], programme_sources: Iterable[str]):
    reports = _reports(projects)
    report_sources = tuple(
        dict.fromkeys(r.source.strip() for r in reports if r.source.strip() and not r.is_demo_data)
    )
    approved = [r.reviewed_at for r in reports if r.is_approved and r.reviewed_at]
    return Provenance(
        report_sources=report_sources,
        programme_sources=tuple(
            s
            for s in dict.fromkeys(s.strip() for s in programme_sources if s.strip())
            if s not in report_sources
        ),
        generated_count=sum(1 for r in reports if r.is_demo_data),
        last_approved=timezone.localtime(max(approved)).date() if approved else None,
    )


def provenance(overviews: Sequence[ProgrammeOverview]) -> Provenance:
    """The provenance of a monitor or agenda of these programmes."""
    return provenance_of(
        [p for o in overviews for p in o.projects], [o.programme.source for o in overviews]
    )
