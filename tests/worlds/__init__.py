"""One test world: the seed regions, built with the factories, and the people who use them.

How to use it::

    from tests import worlds

    zeeland = worlds.zeeland()                 # Regio Deal Zeeland, peildatum 1-1-2020
    gooi = worlds.gooi()                       # Werken aan Werk, peildatum 1-7-2021
    kennemerland = worlds.zuid_kennemerland()  # doe-agenda 2020-2022, no reports
    people = worlds.users_for(gooi, outsider_in=zeeland)
    client.force_login(people.wethouder)

Every region builder (`zeeland`, `gooi`, `zuid_kennemerland`, `zuid_limburg`, `gorinchem`)
returns a frozen `World`: region, programme, periods, pillars, targets, projects, indicators
and reports, in build order, with `world.project` for a one-project world and look-ups such as
`world.project_titled("ZorgStart")` and `world.period_at(date)`. Overrides change the shape:
`periods=`, `pillars=`, `targets=`, `projects=` and `region=` replace that part, any other
keyword is a programme field (`worlds.gooi(name="Perspectief op Werk", slug=...)`). Parts are
frozen specs (`period`, `pillar`, `target`, `project`, `indicator`, `report`, `funding`);
the seed's own parts (`seeds.ZORGSTART`, `seeds.AANVALSPLAN`, ...) vary with `.but(...)`.
What a spec leaves out is the factory default of tests/factories.py, the low-level blocks.

`users_for(world)` / `roles(...)` create the roles once (coordinator, manager, wethouder,
ministerie, admin and an outsider of another region) with the access the product gives them;
see tests/worlds/people.py. Whole stories are in tests/worlds/scenarios.py: the reporting
world of tests/programmes (`reporting_world`, `complete_post`) and the world of the browser
journeys (`journey_world`). The folders' conftest files wrap these as fixtures (`gooi`,
`zeeland`, `kennemerland`, `other_region`, `wethouder`, `ministry`).

Worlds are for tests only: they write to the test database and never touch the demo data.
"""

from tests.worlds.build import (
    World,
    build,
    funding,
    indicator,
    period,
    pillar,
    project,
    report,
    target,
)
from tests.worlds.people import Roles, roles, users_for
from tests.worlds.scenarios import complete_post, journey_world, reporting_world
from tests.worlds.seeds import gooi, gorinchem, zeeland, zuid_kennemerland, zuid_limburg

__all__ = [
    "Roles",
    "World",
    "build",
    "complete_post",
    "funding",
    "gooi",
    "gorinchem",
    "indicator",
    "journey_world",
    "period",
    "pillar",
    "project",
    "report",
    "reporting_world",
    "roles",
    "target",
    "users_for",
    "zeeland",
    "zuid_kennemerland",
    "zuid_limburg",
]
