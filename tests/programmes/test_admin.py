"""The admin is usable by a programme manager, and only for their own programmes; nobody,
superuser included, goes around the workflow through it."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from programmes import models, roles, services
from programmes.demo import create_demo_users
from tests import factories

pytestmark = pytest.mark.django_db

State = models.ProgressReport.State


@pytest.fixture
def groups():
    return roles.ensure_roles()


@pytest.fixture
def manager(groups):
    user = factories.UserFactory(username="pm", is_staff=True)
    user.groups.add(groups[roles.MANAGER])
    return user


def test_manager_sees_only_own_programmes_and_projects_in_the_admin(client, manager):
    own = factories.ProjectFactory(title="Eigen project")
    own.programme.managers.add(manager)
    other = factories.ProjectFactory(title="Project van een andere regio")
    client.force_login(manager)

    listing = client.get("/beheer/programmes/project/")
    assert listing.status_code == 200
    assert "Eigen project" in listing.content.decode()
    assert "Project van een andere regio" not in listing.content.decode()
    assert client.get(f"/beheer/programmes/project/{other.pk}/change/").status_code in (302, 404)
    assert client.get(f"/beheer/programmes/project/{own.pk}/change/").status_code == 200


def test_manager_cannot_move_a_project_into_a_programme_they_do_not_manage(client, manager):
    own = factories.ProjectFactory()
    own.programme.managers.add(manager)
    factories.ProgrammeFactory(name="Vreemd programma")
    client.force_login(manager)
    page = client.get(f"/beheer/programmes/project/{own.pk}/change/").content.decode()
    assert own.programme.name in page
    assert "Vreemd programma" not in page


def test_admin_search_and_filters_work_for_an_administrator(client):
    admin = factories.UserFactory(username="beheer", is_staff=True, is_superuser=True)
    factories.ProjectFactory(title="ZorgStart")
    factories.ProjectFactory(title="Waardetas")
    client.force_login(admin)
    page = client.get("/beheer/programmes/project/", {"q": "Zorg"}).content.decode()
    assert "ZorgStart" in page and "Waardetas" not in page
    assert client.get("/beheer/programmes/progressreport/").status_code == 200
    assert client.get("/beheer/programmes/indicator/add/").status_code == 200


def test_manager_group_cannot_change_reported_data_in_the_admin(manager):
    assert manager.has_perm("programmes.view_progressreport")
    assert not manager.has_perm("programmes.change_progressreport")
    assert not manager.has_perm("programmes.change_indicatorvalue")
    assert Permission.objects.filter(codename="view_all_regions").exists()


def test_an_admin_edit_bumps_the_report_version(client):
    admin = factories.UserFactory(username="beheerder", is_staff=True, is_superuser=True)
    report = factories.ProgressReportFactory(summary="Oud")
    client.force_login(admin)
    page = client.get(f"/beheer/programmes/progressreport/{report.pk}/change/")
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    data.update({"summary": "Nieuw", "project": report.project.pk, "period": report.period.pk})
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(f"/beheer/programmes/progressreport/{report.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert report.summary == "Nieuw"
    assert report.version == 2


def test_history_cannot_be_reverted_from_the_admin(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


@pytest.mark.parametrize(
    "listing",
    [
        "/beheer/programmes/project/",
        "/beheer/programmes/indicator/",
        "/beheer/programmes/reportingperiod/",
        "/beheer/programmes/progressreport/",
        "/beheer/programmes/programme/",
    ],
)
def test_admin_filters_name_no_programme_of_another_region(client, manager, listing):
    own = factories.ProjectFactory(programme__name="Eigen programma")
    own.programme.managers.add(manager)
    factories.IndicatorFactory(project=own)
    factories.ProgressReportFactory(project=own)
    other = factories.ProjectFactory(
        programme__name="Programma van elders", programme__region__name="Regio elders"
    )
    factories.IndicatorFactory(project=other)
    factories.ProgressReportFactory(project=other)
    client.force_login(manager)

    page = client.get(listing).content.decode()
    assert "Programma van elders" not in page
    assert "Regio elders" not in page


# -- Helpers ---------------------------------------------------------------------------------


@pytest.fixture
def superuser():
    return factories.UserFactory(username="beheer", is_staff=True, is_superuser=True)


@pytest.fixture
def own(manager):
    """A project in a programme the manager manages, with a period and an indicator."""
    project = factories.ProjectFactory(title="Eigen project", programme__name="Eigen programma")
    project.programme.managers.add(manager)
    return project


def change_form_data(page, **changes):
    """What a browser posts back from an admin change form it was shown, unchanged but for
    `changes`; inline rows are left as they are."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if field.disabled or value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def post_change(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, change_form_data(page, **changes))


def run_action(client, changelist, action, objects, **data):
    return client.post(
        changelist,
        {"action": action, "_selected_action": [obj.pk for obj in objects], **data},
    )


def closed_period(project, user):
    period = factories.ReportingPeriodFactory(programme=project.programme)
    return services.close_period(period=period, user=user)


# -- Workflow fields -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "superuser"])
def test_unticking_is_closed_in_the_period_form_does_not_reopen_it(client, request, own, who):
    user = request.getfixturevalue(who)
    period = closed_period(own, user)
    client.force_login(user)
    url = f"/beheer/programmes/reportingperiod/{period.pk}/change/"

    response = post_change(client, url, is_closed="", closed_at="", closed_by="")

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.is_closed and period.closed_at is not None and period.closed_by == user


def test_is_closed_is_read_only_in_the_programme_form_as_well(client, manager, own):
    closed_period(own, manager)
    client.force_login(manager)
    page = client.get(f"/beheer/programmes/programme/{own.programme.pk}/change/")
    periods = next(
        f for f in page.context["inline_admin_formsets"] if f.opts.model is models.ReportingPeriod
    )
    assert "is_closed" in periods.readonly_fields
    assert all("is_closed" not in form.fields for form in periods.formset.forms)


@pytest.mark.parametrize("who", ["manager", "superuser"])
def test_reopening_a_period_needs_a_reason_and_records_it(client, request, own, who):
    user = request.getfixturevalue(who)
    period = closed_period(own, user)
    client.force_login(user)
    changelist = "/beheer/programmes/reportingperiod/"

    asked = run_action(client, changelist, "reopen_periods", [period])
    assert asked.status_code == 200
    assert "Periode heropenen" in asked.content.decode()
    without_reason = run_action(client, changelist, "reopen_periods", [period], apply="1")
    assert without_reason.status_code == 200  # the page again, with the field marked
    assert without_reason.context["form"].errors["reason"]
    period.refresh_from_db()
    assert period.is_closed

    done = run_action(
        client, changelist, "reopen_periods", [period], apply="1", reason="Correctie UWV-cijfers"
    )
    assert done.status_code == 302
    period.refresh_from_db()
    assert not period.is_closed and period.closed_at is None
    latest = period.history.latest()
    assert "Correctie UWV-cijfers" in latest.history_change_reason
    assert latest.history_user == user


def test_closing_a_period_goes_through_the_service(client, manager, own):
    period = factories.ReportingPeriodFactory(programme=own.programme)
    client.force_login(manager)
    changelist = "/beheer/programmes/reportingperiod/"
    assert (
        "Periode sluiten"
        in run_action(client, changelist, "close_periods", [period]).content.decode()
    )

    run_action(client, changelist, "close_periods", [period], apply="1")

    period.refresh_from_db()
    assert period.is_closed and period.closed_by == manager
    assert period.history.latest().history_change_reason == "Periode gesloten"


def test_a_refused_reopen_is_shown_as_an_error_message(client, manager, own):
    period = factories.ReportingPeriodFactory(programme=own.programme)  # open already
    client.force_login(manager)
    response = run_action(
        client,
        "/beheer/programmes/reportingperiod/",
        "reopen_periods",
        [period],
        apply="1",
        reason="Nogmaals",
    )
    shown = [str(message) for message in client.get("/beheer/").context["messages"]]
    assert response.status_code == 302
    assert any("niet gesloten" in message for message in shown)


def test_a_manager_cannot_reopen_a_period_of_another_programme(client, manager, own, superuser):
    other = factories.ProjectFactory()
    period = closed_period(other, superuser)
    client.force_login(manager)
    run_action(
        client,
        "/beheer/programmes/reportingperiod/",
        "reopen_periods",
        [period],
        apply="1",
        reason="Waarom niet",
    )
    period.refresh_from_db()
    assert period.is_closed


def test_a_superuser_cannot_approve_a_draft_in_the_report_form(client, superuser):
    report = factories.ProgressReportFactory()
    client.force_login(superuser)
    url = f"/beheer/programmes/progressreport/{report.pk}/change/"

    response = post_change(
        client, url, state=State.APPROVED, reviewed_by=superuser.pk, return_reason="x", version=9
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.DRAFT
    assert report.reviewed_by is None and report.return_reason == ""
    assert report.version == 2


def test_history_cannot_be_posted_back(client, superuser, own):
    period = closed_period(own, superuser)
    services.reopen_period(period=period, user=superuser, reason="Test")
    first = period.history.earliest()
    client.force_login(superuser)
    url = f"/beheer/programmes/reportingperiod/{period.pk}/history/{first.history_id}/"
    assert client.post(url, {"deadline": "2021-08-15"}).status_code == 403


# -- Reports that are not editable -----------------------------------------------------------


@pytest.fixture
def report_in(own):
    """Build a report of the own project in the given state (or in a closed period)."""

    def build(state, *, closed=False):
        report = factories.ProgressReportFactory(project=own, state=state)
        indicator = factories.IndicatorFactory(project=own)
        factories.IndicatorValueFactory(report=report, indicator=indicator, value=Decimal("5"))
        if closed:
            models.ReportingPeriod.objects.filter(pk=report.period_id).update(is_closed=True)
        return report

    return build


@pytest.mark.parametrize(
    ("state", "closed"),
    [(State.SUBMITTED, False), (State.APPROVED, False), (State.DRAFT, True)],
    ids=["submitted", "approved", "draft-in-closed-period"],
)
def test_a_report_that_is_not_editable_cannot_be_changed_or_deleted(
    client, superuser, report_in, state, closed
):
    report = report_in(state, closed=closed)
    client.force_login(superuser)
    url = f"/beheer/programmes/progressreport/{report.pk}/"

    page = client.get(f"{url}change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    for inline in page.context["inline_admin_formsets"]:
        assert not inline.has_add_permission and not inline.has_change_permission
        assert not inline.has_delete_permission
    value = report.values.get()
    rows = {
        "values-TOTAL_FORMS": 1,
        "values-INITIAL_FORMS": 1,
        "values-0-id": value.pk,
        "values-0-report": report.pk,
        "values-0-indicator": value.indicator_id,
        "values-0-value": "999",
    }
    assert client.post(f"{url}change/", {"summary": "Overschreven", **rows}).status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/beheer/programmes/progressreport/",
        {"action": "delete_selected", "post": "yes", "_selected_action": [report.pk]},
    )

    report.refresh_from_db()
    assert report.summary == "" and report.state == state
    assert report.values.get().value == Decimal("5")


def test_an_indicator_with_values_in_an_approved_report_cannot_be_deleted(
    client, superuser, report_in
):
    report = report_in(State.APPROVED)
    indicator = report.values.get().indicator
    client.force_login(superuser)
    response = client.post(f"/beheer/programmes/indicator/{indicator.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert models.Indicator.objects.filter(pk=indicator.pk).exists()


def test_an_admin_change_to_a_draft_row_is_in_the_history_with_a_reason(
    client, superuser, report_in
):
    report = report_in(State.DRAFT)
    value = report.values.get()
    client.force_login(superuser)
    url = f"/beheer/programmes/progressreport/{report.pk}/change/"
    data = change_form_data(client.get(url))
    data.update(
        {
            "values-TOTAL_FORMS": 1,
            "values-INITIAL_FORMS": 1,
            "values-0-id": value.pk,
            "values-0-report": report.pk,
            "values-0-indicator": value.indicator_id,
            "values-0-value": "7",
        }
    )
    assert client.post(url, data).status_code == 302
    value.refresh_from_db()
    assert value.value == Decimal("7")
    record = value.history.latest()
    assert record.history_change_reason == "Gewijzigd in het beheer"
    assert record.history_user == superuser
    assert report.history.latest().history_change_reason == "Gewijzigd in het beheer"


def test_reports_are_not_added_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/beheer/programmes/progressreport/add/").status_code == 403


# -- Who and which region a manager can choose -----------------------------------------------


@pytest.fixture
def people(groups, own):
    """Users around the manager's region and another one, each with a role or none."""
    other = factories.ProjectFactory(programme__region__name="Regio elders")
    coordinator_role = groups[roles.COORDINATOR]

    def person(username, *role_groups, **flags):
        user = factories.UserFactory(username=username, **flags)
        user.groups.add(*role_groups)
        return user

    team = {
        "colleague": person("collega", coordinator_role),
        "newcomer": person("nieuw", coordinator_role),
        "other_manager": person("pm-elders", groups[roles.MANAGER]),
        "wethouder": person("wethouder"),
        "stranger": person("elders", coordinator_role),
        "ministry": person("ministerie", coordinator_role, groups[roles.MINISTRY]),
        "inactive": person("vertrokken", coordinator_role, is_active=False),
    }
    own.coordinators.add(team["colleague"])
    own.programme.region.viewers.add(team["wethouder"])
    other.coordinators.add(team["stranger"])
    other.programme.managers.add(team["other_manager"])
    return team


def choices(client, url, field):
    form = client.get(url).context["adminform"].form
    return set(form.fields[field].queryset.values_list("username", flat=True))


def test_a_manager_chooses_coordinators_only_within_their_scope(client, manager, own, people):
    client.force_login(manager)
    offered = choices(client, f"/beheer/programmes/project/{own.pk}/change/", "coordinators")
    assert offered == {"pm", "collega", "nieuw"}


def test_a_manager_chooses_managers_only_from_the_manager_role(client, manager, own, people):
    client.force_login(manager)
    offered = choices(
        client, f"/beheer/programmes/programme/{own.programme.pk}/change/", "managers"
    )
    assert offered == {"pm"}


def test_a_wethouder_posted_as_coordinator_is_refused(client, manager, own, people):
    client.force_login(manager)
    url = f"/beheer/programmes/project/{own.pk}/change/"
    response = post_change(client, url, coordinators=[people["wethouder"].pk])
    assert response.status_code == 200
    assert "coordinators" in response.context["adminform"].form.errors
    assert list(own.coordinators.all()) == [people["colleague"]]


def test_people_already_on_a_team_stay_on_it(client, manager, own, people):
    own.coordinators.add(people["wethouder"])
    client.force_login(manager)
    url = f"/beheer/programmes/project/{own.pk}/change/"
    assert "wethouder" in choices(client, url, "coordinators")
    assert post_change(client, url).status_code == 302
    assert set(own.coordinators.all()) == {people["colleague"], people["wethouder"]}


def test_a_superuser_chooses_from_everyone(client, superuser, own, people):
    client.force_login(superuser)
    offered = choices(client, f"/beheer/programmes/project/{own.pk}/change/", "coordinators")
    assert {"wethouder", "elders", "ministerie", "vertrokken"} <= offered


def test_a_manager_cannot_move_a_programme_to_another_region(client, manager, own, people):
    elsewhere = models.Region.objects.get(name="Regio elders")
    client.force_login(manager)
    url = f"/beheer/programmes/programme/{own.programme.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert list(form.fields["region"].queryset) == [own.programme.region]

    response = post_change(client, url, region=elsewhere.pk)

    assert response.status_code == 200
    own.programme.refresh_from_db()
    assert own.programme.region != elsewhere


def test_a_manager_sees_only_their_own_regions(client, manager, own, people):
    factories.FundingSourceFactory(
        name="Fonds elders", region=models.Region.objects.get(name="Regio elders")
    )
    client.force_login(manager)
    regions = client.get("/beheer/programmes/region/").content.decode()
    sources = client.get("/beheer/programmes/fundingsource/").content.decode()
    assert own.programme.region.name in regions and "Regio elders" not in regions
    assert "Fonds elders" not in sources and "Regio elders" not in sources


# -- Streefwaarden ---------------------------------------------------------------------------


def test_the_revise_action_keeps_the_previous_value_and_the_reason(client, manager, own):
    indicator = factories.IndicatorFactory(project=own, target_value=Decimal("250"))
    client.force_login(manager)
    response = run_action(
        client, "/beheer/programmes/indicator/", "revise_target_action", [indicator]
    )
    page = response["Location"]
    assert client.get(page).status_code == 200

    response = client.post(page, {"new_value": "1.180", "reason": "Extra middelen provincie"})

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("1180")
    revision = indicator.revisions.get()
    assert (revision.previous_value, revision.new_value) == (Decimal("250"), Decimal("1180"))
    assert revision.reason == "Extra middelen provincie" and revision.revised_by == manager


def test_a_revision_without_a_reason_is_refused(client, manager, own):
    indicator = factories.IndicatorFactory(project=own, target_value=Decimal("250"))
    client.force_login(manager)
    url = f"/beheer/programmes/indicator/{indicator.pk}/streefwaarde-bijstellen/"
    response = client.post(url, {"new_value": "300", "reason": " "})
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert indicator.target_value == Decimal("250") and not indicator.revisions.exists()


def test_a_programme_target_is_revised_the_same_way(client, manager, own):
    target = factories.ProgrammeTargetFactory(programme=own.programme, target_value=Decimal("860"))
    client.force_login(manager)
    url = f"/beheer/programmes/programmetarget/{target.pk}/streefwaarde-bijstellen/"
    client.post(url, {"new_value": "900", "reason": "Bijgesteld", "revised_on": "2021-09-01"})
    revision = target.revisions.get()
    assert revision.previous_value == Decimal("860")
    assert revision.revised_on == datetime.date(2021, 9, 1)


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (
            "/beheer/programmes/indicator/{pk}/change/",
            lambda own: factories.IndicatorFactory(project=own),
        ),
        (
            "/beheer/programmes/programmetarget/{pk}/change/",
            lambda own: factories.ProgrammeTargetFactory(programme=own.programme),
        ),
    ],
    ids=["indicator", "programme-target"],
)
def test_an_existing_streefwaarde_cannot_be_typed_over(client, manager, own, url, make):
    target = make(own)
    client.force_login(manager)
    response = post_change(client, url.format(pk=target.pk), target_value="999")
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == Decimal("100")


def test_streefwaarden_in_inlines_are_fixed_once_they_exist(client, manager, own):
    factories.IndicatorFactory(project=own)
    client.force_login(manager)
    page = client.get(f"/beheer/programmes/project/{own.pk}/change/")
    indicators = next(
        f for f in page.context["inline_admin_formsets"] if f.opts.model is models.Indicator
    )
    existing, blank = indicators.formset.forms[0], indicators.formset.empty_form
    assert existing.fields["target_value"].disabled
    assert not blank.fields["target_value"].disabled
    assert "streefwaarde-bijstellen" in page.content.decode()


def test_target_revisions_cannot_be_typed_in_the_admin(client, superuser, own):
    indicator = factories.IndicatorFactory(project=own)
    services.revise_target(
        target=indicator, new_value=Decimal("120"), reason="Meer", user=superuser
    )
    client.force_login(superuser)
    page = client.get(f"/beheer/programmes/indicator/{indicator.pk}/change/")
    revisions = next(
        f for f in page.context["inline_admin_formsets"] if f.opts.model is models.TargetRevision
    )
    assert not revisions.has_add_permission and not revisions.has_change_permission
    assert "previous_value" in revisions.readonly_fields


# -- Roles -----------------------------------------------------------------------------------


def role_permissions(name):
    group = Group.objects.get(name=name)
    return set(group.permissions.values_list("codename", flat=True))


def test_the_roles_are_created_by_the_data_migration():
    assert (
        MigrationRecorder(connection)
        .migration_qs.filter(app="programmes", name="0005_roles")
        .exists()
    )
    Group.objects.filter(name__in=[role.name for role in roles.ROLES]).delete()
    executor = MigrationExecutor(connection)
    migration = executor.loader.get_migration("programmes", "0005_roles")
    historical = executor.loader.project_state(("programmes", "0005_roles")).apps
    # The migration only reads the connection from its schema editor.
    migration.operations[0].code(historical, SimpleNamespace(connection=connection))

    for role in roles.ROLES:
        assert role_permissions(role.name) == role.permissions
    assert "view_all_regions" in role_permissions(roles.MINISTRY)


def test_ensure_roles_is_idempotent_and_repairs_a_changed_role():
    first = roles.ensure_roles()
    first[roles.MANAGER].permissions.add(Permission.objects.get(codename="change_progressreport"))
    again = roles.ensure_roles()
    assert {name: group.pk for name, group in again.items()} == {
        name: group.pk for name, group in first.items()
    }
    assert "change_progressreport" not in role_permissions(roles.MANAGER)


def test_the_demo_users_get_the_roles(settings):
    settings.DEMO_MODE = True
    factories.RegionFactory(code="gooi-en-vechtstreek")
    create_demo_users()
    users = {user.username: user for user in Group.objects.get(name=roles.MANAGER).user_set.all()}
    assert set(users) == {"manager"}
    assert users["manager"].has_perm("programmes.change_indicator")
    ministry = Group.objects.get(name=roles.MINISTRY).user_set.get()
    assert ministry.username == "ministerie" and ministry.has_perm("programmes.view_all_regions")
    assert (
        Group.objects.get(name=roles.COORDINATOR).user_set.filter(username="coordinator").exists()
    )


def test_a_programme_target_takes_its_realisation_per_peildatum_in_dutch(client, manager, own):
    """The programme-level realisation (seed 001: "385 kandidaten") is typed in the target's
    admin as a Dutch number, for a period of the target's own programme only."""
    target = factories.ProgrammeTargetFactory(programme=own.programme, target_value=Decimal("860"))
    period = factories.ReportingPeriodFactory(
        programme=own.programme, peildatum=datetime.date(2021, 7, 1)
    )
    other = factories.ReportingPeriodFactory(peildatum=datetime.date(2021, 7, 1))
    client.force_login(manager)
    url = f"/beheer/programmes/programmetarget/{target.pk}/change/"
    page = client.get(url)
    prefix = next(
        f.formset.prefix
        for f in page.context["inline_admin_formsets"]
        if f.formset.model is models.ProgrammeTargetValue
    )
    row = {
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-0-value": "1.385",
        f"{prefix}-0-source": "Monitor september 2021",
    }
    refused = client.post(url, {**change_form_data(page), **row, f"{prefix}-0-period": other.pk})
    assert refused.status_code == 200 and not target.values.exists()
    saved = client.post(url, {**change_form_data(page), **row, f"{prefix}-0-period": period.pk})
    assert saved.status_code == 302
    assert target.values.get().value == Decimal("1385")
