"""The order and the section names in which the monitor and the agenda list projects.

The order within a section is the read model's (`programmes.overview.project_order_key`),
so the dashboard, the PDFs and the exports list projects alike; this module only merges
lists the read model keeps apart (the agenda lists finished projects under their pillar).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from programmes.overview import PillarGroup, ProjectStatus, project_order_key


def in_agenda_order(
    projects: Iterable[ProjectStatus], *, pillar_order: dict[int | None, int] | None = None
) -> tuple[ProjectStatus, ...]:
    """Projects by number, then code, then title; with `pillar_order` (pillar pk -> rank)
    by pillar first, for a list such as the finished projects that spans pillars."""
    ranks = pillar_order or {}
    return tuple(
        sorted(
            projects,
            key=lambda p: (ranks.get(p.pillar_pk, len(ranks)), *project_order_key(p)),
        )
    )


def pillar_ranks(groups: Iterable[PillarGroup]) -> dict[int | None, int]:
    """Pillar pk -> its place in the programme, from the read model's ordered groups."""
    return {group.pk: rank for rank, group in enumerate(groups)}


def section_name(group: PillarGroup, *, only: bool) -> str:
    """The pillar's name; projects without a pillar are "Overige projecten" beside other
    pillars and simply "Projecten" when the programme has no pillars at all."""
    if group.pk is None and only:
        return _("Projecten")
    return group.name
