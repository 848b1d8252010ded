"""The JSON API's irritant list next to the HTML list: its first page, the filtered page, and a page
at the end of the list reached by a cursor (as a script that walked there would)."""

from urllib.parse import urlencode

from bench.core import FILTER
from bench.paths.lists import end_refs

GROUPS = ("api",)
DATA = True


def run(bench):
    from django.urls import reverse

    from agenda.api.pagination import KeysetPagination, cursor_after
    from agenda.filters import IrritantFilterSet
    from agenda.models import Irritant

    url = reverse("api:irritant-list")
    total = Irritant.objects.count()
    per_page = KeysetPagination.page_size
    first_ref, last_ref = end_refs()
    # An OFFSET, untimed: the cursor that a walk to the end of the list would hold.
    before_last_page = Irritant.objects.order_by("ref").values_list("ref", flat=True)[
        max(total - per_page - 1, 0)
    ]
    cursor = cursor_after(IrritantFilterSet({}, queryset=Irritant.objects.all()).qs, [before_last_page])
    pages = [
        ("api.first_page", url, f"{total:,} items, {per_page} a page", first_ref),
        ("api.filtered", f"{url}?{urlencode(FILTER)}", urlencode(FILTER), None),
        (
            "api.deep_page",
            f"{url}?{urlencode({'cursor': cursor})}",
            "cursor after the last page but one",
            last_ref,
        ),
    ]
    for name, page_url, note, expect in pages:
        entry = bench.time_page(name, page_url, note=note, expect=expect)
        if entry and entry.notes and entry.notes[-1].endswith("KB of HTML"):
            entry.notes[-1] = entry.notes[-1].replace("HTML", "JSON")
