"""Numbers and amounts as Dutch people type them, and refusals for what is ambiguous.

Accepted: "1610000", "1.610.000", "1 610 000", "€ 1.610.000,50", "1.610.000,50", "43,5",
"€ 350.000,-" and "€ 350.000,--". Refused with a message that says what is wrong:
"2.3000.000" (a group that is not three digits: it is in the Zeeland report), "1,2,3" (more
than one decimal comma), "1,610,000.50" (English notation), "43.5" (a point used as a decimal
sign), letters, empty groups. Never guesses: a value either reads one way or is refused.

Digits are the ASCII digits 0-9 only. Python reads "１２３" (full width), "١٢٣" (Arabic-Indic)
and "𝟏𝟐𝟑" (mathematical bold) as 123; this module refuses them, naming the character, so
that a value pasted from somewhere odd is typed again rather than read as something else.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_CURRENCY = re.compile(r"^(€|eur(?:o)?)\s*|\s*(€|eur(?:o)?)$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DIGITS = re.compile(r"^[0-9]+$")
_GROUPED = re.compile(r"^[0-9]{1,3}(?:([. ])[0-9]{3})(?:\1[0-9]{3})*$")


class AmountError(ValueError):
    """A typed number that cannot be read unambiguously; the message is for the user."""


def check_ascii_digits(text: str) -> None:
    """Raise AmountError naming the first character that is a digit but not one of 0-9."""
    for character in text:
        if character.isnumeric() and not ("0" <= character <= "9"):
            raise AmountError(
                _('Het teken "%(character)s" is geen cijfer; typ de cijfers 0–9.')
                % {"character": character}
            )


def parse_decimal(text: str | None, *, allow_negative: bool = False) -> Decimal | None:
    """Read a Dutch-typed number or amount. Empty input gives None.

    Raises AmountError with a Dutch message when the input is not a number or could be read
    in more than one way.
    """
    if text is None:
        return None
    original = str(text).strip()
    if not original:
        return None
    check_ascii_digits(original)
    value = _CURRENCY.sub("", original).strip()
    negative = False
    if value.startswith(("-", "−")):
        negative = True
        value = value[1:].strip()
        value = _CURRENCY.sub("", value).strip()
    # "€ 350.000,-" and ",--" mean whole euros.
    value = re.sub(r",-{1,2}$", "", value)
    value = _SPACES.sub(" ", value)
    if not value:
        raise AmountError(_("'%(value)s' is geen getal.") % {"value": original})
    if re.search(r"[^0-9., ]", value):
        raise AmountError(
            _("'%(value)s' is geen getal: gebruik alleen cijfers, punten en een komma.")
            % {"value": original}
        )
    if value.count(",") > 1:
        raise AmountError(
            _(
                "'%(value)s' heeft meer dan één komma. Gebruik de komma alleen voor decimalen, "
                "bijvoorbeeld 1.610.000,50."
            )
            % {"value": original}
        )
    integer, comma, fraction = value.partition(",")
    if comma and not fraction:
        raise AmountError(
            _("'%(value)s' eindigt op een komma: vul de decimalen in of laat de komma weg.")
            % {"value": original}
        )
    if fraction and not _DIGITS.match(fraction):
        raise AmountError(
            _(
                "'%(value)s' kan op meer manieren gelezen worden: na de decimale komma horen "
                "alleen cijfers. Schrijf bijvoorbeeld 1.610.000,50."
            )
            % {"value": original}
        )
    if not integer:
        raise AmountError(
            _("'%(value)s' heeft geen cijfers voor de komma; schrijf bijvoorbeeld 0,5.")
            % {"value": original}
        )
    if not _DIGITS.match(integer):
        if not _GROUPED.match(integer):
            if "." in integer and " " in integer:
                message = _("'%(value)s' mengt punten en spaties als scheidingsteken.")
            elif "." in integer and not comma and re.match(r"^[0-9]+\.[0-9]{1,2}$", integer):
                message = _(
                    "'%(value)s' gebruikt een punt als decimaalteken. In het Nederlands is dat "
                    "een komma: schrijf bijvoorbeeld 43,5."
                )
            else:
                message = _(
                    "'%(value)s' is dubbelzinnig: een punt scheidt groepen van precies drie "
                    "cijfers, zoals in 2.300.000."
                )
            raise AmountError(message % {"value": original})
        integer = integer.replace(".", "").replace(" ", "")
    try:
        number = Decimal(f"{integer}.{fraction}" if fraction else integer)
    except InvalidOperation as error:  # pragma: no cover - the checks above exclude this
        raise AmountError(_("'%(value)s' is geen getal.") % {"value": original}) from error
    if negative:
        if not allow_negative:
            raise AmountError(
                _("'%(value)s' is negatief; een negatief bedrag of aantal kan hier niet.")
                % {"value": original}
            )
        number = -number
    return number
