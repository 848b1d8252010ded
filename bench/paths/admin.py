"""The staff admin: the irritant changelist (all filters shown, filtered, searched) and the richest
item's change page with its inlines."""

from urllib.parse import urlencode

from bench.core import FILTER, SEARCH
from bench.paths.lists import end_refs

GROUPS = ("admin",)
DATA = True


def admin_filter():
    from agenda.models import WorkingGroup
    from summits.models import Country

    return {
        "working_group__id__exact": WorkingGroup.objects.get(slug=FILTER["working_group"]).pk,
        "countries__id__exact": Country.objects.get(code=FILTER["country"]).pk,
        "category__exact": FILTER["category"],
        "current_status": "ongoing",
    }


def run(bench):
    from django.urls import reverse

    changelist = reverse("admin:agenda_irritant_changelist")
    query = urlencode(admin_filter())
    first_ref = end_refs()[0]
    bench.time_page("admin.changelist", changelist, note="all filters shown", expect=first_ref)
    bench.time_page("admin.changelist.filtered", f"{changelist}?{query}", note=query)
    bench.time_page("admin.changelist.search", f"{changelist}?q={SEARCH}", note=f"q={SEARCH}")
    bench.time_page(
        "admin.changelist.deep",
        f"{changelist}?p=200",
        note="p=200: the deepest numbered page",
    )
    item = bench.item
    change = reverse("admin:agenda_irritant_change", args=[item.pk])
    bench.time_page("admin.change", change, note=f"{item.ref} with its inlines", expect=item.ref)
