"""What a report carries over from the previous one and what changed against it.

Two readers of the same comparison:

- the services ask `section_contents` which sections of a report hold content, before and
  after a save: a carried-over section ("overgenomen van peildatum …") stays marked until
  its content changes or the coordinator confirms it unchanged;
- the reviewer's pages (report page, approve confirmation) show `report_changes`: the
  indicator values, texts and money lines that changed against the previous report,
  word by word for texts. A fixed number of queries, whatever the size of the report.

The sections (`SECTIONS`) are the parts of the form a coordinator confirms with one action.
Texts are compared without their whitespace: a text saved again through the form, or
retyped with other line breaks, is "ongewijzigd".

It must never write or check permissions (callers do).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from programmes.formatting import nl_amount, nl_number
from programmes.models import (
    ActivityProgress,
    BudgetLine,
    FundingLine,
    Indicator,
    IndicatorValue,
    PlanningChange,
    ProgressReport,
)

# The parts of a report carried over from the previous one, in the form's order, each
# confirmed or edited as a whole. `programmes.services.rows.CARRIED_FIELDS` copies the
# report's own fields of these sections (the rows are copied as before).
SECTIONS: tuple[tuple[str, Promise], ...] = (
    ("summary", _("Samenvatting")),
    ("activities", _("Voortgang per activiteit")),
    ("planning", _("Planningswijzigingen")),
    ("finances", _("Kosten en inkomsten")),
    ("light", _("Stoplicht en toelichting")),
)
SECTION_LABELS: dict[str, Promise] = dict(SECTIONS)
LIGHT_TEXTS: tuple[tuple[str, Promise], ...] = (
    ("light_cause", _("Oorzaak")),
    ("light_consequences", _("Gevolgen")),
    ("light_recovery", _("Bijsturing")),
    ("light_explanation", _("Toelichting stoplicht")),
)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class ReportRows:
    """The rows of one report, as plain lists (loaded once for several reports)."""

    activities: tuple[ActivityProgress, ...] = ()
    planning: tuple[PlanningChange, ...] = ()
    budget: tuple[BudgetLine, ...] = ()
    funding: tuple[FundingLine, ...] = ()


def load_rows(report_ids: Iterable[int]) -> dict[int, ReportRows]:
    """The rows of these reports by report pk. Four queries, one per kind of row."""
    ids = [pk for pk in report_ids if pk]
    found: dict[int, dict[str, list]] = {pk: {} for pk in ids}
    if not ids:
        return {}
    kinds = (
        ("activities", ActivityProgress.objects.filter(report_id__in=ids).order_by("order", "pk")),
        ("planning", PlanningChange.objects.filter(report_id__in=ids).order_by("year")),
        ("budget", BudgetLine.objects.filter(report_id__in=ids).order_by("year")),
        (
            "funding",
            FundingLine.objects.filter(report_id__in=ids)
            .select_related("source")
            .order_by("source__order", "source__name"),
        ),
    )
    for name, rows in kinds:
        for row in rows:
            found[row.report_id].setdefault(name, []).append(row)
    return {
        pk: ReportRows(**{name: tuple(rows) for name, rows in kinds_of.items()})
        for pk, kinds_of in found.items()
    }


def section_contents(report: ProgressReport, rows: ReportRows) -> dict[str, tuple]:
    """Per section what it holds, comparable with ==; an empty tuple when it holds nothing."""

    def nonempty(*parts: object) -> tuple:
        return tuple(parts) if any(parts) else ()

    return {
        "summary": nonempty(_norm(report.summary)),
        "activities": tuple(
            (row.year, _norm(row.activity), _norm(row.progress), row.is_delayed)
            for row in rows.activities
        ),
        "planning": tuple(
            (row.year, _norm(row.original_description), _norm(row.changed_description))
            for row in rows.planning
            if _norm(row.original_description) or _norm(row.changed_description)
        ),
        "finances": nonempty(
            _norm(report.budget_note),
            tuple((row.year, row.budget, row.spent, row.forecast) for row in rows.budget),
            tuple(
                (row.source_id, row.budgeted, row.received, row.committed, row.to_request)
                + (_norm(row.note),)
                for row in rows.funding
            ),
        ),
        "light": nonempty(
            report.reported_light, *(_norm(getattr(report, name)) for name, _l in LIGHT_TEXTS)
        ),
    }


# -- The reviewer's comparison ---------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of words of a changed text: kept ("same"), new ("added") or gone ("removed")."""

    kind: str
    text: str


@dataclass(frozen=True)
class TextChange:
    """One text against the previous report's."""

    label: str
    changed: bool
    segments: tuple[Segment, ...]
    previous: str
    current: str

    @property
    def status(self) -> str:
        if not self.changed:
            return "unchanged"
        return "added" if not self.previous else "changed"


@dataclass(frozen=True)
class SectionChange:
    """A carried-over section: its texts, whether anything in it changed, and whether the
    coordinator still has to confirm it (`pending`)."""

    key: str
    label: str
    changed: bool
    pending: bool
    texts: tuple[TextChange, ...]
    confirmed: bool = False

    @property
    def changed_texts(self) -> tuple[TextChange, ...]:
        return tuple(text for text in self.texts if text.changed)


@dataclass(frozen=True)
class ValueChange:
    """An indicator's value now and in the previous report."""

    name: str
    previous: Decimal | None
    current: Decimal | None

    @property
    def changed(self) -> bool:
        return self.previous != self.current

    @property
    def difference(self) -> str:
        if self.previous is None or self.current is None or not self.changed:
            return ""
        delta = self.current - self.previous
        return ("+" if delta > 0 else "−") + nl_number(abs(delta))


@dataclass(frozen=True)
class MoneyChange:
    """One amount of a budget or funding line that differs from the previous report."""

    line: str
    field: str
    previous: str
    current: str


@dataclass(frozen=True)
class ReportChanges:
    """What changed in a report against the previous one (`previous` None: nothing to
    compare with, the first report of the project)."""

    previous: ProgressReport | None
    values: tuple[ValueChange, ...]
    sections: tuple[SectionChange, ...]
    money: tuple[MoneyChange, ...]
    money_lines: int

    @property
    def changed_values(self) -> int:
        return sum(1 for value in self.values if value.changed)

    @property
    def changed_sections(self) -> tuple[SectionChange, ...]:
        return tuple(section for section in self.sections if section.changed)

    @property
    def unchanged_sections(self) -> tuple[SectionChange, ...]:
        return tuple(section for section in self.sections if not section.changed)

    @property
    def changed_money_lines(self) -> int:
        return len({change.line for change in self.money})


def word_diff(previous: str, current: str) -> tuple[Segment, ...]:
    """The words of `current` with those of `previous` that are gone, marked per run."""
    old, new = previous.split(), current.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", " ".join(new[j1:j2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("removed", " ".join(old[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("added", " ".join(new[j1:j2])))
    return tuple(segments)


def _text(label: str, previous: str, current: str) -> TextChange:
    changed = _norm(previous) != _norm(current)
    return TextChange(
        label=label,
        changed=changed,
        segments=word_diff(previous, current) if changed else (),
        previous=previous,
        current=current,
    )


def _activity_texts(previous: ReportRows, current: ReportRows) -> tuple[TextChange, ...]:
    """Each activity's progress against the activity of the same name before; an activity
    that is new or gone shows as a changed text."""
    before = {_norm(row.activity): row for row in previous.activities}
    texts = []
    seen = set()
    for row in current.activities:
        old = before.get(_norm(row.activity))
        seen.add(_norm(row.activity))
        label = str(_("Activiteit: %(name)s")) % {"name": _short(row.activity)}
        texts.append(_text(label, old.progress if old else "", row.progress))
    for name, row in before.items():
        if name not in seen:
            label = str(_("Vervallen activiteit: %(name)s")) % {"name": _short(row.activity)}
            texts.append(_text(label, row.progress or row.activity, ""))
    return tuple(texts)


def _short(text: str, length: int = 80) -> str:
    text = _norm(text)
    return text if len(text) <= length else text[: length - 1] + "…"


def _planning_texts(previous: ReportRows, current: ReportRows) -> tuple[TextChange, ...]:
    before = {row.year: row for row in previous.planning}
    now = {row.year: row for row in current.planning}
    texts = []
    for year in sorted(set(before) | set(now)):
        old, new = before.get(year), now.get(year)
        texts.append(
            _text(
                str(_("Planning %(year)s")) % {"year": year},
                getattr(old, "changed_description", ""),
                getattr(new, "changed_description", ""),
            )
        )
    return tuple(text for text in texts if text.previous or text.current)


_BUDGET_FIELDS = (
    ("budget", _("begroting")),
    ("spent", _("uitgaven")),
    ("forecast", _("prognose")),
)
_FUNDING_FIELDS = (
    ("budgeted", _("begroot")),
    ("received", _("ontvangen")),
    ("committed", _("toegezegd")),
    ("to_request", _("nog aan te vragen")),
)


def _money(previous: ReportRows, current: ReportRows) -> tuple[tuple[MoneyChange, ...], int]:
    """Changed amounts of budget and funding lines, and how many lines there are now."""
    changes: list[MoneyChange] = []
    pairs: list[tuple[str, object, object, tuple]] = []
    old_budget = {row.year: row for row in previous.budget}
    new_budget = {row.year: row for row in current.budget}
    for year in sorted(set(old_budget) | set(new_budget)):
        label = str(_("Kosten %(year)s")) % {"year": year}
        pairs.append((label, old_budget.get(year), new_budget.get(year), _BUDGET_FIELDS))
    old_funding = {row.source_id: row for row in previous.funding}
    new_funding = {row.source_id: row for row in current.funding}
    names = {row.source_id: row.source.name for row in (*previous.funding, *current.funding)}
    for source_id in [*new_funding, *(pk for pk in old_funding if pk not in new_funding)]:
        label = str(_("Inkomsten %(source)s")) % {"source": names[source_id]}
        pairs.append(
            (label, old_funding.get(source_id), new_funding.get(source_id), _FUNDING_FIELDS)
        )
    for label, old, new, fields in pairs:
        for name, field_label in fields:
            before, after = getattr(old, name, None), getattr(new, name, None)
            if before != after:
                changes.append(
                    MoneyChange(
                        line=label,
                        field=str(field_label),
                        previous=nl_amount(before) if before is not None else "–",
                        current=nl_amount(after) if after is not None else "–",
                    )
                )
    return tuple(changes), len(pairs)


def comparison_report(report: ProgressReport) -> ProgressReport | None:
    """The report this one is compared with: the one it was prefilled from, else the
    project's last approved report before its peildatum. One query."""
    reports = ProgressReport.objects.select_related("period")
    if report.carried_over_from_id:
        return reports.filter(pk=report.carried_over_from_id).first()
    return (
        reports.filter(
            project_id=report.project_id,
            state=ProgressReport.State.APPROVED,
            period__peildatum__lt=report.period.peildatum,
        )
        .order_by("-period__peildatum")
        .first()
    )


def report_changes(report: ProgressReport) -> ReportChanges:
    """What changed in `report` against `comparison_report`. Seven queries: the previous
    report, the indicators, the values of both, and four kinds of rows for both."""
    previous = comparison_report(report)
    if previous is None:
        return ReportChanges(previous=None, values=(), sections=(), money=(), money_lines=0)
    indicators = list(
        Indicator.objects.filter(project_id=report.project_id).order_by("order", "pk")
    )
    values: dict[int, dict[int, Decimal | None]] = {report.pk: {}, previous.pk: {}}
    for report_id, indicator_id, value in IndicatorValue.objects.filter(
        report_id__in=[report.pk, previous.pk]
    ).values_list("report_id", "indicator_id", "value"):
        values[report_id][indicator_id] = value
    rows = load_rows([report.pk, previous.pk])
    now, before = rows.get(report.pk, ReportRows()), rows.get(previous.pk, ReportRows())
    pending = set(report.carried_over or ())
    texts: Mapping[str, tuple[TextChange, ...]] = {
        "summary": (_text(str(_("Samenvatting")), previous.summary, report.summary),),
        "activities": _activity_texts(before, now),
        "planning": _planning_texts(before, now),
        "finances": (
            _text(str(_("Toelichting financiën")), previous.budget_note, report.budget_note),
        ),
        "light": (
            _text(
                str(_("Gerapporteerd stoplicht")),
                previous.get_reported_light_display(),
                report.get_reported_light_display(),
            ),
            *(
                _text(str(label), getattr(previous, name), getattr(report, name))
                for name, label in LIGHT_TEXTS
            ),
        ),
    }
    money, money_lines = _money(before, now)
    contents_now = section_contents(report, now)
    contents_before = section_contents(previous, before)
    sections = []
    for key, label in SECTIONS:
        shown = tuple(text for text in texts[key] if text.previous or text.current)
        changed = contents_now[key] != contents_before[key]
        if not contents_now[key] and not contents_before[key]:
            continue
        sections.append(
            SectionChange(
                key=key,
                label=str(label),
                changed=changed,
                pending=key in pending,
                texts=shown,
                # Unchanged, carried over and no longer pending: the coordinator confirmed it.
                confirmed=(
                    not changed and key not in pending and report.carried_over_from_id is not None
                ),
            )
        )
    return ReportChanges(
        previous=previous,
        values=tuple(
            ValueChange(
                name=indicator.name,
                previous=values[previous.pk].get(indicator.pk),
                current=values[report.pk].get(indicator.pk),
            )
            for indicator in indicators
        ),
        sections=tuple(sections),
        money=money,
        money_lines=money_lines,
    )
