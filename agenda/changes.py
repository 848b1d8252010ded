"""What changed on the record between two days: items put on the record, statuses that changed,
targets that moved or were first set, items completed or dropped, per working group and country.

``changes_between(start, end, ...)`` is the one computation; the HTML page (views.ChangesView) shows
it, and an API endpoint can serialise the same ``Changes`` object. The state of an item on a day is
``querysets.state_expressions`` (the definition the list, the exports and the dashboard use), so
"status on day A" means the same everywhere.

Only items with a row dated in the window (a status report, a deadline set, or the report that put
the item on the record) can have changed, so the computation starts from those (indexed lookups),
not from every item. The number of queries is fixed: one for the totals, one per breakdown (working
group, country), one per listed kind.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .choices import IrritantStatus
from .models import Deadline, Irritant, StatusReport
from .querysets import state_expressions

LIST_LIMIT = 100


@dataclass(frozen=True)
class ChangeKind:
    key: str
    label: str
    condition: Q
    order_by: tuple = ("ref",)


def _report_day():
    return Coalesce("report__covers_through", "report__released_on")


def change_kinds(start):
    """Each kind of change, as a condition on the annotations of ``compared(start, end)``."""
    closed = IrritantStatus.closed()
    return [
        ChangeKind(
            "added",
            _("Put on the record"),
            # Nothing about the item was dated on or before the start; something was in the window.
            Q(status_before=False, deadline_before=False)
            & (Q(report_day__isnull=True) | Q(report_day__gt=start)),
        ),
        ChangeKind("status_changed", _("Status changed"), ~Q(from_status=F("to_status"))),
        ChangeKind(
            "target_moved",
            _("Target moved"),
            # to another date, or to an undated target ("by fall 2008")
            Q(from_due__isnull=False) & (Q(to_due__isnull=True) | ~Q(from_due=F("to_due"))),
        ),
        ChangeKind(
            "target_set", _("Dated target first in force"), Q(from_due__isnull=True, to_due__isnull=False)
        ),
        ChangeKind(
            "completed",
            _("Completed"),
            Q(to_status=IrritantStatus.COMPLETED) & ~Q(from_status=IrritantStatus.COMPLETED),
        ),
        ChangeKind(
            "dropped",
            _("Dropped"),
            Q(to_status=IrritantStatus.DROPPED) & ~Q(from_status__in=closed),
        ),
    ]


def compared(start: datetime.date, end: datetime.date, *, working_group=None, country=None):
    """Items that may have changed between ``start`` (excluded) and ``end`` (included), annotated
    with ``from_status``/``to_status`` ("" when none reported), ``from_due``/``to_due`` (the dated
    target in force), ``report_day`` and whether a status or deadline was dated on or before ``start``."""
    in_window = (
        Q(pk__in=StatusReport.objects.filter(as_of__gt=start, as_of__lte=end).values("irritant_id"))
        | Q(pk__in=Deadline.objects.filter(set_on__gt=start, set_on__lte=end).values("irritant_id"))
        | Q(report__covers_through__gt=start, report__covers_through__lte=end)
        | Q(report__covers_through__isnull=True, report__released_on__gt=start, report__released_on__lte=end)
    )
    items = Irritant.objects.filter(in_window)
    if working_group is not None:
        items = items.filter(working_group=working_group)
    if country:
        items = items.involving([country])
    before, after = state_expressions(start), state_expressions(end)
    return items.annotate(
        from_status=before["status"],
        to_status=after["status"],
        from_due=before["due"],
        to_due=after["due"],
        report_day=_report_day(),
        status_before=Exists(StatusReport.objects.filter(irritant=OuterRef("pk"), as_of__lte=start)),
        deadline_before=Exists(Deadline.objects.filter(irritant=OuterRef("pk"), set_on__lte=start)),
    )


@dataclass
class Breakdown:
    """Counts of each kind for one working group or country."""

    key: str | None
    label: str
    counts: dict
    list_params: dict | None  # the irritant list's filter for the group (None: it has none)


@dataclass
class Changes:
    start: datetime.date
    end: datetime.date
    kinds: list
    counts: dict
    lists: dict
    by_working_group: list = field(default_factory=list)
    by_country: list = field(default_factory=list)

    @property
    def total(self):
        return self.counts.get("any", 0)

    def rows(self):
        """(kind, count, listed items) in the page's order."""
        return [(kind, self.counts[kind.key], self.lists[kind.key]) for kind in self.kinds]


def _counts(kinds):
    counts = {kind.key: Count("pk", filter=kind.condition) for kind in kinds}
    counts["any"] = Count("pk", filter=Q.create([kind.condition for kind in kinds], connector=Q.OR))
    return counts


def changes_between(start, end, *, working_group=None, country=None, limit=LIST_LIMIT) -> Changes:
    """Everything the changes page shows, in 3 + (number of kinds) queries whatever the data size."""
    from summits.choices import CountryCode

    items = compared(start, end, working_group=working_group, country=country)
    kinds = change_kinds(start)
    aggregates = _counts(kinds)
    totals = items.order_by().aggregate(**aggregates)

    groups = items.order_by().values("working_group__slug", "working_group__name").annotate(**aggregates)
    by_group = sorted(
        (
            Breakdown(
                key=row["working_group__slug"],
                label=row["working_group__name"] or str(_("No working group stated")),
                counts=row,
                list_params={"working_group": row["working_group__slug"]}
                if row["working_group__slug"]
                else None,
            )
            for row in groups
            if row["any"]
        ),
        key=lambda b: (b.key is None, b.label),
    )
    labels = dict(CountryCode.choices)
    countries = items.order_by().values("countries__code").annotate(**aggregates)
    by_country = sorted(
        (
            Breakdown(
                key=row["countries__code"],
                label=str(labels.get(row["countries__code"], _("Countries not stated"))),
                counts=row,
                list_params={"country": row["countries__code"]} if row["countries__code"] else None,
            )
            for row in countries
            if row["any"]
        ),
        key=lambda b: (b.key is None, b.key or ""),
    )
    lists = {
        kind.key: list(
            items.filter(kind.condition).select_related("working_group").order_by(*kind.order_by)[:limit]
        )
        for kind in kinds
    }
    for items_of_kind in lists.values():
        for item in items_of_kind:
            item.moved_days = moved_days(item)
    for kind in kinds:
        totals[kind.key] = totals[kind.key] or 0
    totals["any"] = totals["any"] or 0
    return Changes(
        start=start,
        end=end,
        kinds=kinds,
        counts=totals,
        lists=lists,
        by_working_group=by_group,
        by_country=by_country,
    )


def moved_days(item):
    """Days the target in force moved (negative: earlier; None when either is undated), for an
    item of ``compared()``; listed items carry it as ``moved_days``."""
    if item.from_due and item.to_due:
        return (item.to_due - item.from_due).days
    return None
