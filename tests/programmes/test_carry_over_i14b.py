"""Less paperwork (issue #14, item 6): a new report starts with the texts of the last approved
one, each section marked "overgenomen van peildatum …" until edited or confirmed; one action
confirms a section (or all of them); submitting refuses unconfirmed sections with a link in
the error summary; the reviewer sees what changed against the previous report.
Also the leftovers of item 5: reminders for projects not started, amounts in the conflict
list, the Dutch 400 page. Every new action per role."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse

from programmes import services
from programmes.models import ProgressReport, SentReminder
from programmes.read import changes
from programmes.services.conflicts import conflicting_changes
from tests import factories
from tests.worlds import complete_post
from tests.worlds import reporting_world as build_world
from tests.worlds.people import coordinator_of, manager_of

pytestmark = pytest.mark.django_db

NEXT = datetime.date(2022, 1, 1)


@pytest.fixture
def world():
    w = build_world()
    for user, address in ((w.coordinator, "coordinator@example.org"),):
        user.email = address
        user.save()
    return w


def approved_first(world, client, **overrides) -> ProgressReport:
    """The report of 1-7-2021 filled in through the form, submitted and approved."""
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    client.force_login(world.coordinator)
    data = complete_post(report, world, action="submit", **overrides)
    response = client.post(reverse("reporting:report_edit", args=[report.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return services.approve_report(report=report, user=world.manager)


@pytest.fixture
def carried(world, client):
    """The report of 1-1-2022, started from the approved one of 1-7-2021."""
    approved_first(world, client, light_explanation="Goed op weg")
    period = factories.ReportingPeriodFactory(programme=world.programme, peildatum=NEXT)
    return services.start_report(project=world.project, period=period, user=world.coordinator)


class _Form(HTMLParser):
    """The fields of the report form as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "report-form":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    value = attrs.get("value")
                    self.data[name] = "on" if value is None else value
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(client, report) -> dict[str, str]:
    page = client.get(reverse("reporting:report_edit", args=[report.pk]))
    assert page.status_code == 200
    parser = _Form()
    parser.feed(page.content.decode())
    data = parser.data
    # A textarea's first newline is eaten by the parser of a browser, as here.
    return {key: value.removeprefix("\n") for key, value in data.items()}


def edit(client, report, data):
    return client.post(reverse("reporting:report_edit", args=[report.pk]), data)


# -- Starting: the texts come along, marked per section -------------------------------------


def test_a_new_report_carries_the_texts_over_marked_per_section(world, carried):
    assert carried.summary.startswith("Het project loopt voorspoedig.")
    assert carried.reported_light == "green"
    assert carried.light_explanation == "Goed op weg"
    assert carried.highlight == "" and carried.stated_cost_total is None
    assert carried.carried_over_from.period == world.period
    # No planning change in the source: nothing to confirm there.
    assert carried.carried_over == ["summary", "activities", "finances", "light"]
    assert [row.progress for row in carried.activities.all()] == ["Campagnes gedraaid."]
    assert not carried.values.exists()


def test_the_first_report_of_a_project_carries_nothing(world):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    assert report.carried_over == [] and report.carried_over_from is None


def test_the_form_marks_each_section_and_offers_one_action_for_all(client, world, carried):
    client.force_login(world.coordinator)
    page = client.get(reverse("reporting:report_edit", args=[carried.pk])).content.decode()
    assert "Overgenomen van peildatum 1-7-2021" in page
    for key in ("summary", "activities", "finances", "light"):
        assert f'id="overgenomen-{key}"' in page
        assert f'name="confirm_{key}"' in page
    assert 'id="overgenomen-planning"' not in page
    assert "Samenvatting ongewijzigd t.o.v. peildatum 1-7-2021" in page
    assert page.count('value="confirm_all"') == 1
    assert "carried-over-text" in page
    assert "style=" not in page.split('id="report-form"')[1].split("</form>")[0]


# -- Editing and confirming -----------------------------------------------------------------


def test_saving_the_form_unchanged_keeps_every_mark(client, world, carried):
    client.force_login(world.coordinator)
    data = form_data(client, carried)
    assert edit(client, carried, data | {"action": "save"}).status_code == 302
    carried.refresh_from_db()
    assert carried.carried_over == ["summary", "activities", "finances", "light"]


def test_an_edited_section_is_no_longer_carried_over(client, world, carried):
    client.force_login(world.coordinator)
    data = form_data(client, carried)
    data["summary"] = "Nieuw halfjaar: 20 extra plaatsingen."
    data["budget-2021-spent"] = "700.000"
    assert edit(client, carried, data | {"action": "save"}).status_code == 302
    carried.refresh_from_db()
    assert carried.carried_over == ["activities", "light"]


def test_one_box_confirms_a_section_and_the_history_says_so(client, world, carried):
    client.force_login(world.coordinator)
    data = form_data(client, carried) | {"confirm_light": "on", "action": "save"}
    assert edit(client, carried, data).status_code == 302
    carried.refresh_from_db()
    assert carried.carried_over == ["summary", "activities", "finances"]
    record = carried.history.order_by("-history_id").first()
    assert record.history_change_reason == (
        "Concept opgeslagen; ongewijzigd bevestigd: Stoplicht en toelichting"
    )


def test_alles_ongewijzigd_bevestigen_confirms_every_section_in_one_post(client, world, carried):
    client.force_login(world.coordinator)
    data = form_data(client, carried) | {"action": "confirm_all"}
    response = edit(client, carried, data)
    assert response.status_code == 302
    carried.refresh_from_db()
    assert carried.carried_over == []
    page = client.get(response["Location"]).content.decode()
    assert "bevestigd als ongewijzigd" in page
    assert 'id="overgenomen-summary"' not in page


def test_submitting_with_unconfirmed_sections_is_refused_with_links(client, world, carried):
    client.force_login(world.coordinator)
    data = form_data(client, carried)
    first, second = world.indicators
    data |= {f"ind-{first.pk}-value": "90", f"ind-{second.pk}-value": "15"}
    data |= {"confirm_finances": "on", "action": "submit"}
    response = edit(client, carried, data)
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("summary", "activities", "light"):
        assert f'href="#id_confirm_{key}"' in page
    assert 'href="#id_confirm_finances"' not in page
    assert "is overgenomen van peildatum 1-7-2021 en nog niet bevestigd" in page
    carried.refresh_from_db()
    assert carried.state == "draft"
    assert carried.carried_over == ["summary", "activities", "light"]
    # The values typed are kept; ticking the rest submits.
    data = form_data(client, carried)
    assert data[f"ind-{first.pk}-value"] == "90"
    data |= {"confirm_summary": "on", "confirm_activities": "on", "confirm_light": "on"}
    assert edit(client, carried, data | {"action": "submit"}).status_code == 302
    carried.refresh_from_db()
    assert carried.state == "submitted" and carried.carried_over == []


def test_the_service_refuses_unconfirmed_sections(world, carried):
    with pytest.raises(services.Incomplete) as error:
        services.submit_report(report=carried, user=world.coordinator)
    names = [name for name, _message in error.value.problems]
    assert {"confirm_summary", "confirm_activities", "confirm_finances", "confirm_light"} <= set(
        names
    )


# -- The reviewer's comparison --------------------------------------------------------------


def _submitted_with_changes(client, world, carried):
    client.force_login(world.coordinator)
    data = form_data(client, carried)
    first, second = world.indicators
    data |= {f"ind-{first.pk}-value": "90", f"ind-{second.pk}-value": "10"}
    data["summary"] = data["summary"].replace("voorspoedig", "volgens plan")
    data["budget-2021-spent"] = "700.000,25"
    data |= {"confirm_activities": "on", "confirm_light": "on", "action": "submit"}
    assert edit(client, carried, data).status_code == 302
    client.logout()
    carried.refresh_from_db()
    return carried


def test_the_comparison_names_what_changed(client, world, carried):
    report = _submitted_with_changes(client, world, carried)
    found = changes.report_changes(report)
    assert found.previous.period == world.period
    values = {value.name: value for value in found.values}
    assert values["Uitstroom naar werk"].changed and values["Uitstroom naar werk"].difference == (
        "+30"
    )
    assert not values["Gestarte trajecten"].changed
    sections = {section.key: section for section in found.sections}
    assert sections["summary"].changed
    (summary,) = sections["summary"].changed_texts
    assert ("removed", "voorspoedig.") in [(s.kind, s.text) for s in summary.segments]
    assert ("added", "volgens plan.") in [(s.kind, s.text) for s in summary.segments]
    assert sections["finances"].changed
    assert not sections["light"].changed and sections["light"].confirmed
    assert not sections["activities"].changed and sections["activities"].confirmed
    assert [(m.line, m.field, m.previous, m.current) for m in found.money] == [
        ("Kosten 2021", "uitgaven", "620.000,50", "700.000,25")
    ]
    assert found.changed_money_lines == 1


def test_the_reviewer_sees_the_changes_on_the_report_and_approve_pages(client, world, carried):
    report = _submitted_with_changes(client, world, carried)
    client.force_login(world.manager)
    for name in ("reporting:report_detail", "reporting:approve"):
        page = client.get(reverse(name, args=[report.pk])).content.decode()
        assert "Wat is er veranderd t.o.v. peildatum 1-7-2021" in page
        assert "Indicatoren: 1 van 2 gewijzigd" in page
        assert '<del><span class="visually-hidden">verwijderd: </span>voorspoedig.</del>' in page
        assert "ongewijzigd, bevestigd door de coördinator" in page
        assert "700.000,25" in page


def test_the_comparison_takes_a_fixed_number_of_queries(
    client, world, carried, django_assert_max_num_queries
):
    report = _submitted_with_changes(client, world, carried)
    with django_assert_max_num_queries(7):
        small = changes.report_changes(report)
    # Ten more indicators, activities and budget years: the same number of queries.
    for number in range(10):
        indicator = factories.IndicatorFactory(project=world.project, name=f"Extra {number}")
        report.values.create(indicator=indicator, value=number)
        report.activities.create(activity=f"Activiteit {number}", progress="Gedaan", order=9)
        report.funding_lines.create(source=factories.FundingSourceFactory(), budgeted=number)
    with django_assert_max_num_queries(7):
        large = changes.report_changes(report)
    assert len(large.values) == len(small.values) + 10


def test_a_first_report_has_nothing_to_compare(client, world):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    client.force_login(world.manager)
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Wat is er veranderd" not in page


# -- Per role: confirming, the comparison, reminders for projects not started ----------------


@pytest.fixture
def others(world):
    """A coordinator of another project of the same programme and a manager of the other
    region's programme."""
    sibling = factories.ProjectFactory(programme=world.programme, title="Ander project")
    return {
        "other_coordinator": coordinator_of([sibling], username="andere-coordinator"),
        "other_manager": manager_of([world.other_programme], username="andere-manager"),
    }


def _user(world, others, role):
    return {
        "coordinator": world.coordinator,
        "manager": world.manager,
        "wethouder": world.viewer,
        "ministry": world.ministry,
        "other_viewer": world.other_viewer,
        **others,
    }[role]


# A concept exists only for its project's coordinators and the programme's managers: anyone
# else gets a 404, as for another region's report (permissions.can_view_report).
CONFIRM = {
    "coordinator": 302,
    "manager": 302,
    "other_coordinator": 404,
    "other_manager": 404,
    "wethouder": 404,
    "ministry": 404,
    "other_viewer": 404,
}


@pytest.mark.parametrize("role", list(CONFIRM))
def test_confirming_per_role(client, world, carried, others, role):
    data = {**form_data_as(client, world.coordinator, carried), "action": "confirm_all"}
    client.force_login(_user(world, others, role))
    response = edit(client, carried, data)
    assert response.status_code == CONFIRM[role]
    carried.refresh_from_db()
    assert (carried.carried_over == []) == (CONFIRM[role] == 302)


def form_data_as(client, user, report):
    client.force_login(user)
    data = form_data(client, report)
    client.logout()
    return data


COMPARISON = {
    "coordinator": 200,
    "manager": 200,
    "other_coordinator": 200,
    "other_manager": 404,
    "wethouder": 200,
    "ministry": 200,
    "other_viewer": 404,
}


@pytest.mark.parametrize("role", list(COMPARISON))
def test_the_comparison_per_role(client, world, carried, others, role):
    report = _submitted_with_changes(client, world, carried)
    client.force_login(_user(world, others, role))
    response = client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert response.status_code == COMPARISON[role]
    if response.status_code == 200:
        assert "Wat is er veranderd" in response.content.decode()
    approve = client.get(reverse("reporting:approve", args=[report.pk]))
    want = 200 if role == "manager" else (404 if COMPARISON[role] == 404 else 403)
    assert approve.status_code == want


REMIND = {
    "coordinator": 403,
    "manager": 302,
    "other_coordinator": 403,
    "other_manager": 404,
    "wethouder": 403,
    "ministry": 403,
    "other_viewer": 404,
}


@pytest.mark.parametrize("role", list(REMIND))
def test_a_reminder_for_a_project_not_started_per_role(
    client, world, others, role, django_capture_on_commit_callbacks
):
    client.force_login(_user(world, others, role))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:remind", args=[world.period.pk]), {"project": world.project.pk}
        )
    assert response.status_code == REMIND[role]
    sent = SentReminder.objects.filter(project=world.project, period=world.period)
    if REMIND[role] == 302:
        (message,) = mail.outbox
        assert message.to == ["coordinator@example.org"]
        assert "niet begonnen" in message.body and world.project.title in message.body
        assert sent.get().kind == SentReminder.Kind.MANUAL
    else:
        assert not mail.outbox and not sent.exists()


def test_the_cockpit_offers_a_reminder_for_a_project_not_started(client, world):
    client.force_login(world.manager)
    page = client.get(
        reverse("reporting:programme_periods", args=[world.programme.slug])
    ).content.decode()
    assert f'name="project" value="{world.project.pk}"' in page
    assert "Herinnering sturen voor 1 open rapportage" in page


def test_all_open_reminds_not_started_and_drafts(client, world, django_capture_on_commit_callbacks):
    sibling = factories.ProjectFactory(
        programme=world.programme,
        title="Tweede project",
        start_date=world.project.start_date,
        end_date=world.project.end_date,
    )
    second = coordinator_of([sibling], username="tweede", email="tweede@example.org")
    services.start_report(project=sibling, period=world.period, user=second)
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:remind", args=[world.period.pk]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["coordinator@example.org", "tweede@example.org"]


def test_the_service_refuses_a_reminder_for_a_started_report(world):
    services.start_report(project=world.project, period=world.period, user=world.coordinator)
    with pytest.raises(services.WrongState):
        services.send_reminders(user=world.manager, not_started=[(world.project, world.period)])
    with pytest.raises(services.NotAllowed):
        services.send_reminders(user=world.coordinator, not_started=[(world.project, world.period)])


# -- Small leftovers ------------------------------------------------------------------------


def test_the_conflict_list_shows_amounts_with_two_decimals(world):
    report = services.start_report(
        project=world.project, period=world.period, user=world.coordinator
    )
    opened = report.version
    theirs = services.ReportInput(
        budget_lines=(services.BudgetLineInput(year=2021, budget=Decimal("1610000.5")),)
    )
    services.save_draft(report=report, user=world.manager, data=theirs, version=opened)
    mine = services.ReportInput(
        budget_lines=(services.BudgetLineInput(year=2021, budget=Decimal("1600000")),)
    )
    found = conflicting_changes(report=report, data=mine, opened_version=opened)
    assert [(c.yours, c.theirs) for c in found if "begroting" in c.label] == [
        ("1.600.000", "1.610.000,50")
    ]


def test_a_request_the_server_cannot_read_gets_a_dutch_page(client, world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client.force_login(world.coordinator)
    query = "&".join(f"f{number}=1" for number in range(20))
    response = client.get(f"{reverse('dashboard:home')}?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Verzoek niet te verwerken" in page and 'lang="nl"' in page


def test_the_history_reason_fits_when_every_section_is_confirmed(client, world, carried):
    """simple_history keeps at most 100 characters of a reason (PostgreSQL refuses more)."""
    client.force_login(world.coordinator)
    assert edit(client, carried, form_data(client, carried) | {"action": "confirm_all"})
    record = carried.history.order_by("-history_id").first()
    assert record.history_change_reason == (
        "Concept opgeslagen; alle overgenomen onderdelen ongewijzigd bevestigd"
    )
