"""Template filters for Dutch formats and traffic lights, loaded in every template.

`{{ amount|euro }}`, `{{ value|nl_number }}`, `{{ ratio|percent }}`, `{{ date|nl_date }}` and
`{% light_badge light %}`. The formatting itself lives in `programmes.formatting`, so the PDFs
and exports format exactly as the screens do.
"""

from django import template

from programmes import calendar, formatting
from programmes.status import Light

register = template.Library()


@register.filter
def euro(value, cents=None):
    return formatting.euro(value, cents=cents)


@register.filter
def nl_number(value, decimals=None):
    return formatting.nl_number(value, decimals=decimals)


@register.filter
def percent(value, decimals=0):
    return formatting.percent(value, decimals=decimals)


@register.filter
def nl_date(value):
    return formatting.nl_date(value)


@register.filter
def light_label(value):
    """The Dutch word for a light: "groen", "oranje", "rood", "grijs"."""
    if not value:
        return formatting.EMPTY
    return Light(value).label


@register.inclusion_tag("components/light_badge.html")
def light_badge(light, label_prefix="", small=False):
    """A light as shape, word and colour. `light` may be a Light, its value or empty."""
    light = Light(light) if light else None
    return {"light": light, "label_prefix": label_prefix, "small": small}


@register.filter
def period_key(value):
    """The short key of the half-year a peildatum closes, for links: 1-7-2021 is "2021-H1"."""
    return calendar.period_key(value) if value else ""
