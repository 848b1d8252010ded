from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agenda import imports


class Command(BaseCommand):
    help = (
        "Import irritants, deadlines or status reports from a CSV file in the export's columns. The whole "
        "file is checked first; a file with any error writes nothing (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=imports.KINDS)
        parser.add_argument("--dry-run", action="store_true", help="check and preview only; write nothing")
        parser.add_argument("--user", help="import as this user: their role limits what rows they may write")
        parser.add_argument("--quiet-rows", action="store_true", help="print only the summary and the errors")

    def handle(self, *args, file, kind, dry_run, user, quiet_rows, **options):
        importer = imports.Importer(kind, user=self.get_user(user), keep_rows=not quiet_rows)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        try:
            result = importer.run(data, dry_run=dry_run)
        except imports.ImportFileError as exc:
            raise CommandError(f"{file}: {exc} Nothing was written.") from exc
        for row in result.rows:
            if row.errors:
                for column, message in row.errors:
                    where = f", column '{column}'" if column else ""
                    self.stderr.write(f"line {row.line}{where}: {message}")
            elif not quiet_rows:
                changes = f" ({'; '.join(row.change_labels)})" if row.changes else ""
                self.stdout.write(f"line {row.line}: {row.action_label} {row.key}{changes}")
        self.stdout.write(result.summary())
        if not result.ok:
            raise CommandError(f"{len(result.errors)} error(s) in {file}; nothing was written.")
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")

    def get_user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
