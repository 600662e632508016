"""Dashboard charts: plotly figure specifications plus the same data as an accessible table.

Each function takes rows of the overview builder (`programmes.overview`) and returns a
`Chart`: a plain plotly.js figure (data + layout, JSON-serialisable, drawn in the browser by
static/js/dashboard.js with the plotly.js we serve ourselves) and a table with the same
figures, formatted the Dutch way, for readers who cannot or do not want to read a chart.

Colours come from the Okabe-Ito palette (safe for colour-blind readers) and every series
also differs by line dash, marker symbol or bar pattern, so colour is never the only carrier.
This module computes no figure of its own: lights and values come from the overview.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from programmes import status
from programmes.formatting import euro, nl_date, nl_number, percent
from programmes.overview import BudgetLineRow, FundingLineRow, IndicatorRow, TargetStatus
from programmes.status import Light

# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
BLACK = "#000000"
SKY = "#56B4E9"


@dataclass(frozen=True)
class TableCell:
    text: str
    light: Light | None = None


@dataclass(frozen=True)
class Chart:
    """A chart and its table. `figure` is handed to plotly.js unchanged."""

    id: str
    title: str
    description: str  # one sentence read by screen readers instead of the drawing
    headers: tuple[str, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    figure: dict = field(hash=False, compare=False)
    footer: tuple[TableCell, ...] = ()

    @property
    def data_id(self) -> str:
        """The id of the <script type="application/json"> holding the figure."""
        return f"{self.id}-data"


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _layout(*, y_title: str, barmode: str | None = None, money: bool = False) -> dict:
    layout = {
        "separators": ",.",  # Dutch: decimal comma, thousands point
        "margin": {"l": 60, "r": 16, "t": 16, "b": 48},
        "height": 320,
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": {"type": "category", "automargin": True},
        "yaxis": {
            "title": {"text": y_title},
            "rangemode": "tozero",
            "automargin": True,
            # Whole euros or up to two decimals, Dutch separators; never "3M" or "100k".
            "tickformat": ",.0f" if money else ",.2~f",
            "tickprefix": "€ " if money else "",
        },
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
    }
    if barmode:
        layout["barmode"] = barmode
    return layout


def indicator_chart(row: IndicatorRow, *, start_date: datetime.date | None = None) -> Chart:
    """Realisation per peildatum against the expected line and the streefwaarde, on a time
    axis from the project start to the target date.

    The expected line runs from the baseline at `start_date` (the project start) through the
    expected value at each peildatum to the streefwaarde at the target date, so a reader sees
    the whole path and where the project stands on it, not only the peildata reported so far.
    """
    points = row.history
    peildata = [p.period.peildatum.isoformat() for p in points]
    expected_x, expected_y = [], []
    if start_date is not None and (not points or start_date < points[0].period.peildatum):
        expected_x.append(start_date.isoformat())
        expected_y.append(_float(row.baseline))
    for point in points:
        if point.expected is not None:
            expected_x.append(point.period.peildatum.isoformat())
            expected_y.append(_float(point.expected))
    target_x, target_y = list(peildata), [_float(p.target) for p in points]
    if row.target_date is not None and (
        not points or row.target_date > points[-1].period.peildatum
    ):
        expected_x.append(row.target_date.isoformat())
        expected_y.append(_float(row.current_target))
        target_x.append(row.target_date.isoformat())
        target_y.append(_float(row.current_target))
    unit = row.unit or _("waarde")
    layout = _layout(y_title=unit)
    # A time axis with the peildata as ticks, written the Dutch way (1-7-2021).
    layout["xaxis"] = {
        "type": "date",
        "automargin": True,
        "tickformat": "%-d-%-m-%Y",
        "hoverformat": "%-d-%-m-%Y",
    }
    # Ticks at the start, the peildata and the target date while they fit; plotly's own
    # date ticks beyond that.
    ticks = sorted({datetime.date.fromisoformat(x) for x in expected_x + peildata})
    if len(ticks) <= 10:
        layout["xaxis"].update(
            {
                "tickmode": "array",
                "tickvals": [tick.isoformat() for tick in ticks],
                "ticktext": [nl_date(tick) for tick in ticks],
            }
        )
    figure = {
        "data": [
            {
                "type": "scatter",
                "name": _("Realisatie"),
                "x": peildata,
                "y": [_float(p.actual) for p in points],
                "mode": "lines+markers+text",
                "text": [nl_number(p.actual) if p.actual is not None else "" for p in points],
                "textposition": "top center",
                "line": {"color": BLUE, "width": 3, "dash": "solid"},
                "marker": {"symbol": "circle", "size": 9},
                "connectgaps": False,
            },
            {
                "type": "scatter",
                "name": _("Verwacht"),
                "x": expected_x,
                "y": expected_y,
                "mode": "lines+markers",
                "line": {"color": ORANGE, "width": 2, "dash": "dash"},
                "marker": {"symbol": "diamond", "size": 9},
            },
            {
                "type": "scatter",
                "name": _("Streefwaarde"),
                "x": target_x,
                "y": target_y,
                "mode": "lines+markers",
                "line": {"color": BLACK, "width": 1.5, "dash": "dot", "shape": "hv"},
                "marker": {"symbol": "square-open", "size": 7},
            },
        ],
        "layout": layout,
    }
    rows = tuple(
        (
            TableCell(nl_date(p.period.peildatum)),
            TableCell(nl_number(p.target)),
            TableCell(nl_number(p.expected, decimals=1) if p.expected is not None else "–"),
            TableCell(nl_number(p.actual)),
            TableCell(nl_number(p.realised_to_date)),
            TableCell(p.light.label, light=p.light),
        )
        for p in row.history
    )
    return Chart(
        id=f"grafiek-indicator-{row.pk}",
        title=row.name,
        description=_(
            "Lijngrafiek van %(name)s: realisatie per peildatum tegen de verwachte waarde "
            "en de streefwaarde. De tabel eronder bevat dezelfde cijfers."
        )
        % {"name": row.name},
        headers=(
            _("Peildatum"),
            _("Streefwaarde"),
            _("Verwacht"),
            _("Realisatie"),
            _("Realisatie tot nu"),
            _("Stoplicht"),
        ),
        rows=rows,
        figure=figure,
    )


def _total_cell(column: status.ColumnTotal) -> TableCell:
    """A column total; one that leaves out a line says so (the table under it says which)."""
    text = euro(column.amount)
    return TableCell(f"{text} ({_('onvolledig')})" if column.is_incomplete else text)


def budget_chart(
    chart_id: str, lines: Sequence[BudgetLineRow], total: status.CostTotals | None
) -> Chart:
    """Budget against actual spending (and the forecast) per calendar year."""
    years = [str(line.year) for line in lines]
    figure = {
        "data": [
            {
                "type": "bar",
                "name": _("Begroting"),
                "x": years,
                "y": [_float(line.budget) for line in lines],
                "marker": {"color": BLUE, "pattern": {"shape": ""}},  # solid
            },
            {
                "type": "bar",
                "name": _("Uitgaven"),
                "x": years,
                "y": [_float(line.spent) for line in lines],
                "marker": {"color": VERMILLION, "pattern": {"shape": "/"}},
            },
            {
                "type": "bar",
                "name": _("Prognose"),
                "x": years,
                "y": [_float(line.forecast) for line in lines],
                "marker": {"color": ORANGE, "pattern": {"shape": "."}},
            },
        ],
        "layout": _layout(y_title=_("euro"), barmode="group", money=True),
    }

    def cells(line: BudgetLineRow, label: str) -> tuple[TableCell, ...]:
        return (
            TableCell(label),
            TableCell(euro(line.budget)),
            TableCell(euro(line.spent)),
            TableCell(euro(line.forecast)),
        )

    def total_cells(totals: status.CostTotals) -> tuple[TableCell, ...]:
        return (TableCell(_("Totaal")),) + tuple(
            _total_cell(column) for column in (totals.budget, totals.spent, totals.forecast)
        )

    return Chart(
        id=chart_id,
        title=_("Begroting en uitgaven per jaar"),
        description=_(
            "Staafgrafiek van de begroting, de uitgaven en de prognose per jaar. "
            "De tabel eronder bevat dezelfde bedragen."
        ),
        headers=(_("Jaar"), _("Begroting"), _("Uitgaven"), _("Prognose")),
        rows=tuple(cells(line, str(line.year)) for line in lines),
        footer=total_cells(total) if total else (),
        figure=figure,
    )


def funding_chart(
    chart_id: str, lines: Sequence[FundingLineRow], total: status.FundingTotals | None
) -> Chart:
    """Per funding source: budgeted, received, committed and still to request."""
    sources = [line.source for line in lines]
    series = [
        (_("Begroot"), "budgeted", BLUE, ""),
        (_("Ontvangen"), "received", GREEN, "/"),
        (_("Toegezegd"), "committed", ORANGE, "."),
        (_("Nog aan te vragen"), "to_request", PURPLE, "x"),
    ]
    figure = {
        "data": [
            {
                "type": "bar",
                "name": name,
                "x": sources,
                "y": [_float(getattr(line, attribute)) for line in lines],
                "marker": {"color": colour, "pattern": {"shape": pattern}},
            }
            for name, attribute, colour, pattern in series
        ],
        "layout": _layout(y_title=_("euro"), barmode="group", money=True),
    }

    def cells(line: FundingLineRow) -> tuple[TableCell, ...]:
        return (TableCell(line.source),) + tuple(
            TableCell(euro(getattr(line, attribute))) for _name, attribute, _c, _p in series
        )

    def total_cells(totals: status.FundingTotals) -> tuple[TableCell, ...]:
        return (TableCell(_("Totaal")),) + tuple(
            _total_cell(getattr(totals, attribute)) for _name, attribute, _c, _p in series
        )

    return Chart(
        id=chart_id,
        title=_("Financiering per bron"),
        description=_(
            "Staafgrafiek per financieringsbron: begroot, ontvangen, toegezegd en nog aan te "
            "vragen. De tabel eronder bevat dezelfde bedragen."
        ),
        headers=(_("Bron"),) + tuple(name for name, _a, _c, _p in series),
        rows=tuple(cells(line) for line in lines),
        footer=total_cells(total) if total else (),
        figure=figure,
    )


def targets_chart(chart_id: str, targets: Sequence[TargetStatus]) -> Chart:
    """Programme targets: realisation against the streefwaarde, horizontal bars."""
    names = [t.name for t in targets]
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": _("Streefwaarde"),
                "y": names,
                "x": [_float(t.target) for t in targets],
                "marker": {"color": SKY, "pattern": {"shape": "."}},
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": _("Gerealiseerd"),
                "y": names,
                "x": [_float(t.realised) for t in targets],
                "marker": {"color": BLUE},
                "text": [nl_number(t.realised) if t.realised is not None else "" for t in targets],
                "textposition": "outside",
            },
        ],
        "layout": {
            **_layout(y_title="", barmode="group"),
            "xaxis": {"rangemode": "tozero", "automargin": True, "tickformat": ",.2~f"},
            "yaxis": {"type": "category", "automargin": True, "autorange": "reversed"},
            "height": 120 + 60 * len(targets),
        },
    }
    return Chart(
        id=chart_id,
        title=_("Programmadoelen"),
        description=_(
            "Staafgrafiek van de programmadoelen: gerealiseerd tegen de streefwaarde. "
            "De tabel eronder bevat dezelfde aantallen."
        ),
        headers=(_("Doel"), _("Streefwaarde"), _("Gerealiseerd"), _("Voortgang")),
        rows=tuple(
            (
                TableCell(t.name),
                TableCell(nl_number(t.target)),
                TableCell(nl_number(t.realised)),
                TableCell(percent(t.progress)),
            )
            for t in targets
        ),
        figure=figure,
    )
