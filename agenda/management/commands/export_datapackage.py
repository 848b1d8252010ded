from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from agenda import datapackage
from agenda.filters import IrritantFilterSet
from agenda.models import Irritant


class Command(BaseCommand):
    help = (
        "Write the record as a Frictionless Data Package (a zip: one CSV per table and datapackage.json), "
        "the same file /data/ serves."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the zip file to write")
        parser.add_argument(
            "--filter",
            default="",
            help="only the items the irritant list shows for this query string, e.g. 'working_group=energy'",
        )

    def handle(self, *args, path, filter, **options):
        scope = datapackage.Scope()
        extra = ""
        if filter:
            filterset = IrritantFilterSet(QueryDict(filter), queryset=Irritant.objects.all())
            if not filterset.is_valid():
                raise CommandError(f"--filter: {filterset.errors.as_text()}")
            scope = datapackage.Scope(irritants=filterset.qs, as_of=filterset.as_of_date)
            extra = f"Items selected by the irritant list's filter: ?{filter}."
        if path.parent and not path.parent.exists():
            raise CommandError(f"{path.parent} does not exist; create the folder first.")
        with path.open("wb") as file:
            datapackage.write_package(file, scope, description_extra=extra)
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes).")
