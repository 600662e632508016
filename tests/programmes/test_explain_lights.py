"""Every light explains itself: a grey light says which of its two reasons holds, a computed
light states its basis in words, and "aandacht nodig" ranks the worst first. The rules live
in programmes/status.py; the demo's reported lights from the words of seed 001 live in
programmes/demo.py."""

import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from programmes import demo, status
from programmes.models import ProgrammeTargetValue, ProgressReport
from programmes.status import Light

SEED_001 = Path("/work/shared/seeds") / demo.SEED_001


def test_grey_says_which_reason():
    no_value = status.indicator_status(baseline=D(0), target=D(10), expected=D(5), actual=None)
    no_expectation = status.indicator_status(
        baseline=D(0), target=D(10), expected=None, actual=D(2)
    )
    assert status.grey_reason([no_value]) == status.GreyReason.NO_VALUE
    assert status.grey_reason([no_expectation]) == status.GreyReason.NO_EXPECTATION
    assert status.GreyReason.NO_VALUE.label == "geen waarde"
    assert status.GreyReason.NO_EXPECTATION.label == "nog geen verwachting"
    green = status.indicator_status(baseline=D(0), target=D(10), expected=D(5), actual=D(5))
    assert status.grey_reason([green]) is None
    # The basis of a grey light names its reason.
    basis = status.indicator_basis(
        indicator=no_value,
        peildatum=datetime.date(2021, 7, 1),
        start_date=None,
        target_date=None,
        planned=None,
        target=D(10),
    )
    assert basis == "grijs: geen waarde op 1-7-2021"


def test_basis_of_zorgstart_in_words():
    """ZorgStart: 250 in two years from 1 February 2021, 43 by 1-7-2021."""
    at = status.indicator_at(
        peildatum=datetime.date(2021, 7, 1),
        baseline=D(0),
        current_target=D(250),
        revisions=(),
        planned=None,
        actual=D(43),
        is_cumulative=True,
        higher_is_better=True,
        start_date=datetime.date(2021, 2, 1),
        target_date=datetime.date(2023, 1, 31),
    )
    basis = status.indicator_basis(
        indicator=at.status,
        peildatum=datetime.date(2021, 7, 1),
        start_date=datetime.date(2021, 2, 1),
        target_date=datetime.date(2023, 1, 31),
        planned=None,
        target=at.target,
    )
    assert at.status.light == Light.AMBER
    assert basis == (
        "43 van verwacht 51 (84 %) op 1-7-2021; verwachting lineair van 1-2-2021 tot 31-1-2023"
    )


def test_attention_order_worst_first_then_furthest_behind():
    rows = [
        ("groen", Light.GREEN, Light.GREEN, None),
        ("oranje 80", None, Light.AMBER, D("0.8")),
        ("rood gerapporteerd", Light.RED, Light.GREEN, D("0.95")),
        ("oranje 65", Light.GREEN, Light.AMBER, D("0.65")),
        ("oranje onbekend", Light.AMBER, Light.GREY, None),
    ]
    needing = [r for r in rows if status.needs_attention(reported=r[1], computed=r[2])]
    needing.sort(key=lambda r: status.attention_order(reported=r[1], computed=r[2], progress=r[3]))
    assert [r[0] for r in needing] == [
        "rood gerapporteerd",
        "oranje 65",
        "oranje 80",
        "oranje onbekend",
    ]


@pytest.mark.parametrize(
    ("sentence", "light"),
    [
        ("Aantal uitstroom loopt hiermee op koers.", "green"),
        ("loopt het project meer dan op koers", "green"),
        ("uitstroom van 43 mensen (volgens doel)", "green"),
        ("ligt daarmee goed op koers", "green"),
        ("Daarmee loopt het iets achter op planning", "amber"),
        ("kenden een latere start en lopen daardoor achter", "amber"),
        ("Het project ligt stil.", "red"),
        ("Het project is gestopt wegens gebrek aan deelnemers.", "red"),
        ("De scholingsmakelaar is aangesteld en van start gegaan.", ""),
    ],
)
def test_words_of_the_source_map_to_a_light(sentence, light):
    assert demo.light_from_words(sentence) == light


@pytest.mark.skipif(not SEED_001.exists(), reason="needs the seed documents")
def test_every_derived_sentence_is_in_the_seed_word_for_word():
    seed = " ".join(SEED_001.read_text(encoding="utf-8").split())
    for sentence in demo.SOURCE_LIGHTS.values():
        assert " ".join(sentence.split()) in seed, sentence
    for value, sentence in demo.SOURCE_TARGET_VALUES.values():
        assert f"Er zijn {value} kandidaten gestart (tot en met juni 2021)" in seed
        assert value in sentence


@pytest.mark.django_db
def test_demo_reports_hout_and_waardetas_oranje_from_the_source_text(settings):
    settings.DEMO_MODE = True
    demo.load_demo(with_users=False)
    reports = {
        r.project.title: r
        for r in ProgressReport.objects.filter(
            period__peildatum=datetime.date(2021, 7, 1),
            project__programme__region__code="gooi-en-vechtstreek",
        ).select_related("project")
    }
    for title in ("Hout", "Waardetas"):
        assert reports[title].reported_light == "amber"
        assert reports[title].light_explanation.startswith(demo.DERIVED_MARK)
        assert "lopen daardoor achter" in reports[title].light_explanation
    assert reports["ZorgStart"].reported_light == "green"
    assert reports["Taalvaardigheid als opstap naar werk"].reported_light == "amber"
    # No words, no light: nothing is invented.
    assert reports["Gezamenlijke aanpak GGZ"].reported_light == ""
    value = ProgrammeTargetValue.objects.get(target__name="Aantal trajecten")
    assert value.value == D(385) and "385 kandidaten" in value.source
    # Loading twice changes nothing.
    assert demo.load_demo(with_users=False).updated == 0
