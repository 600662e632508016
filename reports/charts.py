"""Geometry of the small inline SVG bars in the PDFs: realisation against target.

A bar is drawn in a 0-200 wide box: a light track up to the streefwaarde, a dark bar up to
the realisation, a marker above the bar at the streefwaarde (visible also when the
realisation passes it) and, where there is one, a tick at the planned or expected value. The share
realised comes from `programmes.status.target_progress`; this module only scales it to the
drawing. It must never compute a light: every bar sits next to a table with the figures
and the light (templates/reports/_bar.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from programmes import status

WIDTH = Decimal("200")
MARKER_HALF = Decimal("4")


def _x(value: Decimal | None, scale: Decimal) -> Decimal | None:
    if value is None or scale <= 0:
        return None
    x = min(max(value, Decimal("0")), scale) / scale * WIDTH
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ProgressBar:
    """One bar: the streefwaarde, the realisation and the expected value, as drawn."""

    target: Decimal
    realised: Decimal | None
    expected: Decimal | None
    progress: Decimal | None  # share of the streefwaarde realised (status.target_progress)
    target_x: Decimal | None
    realised_x: Decimal | None
    expected_x: Decimal | None

    @property
    def marker_x(self) -> Decimal | None:
        """Where the line of the streefwaarde marker starts, inside the drawing."""
        return None if self.target_x is None else min(self.target_x, WIDTH - Decimal("0.8"))

    @property
    def marker_points(self) -> str:
        """The streefwaarde marker: a small triangle above the bar pointing at the target,
        kept inside the drawing at either end (SVG polygon points)."""
        if self.target_x is None:
            return ""
        x = min(max(self.target_x, MARKER_HALF), WIDTH - MARKER_HALF)
        return f"{x - MARKER_HALF},0 {x + MARKER_HALF},0 {x},5"


def progress_bar(
    *, target: Decimal, realised: Decimal | None, expected: Decimal | None = None
) -> ProgressBar:
    """Scale target, realisation and expectation to the same axis (the largest of them)."""
    scale = max(v for v in (target, realised, expected, Decimal("0")) if v is not None)
    return ProgressBar(
        target=target,
        realised=realised,
        expected=expected,
        progress=status.target_progress(target=target, realised=realised),
        target_x=_x(target, scale),
        realised_x=_x(realised, scale),
        expected_x=_x(expected, scale),
    )
