"""The roles of the monitor as groups with their model permissions, defined once in code so
that every installation has the same roles: the data migration `0004_roles` creates them on
`migrate`, the demo loader and the tests call `ensure_roles` too.

- Programmamanagers: the admin screens a programme manager needs to maintain their own
  programmes (projects, indicators, targets, periods, budgets per year), and read-only views
  of reports and their rows. Which programmes they see is decided by
  `Programme.managers`, not by the group.
- Programmacoördinatoren: no model permission (coordinators work in the application, not in
  the admin); the group says who may be made coordinator of a project.
- Ministerie: `programmes.view_all_regions`, read-only across regions.

Readers such as a wethouder need no group: `Region.viewers` gives them their regions.

What a role may *see* is decided by `programmes.permissions`; this module decides only which
model permissions a role holds. It must never grant a permission that changes or deletes a
report or its rows, or a target revision: reports change through `programmes.services`, and
the admin keeps workflow fields read-only. When a role changes here, add a data migration
that calls `ensure_roles` again, so that installations follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.apps.registry import Apps

MANAGER = "Programmamanagers"
COORDINATOR = "Programmacoördinatoren"
MINISTRY = "Ministerie"

# Who may be chosen for a team field in the admin: the managers of a programme come from the
# manager role; a project's coordinators from the coordinator or the manager role.
MANAGER_ROLES = (MANAGER,)
COORDINATOR_ROLES = (COORDINATOR, MANAGER)


@dataclass(frozen=True)
class Role:
    name: str
    # Codenames of permissions of the app `programmes`.
    permissions: frozenset[str]


def _codenames(actions: tuple[str, ...], model_names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(f"{action}_{name}" for name in model_names for action in actions)


# What a manager maintains: the plan of their programmes.
_MAINTAINED = (
    "pillar",
    "programmetarget",
    "project",
    "indicator",
    "plannedvalue",
    "budgetplan",
    "reportingperiod",
    "organisation",
    "programmetargetvalue",
)
# What a manager reads in the admin but never changes there.
_READ_ONLY = (
    "region",
    "municipality",
    "fundingsource",
    "targetrevision",
    "progressreport",
    "activityprogress",
    "indicatorvalue",
    "planningchange",
    "budgetline",
    "fundingline",
)

ROLES = (
    Role(
        name=MANAGER,
        permissions=_codenames(("view", "change"), ("programme",))
        | _codenames(("view", "add", "change"), _MAINTAINED)
        | _codenames(("view",), _READ_ONLY),
    ),
    Role(
        name=COORDINATOR,
        permissions=frozenset(),
    ),
    Role(
        name=MINISTRY,
        permissions=frozenset({"view_all_regions"}),
    ),
)


def ensure_roles(*, apps: Apps = global_apps, missing_ok: bool = False) -> dict[str, object]:
    """Create the role groups and give each exactly its permissions; idempotent (a group that
    already has them is not written). `apps` is the historical registry in a migration.
    Returns the groups by name. `missing_ok`: an older migration, whose models do not all
    exist yet, grants what exists; the later migration that adds the model grants the rest."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    groups: dict[str, object] = {}
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role.name)
        wanted = permission_model.objects.filter(
            content_type__app_label="programmes", codename__in=role.permissions
        )
        found = set(wanted.values_list("codename", flat=True))
        if found != role.permissions and not missing_ok:
            missing = ", ".join(sorted(role.permissions - found))
            raise LookupError(f"Permissions missing for role {role.name}: {missing}")
        wanted_pks = set(wanted.values_list("pk", flat=True))
        if set(group.permissions.values_list("pk", flat=True)) != wanted_pks:
            group.permissions.set(wanted_pks)
        groups[role.name] = group
    return groups
