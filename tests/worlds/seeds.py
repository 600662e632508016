"""The five seed regions as test worlds, with the figures of the seed documents in
/work/shared/seeds/ (the demo in fixtures/demo/ holds the same regions in full).

Each builder creates one programme with what tests need of it and takes overrides: a keyword
that names a part (`periods`, `pillars`, `targets`, `projects`, `region`) replaces that part,
any other keyword is a programme field. The catalogue constants (ZORGSTART, AANVALSPLAN, ...)
are there to be reused and varied with `.but(...)`. Never build users here (tests/worlds/people.py).
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

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


def _world(defaults: dict, overrides: dict) -> World:
    parts = ("region", "periods", "pillars", "targets", "projects")
    spec = {name: overrides.pop(name, defaults[name]) for name in parts if name in defaults}
    spec.update({name: overrides.pop(name) for name in parts if name in overrides})
    return build(programme={**defaults["programme"], **overrides}, **spec)


# -- Zeeland: Voortgangsrapportage 2 Regio Deal Zeeland, peildatum 1-1-2020 (seed 000) --------

ZEELAND = {"code": "zeeland", "name": "Zeeland"}
ZEELAND_PEILDATUM = datetime.date(2020, 1, 1)
ZEELAND_SUMMARY = (
    "Het project loopt voorspoedig en er worden goede resultaten gehaald. Zo is de beoogde "
    "plaatsing van 400 mensen met een afstand tot de arbeidsmarkt inmiddels gerealiseerd."
)
ZEELAND_BUDGET_NOTE = (
    "De rij 'Totaal' in de bron vermeldt begroting deel 1 € 3.000.000 en uitgaven-lasten "
    "€ 3.595.628; de jaarregels tellen op tot € 3.648.455."
)
VACATURES = "het aantal vacatures van Zeeuwse werkgevers dat wordt vervuld"
AANVALSPLAN = project(
    "Aanvalsplan voor de Arbeidsmarktregio Zeeland",
    code="AANVALSPLAN-II",
    start_date=datetime.date(2018, 1, 1),
    end_date=datetime.date(2021, 12, 31),
    indicators=[
        indicator(
            VACATURES,
            unit="vacatures",
            target_value=D(200),
            target_date=None,
            order=0,
            planned={ZEELAND_PEILDATUM: D(200)},
        ),
        indicator(
            "het realiseren van een regiomarketing platform",
            unit="marketingorganisatie",
            target_value=D(1),
            target_date=None,
            order=1,
            planned={ZEELAND_PEILDATUM: D(1)},
        ),
    ],
    reports=[
        report(
            ZEELAND_PEILDATUM,
            state="approved",
            summary=ZEELAND_SUMMARY,
            budget_note=ZEELAND_BUDGET_NOTE,
            source="Voortgangsrapportage 2 Regio Deal Zeeland, peildatum 01-01-2020",
            activities=[
                {
                    "order": 0,
                    "year": 2019,
                    "activity": (
                        "Fase 2: scholing en plaatsing van onbenut Zeeuws arbeidspotentieel"
                    ),
                    "progress": ("Op peildatum 1 december 2019 zijn 447 plaatsingen gerealiseerd."),
                },
                {
                    "order": 1,
                    "year": 2019,
                    "activity": "Fase 2: oprichten en inrichten regionale marketingorganisatie",
                    "progress": "Businessplannen gepresenteerd in september 2019.",
                },
            ],
            values={VACATURES: D(447)},
            planning_years=(2018, 2019, 2020, 2021),
            budget=[
                {"year": year, "budget": budget, "spent": spent, "forecast": forecast}
                for year, budget, spent, forecast in [
                    (2018, D(620000), D(878855), None),
                    (2019, D(1610000), D(2066773), None),
                    (2020, D(770000), None, D(652827)),
                    (2021, None, None, D(50000)),
                ]
            ],
            # The seed's "Totaal" rows: uitgaven-lasten € 3.595.628 (its year lines add up
            # to € 3.648.455) and the income's begroting deel 1 € 3.000.000.
            stated_cost_total=D(3595628),
            stated_income_total=D(3000000),
            funding=[
                funding(
                    name,
                    source_order=order,
                    budgeted=b,
                    received=r,
                    committed=c,
                    note="bedrag in de bron dubbelzinnig" if name == "Regio Deal" else "",
                )
                for order, (name, b, r, c) in enumerate(
                    [
                        ("Regio Deal", None, D(1830000), D(470000)),
                        ("Provincie", D(350000), D(689905), None),
                        ("Overig publiek", D(350000), D(250000), D(100000)),
                        ("Eigen bijdrage privaat", None, D(308550), None),
                    ]
                )
            ],
        )
    ],
)


def zeeland(**overrides) -> World:
    """Regio Deal Zeeland, Aanvalsplan, peildatum 1-1-2020: 447 vacatures filled against
    200 planned, the seed's cost table (2018-2021) and income per funding source."""
    return _world(
        {
            "region": ZEELAND,
            "programme": {
                "slug": "regio-deal-zeeland",
                "name": "Regio Deal Zeeland",
                "funder": "Regio Deal Zeeland",
                "start_date": datetime.date(2018, 1, 1),
                "end_date": datetime.date(2021, 12, 31),
            },
            "periods": [period(ZEELAND_PEILDATUM)],
            "projects": [AANVALSPLAN],
        },
        overrides,
    )


# -- Gooi en Vechtstreek: Monitor Werken aan Werk en Perspectief op Werk, Sept 2021 (seed 001) --

GOOI = {"code": "gooi-en-vechtstreek", "name": "Gooi en Vechtstreek"}
GOOI_PEILDATUM = datetime.date(2021, 7, 1)
# The section titles of the seed's monitor, which the default world uses as pillars.
GOOI_PILLARS = [
    "Voortgangsrapportage projecten bijstelling programma's",
    "Voortgangsrapportage uitvoering actieplan Werken aan Werk",
    "Voortgangsrapportage uitvoering actieplan Perspectief op Werk",
]
# The pillar names of the demo (fixtures/demo/gooi-en-vechtstreek.json).
BIJSTELLING = "Bijstelling programma's"
ACTIEPLAN_WAW = "Actieplan Werken aan Werk"
BEMIDDELD = "Aantal inwoners bemiddeld naar werk"
GOOI_TARGETS = [
    target("Aantal trajecten", target_value=D(1180), order=0),
    target("Aantal scholing- en begeleidingstrajecten", target_value=D(860), order=1),
    target(BEMIDDELD, target_value=D(520), order=2),
]
ZORGSTART_POSITIVE = "ZorgStart loopt na een vliegende start goed op koers."
GOOI_DATES = {"start_date": datetime.date(2021, 2, 1), "end_date": datetime.date(2023, 2, 1)}


HIGHLIGHTS = {
    "ZorgStart": ("positive", ZORGSTART_POSITIVE),
    "Hout": ("adjusted", "Hout kende een latere start."),
}


def _gooi_project(pillar_index, number, title, light, summary, status="running", **parts):
    """A project of the seed's monitor with its approved 1-7-2021 report."""
    highlight, highlight_text = HIGHLIGHTS.get(title, ("", ""))
    seed_report = report(
        GOOI_PEILDATUM,
        state="approved",
        reported_light=light,
        summary=summary,
        highlight=highlight,
        highlight_text=highlight_text,
        values=parts.pop("values", None),
    )
    return project(
        title,
        pillar=GOOI_PILLARS[pillar_index],
        number=number,
        status=status,
        reports=[seed_report],
        **GOOI_DATES,
        **parts,
    )


ZORGSTART = _gooi_project(
    0,
    5,
    "ZorgStart",
    "green",
    "43 inwoners zijn uitgestroomd naar een betaalde baan.",
    indicators=[
        indicator(
            "Uitstroom naar werk",
            target_value=D(250),
            target_date=datetime.date(2023, 2, 1),
            target=BEMIDDELD,
        )
    ],
    values={"Uitstroom naar werk": D(43)},
)
# pillar index, number, title, reported light, summary, status. Finished projects have no
# pillar of their own in the seed's monitor; they sit in the first.
_GOOI_MONITOR = [
    (0, 1, "Gooi en Vechtstreek werkt door", "amber", "Contact met circa 700 werkgevers."),
    (0, 2, "Hout", "amber", "Gestart op 17 mei 2021 met als einddoel 40 inwoners."),
    (0, 3, "Waardetas", "red", "Er zijn 4 kandidaten gestart."),
    ZORGSTART,
    (1, 2, "Lokaal budget voor scholing en begeleiding", "green", "Alle plannen akkoord."),
    (2, 3, "Wijkleerbedrijf", "green", "De eerste 15 deelnemers ontvangen een diploma."),
    (0, 1, "Meer werk voor huishoudelijke hulpen", "", "Dit project is afgerond.", "completed"),
    (0, 2, "Innovatiefonds", "", "In verband met de coronacrisis on hold gezet.", "on_hold"),
]
GOOI_PROJECTS = [row if row is ZORGSTART else _gooi_project(*row) for row in _GOOI_MONITOR]


# Parts of the seed that tests combine in other shapes (tests/monitor, tests/worlds/scenarios).
UITSTROOM = indicator(
    "Uitstroom naar betaalde baan",
    target_value=D(250),
    target_date=datetime.date(2023, 2, 1),
    target=BEMIDDELD,
)
SCHOONHUIS = project(
    "Schoonhuis continueren",
    code="SCHOONHUIS",
    status="completed",
    reports=[report(GOOI_PEILDATUM, summary="Dit project is afgerond.")],
)


def gooi(**overrides) -> World:
    """Gooi en Vechtstreek, Werken aan Werk, peildatum 1-7-2021: three programme targets,
    ZorgStart aiming at 250 outflow with 43 realised, highlights, finished projects."""
    return _world(
        {
            "region": GOOI,
            "programme": {
                "slug": "werken-aan-werk",
                "name": "Werken aan Werk",
                "description": (
                    "Met 27 werkgelegenheidsprojecten investeren de regiogemeenten in banen."
                ),
                "start_date": datetime.date(2019, 1, 1),
                "end_date": datetime.date(2023, 12, 31),
            },
            "periods": [period(GOOI_PEILDATUM)],
            "pillars": [pillar(name, order=i) for i, name in enumerate(GOOI_PILLARS)],
            "targets": GOOI_TARGETS,
            "projects": GOOI_PROJECTS,
        },
        overrides,
    )


# -- Zuid-Kennemerland en IJmond: Evaluatie doe-agenda 2020-2022 (seed 003) ---------------------

ZUID_KENNEMERLAND = {"code": "zuid-kennemerland-en-ijmond", "name": "Zuid-Kennemerland en IJmond"}
KENNEMERLAND_PILLARS = [
    "Van werk naar werk",
    "Van uitkering naar werk",
    "Van onderwijs naar werk",
    "Werkgelegenheid",
]
MOBILITEITSTEAM = project(
    "Regionaal Mobiliteitsteam",
    pillar="Van werk naar werk",
    number=1,
    action="Opzetten Regionaal Mobiliteitsteam Zuid-Kennemerland en IJmond",
    intended_result="Duurzame bemiddeling van werk naar werk.",
    achieved_result="RMT ZKIJwerktdoor is gestart per 1 september 2021.",
    follow_up="Verduurzaming dienstverlening RMT.",
    public_funds="€ 240.000 Crisisdienstverlening",
    partners=["UWV", "FNV"],
)
KENNEMERLAND_PROJECTS = [
    MOBILITEITSTEAM,
    project(
        "Blik op de Toekomst",
        pillar="Van werk naar werk",
        number=3,
        status="stopped",
        action="Versterking verbinding ondernemers",
        achieved_result="Dit project is in afstemming met VNO NCW niet gestart.",
        public_funds="n.v.t.",
    ),
    project(
        "Jeugdwerkloosheid",
        pillar="Van uitkering naar werk",
        number=1,
        action="Regionale aanpak Jeugdwerkloosheid",
        intended_result="Intensieve begeleiding naar werk van schoolverlaters.",
    ),
    project("Techniekpact", pillar="Werkgelegenheid", number=1, status="completed"),
]


def zuid_kennemerland(**overrides) -> World:
    """Zuid-Kennemerland en IJmond, doe-agenda 2020-2022: projects under four pillars with
    action, intended and achieved result, follow-up, partners and public funds; no reports,
    one open period at 1-1-2023."""
    return _world(
        {
            "region": ZUID_KENNEMERLAND,
            "programme": {
                "slug": "doe-agenda-2020-2022",
                "name": "Doe-agenda 2020-2022",
                "start_date": datetime.date(2020, 1, 1),
                "end_date": datetime.date(2022, 12, 31),
            },
            "periods": [period(datetime.date(2023, 1, 1))],
            "pillars": [pillar(name, order=i) for i, name in enumerate(KENNEMERLAND_PILLARS)],
            "projects": KENNEMERLAND_PROJECTS,
        },
        overrides,
    )


# -- Zuid-Limburg: Plan van aanpak "Matchen op werk Zuid Limburg", Dec 2017 (seed 002) ----------


def zuid_limburg(**overrides) -> World:
    """Matchen op werk Zuid-Limburg (2018-2020): a plan, so planned projects with their
    estimated cost and no reports; the arbeidsmakelaars planned at 10 for 1-1-2019."""
    makelaars = "Aantal aangestelde en opgeleide arbeidsmakelaars"
    scholing = "Aantal cliënten met een maatwerkscholingsarrangement"
    plan = {"status": "planned", "start_date": datetime.date(2018, 1, 1)}
    plan["end_date"] = datetime.date(2020, 12, 31)
    return _world(
        {
            "region": {"code": "zuid-limburg", "name": "Zuid-Limburg"},
            "programme": {
                "slug": "matchen-op-werk-zuid-limburg",
                "name": "Matchen op werk Zuid-Limburg",
                "start_date": datetime.date(2018, 1, 1),
                "end_date": datetime.date(2020, 12, 31),
            },
            "periods": [
                period(datetime.date(2019, 1, 1), is_closed=True),
                period(datetime.date(2021, 1, 1)),
            ],
            "targets": [
                target(scholing, unit="cliënten", target_value=D(2350), order=0),
                target(makelaars, unit="arbeidsmakelaars", target_value=D(20), order=1),
            ],
            "projects": [
                project(
                    "Ontwikkelen van maatwerk scholingsarrangementen",
                    code="MOW-2",
                    estimated_cost=D(2350000),
                    **plan,
                ),
                project(
                    "Aanstellen en opleiden van arbeidsmakelaars",
                    code="MOW-4",
                    estimated_cost=D(650000),
                    indicators=[
                        indicator(
                            makelaars,
                            unit="arbeidsmakelaars",
                            target_value=D(20),
                            target=makelaars,
                            planned={datetime.date(2019, 1, 1): D(10)},
                        )
                    ],
                    **plan,
                ),
            ],
        },
        overrides,
    )


# -- Gorinchem: Regionale doe-agenda Perspectief op Werk, 2019 (seed 004) ----------------------


def gorinchem(**overrides) -> World:
    """Regionale doe-agenda Perspectief op Werk Gorinchem: 'eerste en tweede jaar' as 2020
    and 2021, planned projects with their budget plan per year, one open period 1-1-2021."""
    matches = "Meer passende matches op openstaande vacatures"
    plan = {"status": "planned", "start_date": datetime.date(2020, 1, 1)}
    plan["end_date"] = datetime.date(2021, 12, 31)
    return _world(
        {
            "region": {"code": "gorinchem", "name": "Gorinchem"},
            "programme": {
                "slug": "doe-agenda-perspectief-op-werk-gorinchem",
                "name": "Regionale doe-agenda Perspectief op Werk Gorinchem",
                "start_date": datetime.date(2020, 1, 1),
                "end_date": datetime.date(2021, 12, 31),
            },
            "periods": [period(datetime.date(2021, 1, 1))],
            "targets": [target(matches, unit="matches", target_value=D(120), order=0)],
            "projects": [
                project(
                    "Oprichten Ambachtsschool (nieuwe stijl)",
                    code="AMB",
                    indicators=[
                        indicator(
                            "Aantal matches op de arbeidsmarkt",
                            unit="matches",
                            target_value=D(40),
                            target_date=datetime.date(2021, 12, 31),
                            target=matches,
                        )
                    ],
                    plan={2020: D(350000), 2021: D(350000)},
                    **plan,
                ),
                project(
                    "Uitbouwen digitaal platform scholing",
                    code="DPS",
                    plan={2020: D(150000), 2021: D(100000)},
                    **plan,
                ),
            ],
        },
        overrides,
    )
