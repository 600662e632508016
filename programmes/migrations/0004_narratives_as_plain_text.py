"""Narratives stored as HTML (the old cleaner, the demo loader, the admin) become plain text.

Narratives are plain text now (programmes/text.py): stored as typed, escaped once on output.
This migration converts, once, every narrative that still holds HTML: paragraphs become
blank lines, <br> a line break, list items "- item" (numbered "1. item"), links "text
(address)" or the address, entities their character. Plain text is left alone, so
"Contact <Jan de Vries>" or "5 > 3" typed in the admin or imported stays as it is.

The converter below is frozen on purpose: it must convert the same way whatever the
application's text module becomes later, so it imports nothing from the application.
History (simple_history's tables) is left as it was recorded; bulk_update writes no
history rows.
"""

import re
from html.parser import HTMLParser

from django.db import migrations
from django.db.models import Q

NARRATIVE_FIELDS = {
    "Programme": ("description",),
    "Pillar": ("description",),
    "ProgrammeTarget": ("description",),
    "Project": (
        "action",
        "intended_result",
        "achieved_result",
        "follow_up",
        "public_funds",
        "extra_info",
    ),
    "ProgressReport": (
        "summary",
        "light_explanation",
        "light_cause",
        "light_consequences",
        "light_recovery",
        "budget_note",
    ),
    "ActivityProgress": ("activity", "progress"),
    "PlanningChange": ("original_description", "changed_description"),
}
BATCH = 500

KNOWN_TAG = re.compile(
    r"</?(?:p|br|ul|ol|li|strong|em|b|i|u|a|div|span|h[1-6])(?:\s[^<>]*)?/?>", re.IGNORECASE
)
ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")
BLOCKS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table"})
DROPPED = frozenset({"script", "style", "head", "title", "template"})


def is_html(value):
    return bool(value) and bool(KNOWN_TAG.search(value) or ENTITY.search(value))


def bare(address):
    return re.sub(r"^https?://", "", address.strip(), flags=re.IGNORECASE).rstrip("/")


class Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.lists = []
        self.link = None
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED:
            self.dropping += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in BLOCKS:
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

    def handle_endtag(self, tag):
        if tag in DROPPED:
            self.dropping = max(self.dropping - 1, 0)
        elif tag in BLOCKS:
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            self.out.append("\n\n")
        elif tag == "a" and self.link:
            href, start = self.link
            self.link = None
            label = " ".join("".join(self.out[start:]).split())
            shown = href.removeprefix("mailto:")
            if href and bare(label) != bare(shown):
                self.out.append(f" ({shown})" if label else shown)

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))

    def text(self):
        lines = [line.strip(" ") for line in "".join(self.out).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(value):
    """Stored HTML as plain text; plain text as it is."""
    if not is_html(value):
        return value
    reader = Reader()
    reader.feed(value)
    reader.close()
    return reader.text()


def convert_narratives(apps, schema_editor):
    for model_name, fields in NARRATIVE_FIELDS.items():
        model = apps.get_model("programmes", model_name)
        maybe_html = Q()
        for field in fields:
            maybe_html |= Q(**{f"{field}__contains": "<"}) | Q(**{f"{field}__contains": "&"})
        pks = list(model.objects.filter(maybe_html).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            changed = []
            for row in model.objects.filter(pk__in=pks[start : start + BATCH]).only(*fields):
                before = [getattr(row, field) for field in fields]
                for field in fields:
                    setattr(row, field, html_to_text(getattr(row, field)))
                if before != [getattr(row, field) for field in fields]:
                    changed.append(row)
            model.objects.bulk_update(changed, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_project_estimated_cost"),
    ]

    operations = [
        migrations.RunPython(convert_narratives, migrations.RunPython.noop, elidable=True),
    ]
