"""Pagination that stays fast on a million rows.

An exact COUNT over every matching row is the main cost of a list page at that size, and an
OFFSET deep into the list grows with it. So the count stops at ``cap``: below it the count and
the page numbers are exact; above it the list says "more than 10,000" and numbers its first
``cap / per_page`` pages, and the end of the list is reached as ``page=last``, read backwards from
the end of the order (an index scan as short as the first page's).

A numbered page deep in the list (past ``deep`` rows) is read in one query that skips the rows
before it on their keys alone: ``WHERE pk IN (SELECT pk ... ORDER BY ... LIMIT 50 OFFSET n)``, so
what each row costs to show (its subqueries, its joins) is paid for the 50 shown, not for the n
skipped. The HTML list, the admin changelists and any other CappedPaginator page this way; the API
pages by keyset (agenda/api/pagination.py).
"""

from functools import cached_property
from math import ceil

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

LAST = "last"


class CappedPaginator(Paginator):
    cap = 10_000
    deep = 1_000  # rows skipped past which a page skips them on their keys alone

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
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        plain = isinstance(self.object_list, QuerySet) and not self.object_list.query.distinct
        if bottom < self.deep or not plain:  # DISTINCT selects its sort keys: no one-column subquery
            return super().page(number)
        keys = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(pk__in=keys)), number, self)

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
