"""Load the demo data in fixtures/demo/*.json (built from the five seed reports) and the
demo users with their roles (`programmes.roles`).

Loading is an upsert on natural keys (region code, programme slug, project code, indicator
name, peildatum, ...): running it twice changes nothing the second time and writes no new
history, because a row is saved only when one of its values differs. The demo users
(password "demo") are created only when settings.DEMO_MODE is on; production never sets it.

This module must never be imported by the application's request path.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction

from programmes import models as m
from programmes import roles
from programmes.services import derived

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
DEMO_PASSWORD = "demo"


# --- Judgements the seed states in words (seed 001, Gooi en Vechtstreek) ----------------------
# Where the monitor says how a project is doing in words, that judgement is recorded as the
# reported light, with the sentence as the explanation and marked as derived from the source
# text (fixtures/demo/README.md lists each). The words map to a light by `light_from_words`;
# a sentence without one of these words leaves the project without a reported light.
DERIVED_MARK = "Stoplicht afgeleid uit de brontekst (seed 001): "
_WORDS = (
    (re.compile(r"\b(meer dan |goed )?op koers\b|\bvolgens doel\b", re.IGNORECASE), "green"),
    (re.compile(r"\blo(opt|pen)\b(\s+\w+){0,3}?\s+achter\b", re.IGNORECASE), "amber"),
    (re.compile(r"\bligt stil\b|\bgestopt wegens\b", re.IGNORECASE), "red"),
)
SEED_001 = "001_d4c38c552a88b945.txt"
SOURCE_LIGHTS: dict[tuple[str, str, str], str] = {
    # (programme slug, project code, peildatum): the sentence of seed 001
    ("werken-aan-werk-gooi-en-vechtstreek", "BIJ-02", "2021-07-01"): (
        "De projecten Hout en Waardetas kenden een latere start en lopen daardoor achter."
    ),
    ("werken-aan-werk-gooi-en-vechtstreek", "BIJ-03", "2021-07-01"): (
        "De projecten Hout en Waardetas kenden een latere start en lopen daardoor achter."
    ),
    ("werken-aan-werk-gooi-en-vechtstreek", "BIJ-04", "2021-07-01"): (
        "Daarmee loopt het project achter met de uitstroomdoelstelling maar nu de basis is "
        "gelegd verwachten we het tweede half jaar snellere uitstroom te realiseren."
    ),
    ("werken-aan-werk-gooi-en-vechtstreek", "BIJ-05", "2021-07-01"): (
        "Het grootste project, ZorgStart, loopt na een vliegende start met 279 aanmeldingen "
        "(tot en met Q2), goed op koers."
    ),
    ("werken-aan-werk-gooi-en-vechtstreek", "BIJ-06", "2021-07-01"): (
        "Het project Jongeren heeft na drie maanden geleid tot een uitstroom van 11 jongeren "
        "naar een baan en ligt daarmee goed op koers."
    ),
    ("perspectief-op-werk-gooi-en-vechtstreek", "POW-03", "2021-07-01"): (
        "Met de tot nu toe gerealiseerde instroom en diplomarendement loopt het project meer "
        "dan op koers."
    ),
    ("perspectief-op-werk-gooi-en-vechtstreek", "POW-05", "2021-07-01"): (
        "Daarmee loopt het iets achter op planning, er is echter geen reden om te verwachten "
        "dat de doelstelling voor 2021 niet wordt behaald."
    ),
}
# Programme targets with a realisation the seed gives at programme level:
# (programme slug, target name, peildatum) -> (value, the sentence).
SOURCE_TARGET_VALUES: dict[tuple[str, str, str], tuple[str, str]] = {
    ("werken-aan-werk-gooi-en-vechtstreek", "Aantal trajecten", "2021-07-01"): (
        "385",
        "Er zijn 385 kandidaten gestart (tot en met juni 2021) (seed 001, Algemeen).",
    ),
}


def light_from_words(sentence: str) -> str:
    """The light a sentence of a seed states in words ("" when it states none): "op koers",
    "meer dan op koers", "volgens doel", "goed op koers" are groen; "loopt (iets) achter",
    "lopen achter" oranje; "ligt stil", "gestopt wegens" rood. The worst stated light wins."""
    found = [light for pattern, light in _WORDS if pattern.search(sentence)]
    for light in ("red", "amber", "green"):
        if light in found:
            return light
    return ""


@dataclass
class LoadStats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class Loader:
    def __init__(self) -> None:
        self.stats = LoadStats()

    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        """Get by `lookup`; create with `values`, or save only the fields that differ."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.stats.created += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save(update_fields=changed)
            self.stats.updated += 1
        else:
            self.stats.unchanged += 1
        return obj

    def set_m2m(self, manager, objects: Iterable[models.Model]) -> None:
        wanted = {obj.pk for obj in objects}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)

    def load_file(self, path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.stats.files.append(path.name)
        region_data = data["region"]
        region = self.upsert(m.Region, {"code": region_data["code"]}, {"name": region_data["name"]})
        for name in region_data.get("municipalities", []):
            self.upsert(m.Municipality, {"region": region, "name": name}, {})
        organisations = {
            item["name"]: self.upsert(
                m.Organisation, {"name": item["name"]}, {"kind": item.get("kind", "overig")}
            )
            for item in data.get("organisations", [])
        }
        sources = {
            item["name"]: self.upsert(
                m.FundingSource,
                {"name": item["name"]},
                {
                    "kind": item.get("kind", "rijk"),
                    "order": index,
                    "region": region if item.get("regional") else None,
                },
            )
            for index, item in enumerate(data.get("funding_sources", []))
        }
        for programme_data in data["programmes"]:
            self.load_programme(region, programme_data, organisations, sources)

    def load_programme(self, region, data: dict, organisations: dict, sources: dict) -> None:
        programme = self.upsert(
            m.Programme,
            {"slug": data["slug"]},
            {
                "region": region,
                "name": data["name"],
                "funder": data.get("funder", ""),
                "description": data.get("description", ""),
                "start_date": _date(data["start"]),
                "end_date": _date(data["end"]),
                "source": data.get("source", "")[:300],
            },
        )
        targets = {
            item["name"]: self.upsert(
                m.ProgrammeTarget,
                {"programme": programme, "name": item["name"]},
                {
                    "unit": item.get("unit", ""),
                    "target_value": _decimal(item["target_value"]),
                    "description": item.get("description", ""),
                    "order": index,
                },
            )
            for index, item in enumerate(data.get("targets", []))
        }
        periods = {
            item["peildatum"]: self.upsert(
                m.ReportingPeriod,
                {"programme": programme, "peildatum": _date(item["peildatum"])},
                {"deadline": _date(item.get("deadline")), "is_closed": bool(item.get("is_closed"))},
            )
            for item in data.get("periods", [])
        }
        for (slug, name, peildatum), (value, source) in SOURCE_TARGET_VALUES.items():
            if slug == programme.slug and name in targets and peildatum in periods:
                self.upsert(
                    m.ProgrammeTargetValue,
                    {"target": targets[name], "period": periods[peildatum]},
                    {"value": _decimal(value), "source": source},
                )
        pillars = {
            item["name"]: self.upsert(
                m.Pillar,
                {"programme": programme, "name": item["name"]},
                {"order": item.get("order", index), "description": item.get("description", "")},
            )
            for index, item in enumerate(data.get("pillars", []))
        }
        for project_data in data.get("projects", []):
            self.load_project(
                programme, project_data, pillars, targets, periods, organisations, sources
            )

    def load_project(self, programme, data, pillars, targets, periods, organisations, sources):
        project = self.upsert(
            m.Project,
            {"programme": programme, "code": data["code"]},
            {
                "number": data.get("number"),
                "title": data["title"],
                "pillar": pillars.get(data.get("pillar")) if data.get("pillar") else None,
                "status": data.get("status", m.Project.Status.RUNNING),
                "start_date": _date(data.get("start")),
                "end_date": _date(data.get("end")),
                "action": data.get("action", ""),
                "intended_result": data.get("intended_result", ""),
                "achieved_result": data.get("achieved_result", ""),
                "follow_up": data.get("follow_up", ""),
                "public_funds": data.get("public_funds", ""),
                "estimated_cost": _decimal(data.get("estimated_cost")),
                "extra_info": data.get("extra_info", ""),
                "owner": organisations.get(data.get("owner")) if data.get("owner") else None,
            },
        )
        self.set_m2m(project.partners, [organisations[name] for name in data.get("partners", [])])
        indicators = {}
        for index, item in enumerate(data.get("indicators", [])):
            indicator = self.upsert(
                m.Indicator,
                {"project": project, "name": item["name"]},
                {
                    "unit": item.get("unit", ""),
                    "baseline": _decimal(item.get("baseline")) or Decimal("0"),
                    "target_value": _decimal(item["target_value"]),
                    "target_date": _date(item.get("target_date")),
                    "is_cumulative": item.get("is_cumulative", True),
                    "higher_is_better": item.get("higher_is_better", True),
                    "programme_target": targets.get(item.get("programme_target"))
                    if item.get("programme_target")
                    else None,
                    "order": index,
                },
            )
            indicators[item["name"]] = indicator
            for planned in item.get("planned", []):
                self.upsert(
                    m.PlannedValue,
                    {"indicator": indicator, "period": periods[planned["peildatum"]]},
                    {"value": _decimal(planned["value"])},
                )
        for item in data.get("budget_plan", []):
            self.upsert(
                m.BudgetPlan,
                {"project": project, "year": item["year"]},
                {"amount": _decimal(item["amount"])},
            )
        for report_data in data.get("reports", []):
            self.load_report(project, report_data, periods, indicators, sources)

    def load_report(self, project, data, periods, indicators, sources) -> None:
        derived_light = ""
        sentence = SOURCE_LIGHTS.get((project.programme.slug, project.code, data["peildatum"]))
        if sentence and not data.get("reported_light"):
            derived_light = light_from_words(sentence)
        report = self.upsert(
            m.ProgressReport,
            {"project": project, "period": periods[data["peildatum"]]},
            {
                "state": data.get("state", m.ProgressReport.State.DRAFT),
                "summary": data.get("summary", ""),
                "reported_light": data.get("reported_light") or derived_light,
                "light_explanation": f"{DERIVED_MARK}\u201c{sentence}\u201d"
                if derived_light
                else data.get("light_explanation", ""),
                "light_cause": data.get("light_cause", ""),
                "light_consequences": data.get("light_consequences", ""),
                "light_recovery": data.get("light_recovery", ""),
                "highlight": data.get("highlight") or "",
                "highlight_text": data.get("highlight_text", "")[:300],
                "highlight_order": data.get("highlight_order"),
                "budget_note": data.get("budget_note", ""),
                "stated_cost_total": _decimal(data.get("stated_cost_total")),
                "stated_income_total": _decimal(data.get("stated_income_total")),
                "stated_totals_note": data.get("stated_totals_note", ""),
                "is_demo_data": bool(data.get("is_demo_data")),
                "source": data.get("source", "")[:300],
            },
        )
        for index, item in enumerate(data.get("activities", [])):
            self.upsert(
                m.ActivityProgress,
                {"report": report, "order": index},
                {
                    "year": item.get("year"),
                    "activity": item["activity"],
                    "progress": item.get("progress", ""),
                    "progress_indicators": item.get("progress_indicators", ""),
                },
            )
        for item in data.get("values", []):
            self.upsert(
                m.IndicatorValue,
                {"report": report, "indicator": indicators[item["indicator"]]},
                {"value": _decimal(item.get("value")), "note": item.get("note", "")},
            )
        for item in data.get("planning_changes", []):
            self.upsert(
                m.PlanningChange,
                {"report": report, "year": item["year"]},
                {
                    "original_description": item.get("original", ""),
                    "changed_description": item.get("changed", ""),
                },
            )
        for item in data.get("budget", []):
            self.upsert(
                m.BudgetLine,
                {"report": report, "year": item["year"]},
                {
                    "budget": _decimal(item.get("budget")),
                    "spent": _decimal(item.get("spent")),
                    "forecast": _decimal(item.get("forecast")),
                },
            )
        for item in data.get("funding", []):
            self.upsert(
                m.FundingLine,
                {"report": report, "source": sources[item["source"]]},
                {
                    "budgeted": _decimal(item.get("budgeted")),
                    "received": _decimal(item.get("received")),
                    "committed": _decimal(item.get("committed")),
                    "to_request": _decimal(item.get("to_request")),
                    "note": item.get("note", ""),
                },
            )


# Who the demo users are. Scopes are by natural key, so they follow the demo data.
DEMO_MANAGED_REGIONS = ["zeeland", "gooi-en-vechtstreek"]
DEMO_VIEWER_REGION = "gooi-en-vechtstreek"


def create_demo_users() -> list[str]:
    """The five demo users, password "demo". Only in DEMO_MODE; refuses otherwise."""
    if not settings.DEMO_MODE:
        raise PermissionError("Demo users are only created with DEMO_MODE on.")
    User = get_user_model()

    def user(username: str, **flags) -> Any:
        # An example.org address (reserved for examples, never delivered): the demo's mail
        # goes to a folder (README, "E-mail in de demo"), so reminders and returns are seen.
        flags.setdefault("email", f"{username}@example.org")
        obj, created = User.objects.get_or_create(username=username, defaults=flags)
        if not obj.email:
            obj.email = flags["email"]
            obj.save(update_fields=["email"])
        if created or not obj.check_password(DEMO_PASSWORD):
            obj.set_password(DEMO_PASSWORD)
            obj.save()
        return obj

    coordinator = user("coordinator", first_name="Programmacoördinator")
    manager = user("manager", first_name="Programmamanager", is_staff=True)
    wethouder = user("wethouder", first_name="Wethouder Gooi en Vechtstreek")
    ministerie = user("ministerie", first_name="Ministerie")
    admin = user("admin", first_name="Beheerder", is_staff=True, is_superuser=True)

    groups = roles.ensure_roles()
    coordinator.groups.add(groups[roles.COORDINATOR])
    manager.groups.add(groups[roles.MANAGER])
    ministerie.groups.add(groups[roles.MINISTRY])
    m.Region.objects.get(code=DEMO_VIEWER_REGION).viewers.add(wethouder)
    for programme in m.Programme.objects.filter(region__code__in=DEMO_MANAGED_REGIONS):
        programme.managers.add(manager)
    for project in m.Project.objects.filter(
        programme__region__code__in=DEMO_MANAGED_REGIONS
    ).active():
        project.coordinators.add(coordinator)
    return [u.username for u in (coordinator, manager, wethouder, ministerie, admin)]


@transaction.atomic
def load_demo(*, directory: Path = DEMO_DIR, with_users: bool = True) -> LoadStats:
    loader = Loader()
    for path in sorted(directory.glob("*.json")):
        loader.load_file(path)
    if with_users:
        create_demo_users()
    # The loader writes the seed rows directly (historical reports, closed periods); the
    # stored status is then computed from them as the services would have.
    derived.refresh_status(programme_ids=m.Programme.objects.values_list("pk", flat=True))
    return loader.stats
