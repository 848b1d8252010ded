"""An item's page: the item with the most status reports, now and as it stood on a past day."""

from bench.core import AS_OF

GROUPS = ("detail",)
DATA = True


def run(bench):
    from django.urls import reverse

    item = bench.item
    url = reverse("agenda:irritant_detail", args=[item.ref])
    note = f"{item.ref}: {item.n_status} status reports, {item.n_deadlines} deadlines"
    bench.time_page("detail", url, note=note, expect=item.ref)
    bench.time_page("detail.as_of", f"{url}?as_of={AS_OF}", note=note, expect=item.ref)
