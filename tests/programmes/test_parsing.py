"""Numbers take the ASCII digits 0-9 only, in every way Dutch people write them.

The round trips of `formatting.euro` and `formatting.nl_number` and the refusal of malformed
groups are in test_forms.py; here: digits from other scripts, and the formats those tests
do not cover (cents always shown, a minus sign, spaces between groups).
"""

import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from programmes import formatting, services
from programmes.models import BudgetLine, IndicatorValue
from programmes.parsing import AmountError, parse_decimal
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

amounts = st.decimals(
    min_value=Decimal("0"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
# Every character Python counts as numeric (decimal digits of any script, superscripts,
# fractions, Roman numerals, ...) except the ten that are allowed.
foreign_numerals = st.characters(categories=["Nd", "Nl", "No"]).filter(
    lambda character: not ("0" <= character <= "9")
)
foreign_digits = st.characters(categories=["Nd"]).filter(
    lambda character: not ("0" <= character <= "9")
)


def message(character: str) -> str:
    return f'Het teken "{character}" is geen cijfer; typ de cijfers 0–9.'


@pytest.mark.parametrize(
    "typed, character",
    [
        ("１２３", "１"),
        ("١٢٣", "١"),
        ("𝟏𝟐𝟑", "𝟏"),
        ("€ 1.6１0.000", "１"),
        ("½", "½"),
        ("10²", "²"),
    ],
)
def test_digits_of_other_scripts_are_refused_by_name(typed, character):
    with pytest.raises(AmountError) as refused:
        parse_decimal(typed)
    assert str(refused.value) == message(character)


@given(st.text(), foreign_numerals, st.text(), st.booleans())
def test_any_text_with_a_foreign_numeral_is_refused_naming_the_first(before, numeral, after, sign):
    text = before + numeral + after
    first = next(c for c in text if c.isnumeric() and not ("0" <= c <= "9"))
    with pytest.raises(AmountError) as refused:
        parse_decimal(text, allow_negative=sign)
    assert str(refused.value) == message(first)


@given(amounts, foreign_digits, st.data())
def test_a_valid_amount_with_one_digit_from_another_script_is_refused(amount, digit, data):
    """The same value, one digit swapped for the same digit of another script ("１" for 1)."""
    shown = formatting.euro(amount)
    positions = [index for index, character in enumerate(shown) if character.isdigit()]
    index = data.draw(st.sampled_from(positions))
    zero = ord(digit) - unicodedata.decimal(digit)  # Unicode keeps each script's 0-9 in a row
    foreign = chr(zero + int(shown[index]))
    with pytest.raises(AmountError) as refused:
        parse_decimal(shown[:index] + foreign + shown[index + 1 :])
    assert str(refused.value) == message(foreign)


@given(amounts)
def test_amounts_with_cents_always_shown_read_back(amount):
    assert parse_decimal(formatting.euro(amount, cents=True)) == amount
    assert parse_decimal(formatting.nl_number(amount, decimals=2)) == amount


@given(amounts.filter(lambda amount: amount > 0))
def test_negative_amounts_read_back_where_they_are_allowed(amount):
    shown = formatting.euro(-amount)
    assert parse_decimal(shown, allow_negative=True) == -amount
    with pytest.raises(AmountError, match="negatief"):
        parse_decimal(shown)


@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_groups_separated_by_spaces_read_like_points(number, space):
    assert parse_decimal(formatting.nl_number(number).replace(".", space)) == number


@pytest.mark.parametrize(
    "typed, value",
    [
        ("1.610.000", Decimal("1610000")),
        ("1610000", Decimal("1610000")),
        ("€ 1.610.000,50", Decimal("1610000.50")),
        ("EUR 1 610 000", Decimal("1610000")),
    ],
)
def test_what_dutch_people_type_still_reads(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["€ 2.3000.000", "2.3000.000", "1,610,000.50"])
def test_ambiguous_input_is_still_refused(typed):
    with pytest.raises(AmountError):
        parse_decimal(typed)


@pytest.mark.django_db
def test_the_report_form_refuses_digits_of_other_scripts_and_keeps_what_was_typed(client):
    world = build_world()
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    first = world.indicators[0]
    client.force_login(world.coordinator)
    data = complete_post(
        report, world, **{f"ind-{first.pk}-value": "١٢٣", "budget-2021-budget": "€ 1.６１0.000"}
    )

    response = client.post(reverse("reporting:report_edit", args=[report.pk]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(message("١")) in page
    assert escape(message("６")) in page
    assert 'value="١٢٣"' in page
    assert not IndicatorValue.objects.filter(report=report, value__isnull=False).exists()
    assert not BudgetLine.objects.filter(report=report, budget__isnull=False).exists()
