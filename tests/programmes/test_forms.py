"""Input the Dutch way: numbers and amounts as people type them, refusals that say what is
wrong, and a report form that never loses what was typed."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programmes import formatting, services
from programmes.forms import DutchDecimalField
from programmes.models import BudgetLine, ProgressReport
from programmes.parsing import AmountError, parse_decimal
from tests import factories
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

# -- The field ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.610.000", Decimal("1610000")),
        ("1610000", Decimal("1610000")),
        ("€ 1.610.000,50", Decimal("1610000.50")),
        ("1.610.000,50", Decimal("1610000.50")),
        ("€ 350.000,-", Decimal("350000")),
        ("43,5", Decimal("43.5")),
        ("", None),
    ],
)
def test_the_field_reads_dutch_numbers(typed, value):
    assert DutchDecimalField().clean(typed) == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2.3000.000", "groepen van precies drie cijfers"),
        ("€ 2.3000.000", "groepen van precies drie cijfers"),
        ("1,2,3", "meer dan één komma"),
        ("-5", "negatief"),
        ("€ -1.000", "negatief"),
        ("43.5", "punt als decimaalteken"),
        ("veel", "geen getal"),
        ("1.000.000.000.000", "te groot"),
        ("1,234", "meer dan twee decimalen"),
    ],
)
def test_the_field_refuses_with_a_message_that_says_what_is_wrong(typed, message):
    field = DutchDecimalField()
    with pytest.raises(Exception) as error:
        field.clean(typed)
    assert message in " ".join(error.value.messages)


# -- Properties of the parser ---------------------------------------------------------------

amounts = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amounts)
def test_every_euro_amount_shown_reads_back_as_the_same_amount(amount):
    assert parse_decimal(formatting.euro(amount)) == amount


@given(amounts)
def test_every_number_shown_reads_back_as_the_same_number(amount):
    assert parse_decimal(formatting.nl_number(amount)) == amount


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_with_or_without_points_read_the_same(number):
    assert parse_decimal(str(number)) == parse_decimal(formatting.nl_number(number)) == number


@st.composite
def malformed_groups(draw):
    """A thousands-grouped number in which one group after the first has not three digits."""
    head = str(draw(st.integers(min_value=1, max_value=999)))
    groups = draw(
        st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4).map(
            lambda numbers: [f"{n:03d}" for n in numbers]
        )
    )
    index = draw(st.integers(min_value=0, max_value=len(groups) - 1))
    length = draw(st.sampled_from([1, 2, 4, 5]))
    groups[index] = "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length, max_size=length))
    )
    suffix = draw(st.sampled_from(["", ",5", ",50"]))
    prefix = draw(st.sampled_from(["", "€ "]))
    return prefix + ".".join([head, *groups]) + suffix


@given(malformed_groups())
def test_anything_with_a_malformed_group_is_refused(text):
    with pytest.raises(AmountError):
        parse_decimal(text)


@given(st.lists(st.integers(min_value=0, max_value=999), min_size=3, max_size=5))
def test_more_than_one_comma_is_refused(parts):
    with pytest.raises(AmountError, match="komma"):
        parse_decimal(",".join(str(part) for part in parts))


# -- The report form ------------------------------------------------------------------------


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def report(world):
    return services.start_report(project=world.project, period=world.period, user=world.coordinator)


def edit_url(report):
    return reverse("reporting:report_edit", args=[report.pk])


def test_a_report_typed_the_dutch_way_is_stored_exactly(client, world, report):
    client.force_login(world.coordinator)
    response = client.post(edit_url(report), complete_post(report, world))
    assert response.status_code == 302
    line = BudgetLine.objects.get(report=report, year=2021)
    assert line.budget == Decimal("1610000")
    assert line.spent == Decimal("620000.50")
    funding = report.funding_lines.get()
    assert (funding.budgeted, funding.received) == (Decimal("2300000"), Decimal("1830000"))
    report.refresh_from_db()
    assert (
        report.summary
        == "Het project loopt voorspoedig.\n\n• 43 mensen aan het werk\n• 4 trajecten"
    )


def test_on_an_error_everything_typed_comes_back(client, world, report):
    client.force_login(world.coordinator)
    first = world.indicators[0]
    data = complete_post(
        report,
        world,
        **{
            "budget-2021-budget": "€ 2.3000.000",
            f"ind-{first.pk}-value": "1,2,3",
            f"ind-{first.pk}-note": "Telling van UWV",
            "summary": "Mijn lange verhaal\n\n• punt",
            "act-0-progress": "Voortgang die ik niet kwijt wil",
            "highlight_text": "Zonder soort",
        },
    )
    response = client.post(edit_url(report), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="€ 2.3000.000"' in page
    assert 'value="1,2,3"' in page
    assert "Telling van UWV" in page
    assert "Mijn lange verhaal\n\n• punt" in page
    assert "Voortgang die ik niet kwijt wil" in page
    assert 'value="Zonder soort"' in page
    assert 'value="620.000,50"' in page
    assert "groepen van precies drie cijfers" in page
    assert "meer dan één komma" in page
    assert "Kies positief of bijgesteld" in page
    report.refresh_from_db()
    assert report.version == 1 and report.summary == ""
    assert not BudgetLine.objects.filter(report=report).exists()


def test_a_negative_amount_is_refused_and_kept_on_screen(client, world, report):
    client.force_login(world.coordinator)
    response = client.post(
        edit_url(report), complete_post(report, world, **{"budget-2021-spent": "-5.000"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="-5.000"' in page and "negatief" in page


def test_a_cumulative_value_below_last_period_needs_a_note(client, world, report):
    services.save_draft(
        report=report,
        user=world.coordinator,
        data=services.ReportInput(
            values=(services.IndicatorValueInput(world.indicators[0].pk, Decimal("80")),)
        ),
        version=report.version,
    )
    report.refresh_from_db()
    later = world.period.programme.periods.create(peildatum="2022-01-01")
    next_report = services.start_report(project=world.project, period=later, user=world.manager)
    client.force_login(world.coordinator)
    first = world.indicators[0]
    data = complete_post(next_report, world, **{f"ind-{first.pk}-value": "70"})
    response = client.post(edit_url(next_report), data)
    assert response.status_code == 200
    assert "lager dan vorige periode (80)" in response.content.decode()
    data[f"ind-{first.pk}-note"] = "Correctie: dubbeltellingen eruit"
    assert client.post(edit_url(next_report), data).status_code == 302


def test_pasted_html_is_stored_as_typed_and_shown_as_text(client, world, report):
    client.force_login(world.coordinator)
    pasted = '<p class="MsoNormal">Goed<script>alert(1)</script></p><img src=x onerror=alert(1)>'
    client.post(edit_url(report), complete_post(report, world, summary=pasted))
    report.refresh_from_db()
    assert report.summary == pasted
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


def test_an_incomplete_submit_saves_the_draft_and_shows_what_is_missing(client, world, report):
    client.force_login(world.coordinator)
    data = complete_post(report, world, action="submit", reported_light="red")
    response = client.post(edit_url(report), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bij rood beschrijft u de oorzaak" in page
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT
    assert report.reported_light == "red"
    # The page carries the new version, so saving again just works.
    assert f'name="version" value="{report.version}"' in page


def test_adding_an_activity_row_without_javascript_keeps_the_input(client, world, report):
    client.force_login(world.coordinator)
    data = complete_post(report, world, action="add_activity")
    response = client.post(edit_url(report), data)
    page = response.content.decode()
    assert 'name="act-TOTAL_FORMS" value="2"' in page
    assert 'name="act-1-activity"' in page
    assert "Werving zorgpersoneel" in page
    report.refresh_from_db()
    assert report.version == 1


def test_removing_an_activity_row(client, world, report):
    client.force_login(world.coordinator)
    client.post(edit_url(report), complete_post(report, world))
    report.refresh_from_db()
    activity = report.activities.get()
    data = complete_post(
        report,
        world,
        **{"act-INITIAL_FORMS": "1", "act-0-id": str(activity.pk), "act-0-DELETE": "on"},
    )
    assert client.post(edit_url(report), data).status_code == 302
    assert not report.activities.exists()


def test_the_form_shows_last_period_target_expected_and_computed_light(client, world, report):
    client.force_login(world.coordinator)
    response = client.get(edit_url(report))
    page = response.content.decode()
    assert "Uitstroom naar werk" in page
    assert "250" in page  # target
    assert "62" in page  # expected at 1-7-2021: linear from 2021-01-01 to 2022-12-31
    assert re.search(r'hx-post="/rapportages/\d+/stoplichten/"', page)


def test_the_live_light_follows_the_typed_value(client, world, report):
    client.force_login(world.coordinator)
    first = world.indicators[0]
    url = reverse("reporting:indicator_lights", args=[report.pk])
    red = client.post(url, {f"ind-{first.pk}-value": "10"}).content.decode()
    green = client.post(url, {f"ind-{first.pk}-value": "1.000"}).content.decode()
    wrong = client.post(url, {f"ind-{first.pk}-value": "2.3000"}).content.decode()
    assert "rood" in red and f'id="light-{first.pk}"' in red
    assert "groen" in green
    assert "Geen getal" in wrong
    report.refresh_from_db()
    assert report.version == 1 and not report.values.exists()


def test_the_form_offers_national_sources_and_those_of_its_own_region_only(client, world, report):
    own = factories.FundingSourceFactory(
        name="Eigen regiofonds", region=world.project.programme.region
    )
    elsewhere = factories.FundingSourceFactory(
        name="Corona herstelfonds Beverwijk", region=world.other_project.programme.region
    )
    national = factories.FundingSourceFactory(name="Perspectief op Werk")
    client.force_login(world.coordinator)
    page = client.get(edit_url(report)).content.decode()
    assert own.name in page
    assert national.name in page
    assert elsewhere.name not in page


def test_sources_the_project_used_come_first_and_the_others_are_folded_away(client, world, report):
    regio_deal, provincie = world.sources
    earlier = factories.ReportingPeriodFactory(
        programme=world.programme, peildatum=datetime.date(2021, 1, 1)
    )
    earlier_report = factories.ProgressReportFactory(project=world.project, period=earlier)
    factories.FundingLineFactory(report=earlier_report, source=regio_deal, budgeted=Decimal(5))
    # The region's own source is offered, folded; a national source the region never used
    # is not offered at all (issue #14: a shorter form).
    provincie.region = world.programme.region
    provincie.save()
    unused = factories.FundingSourceFactory(name="Landelijk, nooit gebruikt", order=3)
    client.force_login(world.coordinator)
    page = client.get(edit_url(report)).content.decode()
    income = page.split("Inkomsten per financieringsbron", 1)[1]
    shown, folded = income.split("<details", 1)
    assert regio_deal.name in shown
    assert provincie.name in folded.split("</details>", 1)[0]
    assert unused.name not in page

    # A value typed wrongly in a folded source opens the fold again, with the input kept.
    post = complete_post(report, world, **{f"fund-{provincie.pk}-received": "2.3000.000"})
    page = client.post(edit_url(report), post).content.decode()
    assert re.search(r"<details class=\"mb-3\" open>", page)
    assert 'value="2.3000.000"' in page


def test_a_project_without_funding_yet_sees_every_source_unfolded(client, world, report):
    client.force_login(world.coordinator)
    page = client.get(edit_url(report)).content.decode()
    assert "Andere financieringsbron" not in page
    assert all(source.name in page for source in world.sources)
