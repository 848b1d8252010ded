"""The analyst list: first page, filtered, last page, text search, as it stood on a past day."""

import math
from urllib.parse import urlencode

from bench.core import AS_OF, FILTER, SEARCH

GROUPS = ("list",)
DATA = True


def last_page_param(total, per_page):
    """``last`` when the list's paginator reads the end of the list itself (page=last), else the
    last page's number."""
    from django.core.paginator import InvalidPage, Paginator

    from agenda.models import Irritant
    from agenda.views import IrritantListView

    paginator_class = getattr(IrritantListView, "paginator_class", None) or Paginator
    try:
        paginator_class(Irritant.objects.order_by("ref"), per_page).page("last")
    except (InvalidPage, ValueError, TypeError):
        return str(max(1, math.ceil(total / per_page)))
    return "last"


def end_refs():
    """The first and the last ref of the list (the pages must show them)."""
    from agenda.models import Irritant

    return [Irritant.objects.order_by(order).values_list("ref", flat=True)[0] for order in ("ref", "-ref")]


def run(bench):
    from django.urls import reverse

    from agenda.models import Irritant
    from agenda.pagination import CappedPaginator
    from agenda.views import IrritantListView

    url = reverse("agenda:irritant_list")
    total = Irritant.objects.count()
    per_page = getattr(IrritantListView, "paginate_by", None) or 50
    last = last_page_param(total, per_page)
    deep = max(1, min(total, CappedPaginator.cap) // per_page)
    first_ref, last_ref = end_refs()
    matching = Irritant.objects.filter(
        working_group__slug=FILTER["working_group"],
        countries__code=FILTER["country"],
        category=FILTER["category"],
    ).count()
    pages = [
        ("list.first_page", url, f"{total:,} items", first_ref),
        ("list.filtered", f"{url}?{urlencode(FILTER)}", f"{matching} matching items", None),
        ("list.last_page", f"{url}?page={last}", f"page={last}, {per_page} items a page", last_ref),
        ("list.deep_page", f"{url}?page={deep}", f"page={deep}: the deepest numbered page", None),
        ("list.search", f"{url}?q={SEARCH}", f"q={SEARCH}", None),
        ("list.as_of", f"{url}?as_of={AS_OF}", f"as_of={AS_OF}", first_ref),
    ]
    for name, page_url, note, expect in pages:
        bench.time_page(name, page_url, note=note, expect=expect)
