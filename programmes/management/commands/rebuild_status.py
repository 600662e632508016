"""Rebuild the stored status (lights, report states, budget figures per project and
peildatum) from the source rows, or with --check report every stored row that differs from
a fresh computation. Run it after a bulk load that did not go through the services."""

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme
from programmes.services import derived


class Command(BaseCommand):
    help = "Berekent de opgeslagen status opnieuw uit de brongegevens (of controleert hem)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Niets schrijven; meld elke opgeslagen regel die afwijkt (exit 1 als er een is).",
        )
        parser.add_argument("--programme", help="Alleen dit programma (slug).")

    def handle(self, *args, check=False, programme=None, **options):
        programmes = Programme.objects.order_by("pk")
        if programme:
            programmes = programmes.filter(slug=programme)
            if not programmes.exists():
                raise CommandError(f"Programma '{programme}' bestaat niet.")
        if check:
            problems = derived.stale_statuses(programmes=programmes.iterator())
            for line in problems:
                self.stdout.write(line)
            if problems:
                raise CommandError(f"{len(problems)} opgeslagen statussen wijken af.")
            self.stdout.write(f"Opgeslagen status klopt voor {programmes.count()} programma's.")
            return
        count = 0
        for item in programmes.iterator():
            derived.refresh_status(programme_ids=[item.pk])
            count += 1
        self.stdout.write(f"Status opnieuw berekend voor {count} programma's.")
