"""Template filters of the PDF reports: `{{ text|narrative }}` and `{{ text|plain }}`.

Load with `{% load report_format %}`. Sanitising lives in reports.narrative.
"""

from django import template

from reports.narrative import narrative_html, plain_text

register = template.Library()


@register.filter
def narrative(value):
    """Narrative text or pasted HTML as safe paragraphs (only harmless tags, no attributes)."""
    return narrative_html(value)


@register.filter
def plain(value):
    """Narrative text or pasted HTML as one line of text (escaped by the template)."""
    return plain_text(value)
