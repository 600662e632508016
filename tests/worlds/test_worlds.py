"""The test world itself: the five seed regions build side by side, and each role has the
access programmes/permissions.py gives it, no more."""

import datetime

import pytest

from programmes import permissions
from tests import worlds

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return [
        worlds.zeeland(),
        worlds.gooi(),
        worlds.zuid_kennemerland(),
        worlds.zuid_limburg(),
        worlds.gorinchem(),
    ]


def test_the_five_seed_regions_build_together_with_their_seed_figures(regions):
    zeeland, gooi, kennemerland, limburg, gorinchem = regions
    assert len({world.region.code for world in regions}) == 5
    vacatures = zeeland.report_of(zeeland.project.title, datetime.date(2020, 1, 1))
    assert [v.value for v in vacatures.values.all()] == [447]
    zorgstart = gooi.project_titled("ZorgStart").reports.get()
    assert zorgstart.values.get().value == 43
    assert kennemerland.project_titled("Blik op de Toekomst").status == "stopped"
    assert limburg.indicators[0].planned.get().value == 10
    assert sum(plan.amount for p in gorinchem.projects for plan in p.budget_plan.all()) == (950000)


def test_each_role_reads_and_changes_what_the_product_allows(regions):
    zeeland, gooi, *_others = regions
    people = worlds.users_for(gooi, outsider_in=zeeland)

    def programmes(user):
        return set(permissions.visible_programmes(user))

    everything = {world.programme for world in regions}
    assert programmes(people.ministerie) == programmes(people.admin) == everything
    for user in (people.coordinator, people.manager, people.wethouder):
        assert programmes(user) == {gooi.programme}
    assert programmes(people.outsider) == {zeeland.programme}
    assert permissions.manages_programme(people.manager, gooi.programme)
    assert not permissions.manages_programme(people.manager, zeeland.programme)
    coordinated = set(gooi.programme.projects.filter(coordinators=people.coordinator))
    assert coordinated == set(gooi.programme.projects.active())
    assert not people.manager.is_staff
    assert worlds.users_for(gooi).manager == people.manager  # the same users, asked twice


def test_a_manager_in_the_admin_has_the_demo_managers_group(regions):
    people = worlds.users_for(regions[1], manager_in_admin=True)
    assert people.manager.is_staff
    assert people.manager.has_perm("programmes.change_project")
    assert not people.manager.has_perm("programmes.change_progressreport")
