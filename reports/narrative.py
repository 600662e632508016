"""Narrative text (summaries, progress, explanations) for the PDF templates.

Narratives are plain text; `programmes.text` escapes them once and builds the paragraphs,
lists and links, exactly as the pages do. A link in a PDF is an annotation WeasyPrint never
fetches, and escaped text can hold no image, style or script. This module adds one PDF habit:
amounts typed in a narrative ("€ 240.000") get a no-break space after the euro sign, so a
line never ends in a lone "€" with the figure on the next line.

It must never build HTML itself or mark text safe that `programmes.text` did not build.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString

from programmes.text import narrative_html as plain_text_as_html
from programmes.text import one_line

NO_BREAK_SPACE = "\u00a0"
# "€ 1.610.000", "€ -50", "(€ 160.000": the sign, ordinary spaces, then a digit or a minus.
_EURO_AMOUNT = re.compile(r"€[ \t]+(?=[-\d])")


def keep_amounts_together(text: str) -> str:
    """ "€ 240.000" with a no-break space, so that the sign and the figure stay on one line."""
    return _EURO_AMOUNT.sub("€" + NO_BREAK_SPACE, text)


def narrative_html(text: str | None) -> SafeString:
    """The narrative as HTML for a PDF: `programmes.text.narrative_html`, amounts kept whole."""
    return plain_text_as_html(keep_amounts_together(text or ""))


def plain_text(text: str | None) -> str:
    """A narrative as one line of text, for places where paragraphs do not fit, such as a
    highlight or a note; the template escapes it."""
    return keep_amounts_together(one_line(text))
