"""The monitor's fixtures, thin wrappers over tests/worlds/: Gooi en Vechtstreek with the
dashboard's shape, Zeeland as the region a Gooi en Vechtstreek wethouder must not see."""

import datetime
from decimal import Decimal as D

import pytest

from tests import worlds
from tests.worlds import people, seeds
from tests.worlds.build import period, pillar, report, target

FIRST = datetime.date(2021, 1, 1)


@pytest.fixture
def gooi(db):
    """Werken aan Werk with two periods (1-1-2021, 1-7-2021), one pillar and one target:
    ZorgStart (43 of 250 by 1-7-2021, computed amber, reported green, one indicator, one
    budget year and one funding source) and the finished Schoonhuis continueren."""
    zorgstart = seeds.ZORGSTART.but(
        pillar=seeds.BIJSTELLING,
        code="ZORGSTART",
        end_date=datetime.date(2022, 12, 31),
        indicators=[seeds.UITSTROOM],
        reports=[
            report(
                seeds.GOOI_PEILDATUM,
                reported_light="green",
                state="approved",
                summary="ZorgStart heeft een vliegende start gemaakt.",
                highlight="positive",
                highlight_text="ZorgStart loopt goed op koers.",
                values={seeds.UITSTROOM.name: D(43)},
                budget=[{"year": 2021, "budget": D(500000), "spent": D(200000)}],
                funding=[
                    worlds.funding("Perspectief op Werk", budgeted=D(500000), received=D(250000))
                ],
            ),
            report(FIRST),
        ],
    )
    return worlds.gooi(
        description="",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        periods=[period(FIRST), period(seeds.GOOI_PEILDATUM)],
        pillars=[pillar(seeds.BIJSTELLING, order=1)],
        targets=[target(seeds.BEMIDDELD, target_value=D(520))],
        projects=[zorgstart, seeds.SCHOONHUIS],
    ).programme


@pytest.fixture
def other_region(db):
    """A programme of another region, which a Gooi en Vechtstreek wethouder must not see."""
    return worlds.zeeland(
        periods=[period(seeds.GOOI_PEILDATUM)],
        projects=[
            worlds.project(
                "Aanvalsplan",
                code="AANVAL",
                reports=[report(seeds.GOOI_PEILDATUM, reported_light="red")],
            )
        ],
    ).programme


@pytest.fixture
def wethouder(gooi):
    return people.wethouder_of(gooi.region, username="wethouder-gooi")


@pytest.fixture
def ministry(db):
    return people.ministerie()
