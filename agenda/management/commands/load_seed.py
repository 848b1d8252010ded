import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from agenda import seed


class Command(BaseCommand):
    help = (
        "Load the SPP seed fixtures in one transaction. Rows that already exist (same natural key) are "
        "left as they are, so running it again adds only what is new; --update overwrites them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=Path(settings.FIXTURE_DIRS[0]))
        parser.add_argument(
            "--update", action="store_true", help="overwrite existing rows with the seed values"
        )

    def handle(self, *args, fixtures, update, **options):
        try:
            result = seed.load(fixtures, update=update)
        except (DeserializationError, DatabaseError, ValidationError, OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Seed data not loaded (nothing was written): {exc}") from exc
        if options["verbosity"] == 0:
            return
        created = sum(result.created.values())
        updated = sum(result.updated.values())
        unchanged = sum(result.unchanged.values())
        self.stdout.write(f"Seed data: {created} created, {updated} updated, {unchanged} already present.")
        for label, count in sorted(result.created.items()):
            self.stdout.write(f"  + {count} {label}")
