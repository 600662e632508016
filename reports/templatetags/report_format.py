"""Template filters of the PDF reports: `{{ text|narrative }}` and `{{ text|plain }}`.

Load with `{% load report_format %}`. Narratives are plain text; see reports.narrative.
"""

from django import template

from programmes.status import Light
from reports.narrative import narrative_html, plain_text

register = template.Library()


@register.filter
def narrative(value):
    """A narrative as escaped paragraphs, lists and links."""
    return narrative_html(value)


@register.filter
def plain(value):
    """A narrative as one line of text (escaped by the template)."""
    return plain_text(value)


@register.inclusion_tag("reports/_light.html")
def print_light(light, small=False):
    """A light for a PDF: shape (a decorative background), word and colour."""
    return {"light": Light(light) if light else None}
