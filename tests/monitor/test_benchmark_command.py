"""The benchmark command measures every dashboard page and keeps nothing it built."""

from io import StringIO

import pytest
from django.core.management import call_command

from programmes.models import Programme, ProgressReport, Project

pytestmark = pytest.mark.django_db


def test_benchmark_reports_every_page_and_rolls_back():
    out = StringIO()
    call_command("benchmark_dashboard", projects=3, periods=2, runs=1, stdout=out)
    output = out.getvalue()
    for page in ("home", "programma", "programma gefilterd", "project"):
        assert page in output
    assert "teruggedraaid" in output
    assert not Programme.objects.exists()
    assert not Project.objects.exists()
    assert not ProgressReport.objects.exists()


def test_benchmark_counts_the_queries_of_each_page():
    out = StringIO()
    call_command("benchmark_dashboard", projects=2, periods=1, runs=1, stdout=out)
    rows = [line.split() for line in out.getvalue().splitlines() if line.startswith("project ")]
    assert int(rows[0][-1]) > 10  # the page's real query count, not zero
