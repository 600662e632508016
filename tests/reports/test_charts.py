"""The streefwaarde marker of the small bars stays inside the drawing at either end."""

from decimal import Decimal

from reports.charts import progress_bar


def test_marker_sits_at_the_target_and_inside_the_drawing():
    passed = progress_bar(target=Decimal("200"), realised=Decimal("447"))
    at_end = progress_bar(target=Decimal("200"), realised=Decimal("100"))
    at_start = progress_bar(target=Decimal("0.5"), realised=Decimal("447"))

    # 200 of 447: the marker stands at 89.5 of 200, above the realisation bar.
    assert passed.target_x == Decimal("89.5")
    assert passed.marker_points == "85.5,0 93.5,0 89.5,5"
    assert at_end.marker_points == "192,0 200,0 196,5"
    assert at_end.marker_x == Decimal("199.2")
    assert at_start.marker_points.startswith("0,0 8,0 4,5")
