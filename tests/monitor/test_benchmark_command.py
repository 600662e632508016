"""benchmark_national builds the national shape it promises, measures every page and keeps
nothing unless asked."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from programmes import permissions
from programmes.benchmark import REGION_NAMES, plan_national
from programmes.models import (
    BudgetLine,
    FundingLine,
    Indicator,
    IndicatorValue,
    Programme,
    ProgressReport,
    Project,
    Region,
    ReportingPeriod,
    StoredStatus,
)

pytestmark = pytest.mark.django_db

SMALL = {
    "regions": 1,
    "programmes_per_region": "2",
    "projects_per_programme": "3",
    "indicators_per_project": "2-4",
    "periods": 2,
    "runs": 1,
}
PAGES = (
    "home",
    "programma",
    "programma gefilterd",
    "project",
    "rapporten",
    "rapporten, regio gekozen",
    "export xlsx",
    "export csv",
)


def _rows(output: str) -> dict[str, list[str]]:
    """The table's rows by page name: the figures after the name."""
    rows = {}
    for line in output.splitlines():
        for page in PAGES:
            rest = line[len(page) :].split()
            if line.startswith(page) and rest and rest[0].isdigit():
                rows[page] = rest
    return rows


def test_keep_builds_one_region_with_the_users_and_prints_the_table():
    out = StringIO()
    call_command(
        "benchmark_national", keep=True, password="lang-genoeg-wachtwoord", **SMALL, stdout=out
    )

    region = Region.objects.get()
    assert region.name == "Achterhoek"  # a real arbeidsmarktregio
    assert Programme.objects.filter(region=region).count() == 2
    assert Project.objects.count() == 6
    indicators = Indicator.objects.count()
    assert 12 <= indicators <= 24  # 2-4 per project
    assert ReportingPeriod.objects.count() == 4
    assert ProgressReport.objects.count() == 12  # every project in every period
    assert IndicatorValue.objects.count() == indicators * 2
    assert BudgetLine.objects.count() == 12 * 4
    assert FundingLine.objects.count() == 12 * 2

    users = get_user_model().objects
    ministry, viewer = users.get(username="bench-ministerie"), users.get(username="bench-wethouder")
    assert ministry.check_password("lang-genoeg-wachtwoord")
    assert permissions.sees_everything(ministry) and not permissions.sees_everything(viewer)
    assert list(permissions.visible_regions(viewer)) == [region]

    output = out.getvalue()
    assert "mediaan ms" in output and "verhouding" in output
    rows = _rows(output)
    assert set(rows) == set(PAGES)
    assert int(rows["project"][3]) > 10  # the page's real query count, not zero
    assert "6 projecten" in output and "bewaard" in output
    # The national page against its target, in one line.
    home = next(line for line in output.splitlines() if line.startswith("Landelijk overzicht"))
    assert f"1 regio's: mediaan {float(rows['home'][0]):.0f} ms" in home and "doel ≤ 300 ms" in home
    # The bulk load computed the stored status as the services would have.
    assert StoredStatus.objects.count() == 6 * 2  # every project at every peildatum
    call_command("rebuild_status", "--check", stdout=StringIO())


def test_without_keep_everything_is_rolled_back():
    out = StringIO()
    call_command("benchmark_national", **SMALL, stdout=out)

    assert "teruggedraaid" in out.getvalue()
    assert len(_rows(out.getvalue())) == len(PAGES)
    assert not Region.objects.exists()
    assert not ProgressReport.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="bench-").exists()


def test_measure_only_measures_the_kept_dataset_without_building():
    call_command("benchmark_national", keep=True, password="x" * 12, **SMALL, stdout=StringIO())
    reports = ProgressReport.objects.count()
    out = StringIO()

    call_command("benchmark_national", measure_only=True, runs=1, stdout=out)

    assert ProgressReport.objects.count() == reports
    assert len(_rows(out.getvalue())) == len(PAGES)


def test_refuses_what_would_mix_with_other_data():
    with pytest.raises(CommandError, match="--password"):
        call_command("benchmark_national", keep=True, **SMALL)
    with pytest.raises(CommandError, match="--measure-only|--keep"):
        call_command("benchmark_national", measure_only=True)
    # A worker is another process: it cannot see a dataset that is rolled back.
    with pytest.raises(CommandError, match="bewaarde gegevens"):
        call_command("benchmark_national", **SMALL, bundle=1, bundle_workers=2)
    Region.objects.create(code="achterhoek", name="Achterhoek")
    with pytest.raises(CommandError, match="Achterhoek"):
        call_command("benchmark_national", **SMALL, stdout=StringIO())


def test_the_national_plan_is_the_size_of_the_country_and_the_same_every_time():
    arguments = {
        "regions": len(REGION_NAMES),
        "programmes_per_region": (2, 4),
        "projects_per_programme": (20, 60),
        "indicators_per_project": (2, 4),
    }
    plan = plan_national(**arguments)

    assert plan == plan_national(**arguments)
    assert [name for name, _specs in plan] == list(REGION_NAMES)
    assert len(set(REGION_NAMES)) == 35
    programmes = [spec for _name, specs in plan for spec in specs]
    projects = [count for spec in programmes for count in spec.indicator_counts]
    assert all(2 <= len(specs) <= 4 for _name, specs in plan)
    assert all(20 <= len(spec.indicator_counts) <= 60 for spec in programmes)
    assert len(plan[0][1][0].indicator_counts) == 60  # the programme the pages measure
    assert 3_500 <= len(projects) <= 5_000
    assert set(projects) == {2, 3, 4}
    assert len({spec.slug for spec in programmes}) == len(programmes)


def test_bundle_option_makes_a_bundle_and_reports_time_pages_and_memory(settings, tmp_path):
    settings.REPORT_BUNDLE_ROOT = tmp_path
    out = StringIO()
    call_command("benchmark_national", **{**SMALL, "regions": 2}, bundle=1, stdout=out)
    line = next(line for line in out.getvalue().splitlines() if line.startswith("Bundel"))
    assert "1 regio's" in line and ": done," in line and "piekgeheugen" in line
    pages = int(line.split(" pagina's")[0].rsplit(" ", 1)[1])
    assert pages >= 4  # cover, contents, divider and at least one monitor page
    assert not Region.objects.exists()  # rolled back
