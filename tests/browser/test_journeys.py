"""The four user journeys of the product, end to end in a real browser (issue 7).

a) the coordinator signs in, finds the open period's report under "Mijn rapportages", fills
   it in with the keyboard alone, saves a draft and submits it;
b) the manager returns the submitted report with a comment, the coordinator resubmits, the
   manager approves it, and from then on the report cannot be changed;
c) the wethouder reads the dashboard of their own region, filters a programme and drills
   down into a project with a drawn chart and its table;
d) the ministry downloads the three PDF reports from the "Rapporten" page.

Every page a journey visits is checked with axe-core (no serious or critical violations),
and each journey leaves a screenshot of its main page in test-output/screenshots/. The
`page` fixture fails a test that makes any request to another host. Waiting is left to
Playwright's auto-waiting `expect`; nothing sleeps.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import strip_tags
from playwright.sync_api import expect

from programmes import services
from programmes.models import ProgressReport
from tests.browser_support import sign_in
from tests.reports.helpers import pdf_reader, pdf_text
from tests.worlds import journey_world as build_journey_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    return build_journey_world()


# --- Accessibility of every page ---------------------------------------------------------------

# axe-core does not check WCAG 1.4.11: the edge of a form field (or its fill) must stand out
# 3:1 from what is around it, or a user with low vision cannot see where to type. Lists the
# visible fields that fail, with their best ratio.
FAINT_FIELDS = """() => {
  const parse = text => {
    const parts = (text.match(/rgba?\\(([^)]+)\\)/) || [null, ''])[1].split(/[\\s,\\/]+/);
    const [r, g, b, a] = parts.filter(Boolean).map(Number);
    return r === undefined ? null : {r, g, b, a: a === undefined ? 1 : a};
  };
  const luminance = ({r, g, b}) => [r, g, b]
    .map(v => v / 255).map(v => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  // A translucent colour shows partly what is behind it.
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const white = {r: 255, g: 255, b: 255, a: 1};
  const ratio = (x, y) => {
    const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
  };
  const around = el => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.a > 0) { return over(colour, white); }
    }
    return white;
  };
  const faint = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    if (!el.checkVisibility() || el.getBoundingClientRect().width < 4) { continue; }
    const style = getComputedStyle(el);
    const outside = around(el);
    const border = parse(style.borderTopColor);
    const fill = parse(style.backgroundColor);
    const best = Math.max(
      parseFloat(style.borderTopWidth) > 0 && border ? ratio(over(border, outside), outside) : 1,
      fill ? ratio(over(fill, outside), outside) : 1,
    );
    if (best < 3) { faint.push(`${el.id || el.name}: ${best.toFixed(2)}:1`); }
  }
  return faint;
}"""


@pytest.fixture
def check(axe_check):
    """axe-core on the page (no serious or critical violations) plus the field contrast."""

    def run(page, label: str) -> None:
        axe_check(page, label)
        faint = page.evaluate(FAINT_FIELDS)
        assert not faint, f"form fields on {label} do not stand out 3:1: {faint}"

    return run


# --- Keyboard --------------------------------------------------------------------------------

# One round trip per Tab press: where the focus is, and whether a sighted keyboard user can
# see it. WCAG 2.4.7: a focused control shows it (Bootstrap draws a box-shadow ring, the
# browser or our CSS an outline). WCAG 2.2's 2.4.11: it is not hidden behind something else,
# such as the sticky button bar of the report form; a few points of it must be on top.
FOCUS_STATE = """target => {
  const el = document.activeElement;
  if (!el || el === document.body) {
    return {onTarget: false, html: 'body', shown: true, seen: true};
  }
  const style = getComputedStyle(el);
  const shown = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
    || style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const points = [[0.5, 0.5], [0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]];
  const seen = points.some(([fx, fy]) => {
    const hit = document.elementFromPoint(box.left + box.width * fx, box.top + box.height * fy);
    return hit !== null && (el.contains(hit) || [...(el.labels || [])].some(l => l.contains(hit)));
  });
  return {onTarget: el === target, html: el.outerHTML.slice(0, 160), shown, seen};
}"""


def tab_to(page, target, *, limit: int = 120) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would.

    Every control passed on the way must show its focus and must not be hidden behind
    something else. Fails when the target is not reached within `limit` presses: it is
    outside the tab order, or the focus is stuck (a keyboard trap).
    """
    handle = target.element_handle()
    previous = None
    stuck = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = handle.evaluate(FOCUS_STATE)
        assert state["shown"], f"no visible focus on {state['html']}"
        assert state["seen"], f"the focused control is hidden behind another: {state['html']}"
        if state["onTarget"]:
            return
        stuck = stuck + 1 if state["html"] == previous else 0
        assert stuck < 3, f"keyboard trap: Tab keeps the focus on {state['html']}"
        previous = state["html"]
    pytest.fail(f"Tab did not reach {target} in {limit} presses; focus is on {previous}")


def type_into(page, target, text: str, *, replace: bool = False) -> None:
    """Tab to a field and type; `replace` first selects what is already there."""
    tab_to(page, target)
    if replace:
        page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_radio(page, group_first, wanted) -> None:
    """Tab into a radio group (none chosen yet: focus lands on its first option) and move to
    the wanted option with the arrow keys, which also selects it."""
    tab_to(page, group_first)
    for _ in range(5):
        if wanted.is_checked():
            return
        page.keyboard.press("ArrowDown")
    assert wanted.is_checked(), "the arrow keys did not reach the wanted option"


def sign_out(page) -> None:
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()


def submitted_report(world) -> ProgressReport:
    """ZorgStart's report for the open period as the coordinator submitted it (the outcome of
    journey a, made through the services so that journey b starts from it directly)."""
    report = services.start_report(
        project=world.zorgstart, period=world.open_period, user=world.coordinator
    )
    data = services.ReportInput(
        summary="De tweede lichting kandidaten is begonnen.",
        reported_light="green",
        # What start_report carried over from 1-7-2021, brought up to date.
        activities=tuple(
            services.ActivityInput(
                pk=row.pk, year=row.year, activity=row.activity, progress="Vijf bijeenkomsten."
            )
            for row in report.activities.all()
        ),
        values=(
            services.IndicatorValueInput(indicator_id=world.uitstroom.pk, value=Decimal(110)),
            services.IndicatorValueInput(indicator_id=world.werkgevers.pk, value=Decimal(1610)),
        ),
        budget_lines=(
            services.BudgetLineInput(year=2021, budget=Decimal(500000), spent=Decimal(455000)),
            services.BudgetLineInput(year=2022, budget=Decimal(500000)),
        ),
        funding_lines=tuple(
            services.FundingLineInput(
                source_id=row.source_id, budgeted=row.budgeted, received=row.received
            )
            for row in report.funding_lines.all()
        ),
    )
    # The sections it carried over and this update leaves as they were are confirmed
    # unchanged, as the coordinator does with "Alles ongewijzigd bevestigen" (issue #14).
    report = services.save_draft(
        report=report,
        user=world.coordinator,
        version=report.version,
        data=data,
        confirm=report.carried_over,
    )
    return services.submit_report(report=report, user=world.coordinator)


# --- a) The coordinator fills in the report ---------------------------------------------------


def test_coordinator_fills_in_and_submits_the_report_with_the_keyboard(
    page, world, check, screenshot
):
    # Bootstrap scrolls smoothly unless the user asks for less motion; without the animation
    # a focused field is in its final place at once, so the focus checks need not wait.
    page.emulate_media(reduced_motion="reduce")
    page.goto("/")
    expect(page).to_have_url(re.compile("/aanmelden/"))
    check(page, "aanmelden")
    sign_in(page, "coordinator")
    # A coordinator lands on the to-do list (issue #14).
    expect(page.get_by_role("heading", name="Mijn rapportages")).to_be_visible()
    expect(page.get_by_role("heading", name="Werken aan Werk · peildatum 1-1-2022")).to_be_visible()
    row = page.locator(".todo-card").filter(has_text="ZorgStart")
    expect(row).to_contain_text("niet begonnen")
    check(page, "mijn rapportages")
    row.get_by_role("button", name="Beginnen ZorgStart").click()

    expect(page.get_by_role("heading", name="ZorgStart", exact=True)).to_be_visible()
    expect(page).to_have_title("Bewerken: ZorgStart – peildatum 1-1-2022 – Arbeidsmarktmonitor")
    report = ProgressReport.objects.get(project=world.zorgstart, period=world.open_period)
    # Last period's activity and money are carried over, so the form starts prefilled.
    expect(page.locator("#id_act-0-activity")).to_have_value("Werving en selectie van kandidaten")
    check(page, "rapportageformulier")

    # From here on: the keyboard only.
    form = page.locator("#report-form")
    type_into(
        page,
        form.get_by_role("textbox", name="Samenvatting"),
        "ZorgStart loopt goed.\n\n• 97 inwoners aan het werk\n• 1.610 werkgevers benaderd",
    )
    type_into(
        page,
        page.locator("#id_act-0-progress"),
        "Vijf informatiebijeenkomsten en een banenmarkt.",
        replace=True,
    )
    tab_to(page, form.get_by_role("button", name="Activiteit toevoegen"))
    page.keyboard.press("Enter")
    # The new row gets the focus on its first field, the year.
    expect(page.locator("#id_act-1-year")).to_be_focused()
    page.keyboard.type("2022")
    type_into(page, page.locator("#id_act-1-activity"), "Banenmarkt zorg en welzijn")
    type_into(page, page.locator("#id_act-1-progress"), "Voorbereiding gestart.")

    # Indicators the Dutch way; the computed light follows while typing (htmx).
    type_into(page, page.locator(f"#id_ind-{world.uitstroom.pk}-value"), "97")
    expect(page.locator(f"#light-{world.uitstroom.pk}")).to_contain_text("oranje")
    type_into(page, page.locator(f"#id_ind-{world.werkgevers.pk}-value"), "1.610")
    expect(page.locator(f"#light-{world.werkgevers.pk}")).to_contain_text("groen")
    expect(page.locator("#computed-light")).to_contain_text("oranje")
    # The updates replace the contents only: the live regions stay and announce the new
    # lights to screen-reader users, and the project's light stays inline in its sentence.
    for light in (
        f"#light-{world.uitstroom.pk}",
        f"#light-{world.werkgevers.pk}",
        "#computed-light",
    ):
        expect(page.locator(light)).to_have_attribute("aria-live", "polite")
    expect(page.locator("p > span#computed-light")).to_have_count(1)

    type_into(page, form.get_by_label("Uitgaven 2021", exact=True), "€ 455.000", replace=True)
    type_into(page, form.get_by_label("Prognose 2022", exact=True), "520.000,50")
    type_into(
        page,
        form.get_by_label("Perspectief op Werk: Ontvangen / beschikbaar"),
        "500.000",
        replace=True,
    )

    choose_radio(page, form.get_by_label("groen", exact=True), form.get_by_label("oranje"))
    type_into(
        page,
        form.get_by_role("textbox", name="Oorzaak"),
        "De werving van kandidaten kwam laat op gang.",
    )
    type_into(
        page,
        form.get_by_role("textbox", name="Gevolgen"),
        "De uitstroom loopt een half jaar achter.",
    )
    type_into(
        page, form.get_by_role("textbox", name="Bijsturing"), "Extra wervingsronde met het WSP."
    )
    screenshot(page, "journey-a-rapportageformulier")

    # The highlight is folded while empty (issue #14): Enter on its summary opens it.
    tab_to(page, form.locator("summary", has_text="Geen highlight"))
    page.keyboard.press("Enter")
    # Enter in a one-line field saves the draft, as in any form.
    tab_to(page, form.get_by_role("textbox", name="Highlight in één regel"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Concept opgeslagen.")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT
    assert report.reported_light == "amber"
    values = {row.indicator_id: row.value for row in report.values.all()}
    assert values == {world.uitstroom.pk: Decimal(97), world.werkgevers.pk: Decimal(1610)}
    check(page, "rapportageformulier na opslaan")

    tab_to(page, page.get_by_role("button", name="Opslaan en indienen"), limit=200)
    page.keyboard.press("Space")
    expect(page.get_by_text("De rapportage is ingediend bij de programmamanager.")).to_be_visible()
    expect(page.locator(".badge", has_text="ingediend")).to_be_visible()
    check(page, "ingediende rapportage")

    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.submitted_by == world.coordinator
    assert "1.610 werkgevers benaderd" in report.summary
    assert "Extra wervingsronde met het WSP." in report.light_recovery
    # Narrative is stored as sanitised HTML (paragraphs kept); compare the words.
    activities = [
        (row.year, strip_tags(row.activity), strip_tags(row.progress))
        for row in report.activities.all()
    ]
    assert activities == [
        (
            2021,
            "Werving en selectie van kandidaten",
            "Vijf informatiebijeenkomsten en een banenmarkt.",
        ),
        (2022, "Banenmarkt zorg en welzijn", "Voorbereiding gestart."),
    ]
    budget = {row.year: (row.spent, row.forecast) for row in report.budget_lines.all()}
    assert budget[2021] == (Decimal("455000.00"), None)
    assert budget[2022] == (None, Decimal("520000.50"))
    assert report.funding_lines.get().received == Decimal("500000.00")


# --- b) The manager returns, the coordinator resubmits, the manager approves -----------------


def test_manager_returns_then_approves_and_the_report_is_final(page, world, check, screenshot):
    report = submitted_report(world)
    detail_url = reverse("reporting:report_detail", args=[report.pk])
    edit_url = reverse("reporting:report_edit", args=[report.pk])

    sign_in(page, "manager")
    # A manager lands on the review queue (issue #14).
    to_review = page.get_by_role("region", name="Te beoordelen")
    expect(to_review).to_be_visible()
    check(page, "mijn rapportages van de manager")
    to_review.get_by_role("link", name="ZorgStart").click()
    expect(page).to_have_url(re.compile(f"{detail_url}$"))
    expect(page).to_have_title("ZorgStart – peildatum 1-1-2022 – Arbeidsmarktmonitor")
    check(page, "ingediende rapportage, manager")

    page.get_by_role("link", name="Terugsturen met opmerking").click()
    expect(page.get_by_role("heading", name="Rapportage terugsturen")).to_be_visible()
    expect(page).to_have_title(
        re.compile("^Rapportage terugsturen: ZorgStart – peildatum 1-1-2022")
    )
    check(page, "terugsturen")
    # Without a comment nothing happens: the coordinator must know what to change.
    page.get_by_role("button", name="Terugsturen").click()
    expect(page.get_by_text("Schrijf de reden op; de coördinator leest die.")).to_be_visible()
    expect(page.get_by_label("Reden")).to_have_attribute("aria-invalid", "true")
    check(page, "terugsturen zonder reden")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED

    page.get_by_label("Reden").fill("Licht de lagere uitgaven in 2021 toe.")
    page.get_by_role("button", name="Terugsturen").click()
    expect(page.get_by_text("De rapportage is teruggestuurd naar de coördinator.")).to_be_visible()
    check(page, "teruggestuurde rapportage")
    report.refresh_from_db()
    assert report.state == ProgressReport.State.RETURNED
    assert report.return_reason == "Licht de lagere uitgaven in 2021 toe."

    sign_out(page)
    check(page, "aanmelden na afmelden")
    sign_in(page, "coordinator")
    # Returned first, with the reason (issue #14).
    returned = page.locator(".todo-returned").filter(has_text="ZorgStart")
    expect(returned).to_contain_text("Licht de lagere uitgaven in 2021 toe.")
    check(page, "mijn rapportages, teruggestuurd")
    page.get_by_role("link", name="Aanpassen ZorgStart").click()
    expect(page.get_by_role("note")).to_contain_text("Licht de lagere uitgaven in 2021 toe.")
    check(page, "teruggestuurde rapportage, formulier")
    page.get_by_label("Toelichting financiën").fill(
        "De uitgaven in 2021 zijn lager doordat de banenmarkt naar 2022 is verschoven."
    )
    page.get_by_role("button", name="Opslaan en indienen").click()
    expect(page.get_by_text("De rapportage is ingediend bij de programmamanager.")).to_be_visible()
    check(page, "opnieuw ingediende rapportage")

    sign_out(page)
    sign_in(page, "manager")
    page.goto(detail_url)
    expect(page.get_by_role("note")).to_have_count(0)  # the return comment is history now
    check(page, "opnieuw ingediende rapportage, manager")
    page.get_by_role("link", name="Goedkeuren").click()
    # Approving asks for confirmation and shows both lights (issue #14).
    expect(page.get_by_role("heading", name="Rapportage goedkeuren")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Berekend uit de indicatoren")
    check(page, "goedkeuren bevestigen")
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("De rapportage is goedgekeurd.")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.APPROVED
    assert report.reviewed_by == world.manager

    # The history tells the whole story, newest first: who did what to the report, with the
    # comment it was returned with. (Rows such as indicator values have entries of their own.)
    history = page.get_by_role("region", name="Geschiedenis")
    steps = []
    for line in history.locator("ol.history > li > p").all_inner_texts():
        _when, who, subject, *reason = line.split(" · ")
        if subject.startswith("Rapportage "):
            steps.append((who, reason[0] if reason else ""))
    assert steps == [
        ("Programmamanager", "Goedgekeurd"),
        ("Projectleider ZorgStart", "Ingediend"),
        ("Projectleider ZorgStart", "Concept opgeslagen"),
        ("Programmamanager", "Teruggestuurd: Licht de lagere uitgaven in 2021 toe."),
        ("Projectleider ZorgStart", "Ingediend"),
        # The light was carried over from 1-7-2021 and confirmed unchanged (issue #14).
        (
            "Projectleider ZorgStart",
            "Concept opgeslagen; ongewijzigd bevestigd: Stoplicht en toelichting",
        ),
        ("Projectleider ZorgStart", "Rapportage gestart"),
    ]
    check(page, "goedgekeurde rapportage met geschiedenis")
    screenshot(page, "journey-b-rapportage-met-geschiedenis")

    # Approved is final: the coordinator's edit URL only shows the report, and a posted
    # form is refused.
    sign_out(page)
    sign_in(page, "coordinator")
    page.goto(edit_url)
    expect(page).to_have_url(re.compile(f"{detail_url}$"))
    expect(page.get_by_text("Deze rapportage kan nu niet worden gewijzigd.")).to_be_visible()
    expect(page.get_by_role("link", name="Bewerken")).to_have_count(0)
    expect(page.locator("textarea, input[type=text]")).to_have_count(0)
    check(page, "goedgekeurde rapportage, coördinator")
    version = report.version
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        edit_url,
        form={
            "csrfmiddlewaretoken": token,
            "version": str(version),
            "summary": "Achteraf gewijzigd",
            "action": "save",
        },
    )
    assert response.status == 403
    assert "U kunt deze rapportage niet wijzigen." in response.text()
    report.refresh_from_db()
    assert (report.state, report.version) == (ProgressReport.State.APPROVED, version)
    assert "Achteraf" not in report.summary


# --- c) The wethouder reads the dashboard -----------------------------------------------------


def test_wethouder_filters_the_programme_and_reads_a_project_chart(page, world, check, screenshot):
    sign_in(page, "wethouder")
    page.goto("/")
    expect(page.get_by_role("heading", name="Gooi en Vechtstreek")).to_be_visible()
    # Only their own region: Zeeland is not mentioned anywhere, not even in a filter.
    expect(page.locator("main")).not_to_contain_text("Zeeland")
    expect(page.get_by_label("Regio")).to_have_count(0)
    check(page, "dashboard van de wethouder")

    page.get_by_role("link", name="Werken aan Werk").click()
    expect(page.get_by_role("heading", name="Werken aan Werk", exact=True)).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("peildatum 1-7-2021")
    projects = page.locator("section[aria-labelledby=projecten]")
    finished = page.locator("section[aria-labelledby=afgerond]")
    expect(projects).to_contain_text("Lokaal budget voor scholing en begeleiding")
    page.locator("#grafiek-programmadoelen.chart-drawn svg.main-svg").first.wait_for()
    check(page, "programmadashboard")
    screenshot(page, "journey-c-programmadashboard")

    filters = page.get_by_role("form", name="Projecten filteren")
    filters.get_by_label("Pijler").select_option(label="Bijstelling programma's")
    filters.get_by_role("button", name="Toon").click()
    expect(page).to_have_url(re.compile(r"pijler=\d+"))
    expect(projects).to_contain_text("ZorgStart")
    expect(projects).to_contain_text("Waardetas")
    expect(projects).not_to_contain_text("Lokaal budget")
    check(page, "programmadashboard, gefilterd op pijler")

    filters.get_by_label("Stoplicht").select_option(label="rood")
    filters.get_by_role("button", name="Toon").click()
    expect(page).to_have_url(re.compile("licht=red"))
    expect(projects.get_by_role("link")).to_have_text(["Waardetas"])
    expect(filters.get_by_label("Pijler")).to_have_value(str(world.pillars[0].pk))
    check(page, "programmadashboard, gefilterd op pijler en stoplicht")

    # Each filtered page is waited for by its URL, so no filter is set on the page before.
    page.get_by_role("link", name="Alle projecten").click()
    expect(page).not_to_have_url(re.compile("licht="))
    filters.get_by_label("Fase").select_option(label="afgerond")
    filters.get_by_role("button", name="Toon").click()
    expect(page).to_have_url(re.compile("fase=completed"))
    expect(projects).to_contain_text("Geen lopende projecten voor dit filter.")
    expect(finished).to_contain_text("Schoonhuis continueren")
    check(page, "programmadashboard, gefilterd op fase")

    page.get_by_role("link", name="Alle projecten").click()
    expect(page).not_to_have_url(re.compile("fase="))
    filters.get_by_label("Peildatum").select_option(label="peildatum 1-1-2021")
    filters.get_by_role("button", name="Toon").click()
    expect(page.locator(".lead")).to_contain_text("peildatum 1-1-2021")
    lokaal = projects.get_by_role("row").filter(has_text="Lokaal budget")
    expect(lokaal).to_contain_text("oranje")
    expect(lokaal).to_contain_text("Twee gemeenten moeten hun plan nog indienen.")
    check(page, "programmadashboard, peildatum 1-1-2021")

    filters.get_by_label("Peildatum").select_option(label="peildatum 1-7-2021")
    filters.get_by_role("button", name="Toon").click()
    expect(page.locator(".lead")).to_contain_text("peildatum 1-7-2021")
    projects.get_by_role("link", name="ZorgStart").click()
    expect(page.get_by_role("heading", name="5. ZorgStart")).to_be_visible()
    # Drawn by our own plotly.js: the page fixture fails the test on any outside request.
    chart = page.locator("article.indicator").filter(has_text="Uitstroom naar betaalde baan")
    chart.locator(".chart.chart-drawn svg.main-svg").first.wait_for()
    plotly_src = page.locator("script[src*=plotly]").get_attribute("src")
    assert plotly_src.startswith("/static/"), plotly_src
    assert page.evaluate("() => typeof window.Plotly.newPlot") == "function"

    chart.get_by_text("Toon als tabel").click()
    table = chart.get_by_role("table", name="Uitstroom naar betaalde baan")
    expect(table).to_be_visible()
    expect(table).to_contain_text("43")
    check(page, "projectpagina met tabel")


# --- d) The ministry downloads the PDF reports ------------------------------------------------


def download(page, link_name: str):
    """Click a download link; the file name the browser proposes, and the PDF's text."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    with open(info.value.path(), "rb") as file:
        pdf = file.read()
    # A document under the accessibility law too: its language and its own title.
    reader = pdf_reader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "nl"
    assert reader.metadata.title
    return info.value.suggested_filename, pdf_text(pdf)


def test_ministry_downloads_the_three_pdf_reports(page, world, check, screenshot):
    sign_in(page, "ministerie")
    check(page, "dashboard van het ministerie")
    page.get_by_role("link", name="Rapporten").click()
    expect(page.get_by_role("heading", name="Rapporten", exact=True)).to_be_visible()
    # The ministry reads every region, and chooses one before the per-project downloads.
    expect(page.get_by_role("link", name="Gooi en Vechtstreek", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Zeeland", exact=True)).to_be_visible()
    page.get_by_label("Regio").select_option(label="Gooi en Vechtstreek")
    page.get_by_role("button", name="Toon rapporten").click()
    expect(page.get_by_role("heading", name="Gooi en Vechtstreek")).to_be_visible()
    page.locator("summary", has_text="Voortgangsrapportages per project").first.click()
    check(page, "rapporten")
    screenshot(page, "journey-d-rapporten")

    name, text = download(page, "PDF voortgangsrapportage ZorgStart, peildatum 1-7-2021")
    assert name == "voortgangsrapportage-gooi-en-vechtstreek-zorgstart-2021-07-01.pdf"
    assert "Voortgangsrapportage 2 Werken aan Werk" in text  # its second peildatum
    assert "Uitstroom naar betaalde baan" in text
    assert "43" in text and "250" in text
    assert "€ 500.000" in text and "€ 200.000" in text

    name, text = download(page, "PDF programmamonitor Werken aan Werk, peildatum 1-7-2021")
    assert name == "programmamonitor-gooi-en-vechtstreek-werken-aan-werk-2021-07-01.pdf"
    assert "Monitor Werken aan Werk" in text
    assert "Aantal inwoners bemiddeld naar werk" in text and "520" in text
    assert "ZorgStart loopt na een vliegende start goed op koers." in text
    assert "Schoonhuis continueren" in text

    name, text = download(page, "PDF agenda-overzicht Werken aan Werk, peildatum 1-7-2021")
    assert name == "agenda-overzicht-gooi-en-vechtstreek-werken-aan-werk-2021-07-01.pdf"
    for pillar in ("Bijstelling programma's", "Actieplan Werken aan Werk"):
        assert pillar in text
    assert "Waardetas" in text and "Lokaal budget voor scholing en begeleiding" in text
    assert "250 inwoners uitgestroomd naar een betaalde baan in de zorg." in text
