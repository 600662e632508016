"""Template filters of the PDF reports: `{{ text|narrative }}`.

Load with `{% load report_format %}`. Sanitising lives in reports.narrative.
"""

from django import template

from reports.narrative import narrative_html

register = template.Library()


@register.filter
def narrative(value):
    """Narrative text or pasted HTML as safe paragraphs (only harmless tags, no attributes)."""
    return narrative_html(value)
