from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-spp-local"  # noqa: S105 - local-only, refused outside DEBUG


class Command(BaseCommand):
    help = "Create a local-only demo superuser on a fresh database (DEBUG only) and print its login."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stderr.write("No demo login: it is for local use only and never created when DEBUG is off.")
            return
        users = get_user_model().objects
        if users.exists():
            if users.filter(username=DEMO_USERNAME).exists():
                self.stdout.write(f"Demo staff login: {DEMO_USERNAME} / {DEMO_PASSWORD} (local only)")
            return
        users.create_superuser(DEMO_USERNAME, email="", password=DEMO_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(f"Created demo staff login: {DEMO_USERNAME} / {DEMO_PASSWORD} (local only)")
        )
