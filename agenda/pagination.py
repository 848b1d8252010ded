"""Pagination that stays fast on a million rows.

An exact COUNT over every matching row is the main cost of a list page at that size, and an
OFFSET deep into the list grows with it. So the count stops at ``cap``: below it the count and
the page numbers are exact; above it the list says "more than 10,000" and numbers its first
``cap / per_page`` pages, and the end of the list is reached as ``page=last``, read backwards from
the end of the order (an index scan as short as the first page's).
"""

from functools import cached_property
from math import ceil

from django.core.paginator import Page, Paginator

LAST = "last"


class CappedPaginator(Paginator):
    cap = 10_000

    @cached_property
    def count(self):
        """Matching rows, counted up to cap + 1 (only the primary keys are selected, unordered: an
        ORDER BY would make PostgreSQL walk the sort's index through every match just to count)."""
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.capped:
            return ceil(self.cap / self.per_page)
        return super().num_pages

    def page(self, number):
        if number == LAST:
            return self.last_page()
        return super().page(number)

    def last_page(self):
        if not self.capped:
            return super().page(self.num_pages)
        rows = list(self.object_list.reverse()[: self.per_page])
        rows.reverse()
        return LastPage(rows, None, self)


class LastPage(Page):
    """The last rows of a list too long to count: no number, nothing after it."""

    def has_next(self):
        return False

    def has_previous(self):
        return False

    def has_other_pages(self):
        return True

    def start_index(self):
        return None

    def end_index(self):
        return None
