"""Narrative from Word and imports: paragraphs and lists kept, everything unsafe removed."""

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programmes import sanitize
from programmes.sanitize import ALLOWED_TAGS, clean_html, html_to_text


def test_plain_text_from_word_keeps_paragraphs_and_lists():
    pasted = (
        "Het project loopt voorspoedig.\r\nDe doelstelling is gehaald.\r\n\r\n"
        "•\tHorecaklas gestart\r\n•\tLinkedIn-pagina\r\n\r\n"
        "1. Eerste fase\r\n2. Tweede fase\r\n\r\nTot slot."
    )
    assert clean_html(pasted) == (
        "<p>Het project loopt voorspoedig.<br>De doelstelling is gehaald.</p>"
        "<ul><li>Horecaklas gestart</li><li>LinkedIn-pagina</li></ul>"
        "<ol><li>Eerste fase</li><li>Tweede fase</li></ol>"
        "<p>Tot slot.</p>"
    )


def test_plain_text_is_escaped_not_read_as_html():
    assert clean_html("Doelgroep < 27 jaar & > 50 jaar") == (
        "<p>Doelgroep &lt; 27 jaar &amp; &gt; 50 jaar</p>"
    )


def test_html_from_word_keeps_structure_and_loses_styles_and_classes():
    word = (
        '<p class="MsoNormal" style="margin:0"><b>Vet</b> en <i>schuin</i><o:p></o:p></p>'
        '<ul style="list-style-type: none"><li class="x">Punt</li></ul>'
    )
    assert clean_html(word) == "<p><b>Vet</b> en <i>schuin</i></p><ul><li>Punt</li></ul>"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>a<script>alert(1)</script></p>", "<p>a</p>"),
        ("<p>a<style>p{color:red}</style></p>", "<p>a</p>"),
        ('<p>a<img src="x" onerror="alert(1)"></p>', "<p>a</p>"),
        ('<p onclick="alert(1)">a</p>', "<p>a</p>"),
        ('<a href="javascript:alert(1)">a</a>', '<a rel="noopener noreferrer">a</a>'),
        ('<a href="/intern">a</a>', '<a rel="noopener noreferrer">a</a>'),
        ('<a href="data:text/html,x">a</a>', '<a rel="noopener noreferrer">a</a>'),
        (
            '<a href="https://www.zeeland.nl" target="_blank" title="t">site</a>',
            '<a href="https://www.zeeland.nl" rel="noopener noreferrer">site</a>',
        ),
        (
            '<a href="mailto:info@example.org">mail</a>',
            '<a href="mailto:info@example.org" rel="noopener noreferrer">mail</a>',
        ),
        ("<table><tr><td>cel</td></tr></table>", "cel"),
        ("<h1>Kop</h1><iframe src='x'></iframe>", "Kop"),
    ],
)
def test_only_the_allow_list_survives(dirty, clean):
    assert clean_html(dirty) == clean


def test_empty_input_stays_empty():
    assert clean_html("") == "" and clean_html(None) == "" and clean_html("  \n ") == ""


def test_stored_html_round_trips_through_the_text_area():
    stored = clean_html("Alinea een\n\n• a\n• b\n\n1. x\n2. y\n\nSlot")
    assert clean_html(html_to_text(stored)) == stored


def test_a_link_keeps_its_address_in_the_text_area():
    text = html_to_text('<p>Zie <a href="https://vimeo.com/showcase/6088530">video</a></p>')
    assert text == "Zie video (https://vimeo.com/showcase/6088530)"


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


html_like = st.lists(
    st.sampled_from(
        [
            "<",
            ">",
            "/",
            "=",
            '"',
            "'",
            " ",
            "a",
            "p",
            "img",
            "script",
            "style",
            "href",
            "onerror",
            "javascript:",
            "https://x.nl",
            "class",
            "li",
            "ul",
            "b",
            "tekst",
            "\n",
        ]
    ),
    max_size=40,
).map("".join)


@given(st.one_of(html_like, st.text(max_size=100)))
def test_whatever_comes_in_only_allowed_tags_and_attributes_come_out(text):
    parser = _TagCollector()
    parser.feed(clean_html(text))
    for tag, attributes in parser.tags:
        assert tag in ALLOWED_TAGS
        allowed = {"href", "rel"} if tag == "a" else set()
        assert set(attributes) <= allowed
        href = attributes.get("href") or ""
        assert not href or href.split(":")[0] in ("http", "https", "mailto")


@pytest.mark.django_db
def test_the_report_page_cleans_narrative_that_bypassed_the_form(client):
    from django.urls import reverse

    from programmes.models import ProgressReport
    from tests.worlds import reporting_world as build_world

    world = build_world()
    report = ProgressReport.objects.create(
        project=world.project,
        period=world.period,
        summary='<p>Import</p><script>alert("x")</script><img src=x onerror=alert(1)>',
    )
    client.force_login(world.ministry)
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "<p>Import</p>" in page
    assert 'alert("x")' not in page and "onerror" not in page


def test_comparisons_in_plain_text_are_not_taken_for_tags():
    assert not sanitize.looks_like_html("a < b en b > c")
    assert sanitize.clean_html("a < b en b > c") == "<p>a &lt; b en b &gt; c</p>"
    assert sanitize.looks_like_html("<p class='x'>tekst</p>")
    assert sanitize.looks_like_html("regel<br/>regel")
