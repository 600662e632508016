"""Template tags for the dashboard's large tables: `{% load dashboard %}`.

`{% fast_light_badge light %}` renders exactly what `{% light_badge light %}` renders (the
same components/light_badge.html), but remembers the result per light, label, size and
language: a matrix of 200 projects by 10 periods shows 4,000 badges, and rendering the
inclusion template for each took most of the page's time. `{% light_pair %}` shows a
reported and a computed light side by side. Nothing here decides a light.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from programmes.status import Light

register = template.Library()


@lru_cache(maxsize=256)
def _badge(light: str, label_prefix: str, small: bool, language: str | None) -> SafeString:
    context = {
        "light": Light(light) if light else None,
        "label_prefix": label_prefix,
        "small": small,
    }
    return mark_safe(render_to_string("components/light_badge.html", context).strip())


@register.simple_tag
def fast_light_badge(light, label_prefix: str = "", small: bool = False) -> SafeString:
    """The light_badge component, rendered once per distinct input and language."""
    value = Light(light).value if light else ""
    return _badge(value, str(label_prefix), bool(small), get_language())


@lru_cache(maxsize=8)
def _pair_texts(language: str | None) -> tuple[str, str, SafeString]:
    return (
        _("gerapporteerd"),
        _("berekend"),
        format_html(
            '<span class="differ-mark"><span aria-hidden="true">≠</span>'
            '<span class="visually-hidden"> {}</span></span>',
            _("wijkt af van berekend"),
        ),
    )


@register.simple_tag
def light_pair(reported, computed, differ: bool = False) -> SafeString:
    """Reported / computed light, small, with a ≠ mark (read out) when they differ."""
    language = get_language()
    reported_label, computed_label, mark = _pair_texts(language)
    return mark_safe(
        '<span class="light-pair">'
        + _badge(Light(reported).value if reported else "", reported_label, True, language)
        + '<span class="light-sep" aria-hidden="true">/</span>'
        + _badge(Light(computed).value if computed else "", computed_label, True, language)
        + (mark if differ else "")
        + "</span>"
    )
