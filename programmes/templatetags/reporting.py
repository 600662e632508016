"""Template filter for narrative text in reporting pages: `{% load reporting %}` and
`{{ report.summary|narrative }}`.

Narrative is sanitised when it is saved, but imports and the admin write it too; cleaning it
again on output (through `programmes.sanitize`, the one allow-list) means a page can never
show a script, whatever path the text took into the database.
"""

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from programmes.sanitize import clean_html

register = template.Library()


@register.filter
def narrative(value) -> str:
    return mark_safe(clean_html(value))


@register.filter
def narrative_text(value) -> str:
    """Narrative as plain text for excerpts in tables: tags become spaces, so paragraphs and
    list items do not run into each other. Autoescaped like any text."""
    return " ".join(strip_tags(str(value or "").replace("<", " <")).split())
