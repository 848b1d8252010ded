from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agenda import seed


class Command(BaseCommand):
    help = "Build the seed fixtures (fixtures/*.json) from the source CSVs in fixtures/source/."

    def add_arguments(self, parser):
        fixtures = Path(settings.FIXTURE_DIRS[0])
        parser.add_argument("--source", type=Path, default=fixtures / "source", help="folder of source CSVs")
        parser.add_argument("--output", type=Path, default=fixtures, help="folder to write the fixtures to")
        parser.add_argument("--check", action="store_true", help="fail if the written fixtures would change")

    def handle(self, *args, source, output, check, **options):
        try:
            fixtures = seed.build(source)
        except seed.SourceDataError as exc:
            raise CommandError(f"Source data error in {exc}") from exc
        if check:
            stale = [
                name
                for name, objects in fixtures.items()
                if not (output / name).exists()
                or (output / name).read_text(encoding="utf-8") != seed.render(objects)
            ]
            if stale:
                raise CommandError(f"Fixtures out of date: {', '.join(stale)}. Run manage.py build_fixtures.")
            self.stdout.write("Fixtures are up to date.")
            return
        output.mkdir(parents=True, exist_ok=True)
        for path in seed.write(fixtures, output):
            self.stdout.write(f"{path}: {len(fixtures[path.name])} objects")
