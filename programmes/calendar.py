"""The reporting calendar: peildata, their keys and labels, and which periods and years a
project has.

A peildatum is always 1 January or 1 July; it closes the half-year before it. People say
"peildatum 1-7-2021"; where a short key helps we use the half-year it closes: 1-7-2021 is
"2021-H1", 1-1-2022 is "2021-H2". Every module that needs one of these answers asks here.

Pure functions over dates: this module must never touch the database, the clock or a request.
"""

from __future__ import annotations

import datetime
import re
from typing import Protocol

_KEY = re.compile(r"(\d{4})-H([12])")


def is_peildatum(value: datetime.date) -> bool:
    """True for 1 January and 1 July."""
    return value.day == 1 and value.month in (1, 7)


def format_peildatum(value: datetime.date) -> str:
    """Dutch short date without leading zeros: 1-7-2021."""
    return f"{value.day}-{value.month}-{value.year}"


def period_key(peildatum: datetime.date) -> str:
    """Short key of the half-year a peildatum closes: 1-7-2021 is "2021-H1"."""
    if peildatum.month == 7:
        return f"{peildatum.year}-H1"
    return f"{peildatum.year - 1}-H2"


def peildatum_for_key(key: str | None) -> datetime.date | None:
    """The peildatum that closes half-year `key` ("2021-H1" → 1-7-2021, "2021-H2" →
    1-1-2022); None for anything else."""
    match = _KEY.fullmatch(key or "")
    if not match:
        return None
    year, half = int(match[1]), match[2]
    return datetime.date(year, 7, 1) if half == "1" else datetime.date(year + 1, 1, 1)


def parse_period(text: str | None) -> datetime.date | None:
    """A peildatum written as a key ("2021-H1") or an ISO date ("2021-07-01"); None when
    the text is neither or the date is not a peildatum."""
    if not text:
        return None
    peildatum = peildatum_for_key(text)
    if peildatum is not None:
        return peildatum
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return value if is_peildatum(value) else None


def next_peildatum(after: datetime.date) -> datetime.date:
    """The first 1 January or 1 July strictly after the given date."""
    if after < datetime.date(after.year, 7, 1):
        return datetime.date(after.year, 7, 1)
    return datetime.date(after.year + 1, 1, 1)


def half_year_start(peildatum: datetime.date) -> datetime.date:
    """The first day of the half-year a peildatum closes (1-7-2021 → 1-1-2021)."""
    if peildatum.month == 1:
        return datetime.date(peildatum.year - 1, 7, 1)
    return datetime.date(peildatum.year, 1, 1)


def peildata_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every peildatum after `start`, up to and including the first on or after `end`: the
    last one reports on the final half-year."""
    dates = [next_peildatum(start)]
    while dates[-1] < end:
        dates.append(next_peildatum(dates[-1]))
    return dates


class Dated(Protocol):
    # Read-only members, so that a model whose dates are required (a programme) fits too.
    @property
    def start_date(self) -> datetime.date | None: ...
    @property
    def end_date(self) -> datetime.date | None: ...


def reports_on(project: Dated, peildatum: datetime.date) -> bool:
    """A project reports at a peildatum when it ran during the half-year before it: it
    started before the peildatum and did not end before that half-year began."""
    if project.start_date and project.start_date >= peildatum:
        return False
    return not (project.end_date and project.end_date < half_year_start(peildatum))


def project_years(project: Dated, programme: Dated) -> tuple[int, ...]:
    """The calendar years of a project, from its own dates or, where it has none, its
    programme's: the years its plan, budget and planning rows may have."""
    start = project.start_date or programme.start_date
    end = project.end_date or programme.end_date
    if start is None or end is None:
        return ()
    return tuple(range(start.year, max(start.year, end.year) + 1))
