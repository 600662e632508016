"""Template filters for narrative text in reporting pages: `{% load reporting %}`,
`{{ report.summary|narrative }}` and `{{ report.summary|narrative_text }}`.

Narratives are plain text; `programmes.text` escapes them once and builds the paragraphs,
lists and links. These filters must never mark anything safe themselves.
"""

from django import template

from programmes import text

register = template.Library()


@register.filter
def narrative(value) -> str:
    """Paragraphs, line breaks, "- " lists and links, from escaped text."""
    return text.narrative_html(value)


@register.filter
def narrative_text(value) -> str:
    """Narrative as one line for excerpts in tables; autoescaped like any text."""
    return text.one_line(value)
