"""Bulk load of realisations and budgets from a filled-in template, for an administrator.

Goes through the same service as the web upload (`programmes.imports`): the same checks,
the same permission rules for the given user, all or nothing, history records with
"Import uit <bestandsnaam>" as the reason.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from programmes import imports
from programmes.formatting import nl_number
from programmes.models import Programme, ReportingPeriod


class Command(BaseCommand):
    help = "Importeer realisaties en begroting uit een ingevuld sjabloon (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="het ingevulde sjabloon (.xlsx)")
        parser.add_argument(
            "--programme", required=True, help="korte naam (slug) van het programma"
        )
        parser.add_argument("--period", required=True, help="peildatum als JJJJ-MM-DD")
        parser.add_argument("--user", required=True, help="gebruikersnaam die de import doet")
        parser.add_argument(
            "--dry-run", action="store_true", help="alleen controleren en tonen, niets opslaan"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        programme = (
            Programme.objects.select_related("region").filter(slug=options["programme"]).first()
        )
        if programme is None:
            raise CommandError(f"Programma '{options['programme']}' bestaat niet.")
        try:
            peildatum = datetime.date.fromisoformat(options["period"])
        except ValueError as error:
            raise CommandError(
                "Geef de peildatum als JJJJ-MM-DD, bijvoorbeeld 2021-07-01."
            ) from error
        period = ReportingPeriod.objects.filter(programme=programme, peildatum=peildatum).first()
        if period is None:
            raise CommandError(f"Programma {programme.slug} heeft geen peildatum {peildatum}.")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Gebruiker '{options['user']}' bestaat niet.")
        if path.stat().st_size > imports.MAX_FILE_BYTES:
            raise CommandError("Het bestand is groter dan 5 MB.")

        try:
            parsed = imports.read_workbook(path.read_bytes(), filename=path.name)
            plan = imports.plan_import(parsed=parsed, programme=programme, period=period, user=user)
            for sheet in plan.ignored_sheets:
                self.stdout.write(f"Blad '{sheet}' is genegeerd.")
            for row in plan.changed_rows:
                changes = ", ".join(
                    f"{f.label}: {f.old if f.old not in (None, '') else '–'} → {f.new}"
                    for f in row.fields
                    if f.changed
                )
                self.stdout.write(
                    f"Blad {row.sheet}, rij {row.row}: {row.project_code} {row.subject}: {changes}"
                )
            self.stdout.write(
                f"{nl_number(len(plan.changed_rows))} rijen veranderen, "
                f"{nl_number(len(plan.unchanged_rows))} ongewijzigd, "
                f"{nl_number(plan.new_report_count)} nieuwe conceptrapportages."
            )
            if options["dry_run"]:
                self.stdout.write("Proefdraai: er is niets opgeslagen.")
                return
            result = imports.apply_import(
                parsed=parsed,
                programme=programme,
                period=period,
                user=user,
                expected_fingerprint=plan.fingerprint,
            )
        except imports.ImportRefused as refused:
            raise CommandError(
                "Niet geïmporteerd, er is niets opgeslagen:\n" + "\n".join(refused.messages)
            ) from refused
        except imports.PreviewOutdated as outdated:
            raise CommandError(str(outdated)) from outdated
        self.stdout.write(
            self.style.SUCCESS(
                f"Opgeslagen: {result.created_values + result.updated_values} indicatorwaarden, "
                f"{result.created_budget_lines + result.updated_budget_lines} begrotingsregels, "
                f"{result.created_reports} nieuwe conceptrapportages."
            )
        )
