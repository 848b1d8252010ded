from django.core.management.base import BaseCommand
from django.db import transaction

from agenda.models import DERIVED_FIELDS, Irritant


class Command(BaseCommand):
    help = (
        "Recompute every irritant's stored current status, status date, latest and original target and "
        "derived category from its deadlines, status reports and reports. Run it after writing to the "
        "database behind Django's back (raw SQL, a restored table); normal writes keep them right."
    )

    def add_arguments(self, parser):
        parser.add_argument("refs", nargs="*", help="only these items (by reference); default: all")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, refs, batch_size, **options):
        items = Irritant.objects.filter(ref__in=refs) if refs else Irritant.objects.all()
        ids = list(items.order_by("pk").values_list("pk", flat=True))
        repaired = 0
        for start in range(0, len(ids), batch_size):
            batch = Irritant.objects.filter(pk__in=ids[start : start + batch_size]).order_by()
            with transaction.atomic():
                before = set(batch.values_list("pk", *DERIVED_FIELDS))
                batch.refresh_derived(batch_size=batch_size)
                repaired += len(set(batch.values_list("pk", *DERIVED_FIELDS)) - before)
        self.stdout.write(f"Refreshed {len(ids)} item(s); {repaired} had stale derived values.")
