"""Narrative text (summaries, progress, explanations) made safe for a report template.

Coordinators paste from Word, so narratives arrive as plain text or as HTML. The shared
sanitiser (programmes.sanitize, also used by the report form and the imports) keeps a few
harmless tags (paragraphs, lists, emphasis, line breaks, links to http, https or mailto) and
nothing that loads a resource: no images, styles, scripts or event handlers. A link in a
PDF is an annotation WeasyPrint never fetches. This module only marks the result safe for
the PDF templates; it must never loosen what the sanitiser allows.

Amounts typed in a narrative ("€ 240.000") get a no-break space after the euro sign, so a
line never ends in a lone "€" with the figure on the next line.

Spreadsheets get the narrative as text (`narrative_as_text`): a cell would show the tags.
"""

from __future__ import annotations

import html
import re

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from programmes.sanitize import clean_html

NO_BREAK_SPACE = "\u00a0"
# "€ 1.610.000", "€ -50", "(€ 160.000": the sign, ordinary spaces, then a digit or a minus.
_EURO_AMOUNT = re.compile(r"€[ \t]+(?=[-\d])")


def keep_amounts_together(text: str) -> str:
    """ "€ 240.000" with a no-break space, so that the sign and the figure stay on one line."""
    return _EURO_AMOUNT.sub("€" + NO_BREAK_SPACE, text)


def clean_narrative(text: str | None) -> str:
    """The narrative as safe HTML (see programmes.sanitize.clean_html)."""
    return keep_amounts_together(clean_html(text))


def narrative_html(text: str | None) -> SafeString:
    """`clean_narrative`, marked safe for a template."""
    return mark_safe(clean_narrative(text))  # noqa: S308 - sanitised with an allow-list


_BLOCK_BREAK = re.compile(r"</p>|</li>|</h\d>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)


def narrative_as_text(text: str | None) -> str:
    """A narrative as text for a spreadsheet cell: a line per paragraph or list item ("- "
    before an item), tags dropped, entities decoded. Plain text passes through as it is."""
    if not text:
        return ""
    marked = _LIST_ITEM.sub("\n- ", _BLOCK_BREAK.sub("\n", str(text)))
    flat = html.unescape(strip_tags(marked))
    lines = (" ".join(line.split()) for line in flat.splitlines())
    return "\n".join(line for line in lines if line)


def plain_text(text: str | None) -> str:
    """A narrative as one line of plain text (tags dropped, entities decoded), for places
    where paragraphs do not fit, such as a highlight or a note; the template escapes it."""
    if not text:
        return ""
    flat = html.unescape(strip_tags(str(text)))
    return keep_amounts_together(" ".join(flat.split()))
