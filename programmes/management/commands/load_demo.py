"""`manage.py load_demo`: the demo data from the seed reports and the demo users.

Refuses to run unless DEMO_MODE is on, so that production never gets users with the
password "demo". Safe to run twice.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programmes.demo import load_demo


class Command(BaseCommand):
    help = "Laadt de demodata (vijf regio's uit de bronrapporten) en de demogebruikers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--zonder-gebruikers",
            action="store_true",
            dest="without_users",
            help="Alleen de data, geen demogebruikers.",
        )

    def handle(self, *args, without_users=False, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "load_demo draait alleen met DEMO_MODE=true (nooit in productie): "
                "de demogebruikers hebben het wachtwoord 'demo'."
            )
        stats = load_demo(with_users=not without_users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata geladen uit {', '.join(stats.files)}: "
                f"{stats.created} nieuw, {stats.updated} gewijzigd, {stats.unchanged} ongewijzigd."
            )
        )
        if not without_users:
            self.stdout.write(
                "Demogebruikers (wachtwoord 'demo'): coordinator, manager, wethouder, "
                "ministerie, admin."
            )
