"""Narrative text: what users type, how it is checked, shown and exported.

Narratives (a report's summary and light explanations, activities and their progress,
planning changes, a project's texts) are PLAIN TEXT. They are stored exactly as typed,
angle brackets and ampersands included, and escaped once, on output:

- `normalise_text` is the rule for input (the report form, the Excel import): line breaks
  from Word and other systems (CR, CRLF, vertical tab, form feed, U+2028, U+2029) become
  "\\n"; any other control character is refused with a Dutch message that names the
  character and where it is.
- `narrative_html` is the one way a narrative becomes HTML (pages and PDFs): the text is
  escaped, blank lines separate paragraphs, a single line break is a <br>, lines starting
  with "- ", "• " or "* " form a list, and bare http(s):// and www. addresses become links.
- `one_line` gives a narrative as a single line for excerpts.
- `text_for_excel` makes any text safe for a spreadsheet cell: control characters that
  openpyxl or Excel refuse are dropped, so a stored one can never break an export.
- `html_to_text` reads narratives stored as HTML before they were plain text (the history
  of earlier saves); a data migration converted the stored ones once.

This module must never touch the database, never mark text safe that it did not escape
itself, and never build HTML from anything but escaped text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

# Line breaks as Word, old Macs, Windows and Unicode write them.
_LINE_BREAK = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
# After line breaks are normalised: C0 except tab and newline, DEL, and C1.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What an .xlsx (XML 1.0) cannot hold besides control characters: lone surrogates and the
# noncharacters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
EXCEL_CELL_LIMIT = 32_767  # characters; Excel repairs (and empties) a longer cell

_BULLET = re.compile(r"[ \t]*[-•*][ \t]+(?=\S)")
# A bare address: http(s):// or www. at the start of a word, up to whitespace or a quote.
_URL = re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?'’”"


def _with_newlines(value: str) -> str:
    """Every kind of line break as "\\n"."""
    return _LINE_BREAK.sub("\n", value)


def normalise_text(value: str | None) -> str:
    """Text as typed with every line break as "\\n"; ValidationError for a control character.

    The message names the first such character (its code point, as it cannot be seen) and
    its position counted in characters, a line break counting as one.
    """
    if not value:
        return ""
    text = _with_newlines(str(value))
    found = _CONTROL.search(text)
    if found:
        count = len(_CONTROL.findall(text))
        values = {
            "code": f"U+{ord(found.group()):04X}",
            "position": found.start() + 1,
            "count": count,
        }
        raise ValidationError(
            ngettext(
                "Onzichtbaar teken (%(code)s) op positie %(position)s; verwijder het.",
                "%(count)s onzichtbare tekens, het eerste (%(code)s) op positie "
                "%(position)s; verwijder ze.",
                count,
            ),
            code="control_character",
            params=values,
        )
    return text


def _without_control_characters(value: str) -> str:
    """Line breaks normalised, control characters dropped: for output, never for input."""
    return _CONTROL.sub("", _with_newlines(value))


def text_for_excel(value: str) -> str:
    """Text a spreadsheet cell can hold: control characters, lone surrogates and U+FFFE/FFFF
    dropped (openpyxl refuses some, Excel the others), cut at Excel's cell limit."""
    text = _NOT_IN_XML.sub("", _without_control_characters(str(value)))
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    return text


def one_line(value: str | None) -> str:
    """A narrative as one line: every run of whitespace, line breaks included, one space."""
    if not value:
        return ""
    return " ".join(_without_control_characters(str(value)).split())


# -- Display --------------------------------------------------------------------------------


def narrative_html(value: str | None) -> SafeString:
    """A plain-text narrative as HTML: escaped once; paragraphs, line breaks, lists, links.

    A blank line ends a paragraph or list; lines starting with "- ", "• " or "* " are list
    items; other lines of a paragraph are joined by <br>.
    """
    if not value:
        return mark_safe("")
    parts: list[str] = []
    open_block = ""  # "p", "ul" or ""
    for line in _without_control_characters(str(value)).split("\n"):
        if not line.strip():
            parts.append(f"</{open_block}>" if open_block else "")
            open_block = ""
            continue
        bullet = _BULLET.match(line)
        kind = "ul" if bullet else "p"
        if open_block != kind:
            if open_block:
                parts.append(f"</{open_block}>")
            parts.append(f"<{kind}>")
            open_block = kind
        elif kind == "p":
            parts.append("<br>")
        if bullet:
            parts.append(f"<li>{_with_links(line[bullet.end() :].strip())}</li>")
        else:
            parts.append(_with_links(line.strip()))
    if open_block:
        parts.append(f"</{open_block}>")
    return mark_safe("".join(parts))  # noqa: S308 - built here from escaped text only


def _with_links(line: str) -> str:
    """One line escaped, with bare addresses as links (the address as typed is the text)."""
    pieces: list[str] = []
    position = 0
    for found in _URL.finditer(line):
        address = _without_trailing_punctuation(found.group())
        if not re.search(r"[^\W_]", address.split("//", 1)[-1].removeprefix("www.")):
            continue  # "https://" or "www." alone is no address
        href = address if re.match(r"https?://", address, re.I) else "https://" + address
        pieces.append(html.escape(line[position : found.start()]))
        pieces.append(f'<a href="{html.escape(href)}" rel="noopener">{html.escape(address)}</a>')
        position = found.start() + len(address)
    pieces.append(html.escape(line[position:]))
    return "".join(pieces)


def _without_trailing_punctuation(address: str) -> str:
    """ "(zie https://x.nl/a)." links https://x.nl/a: a sentence's punctuation and an unpaired
    closing bracket are not part of an address."""
    while address and (
        address[-1] in _TRAILING_PUNCTUATION
        or (address[-1] == ")" and address.count(")") > address.count("("))
    ):
        address = address[:-1]
    return address


# -- Narratives stored as HTML (before they were plain text) --------------------------------

# The tags the old cleaner kept, and what Word and the admin put around them.
_KNOWN_TAG = re.compile(
    r"</?(?:p|br|ul|ol|li|strong|em|b|i|u|a|div|span|h[1-6])(?:\s[^<>]*)?/?>", re.IGNORECASE
)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")


def looks_like_html(value: str | None) -> bool:
    """Whether a stored narrative is HTML from before: it has a tag the old cleaner kept
    or a character entity. "Contact <Jan de Vries>" and "5 > 3" are text."""
    if not value:
        return False
    return bool(_KNOWN_TAG.search(value) or _ENTITY.search(value))


def html_to_text(value: str | None) -> str:
    """A narrative stored as HTML as the plain text it now would be; plain text as it is.

    Paragraphs become blank lines, <br> a line break, list items "- item" (numbered lists
    "1. item"), links "text (address)" or the address when that is the text; script and
    style contents are dropped, every other tag is left out with its text kept.
    """
    if not value:
        return ""
    if not looks_like_html(value):
        return str(value)
    reader = _HTMLReader()
    reader.feed(str(value))
    reader.close()
    return reader.text()


class _HTMLReader(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table"})
    _DROPPED = frozenset({"script", "style", "head", "title", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [item number] or [] for bullets
        self.link: tuple[str, int] | None = None  # (href, start in out)
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._DROPPED:
            self.dropping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in self._BLOCKS:
            self.out.append("\n\n")
            if tag in ("ul", "ol"):
                self.lists.append([0] if tag == "ol" else [])
        elif tag == "li":
            numbering = self.lists[-1] if self.lists else []
            if numbering:
                numbering[0] += 1
            self.out.append(f"\n{numbering[0]}. " if numbering else "\n- ")
        elif tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.out))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._DROPPED:
            self.dropping = max(self.dropping - 1, 0)
        elif tag in self._BLOCKS:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag == "a" and self.link:
            href, start = self.link
            self.link = None
            label = " ".join("".join(self.out[start:]).split())
            shown = href.removeprefix("mailto:")
            if href and _bare(label) != _bare(shown):
                self.out.append(f" ({shown})" if label else shown)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            # As a browser does: runs of whitespace in the source are one space.
            self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))

    def text(self) -> str:
        lines = [line.strip(" ") for line in "".join(self.out).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _bare(address: str) -> str:
    """An address without scheme and final slash, to see whether a link's text is its href."""
    return re.sub(r"^https?://", "", address.strip(), flags=re.IGNORECASE).rstrip("/")
