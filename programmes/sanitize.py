"""Narrative text from users and imports, made safe and kept readable.

Coordinators paste from Word: paragraphs, bullet lists and now and then a link. This module
turns such input into a small, safe subset of HTML (p, br, ul, ol, li, strong, em, b, i and
links to http, https or mailto) and back into plain text for a text area. The report form,
the imports and the PDFs all use it, so that what is stored is always safe to show.

It must never let through images, scripts, styles, classes or event handlers, and never
touch the database.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Tags whose content is dropped too, not only the tag: their text is never narrative.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "head", "title", "xml", "template"})

# A tag starts right after "<" (no space): "a < b en c > d" in a sentence is text.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_BULLET = re.compile(r"^\s*(?:[•·▪◦●○§\-\*–]|o(?=\s))\s+")
_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


def clean_html(value: str | None) -> str:
    """Safe HTML from pasted or imported HTML, or from plain text with paragraphs and lists.

    Plain text is escaped first, so "<3 jaar" in a plain sentence stays text.
    """
    if not value:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if not looks_like_html(text):
        text = text_to_html(text)
    cleaned = nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        # "*": no generic attributes (nh3 would keep title and lang on every tag).
        attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned.strip()


def text_to_html(text: str) -> str:
    """Plain text to HTML: blank lines separate paragraphs, bullets and numbers make lists,
    single line breaks stay line breaks."""
    blocks = [block for block in _BLANK_LINES.split(text.strip()) if block.strip()]
    parts: list[str] = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        current_list: str | None = None
        paragraph: list[str] = []

        for line in lines:
            kind = "ul" if _BULLET.match(line) else "ol" if _NUMBERED.match(line) else None
            if kind:
                _flush_paragraph(paragraph, parts)
                if current_list != kind:
                    if current_list:
                        parts.append(f"</{current_list}>")
                    parts.append(f"<{kind}>")
                    current_list = kind
                item = (_BULLET if kind == "ul" else _NUMBERED).sub("", line, count=1)
                parts.append(f"<li>{html.escape(item.strip(), quote=False)}</li>")
            else:
                if current_list:
                    parts.append(f"</{current_list}>")
                    current_list = None
                paragraph.append(html.escape(line.strip(), quote=False))
        _flush_paragraph(paragraph, parts)
        if current_list:
            parts.append(f"</{current_list}>")
    return "".join(parts)


def _flush_paragraph(paragraph: list[str], parts: list[str]) -> None:
    if paragraph:
        parts.append("<p>" + "<br>".join(paragraph) + "</p>")
        paragraph.clear()


def html_to_text(value: str | None) -> str:
    """Stored HTML back to the plain text a text area shows: paragraphs separated by a blank
    line, list items as "• item" (numbered lists as "1. item"), links as "text (address)".

    `clean_html(html_to_text(x))` keeps paragraphs, lists and the addresses of links.
    """
    if not value:
        return ""
    text = str(value)
    if not looks_like_html(text):
        return text

    def link(match: re.Match[str]) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        label_text = _TAG.sub("", label).strip()
        return label_text if label_text == href else f"{label_text} ({href})"

    text = re.sub(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', link, text, flags=re.S)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</p>\s*", "\n\n", text)
    text = re.sub(r"</(ul|ol)>\s*", "\n\n", text)

    def numbered(match: re.Match[str]) -> str:
        items = re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), flags=re.S)
        return "".join(f"{index}. {item.strip()}\n" for index, item in enumerate(items, 1))

    text = re.sub(r"<ol[^>]*>(.*?)(?=\n\n|$)", numbered, text, flags=re.S)
    text = re.sub(r"<li[^>]*>", "• ", text)
    text = re.sub(r"</li>\s*", "\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
