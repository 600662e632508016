"""Dutch formats for numbers, money and dates, the same on screen, in PDFs and in exports.

Pure functions: no locale settings involved, so that a page, a PDF and a CSV agree whatever
the server's locale is. Examples: € 1.610.000, € 1.610.000,50, 43,5, 1-7-2021.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

EMPTY = "–"


def _group(integer_digits: str) -> str:
    groups: list[str] = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return ".".join(groups)


def nl_number(value: Decimal | int | float | None, decimals: int | None = None) -> str:
    """1610000 -> "1.610.000"; Decimal("43.50") -> "43,5"; None -> "–".

    With `decimals` the value is rounded to that many places and they are always shown.
    Without it, whole numbers show no decimals and others show up to two, trailing zeros off.
    """
    if value is None or value == "":
        return EMPTY
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    whole = number == number.to_integral_value()
    places = (0 if whole else 2) if decimals is None else decimals
    quantum = Decimal(1).scaleb(-places)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    text = f"{abs(number):.{places}f}"
    integer, _, fraction = text.partition(".")
    if decimals is None:
        fraction = fraction.rstrip("0")
    result = _group(integer)
    if fraction:
        result += "," + fraction
    return sign + result


def nl_amount(value: Decimal | int | float | None) -> str:
    """An amount in euros without the sign, the canonical way: whole euros without decimals,
    otherwise always two ("1.610.000", "1.610.000,50", never "1.610.000,5"); None -> "–".
    The report form shows amounts this way, so that a refused save gives back what was
    typed in the same form."""
    if value is None or value == "":
        return EMPTY
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    return nl_number(number, decimals=0 if number == number.to_integral_value() else 2)


def euro(value: Decimal | int | float | None, cents: bool | None = None) -> str:
    """€ 1.610.000 for whole euros, € 1.610.000,50 otherwise; None -> "–".

    `cents=True` always shows two decimals, `cents=False` rounds to whole euros.
    """
    if value is None or value == "":
        return EMPTY
    number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if cents is None:
        places = 0 if number == number.to_integral_value() else 2
    else:
        places = 2 if cents else 0
    text = nl_number(abs(number), decimals=places)
    return f"-€ {text}" if number < 0 else f"€ {text}"


def percent(ratio: Decimal | float | None, decimals: int = 0) -> str:
    """Decimal("0.837") -> "84%"; None -> "–"."""
    if ratio is None:
        return EMPTY
    return nl_number(Decimal(str(ratio)) * 100, decimals=decimals) + "%"


def nl_date(value: datetime.date | None) -> str:
    """Short Dutch date without leading zeros: 1-7-2021."""
    if value is None:
        return EMPTY
    return f"{value.day}-{value.month}-{value.year}"
