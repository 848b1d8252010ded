"""Two days of the record side by side: each item's status and target in force on both, from the
state history (``IrritantQuerySet.with_compared_state``, two indexed joins per item). The dashboard's
report comparison (``compare_reports``) and the changes page (``changes.changes_between``) both read
the states this way; the SQL that classifies and numbers them for the dashboard is below (the kinds
of change are defined in ``change_kinds``), and the "most slipped" list reads ``slips``."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import DateField, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from summits.models import Report

from . import progress
from .change_kinds import (
    CHANGED,
    COMPARISON_KINDS,
    NEW,
    SLIPPED,
    STATUS_KINDS,
    STILL_WITHOUT_STATUS,
    TARGETS_SET,
    UNCHANGED,
    status_kind_sql,
    target_kind_sql,
)
from .choices import status_label
from .models import Irritant, ItemState
from .progress import STATUS_ORDER
from .rules import slippage_days
from .slips import most_slipped
from .tables import irritant_url


@dataclass(frozen=True)
class ComparedItem:
    """One item's status and target in force as of two days."""

    ref: str
    title: str
    working_group: str | None
    from_status: str
    to_status: str
    from_due: datetime.date | None
    to_due: datetime.date | None

    @property
    def url(self):
        return irritant_url(self.ref)

    @property
    def from_status_label(self):
        return status_label(self.from_status)

    @property
    def to_status_label(self):
        return status_label(self.to_status)

    @property
    def slipped_days(self):
        """Days the target in force moved later (None when it did not, or either is undated)."""
        slipped = slippage_days(self.to_due, self.from_due)
        return slipped if slipped and slipped > 0 else None


@dataclass
class ReportComparison:
    """The record as of one report's date against the record as of another's: exact counts of each
    kind of change, and the first LIST_LIMIT items of each."""

    from_report: Report
    to_report: Report
    counts: dict
    lists: dict
    unchanged_by_status: list

    @property
    def from_day(self):
        return self.from_report.as_of

    @property
    def to_day(self):
        return self.to_report.as_of

    # The listed items of each kind (counts are in ``counts``).
    changed = property(lambda self: self.lists[CHANGED])
    new = property(lambda self: self.lists[NEW])
    unchanged = property(lambda self: self.lists[UNCHANGED])
    still_without_status = property(lambda self: self.lists[STILL_WITHOUT_STATUS])
    slipped = property(lambda self: self.lists[SLIPPED])
    targets_set = property(lambda self: self.lists[TARGETS_SET])


# Counts: the comparison counters (``state.PairCount``), a running sum over a small table. Lists:
# a kind the counters say is empty is not looked for (the planner's one-time filter skips its scan).
# Changed, new, targets set: only items with a state interval starting after the first day and on or
# before the second can be of those kinds, so each list is the first LIST_LIMIT of those by ref, with
# their states on both days read from the state history. Slipped: the kept slips
# (``slips.most_slipped``), a walk of their index most slipped first. One statement.
KINDS_SQL = """SELECT states.*, {status_kind} AS status_kind, {target_kind} AS target_kind
    FROM ({inner}) states"""
LISTED = {
    CHANGED: f"status_kind = '{CHANGED}'",
    NEW: f"status_kind = '{NEW}'",
    TARGETS_SET: f"target_kind = '{TARGETS_SET}'",
}
COLUMNS = ["ref", "title", "working_group__name", "from_status", "to_status", "from_due", "to_due"]
NONEMPTY_SQL = "(SELECT SUM(n) FROM agenda_paircount WHERE kind = '{kind}' AND d1 <= %s AND d2 <= %s) > 0"
LIST_SQL = """SELECT * FROM (
    SELECT '{kind}' AS listed, {columns}, 0 AS n FROM ({rows}) k WHERE {condition} AND {nonempty}
    ORDER BY {order} LIMIT %s) l_{kind}"""
COUNTS_SQL = """SELECT 'count', kind, NULL, NULL, NULL, status, NULL, NULL, SUM(n)
    FROM agenda_paircount WHERE d1 <= %s AND d2 <= %s GROUP BY kind, status"""


def compare_reports(from_report: Report, to_report: Report) -> ReportComparison:
    """Exact counts of each kind of change and at most LIST_LIMIT items of each, in one query."""
    from_day, to_day = from_report.as_of, to_report.as_of
    sql, params = comparison_sql(from_day, to_day)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts, lists, unchanged = _classified(rows)
    lists[UNCHANGED] = AlikeList(from_day, to_day, unchanged=True)
    lists[STILL_WITHOUT_STATUS] = AlikeList(from_day, to_day, unchanged=False)
    return ReportComparison(
        from_report=from_report,
        to_report=to_report,
        counts=counts,
        lists=lists,
        unchanged_by_status=[(status_label(s), unchanged[s]) for s in STATUS_ORDER if unchanged[s]],
    )


def comparison_sql(from_day, to_day):
    candidates = ItemState.objects.filter(
        is_current=False, valid_from__gt=from_day, valid_from__lte=to_day
    ).values("irritant_id")
    states = Irritant.objects.filter(pk__in=candidates).with_compared_state(from_day, to_day).values(*COLUMNS)
    inner, params = states.order_by().query.sql_with_params()
    kinds = KINDS_SQL.format(
        inner=inner,
        status_kind=status_kind_sql("from_status", "to_status"),
        target_kind=target_kind_sql("from_due", "to_due"),
    )
    parts, all_params = [], []
    for kind, condition in LISTED.items():
        parts.append(_list_sql(kind, kinds, condition, "ref"))
        all_params += [*params, from_day, to_day, progress.LIST_LIMIT]
    slipped, slipped_params = _slipped(from_day, to_day).query.sql_with_params()
    parts.append(_list_sql(SLIPPED, slipped, "TRUE", "days DESC, ref"))
    all_params += [*slipped_params, from_day, to_day, progress.LIST_LIMIT]
    parts.append(COUNTS_SQL)
    all_params += [from_day, to_day]
    return "\nUNION ALL\n".join(parts), all_params


def _list_sql(kind, rows, condition, order):
    return LIST_SQL.format(
        kind=kind,
        columns=", ".join(COLUMNS),
        rows=rows,
        condition=condition,
        nonempty=NONEMPTY_SQL.format(kind=kind),
        order=order,
    )


def _slipped(from_day, to_day):
    """The items whose target slipped most (``slips.most_slipped``), with the columns of the other
    lists: the statuses on both days read from the state history for the rows listed only."""

    def status_on(day):
        interval = ItemState.objects.filter(
            irritant=OuterRef("irritant_id"), is_current=False, valid_from__lte=day
        ).order_by("-valid_from")  # intervals are contiguous: the last one begun by the day holds it
        return Coalesce(Subquery(interval.values("status")[:1]), Value(""))

    return (
        most_slipped(from_day, to_day)
        .annotate(
            title=F("irritant__title"),
            working_group__name=F("irritant__working_group__name"),
            from_status=status_on(from_day),
            to_status=status_on(to_day),
        )
        .values(*COLUMNS, "days")
        .order_by()  # ordered (and cut) by LIST_SQL, which can then read the subquery as a join
    )


class AlikeList:
    """The first LIST_LIMIT items (by ref) whose status is the same on both days: reported
    (``unchanged``) or not (still without a status). Read when first iterated: the page shows only
    the counts of these kinds (picklable, so the dashboard's cache can hold it)."""

    def __init__(self, from_day, to_day, *, unchanged):
        self.from_day, self.to_day, self.unchanged = from_day, to_day, unchanged
        self.items = None

    def __iter__(self):
        if self.items is None:
            states = Irritant.objects.with_compared_state(self.from_day, self.to_day)
            states = states.filter(from_status=F("to_status"))
            states = states.exclude(from_status="") if self.unchanged else states.filter(from_status="")
            rows = states.order_by("ref").values_list(
                "ref", "title", "working_group__name", "from_status", "to_status", "from_due", "to_due"
            )[: progress.LIST_LIMIT]
            self.items = [ComparedItem(*row) for row in rows]
        return iter(self.items)

    def __len__(self):
        return len(list(iter(self)))


def _classified(rows):
    """Counts per kind, the listed items of each kind, and unchanged items per status."""
    counts = dict.fromkeys(COMPARISON_KINDS, 0)
    lists = {kind: [] for kind in (*LISTED, SLIPPED)}
    unchanged = Counter()
    date_field = DateField()
    for listed, ref, title, group, from_status, to_status, from_due, to_due, n in rows:
        if listed == "count":  # ref holds the kind, to_status the status of unchanged items
            counts[ref] += int(n)
            if ref == UNCHANGED:
                unchanged[to_status] += int(n)
            continue
        lists[listed].append(
            ComparedItem(
                ref=ref, title=title, working_group=group, from_status=from_status, to_status=to_status,
                from_due=date_field.to_python(from_due), to_due=date_field.to_python(to_due),
            )
        )  # fmt: skip
    counts["total"] = sum(counts[kind] for kind in STATUS_KINDS)
    return counts, lists, unchanged
