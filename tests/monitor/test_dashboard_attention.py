"""What an alderman sees first: projects that need attention (worst first, with both lights
and the reason), what changed since the previous peildatum, one peildatum carried on every
link, and never a concept figure for a reader (wethouder, ministerie)."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils.html import escape

from programmes.read import dashboard as reads
from tests import worlds
from tests.reports.helpers import pdf_text
from tests.worlds import seeds
from tests.worlds.build import indicator, period, pillar, project, report, target

pytestmark = pytest.mark.django_db

H2 = datetime.date(2021, 1, 1)
H1 = datetime.date(2021, 7, 1)
H3 = datetime.date(2022, 1, 1)
DATES = {"start_date": datetime.date(2021, 1, 1), "end_date": datetime.date(2022, 12, 31)}
PILLAR = "Bijstelling"
DRAFT_WORDS = "Conceptzin die een lezer nooit mag zien"


def _indicator(name, counts_towards=None):
    return indicator(
        name, target=counts_towards, target_value=D(100), target_date=datetime.date(2022, 12, 31)
    )


def _project(title, code, number, reports, counts_towards=None, **fields):
    return project(
        title,
        code=code,
        number=number,
        pillar=PILLAR,
        indicators=[_indicator(f"{title} uitstroom", counts_towards)],
        reports=reports,
        **{**DATES, **fields},
    )


def _approved(day, light, value, name, **fields):
    return report(
        day,
        state="approved",
        reported_light=light,
        values={f"{name} uitstroom": D(value)},
        **fields,
    )


@pytest.fixture
def world():
    """Three peildata. At 1-7-2021 (the default: the latest with an approved report):
    Kompas reported rood, Anker computed oranje (reported groen), Baken on track, Duin only a
    submitted report (voorlopig, reported oranje). At 1-1-2022 only concept reports: Baken
    rood with words a reader must never see."""
    # Expected on 1-7-2021 on the line 0 → 100 from 1-1-2021 to 31-12-2022: about 24,8.
    kompas = _project(
        "Kompas",
        "K",
        1,
        [
            _approved(
                H2,
                "green",
                1,
                "Kompas",
                budget=[{"year": 2021, "budget": D(1000), "spent": D(300)}],
            ),
            _approved(
                H1,
                "red",
                5,
                "Kompas",
                light_cause="De locatie is pas in mei beschikbaar gekomen.",
                light_recovery="Extra instroom via het WSP.",
                budget=[{"year": 2021, "budget": D(1000), "spent": D(900), "forecast": D(400)}],
            ),
        ],
        counts_towards=seeds.BEMIDDELD,
    )
    anker = _project(
        "Anker",
        "A",
        2,
        [
            _approved(H2, "green", 1, "Anker"),
            _approved(H1, "green", 18, "Anker", light_explanation="Volgens de planning."),
        ],
    )
    baken = _project(
        "Baken",
        "B",
        3,
        [
            _approved(H2, "green", 1, "Baken"),
            _approved(H1, "green", 30, "Baken"),
            report(H3, state="draft", reported_light="red", summary=DRAFT_WORDS),
        ],
    )
    duin = _project(
        "Duin",
        "D",
        4,
        [
            report(
                H1,
                state="submitted",
                reported_light="amber",
                light_cause="Minder aanmeldingen dan gedacht.",
                values={"Duin uitstroom": D(20)},
            )
        ],
        start_date=datetime.date(2021, 3, 1),
    )
    built = worlds.gooi(
        slug="werken-aan-werk",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        periods=[period(H2), period(H1), period(H3)],
        pillars=[pillar(PILLAR)],
        targets=[target(seeds.BEMIDDELD, target_value=D(520))],
        projects=[kompas, anker, baken, duin],
    )
    return built


@pytest.fixture
def people(world):
    return worlds.users_for(world)


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_attention_lists_red_and_amber_by_name_worst_first_with_both_lights(world, people):
    page = reads.programme_page(user=people.wethouder, slug="werken-aan-werk")
    assert page.overview.period.peildatum == H1
    names = [item.project.title for item in page.attention]
    # Kompas is reported rood; Anker computed oranje (18 of about 25: 72 %); Duin reported
    # oranje (voorlopig); Baken is on track at 1-7-2021 and not listed.
    assert names == ["Kompas", "Anker", "Duin"]
    kompas = page.attention[0]
    assert kompas.cause == "De locatie is pas in mei beschikbaar gekomen."
    assert kompas.recovery == "Extra instroom via het WSP."
    assert kompas.project.budget.is_over_budget
    duin = page.attention[2]
    assert duin.project.is_provisional
    assert "Baken" in [p.title for p in page.other_projects]


def test_home_names_the_projects_with_reason_and_budget_reason(client, world, people):
    client.force_login(people.wethouder)
    home = _text(client.get(reverse("dashboard:home")))
    attention = home.split("Aandacht nodig", 1)[1].split("Wat is er veranderd", 1)[0]
    assert attention.index("Kompas") < attention.index("Anker") < attention.index("Duin")
    assert "Baken" not in attention
    assert "De locatie is pas in mei beschikbaar gekomen." in attention
    assert "Extra instroom via het WSP." in attention
    # The budget light with its reason (spent more than budgeted for the time elapsed).
    reason = reads.programme_page(user=people.wethouder, slug="werken-aan-werk").attention[0]
    assert "meer dan begroot" in reason.project.budget.reason
    assert escape(reason.project.budget.reason) in attention
    assert "voorlopig" in attention
    # The computed light's basis in words.
    anker = reads.programme_page(user=people.wethouder, slug="werken-aan-werk").attention[1]
    assert re.search(r"18 van verwacht 25 \(7\d %\) op 1-7-2021", anker.project.computed_basis)
    assert anker.project.computed_basis in attention
    # The page states its peildatum once, at the top.
    assert "<strong>peildatum 1-7-2021</strong>" in home


@pytest.mark.parametrize("role", ["wethouder", "ministerie"])
def test_readers_never_see_concept_figures(client, world, people, role):
    user = getattr(people, role)
    client.force_login(user)
    slug = "werken-aan-werk"
    pages = [
        reverse("dashboard:home") + ("?regio=gooi-en-vechtstreek" if role == "ministerie" else ""),
        reverse("dashboard:home") + "?periode=2021-H2",
        reverse("dashboard:programme", args=[slug]),
        reverse("dashboard:programme", args=[slug]) + "?periode=2021-H2",
        reverse("dashboard:project", args=[slug, "B"]),
        reverse("dashboard:project", args=[slug, "B"]) + "?periode=2021-H2",
    ]
    for url in pages:
        page = _text(client.get(url))
        assert DRAFT_WORDS not in page, url
    # At 1-1-2022 Baken has only a draft: for a reader it has no report and no light.
    view = reads.programme_page(user=user, slug=slug, period_key="2021-H2")
    baken = next(p for p in view.overview.projects if p.code == "B")
    assert baken.report is None and baken.reported_light is None
    # Its computed light is grey, and says why: the draft's value does not count.
    assert baken.computed_light == "grey" and baken.grey_reason.label == "geen waarde"
    programme_page = _text(
        client.get(reverse("dashboard:programme", args=[slug]) + "?periode=2021-H2")
    )
    assert '<small class="grey-reason">(geen waarde)</small>' in programme_page
    assert "Baken" not in [item.project.title for item in view.attention]


def test_a_manager_sees_the_concept_of_their_programme(client, world, people):
    client.force_login(people.manager)
    page = _text(
        client.get(reverse("dashboard:programme", args=["werken-aan-werk"]) + "?periode=2021-H2")
    )
    assert DRAFT_WORDS in page
    view = reads.programme_page(user=people.manager, slug="werken-aan-werk", period_key="2021-H2")
    assert [item.project.title for item in view.attention][0] == "Baken"


def test_what_changed_lists_exactly_the_changed_lights(world, people):
    page = reads.programme_page(user=people.wethouder, slug="werken-aan-werk")
    changes = page.changes
    assert changes.previous.peildatum == H2
    changed = {(c.title, c.which, c.was, c.now) for c in changes.lights}
    # Kompas reported green → red and computed (1 of 0 expected: grey; 5 of 25: red);
    # Anker computed to oranje; Baken computed to green; Duin had no report at 1-1-2021.
    by_project = {}
    for title, which, was, now in changed:
        by_project.setdefault(title, set()).add((which, was, now))
    assert by_project["Kompas"] >= {("reported", "green", "red")}
    assert ("reported", None, "amber") in by_project["Duin"]
    assert "Anker" in by_project and all(which == "computed" for which, _, _ in by_project["Anker"])
    # Nothing else: every listed change is a real change.
    for change in changes.lights:
        assert change.was != change.now
    assert [m.title for m in changes.new_reds] == ["Kompas"]
    assert [m.title for m in changes.started] == ["Duin"]  # started 1-3-2021
    # Kompas's outflow counts towards the programme target: 1 → 5 is +4.
    (bemiddeld,) = changes.targets
    assert (bemiddeld.was, bemiddeld.now, bemiddeld.delta) == (D(1), D(5), D(4))
    # Spent in the half-year: Kompas 900 now against 300 at 1-1-2021 (the one project with a
    # cost table at both peildata).
    assert (changes.spent, changes.spent_projects) == (D(600), 1)


def test_what_changed_on_a_world_with_two_peildata_lists_only_changed_lights(client):
    def one(title, code, was, now):
        return project(
            title,
            code=code,
            pillar=PILLAR,
            reports=[
                report(H2, state="approved", reported_light=was),
                report(H1, state="approved", reported_light=now),
            ],
            **DATES,
        )

    world = worlds.gooi(
        slug="twee-peildata",
        periods=[period(H2), period(H1)],
        pillars=[pillar(PILLAR)],
        targets=[],
        projects=[
            one("Gelijk", "G", "green", "green"),
            one("Slechter", "S", "green", "amber"),
            one("Beter", "BE", "red", "green"),
            one("Nog steeds rood", "R", "red", "red"),
        ],
    )
    people = worlds.users_for(world)
    page = reads.programme_page(user=people.wethouder, slug="twee-peildata")
    assert {(c.title, c.was, c.now) for c in page.changes.lights} == {
        ("Slechter", "green", "amber"),
        ("Beter", "red", "green"),
    }
    assert page.changes.new_reds == ()
    client.force_login(people.wethouder)
    html = _text(client.get(reverse("dashboard:programme", args=["twee-peildata"])))
    changed = html.split('id="veranderd"', 1)[1].split("</section>", 1)[0]
    assert "Slechter" in changed and "Beter" in changed
    assert "Gelijk" not in changed and "Nog steeds rood" not in changed


LINK = re.compile(r'href="([^"]+)"')


def _dashboard_links(html: str) -> list[str]:
    """Links in the page's content to a programme, project, report, PDF or export."""
    html = html.split('<main id="inhoud"', 1)[1]
    return [
        href.replace("&amp;", "&")
        for href in LINK.findall(html)
        if re.match(r"/(programma|rapportages|rapporten|excel)/", href)
        and not href.startswith("/rapporten/?")
        and "/import" not in href
    ]


def test_every_link_on_home_and_programme_carries_the_peildatum(client, world, people):
    client.force_login(people.wethouder)
    for url, key in [
        (reverse("dashboard:home"), "2021-H1"),
        (reverse("dashboard:home") + "?periode=2020-H2", "2020-H2"),
        (reverse("dashboard:programme", args=["werken-aan-werk"]), "2021-H1"),
        (reverse("dashboard:programme", args=["werken-aan-werk"]) + "?periode=2020-H2", "2020-H2"),
    ]:
        links = _dashboard_links(_text(client.get(url)))
        assert links, url
        for href in links:
            peildatum = {"2021-H1": "2021-07-01", "2020-H2": "2021-01-01"}[key]
            assert f"periode={key}" in href or peildatum in href, (url, href)


def test_all_cards_of_a_region_share_one_peildatum_after_one_approval(client):
    """One programme has an approved report at 1-1-2022, the other not yet: both cards show
    1-1-2022 (the region's latest approved peildatum), and 1-7-2021 can be chosen for both."""

    def programme(slug, approved_at):
        return worlds.gooi(
            slug=slug,
            name=slug.title(),
            periods=[period(H1), period(H3)],
            pillars=[pillar(PILLAR)],
            targets=[],
            projects=[
                project(
                    f"Project {slug}",
                    code="P",
                    pillar=PILLAR,
                    reports=[report(day, state="approved") for day in approved_at],
                    **DATES,
                )
            ],
        )

    first = programme("eerste", [H1, H3])
    programme("tweede", [H1])
    people = worlds.users_for(first)
    (region,) = reads.home(user=people.wethouder).regions
    assert len(region.programmes) == 2
    assert region.peildatum == H3
    assert {view.overview.period.peildatum for view in region.programmes} == {H3}
    (earlier,) = reads.home(user=people.wethouder, period_key="2021-H1").regions
    assert {view.overview.period.peildatum for view in earlier.programmes} == {H1}
    client.force_login(people.wethouder)
    home = _text(client.get(reverse("dashboard:home")))
    assert home.count("<strong>peildatum 1-1-2022</strong>") == 1  # stated once
    assert "/programma/eerste/?periode=2021-H2" in home
    assert "/programma/tweede/?periode=2021-H2" in home


def test_a_project_not_reported_yet_is_no_change(world, people):
    """At 1-1-2022 a reader sees no report (only drafts): no light "changed" to nothing."""
    page = reads.programme_page(user=people.wethouder, slug="werken-aan-werk", period_key="2021-H2")
    assert page.changes.previous.peildatum == H1
    assert page.changes.lights == ()
    assert page.changes.new_reds == ()


def test_plotly_only_on_pages_with_a_chart_and_deferred(client, world, people):
    client.force_login(people.wethouder)
    home = _text(client.get(reverse("dashboard:home")))
    assert "plotly.min.js" not in home  # no chart on the home page
    programme = _text(client.get(reverse("dashboard:programme", args=["werken-aan-werk"])))
    scripts = re.findall(r"<script[^>]*plotly\.min\.js[^>]*>", programme)
    assert len(scripts) == 1 and " defer" in scripts[0]
    project_page = _text(client.get(reverse("dashboard:project", args=["werken-aan-werk", "K"])))
    # No inline script or style on the dashboard pages (a CSP without unsafe-inline).
    for page in (home, programme, project_page):
        assert 'style="' not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)


def _draft_documents(client, world):
    """Baken's project PDF, the programme monitor and the programme export at 1-1-2022, where
    Baken's only report is a concept."""
    baken = world.project_titled("Baken")
    pdf_urls = [
        reverse("reports:project", args=[baken.pk, H3]),
        reverse("reports:monitor", args=["werken-aan-werk", H3]),
        reverse("reports:region", args=[world.region.code, H3]),
    ]
    texts = {}
    for url in pdf_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = pdf_text(response.content)
    export = reverse("excel:programme_export", args=["werken-aan-werk"]) + "?periode=2021-H2"
    response = client.get(export + "&tabel=projecten")
    assert response.status_code == 200
    texts[export] = response.content.decode("utf-8-sig")
    return texts


@pytest.mark.parametrize("role", ["wethouder", "ministerie"])
def test_readers_documents_and_exports_hold_no_concept(client, world, people, role):
    """A PDF and an export are read like the pages: a reader's copy leaves the concept out,
    and the concept report itself is closed to them."""
    client.force_login(getattr(people, role))
    for url, text in _draft_documents(client, world).items():
        assert DRAFT_WORDS not in text, url
    draft = world.project_titled("Baken").reports.get(period__peildatum=H3)
    assert client.get(reverse("reporting:report_detail", args=[draft.pk])).status_code in (403, 404)


def test_a_managers_documents_hold_the_concept_of_their_programme(client, world, people):
    client.force_login(people.manager)
    texts = _draft_documents(client, world)
    baken = world.project_titled("Baken")
    # Every document and the export hold it, as the manager's pages do (the same reads).
    assert all(DRAFT_WORDS in text for text in texts.values()), [
        url for url, text in texts.items() if DRAFT_WORDS not in text
    ]
    draft = baken.reports.get(period__peildatum=H3)
    assert client.get(reverse("reporting:report_detail", args=[draft.pk])).status_code == 200
