"""Narratives are plain text: stored as typed, escaped once on output, shown with paragraphs,
lists and links; control characters refused at the form and never in an export."""

import datetime
import importlib
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programmes import report_data, services, text
from programmes.forms import NarrativeField
from programmes.models import ActivityProgress, PlanningChange, ProgressReport, Project
from programmes.overview import programme_overview
from reports import excel
from reports.narrative import narrative_html as pdf_narrative_html
from tests import factories
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world

migration = importlib.import_module("programmes.migrations.0004_narratives_as_plain_text")

REFUSED = [chr(c) for c in [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]]
REFUSED = [c for c in REFUSED if c not in "\r"]
LINE_BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\u2028", "\u2029"]

visible_characters = st.characters(blacklist_categories=("Cs", "Cc"))
fragments = st.sampled_from(
    [
        "<",
        ">",
        "&",
        "&amp;",
        "&lt;p&gt;",
        "<p>",
        "</li>",
        "<script>alert(1)</script>",
        '"',
        "'",
        "Contact <Jan de Vries> voor vragen",
        "https://x.nl/a?b=1&c=2",
        "http://voorbeeld.nl/pad_(1)",
        "(zie https://www.zeeland.nl).",
        "www.zeeland.nl",
        "HTTP://X.NL/Pad",
        "https://",
        "www.",
        "- ",
        "• ",
        "* ",
        "1. ",
        "\t",
        " ",
        "€ 240.000",
        *LINE_BREAKS,
    ]
)
typed_text = st.lists(st.one_of(fragments, st.text(visible_characters, max_size=12)), max_size=25)


# -- What the user sees ------------------------------------------------------------------


class _Page(HTMLParser):
    """The visible text of rendered HTML (block ends as line breaks), its tags and links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.tags, self.links = [], [], []
        self._link = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "br":
            self.parts.append("\n")
        if tag == "a":
            self._link = (dict(attrs), len(self.parts))

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self.parts.append("\n")
        if tag == "a":
            attrs, start = self._link
            self.links.append((attrs, "".join(self.parts[start:])))

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self):
        return "".join(self.parts)


def page_of(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def lines_shown(html: str) -> list[str]:
    """The lines a reader sees: paragraphs, line breaks and list items, each on its own."""
    return [line.strip() for line in page_of(html).text.split("\n") if line.strip()]


def lines_typed(stored: str) -> list[str]:
    """The lines of a stored narrative as they should show: a list item without its marker."""
    unmarked = (re.sub(r"^[ \t]*[-•*][ \t]+(?=\S)", "", line) for line in stored.split("\n"))
    return [line.strip() for line in unmarked if line.strip()]


def through_the_text_area(stored: str) -> str:
    """What the browser sends back for a text area showing `stored`: the value between the
    tags, the first line break dropped, line breaks sent as CRLF."""
    html = NarrativeField().widget.render("summary", stored)
    inside = re.fullmatch(r"<textarea[^>]*>\n(.*)</textarea>", html, flags=re.S).group(1)
    return page_of(inside).text.replace("\n", "\r\n")


def save(value: str) -> str:
    return NarrativeField().clean(value)


@given(typed_text.map("".join))
def test_save_show_save_again_is_stable_and_shows_the_text_as_typed(typed):
    stored = save(typed)
    assert stored == text.normalise_text(typed).strip()
    assert save(through_the_text_area(stored)) == stored

    html = text.narrative_html(stored)
    assert lines_shown(html) == lines_typed(stored)
    page = page_of(html)
    assert set(page.tags) <= {"p", "br", "ul", "li", "a"}
    for attrs, label in page.links:
        assert set(attrs) == {"href", "rel"} and attrs["rel"] == "noopener"
        assert attrs["href"] in (label, "https://" + label)
        assert attrs["href"].lower().startswith(("http://", "https://"))


@given(st.text())
def test_any_text_is_stored_as_typed_or_refused_naming_the_first_control_character(typed):
    normalised = typed
    for brk in LINE_BREAKS:
        normalised = normalised.replace(brk, "\n")
    hidden = [(index, c) for index, c in enumerate(normalised) if c in REFUSED]
    if not hidden:
        assert save(typed) == normalised.strip()
        return
    with pytest.raises(ValidationError) as refused:
        save(typed)
    index, character = hidden[0]
    assert f"(U+{ord(character):04X}) op positie {index + 1}" in refused.value.messages[0]


@pytest.mark.parametrize("brk", LINE_BREAKS)
def test_line_breaks_from_word_and_other_systems_become_one_newline(brk):
    assert text.normalise_text(f"regel 1{brk}regel 2{brk}{brk}alinea") == (
        "regel 1\nregel 2\n\nalinea"
    )


def test_the_message_names_the_character_and_where_it_is():
    with pytest.raises(ValidationError) as refused:
        text.normalise_text("Goede start\x07 gemaakt")
    assert refused.value.messages == ["Onzichtbaar teken (U+0007) op positie 12; verwijder het."]
    with pytest.raises(ValidationError) as refused:
        text.normalise_text("a\x00b\x1bc")
    assert refused.value.messages == [
        "2 onzichtbare tekens, het eerste (U+0000) op positie 2; verwijder ze."
    ]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Contact <Jan de Vries> voor vragen", "<p>Contact &lt;Jan de Vries&gt; voor vragen</p>"),
        ("het <style>-element en de rest", "<p>het &lt;style&gt;-element en de rest</p>"),
        ("Werk & Inkomen 5 > 3", "<p>Werk &amp; Inkomen 5 &gt; 3</p>"),
        ("Werk &amp; Inkomen", "<p>Werk &amp;amp; Inkomen</p>"),
        (
            "Het loopt.\nGoed.\n\n- een\n• twee\n* drie\n\nSlot",
            "<p>Het loopt.<br>Goed.</p><ul><li>een</li><li>twee</li><li>drie</li></ul><p>Slot</p>",
        ),
        ("Resultaten:\n- een\nverder", "<p>Resultaten:</p><ul><li>een</li></ul><p>verder</p>"),
        ("-5 deelnemers\n1. eerste", "<p>-5 deelnemers<br>1. eerste</p>"),
        (
            "Zie https://x.nl/a?b=1&c=2.",
            '<p>Zie <a href="https://x.nl/a?b=1&amp;c=2" rel="noopener">'
            "https://x.nl/a?b=1&amp;c=2</a>.</p>",
        ),
        (
            "(zie www.zeeland.nl)",
            '<p>(zie <a href="https://www.zeeland.nl" rel="noopener">www.zeeland.nl</a>)</p>',
        ),
        ("javascript:alert(1) en https:// alleen", "<p>javascript:alert(1) en https:// alleen</p>"),
        ("", ""),
    ],
)
def test_a_narrative_is_shown_escaped_once_with_paragraphs_lists_and_links(typed, shown):
    assert text.narrative_html(typed) == shown


def test_a_narrative_shows_the_same_in_the_pdf_with_amounts_kept_whole():
    assert pdf_narrative_html("Totaal € 3.000.000 & meer\n- (€ 160.000)") == (
        "<p>Totaal €\u00a03.000.000 &amp; meer</p><ul><li>(€\u00a0160.000)</li></ul>"
    )


# -- The report form and the pages -------------------------------------------------------


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def report(world):
    return services.start_report(project=world.project, period=world.period, user=world.coordinator)


def test_what_is_typed_is_stored_and_shown_once_escaped_after_two_saves(client, world, report):
    typed = (
        "Contact <Jan de Vries> voor vragen\nWerk & Inkomen 5 > 3\n\n"
        "- het <style>-element en de rest\n- zie https://www.zeeland.nl"
    )
    client.force_login(world.coordinator)
    url = reverse("reporting:report_edit", args=[report.pk])
    assert client.post(url, complete_post(report, world, summary=typed)).status_code == 302
    report.refresh_from_db()
    assert report.summary == typed

    form_page = client.get(url).content.decode()
    box = re.search(r'<textarea name="summary"[^>]*>\n(.*?)</textarea>', form_page, re.S)
    sent_back = page_of(box.group(1)).text.replace("\n", "\r\n")
    assert client.post(url, complete_post(report, world, summary=sent_back)).status_code == 302
    report.refresh_from_db()
    assert report.summary == typed

    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Contact &lt;Jan de Vries&gt; voor vragen<br>Werk &amp; Inkomen 5 &gt; 3" in page
    assert "<li>het &lt;style&gt;-element en de rest</li>" in page
    assert '<a href="https://www.zeeland.nl" rel="noopener">https://www.zeeland.nl</a>' in page
    assert "&amp;amp;" not in page


def test_the_form_refuses_a_control_character_and_keeps_what_was_typed(client, world, report):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("reporting:report_edit", args=[report.pk]),
        complete_post(report, world, summary="Voortgang\x07 goed", **{"act-0-progress": "Bel\x1b"}),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Onzichtbaar teken (U+0007) op positie 10; verwijder het." in page
    assert "Onzichtbaar teken (U+001B) op positie 4; verwijder het." in page
    assert "Voortgang\x07 goed" in page
    report.refresh_from_db()
    assert report.summary == ""


def test_a_narrative_that_bypassed_the_form_is_shown_as_text(client, world):
    report = ProgressReport.objects.create(
        project=world.project,
        period=world.period,
        summary='Import<script>alert("x")</script><img src=x onerror=alert(1)>',
        state=ProgressReport.State.SUBMITTED,  # a reader sees submitted reports only
    )
    client.force_login(world.ministry)
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Import&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x" in page
    assert "<script>alert" not in page and "<img src=x" not in page


def test_the_history_shows_old_html_and_new_text_readably(world, report):
    report.summary = "<p>Werk &amp; Inkomen</p><ul><li>een</li></ul>"
    report.save()
    report.summary = "Werk & Inkomen <Jan>\n- een"
    report.save()

    changes = [
        change
        for entry in report_data.report_history(report)
        for change in entry.changes
        if change.label == "Samenvatting"
    ]
    assert (changes[0].old, changes[0].new) == (
        "Werk & Inkomen\n\n- een",
        "Werk & Inkomen <Jan>\n- een",
    )


# -- Exports -------------------------------------------------------------------------------


@given(st.text())
def test_text_for_excel_gives_only_what_a_cell_can_hold(value):
    cleaned = text.text_for_excel(value)
    assert not any(c in REFUSED or c in "\r\x0b\x0c" for c in cleaned)
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = cleaned  # openpyxl raises IllegalCharacterError for the rest
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert (openpyxl.load_workbook(buffer).active["A1"].value or "") == cleaned


@pytest.fixture
def export_world(db):
    programme = factories.ProgrammeFactory(slug="werken-aan-werk", name="Werken aan Werk")
    period = factories.ReportingPeriodFactory(
        programme=programme, peildatum=datetime.date(2021, 7, 1)
    )
    project = factories.ProjectFactory(programme=programme, code="A1", title="ZorgStart")
    report = factories.ProgressReportFactory(project=project, period=period)
    factories.FundingLineFactory(report=report, source=factories.FundingSourceFactory(name="Rijk"))
    manager = factories.UserFactory(username="manager")
    programme.managers.add(manager)
    return programme, period, project, report, manager


# Stored text as an old save or a direct database edit may have left it. Without NUL: a
# PostgreSQL text column cannot hold it at all (and the form refuses it first).
with_control_characters = st.lists(
    st.one_of(
        st.sampled_from([c for c in REFUSED + LINE_BREAKS if c != "\x00"]),
        st.text(
            alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
            max_size=8,
        ),
    ),
    min_size=1,
).map("".join)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=with_control_characters)
def test_control_characters_never_reach_the_programme_export(export_world, value):
    programme, period, project, report, _manager = export_world
    ProgressReport.objects.filter(pk=report.pk).update(summary=value, light_cause=value)
    Project.objects.filter(pk=project.pk).update(title=value[:250])
    report.funding_lines.update(note=value)

    tables = excel.export_tables([programme_overview(programme=programme, period=period)])
    book = openpyxl.load_workbook(io.BytesIO(excel.workbook_bytes(tables, title=value)))
    cells = [cell.value for ws in book for row in ws.iter_rows() for cell in row]
    csv_text = "".join(excel.csv_bytes(table).decode("utf-8-sig") for table in tables)
    for written in [*(c for c in cells if isinstance(c, str)), csv_text.replace("\r\n", "")]:
        assert not any(c in REFUSED or c in "\x0b\x0c" for c in written)


def test_a_bell_in_a_narrative_does_not_break_the_export(client, export_world):
    programme, _period, _project, report, manager = export_world
    ProgressReport.objects.filter(pk=report.pk).update(summary="Voor\x07af\r\nna")
    client.force_login(manager)
    response = client.get(reverse("excel:programme_export", kwargs={"slug": programme.slug}))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Projecten"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("Samenvatting") + 1).value == "Vooraf\nna"


# -- The data migration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "plain"),
    [
        ("<p>Werk &amp; Inkomen 5 &gt; 3</p>", "Werk & Inkomen 5 > 3"),
        ("<p>Een<br>twee</p><p>Drie</p>", "Een\ntwee\n\nDrie"),
        (
            "<p>Resultaten:</p><ul><li>een</li><li>twee</li></ul><ol><li>x</li><li>y</li></ol>",
            "Resultaten:\n\n- een\n- twee\n\n1. x\n2. y",
        ),
        (
            '<p>Zie <a href="https://vimeo.com/6088530" rel="noopener noreferrer">video</a></p>',
            "Zie video (https://vimeo.com/6088530)",
        ),
        (
            '<p><a href="https://www.zeeland.nl" rel="noopener noreferrer">https://www.zeeland.nl</a>'
            ' of <a href="mailto:info@example.org">info@example.org</a></p>',
            "https://www.zeeland.nl of info@example.org",
        ),
        ("<p><strong>Vet</strong> en\n  <em>schuin</em></p>", "Vet en schuin"),
        ('<p>a</p><a rel="noopener noreferrer">klik</a>', "a\n\nklik"),
        ("Contact  voor vragen", "Contact  voor vragen"),
        ("Contact <Jan de Vries> voor vragen", "Contact <Jan de Vries> voor vragen"),
        ("5 > 3 & 2 < 4", "5 > 3 & 2 < 4"),
        ("", ""),
    ],
)
def test_the_migration_turns_stored_html_into_the_text_a_user_would_type(stored, plain):
    assert migration.html_to_text(stored) == plain


html_like = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<br>",
            "<ul>",
            "<ol>",
            "<li>",
            "</li>",
            "</ul>",
            "</ol>",
            "&amp;",
            "&lt;",
            "<b>",
            "</b>",
            '<a href="https://x.nl">',
            '<a href="mailto:a@b.nl">',
            "</a>",
            "<script>",
            "</script>",
            "tekst",
            " ",
            "\n",
            "<",
            ">",
            "&",
        ]  # fmt: skip
    )
).map("".join)


@given(st.one_of(html_like, st.text()))
def test_the_frozen_converter_and_the_history_read_html_the_same_way(value):
    assert migration.html_to_text(value) == text.html_to_text(value)


@pytest.mark.django_db
def test_the_migration_converts_every_narrative_stored_as_html_and_leaves_text_alone(world):
    report = ProgressReport.objects.create(
        project=world.project,
        period=world.period,
        summary="<p>Werk &amp; Inkomen</p><ul><li>een</li></ul>",
        light_cause="Contact <Jan de Vries> voor vragen",
        budget_note="<p>Tekort &lt; 5%</p>",
    )
    activity = ActivityProgress.objects.create(
        report=report, activity="<p>Werving</p>", progress="5 > 3"
    )
    change = PlanningChange.objects.create(
        report=report, year=2021, changed_description="<p>Later<br>gestart</p>"
    )
    Project.objects.filter(pk=world.project.pk).update(action="<p>Matchen &amp; plaatsen</p>")
    history_rows = ProgressReport.history.count()

    migration.convert_narratives(apps, None)

    report.refresh_from_db()
    activity.refresh_from_db()
    change.refresh_from_db()
    assert report.summary == "Werk & Inkomen\n\n- een"
    assert report.light_cause == "Contact <Jan de Vries> voor vragen"
    assert report.budget_note == "Tekort < 5%"
    assert (activity.activity, activity.progress) == ("Werving", "5 > 3")
    assert change.changed_description == "Later\ngestart"
    assert Project.objects.get(pk=world.project.pk).action == "Matchen & plaatsen"
    assert ProgressReport.history.count() == history_rows
