"""The order and the section names in which the monitor and the agenda list projects.

The read model orders projects by pillar, number and title. Agendas such as the
Zuid-Kennemerland evaluation number nothing but give every activity a code in the order of
the source (WNW-01, WNW-02, ...); sorting those by title would shuffle the seed's order. So
within a section: number first, then the code read naturally (A2 before A10), then title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from programmes.overview import PillarGroup, ProjectStatus

_DIGITS = re.compile(r"(\d+)")


def _natural(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(code))


def in_agenda_order(
    projects: Iterable[ProjectStatus], *, pillar_order: dict[int | None, int] | None = None
) -> tuple[ProjectStatus, ...]:
    """Projects by number, then code, then title; with `pillar_order` (pillar pk -> rank)
    by pillar first, for a list such as the finished projects that spans pillars."""
    ranks = pillar_order or {}
    return tuple(
        sorted(
            projects,
            key=lambda p: (
                ranks.get(p.pillar_pk, len(ranks)),
                p.number is None,
                p.number or 0,
                _natural(p.code or ""),
                p.title,
            ),
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
