"""The people of a test world: one user per role, with the access the product gives that role
(programmes/permissions.py; the demo users in programmes/demo.py are set up the same way).

- coordinator: in `Project.coordinators` of the projects they report on;
- manager: in `Programme.managers`; with `admin=True` also staff in the demo's
  "Programmamanagers" group, as the demo manager is, so that /beheer/ opens for them;
- wethouder: in `Region.viewers` of their own region;
- ministerie: the permission `programmes.view_all_regions`;
- admin: a superuser;
- outsider: a wethouder of another region, who must see nothing of this one.

Users are fetched or created by username, so asking twice gives the same users. Display
names stay empty unless a test passes them (the history then shows the username).
Never builds regions or programmes (tests/worlds/seeds.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser

from programmes import roles as product_roles
from programmes.models import Programme, Project, Region
from tests import factories
from tests.worlds.build import World


@dataclass(frozen=True)
class Roles:
    coordinator: AbstractUser
    manager: AbstractUser
    wethouder: AbstractUser
    ministerie: AbstractUser
    admin: AbstractUser
    outsider: AbstractUser | None = None


def _group(name: str):
    """The product's role group (programmes/roles.py), as `migrate` creates it."""
    return product_roles.ensure_roles()[name]


def coordinator_of(projects: Iterable[Project], *, username="coordinator", **fields):
    user = factories.UserFactory(username=username, **fields)
    user.groups.add(_group(product_roles.COORDINATOR))
    for project in projects:
        project.coordinators.add(user)
    return user


def manager_of(programmes: Iterable[Programme], *, username="manager", admin=False, **fields):
    user = factories.UserFactory(username=username, is_staff=admin, **fields)
    user.groups.add(_group(product_roles.MANAGER))
    for programme in programmes:
        programme.managers.add(user)
    return user


def wethouder_of(region: Region, *, username="wethouder", **fields):
    user = factories.UserFactory(username=username, **fields)
    region.viewers.add(user)
    return user


def ministerie(*, username="ministerie", **fields):
    return factories.MinistryUserFactory(username=username, **fields)


def administrator(*, username="admin", **fields):
    fields = {"email": "admin@example.org", **fields}
    return factories.UserFactory(username=username, is_staff=True, is_superuser=True, **fields)


def roles(
    *,
    coordinates: Iterable[Project] = (),
    manages: Iterable[Programme] = (),
    views: Region | None = None,
    outsider_views: Region | None = None,
    manager_in_admin: bool = False,
    **per_role: dict,
) -> Roles:
    """The six roles with the scopes given. `per_role` holds user fields per role name, e.g.
    `coordinator={"first_name": "Projectleider"}`; without a region to view, the wethouder
    views none and there is no outsider."""
    unknown = set(per_role) - set(Roles.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown roles: {sorted(unknown)}")
    wethouder = per_role.get("wethouder", {})
    outsider = {"username": "wethouder-elders", **per_role.get("outsider", {})}
    return Roles(
        coordinator=coordinator_of(
            coordinates,
            **{"email": "coordinator@example.org", **per_role.get("coordinator", {})},
        ),
        manager=manager_of(
            manages,
            admin=manager_in_admin,
            **{"email": "manager@example.org", **per_role.get("manager", {})},
        ),
        wethouder=(
            wethouder_of(views, **wethouder)
            if views
            else factories.UserFactory(**{"username": "wethouder", **wethouder})
        ),
        ministerie=ministerie(**per_role.get("ministerie", {})),
        admin=administrator(**per_role.get("admin", {})),
        outsider=wethouder_of(outsider_views, **outsider) if outsider_views else None,
    )


def users_for(
    world: World,
    *,
    outsider_in: World | None = None,
    coordinates: Iterable[Project] | None = None,
    manager_in_admin: bool = False,
    **per_role: dict,
) -> Roles:
    """The roles for one world: the coordinator of its running projects (or of
    `coordinates`), the manager of its programme, the wethouder of its region, and, given
    `outsider_in`, a wethouder of that other world's region."""
    if coordinates is None:
        coordinates = Project.objects.filter(pk__in=[p.pk for p in world.projects]).active()
    return roles(
        coordinates=coordinates,
        manages=[world.programme],
        views=world.region,
        outsider_views=outsider_in.region if outsider_in else None,
        manager_in_admin=manager_in_admin,
        **per_role,
    )
