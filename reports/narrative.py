"""Narrative text (summaries, progress, explanations) made safe for a report template.

Coordinators paste from Word, so narratives arrive as plain text or as HTML. The shared
sanitiser (programmes.sanitize, also used by the report form and the imports) keeps a few
harmless tags (paragraphs, lists, emphasis, line breaks, links to http, https or mailto) and
nothing that loads a resource: no images, styles, scripts or event handlers. A link in a
PDF is an annotation WeasyPrint never fetches. This module only marks the result safe for
the PDF templates; it must never loosen what the sanitiser allows.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from programmes.sanitize import clean_html


def clean_narrative(text: str | None) -> str:
    """The narrative as safe HTML (see programmes.sanitize.clean_html)."""
    return clean_html(text)


def narrative_html(text: str | None) -> SafeString:
    """`clean_narrative`, marked safe for a template."""
    return mark_safe(clean_narrative(text))  # noqa: S308 - sanitised with an allow-list
