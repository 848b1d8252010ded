"""Two days of the record side by side: each item's status and target in force on both, from the
state history (``IrritantQuerySet.with_compared_state``, two indexed joins per item). The dashboard's
report comparison (``compare_reports``) and the changes page (``changes.changes_between``) both read
the states this way; the SQL that classifies and numbers them for the dashboard is below, with its
vendor switch (the days between two dates)."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import DateField
from django.urls import reverse

from summits.models import Report

from . import progress
from .choices import status_label
from .models import Irritant, slippage_days
from .progress import STATUS_ORDER


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
        return reverse("agenda:irritant_detail", args=[self.ref])

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


# The kinds of change the comparison counts and lists (see COMPARISON_SQL for their definitions).
COMPARISON_KINDS = ("changed", "new", "unchanged", "still_without_status", "slipped", "targets_set")


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
    changed = property(lambda self: self.lists["changed"])
    new = property(lambda self: self.lists["new"])
    unchanged = property(lambda self: self.lists["unchanged"])
    still_without_status = property(lambda self: self.lists["still_without_status"])
    slipped = property(lambda self: self.lists["slipped"])
    targets_set = property(lambda self: self.lists["targets_set"])


# One pass over every item: each item's states on both days come from the state history, then window
# functions count every kind of change and number the items of each kind, and only the first
# LIST_LIMIT of each (plus one per unchanged status) come back.
COMPARISON_SQL = """
WITH kinds AS (
    SELECT states.*,
        CASE WHEN from_status = '' AND to_status = '' THEN 'still_without_status'
             WHEN from_status = '' THEN 'new'
             WHEN from_status = to_status THEN 'unchanged'
             ELSE 'changed' END AS status_kind,
        CASE WHEN from_due IS NULL AND to_due IS NOT NULL THEN 'targets_set'
             WHEN from_due IS NOT NULL AND to_due IS NOT NULL AND to_due > from_due THEN 'slipped'
             ELSE '' END AS target_kind,
        {days} AS slip
    FROM ({inner}) states
),
numbered AS (
    SELECT kinds.*,
        ROW_NUMBER() OVER (PARTITION BY status_kind ORDER BY ref) AS status_rank,
        COUNT(*) OVER (PARTITION BY status_kind) AS status_count,
        ROW_NUMBER() OVER (PARTITION BY target_kind ORDER BY slip DESC, ref) AS target_rank,
        COUNT(*) OVER (PARTITION BY target_kind) AS target_count,
        ROW_NUMBER() OVER (PARTITION BY status_kind, to_status ORDER BY ref) AS group_rank,
        COUNT(*) OVER (PARTITION BY status_kind, to_status) AS group_count
    FROM kinds
)
SELECT ref, title, working_group__name, from_status, to_status, from_due, to_due, status_kind,
       status_rank, status_count, target_kind, target_rank, target_count, group_rank, group_count
FROM numbered
WHERE status_rank <= %s OR (target_kind <> '' AND target_rank <= %s) OR group_rank = 1
ORDER BY ref
"""
DAYS_BETWEEN = {
    "postgresql": "(to_due - from_due)",
    "sqlite": "CAST(julianday(to_due) - julianday(from_due) AS INTEGER)",
}


def compare_reports(from_report: Report, to_report: Report) -> ReportComparison:
    """Exact counts of each kind of change and at most LIST_LIMIT items of each, in one query."""
    states = Irritant.objects.with_compared_state(from_report.as_of, to_report.as_of).values(
        "ref", "title", "working_group__name", "from_status", "to_status", "from_due", "to_due"
    )
    inner, params = states.order_by().query.sql_with_params()
    sql = COMPARISON_SQL.format(
        inner=inner, days=DAYS_BETWEEN.get(connection.vendor, DAYS_BETWEEN["postgresql"])
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, progress.LIST_LIMIT, progress.LIST_LIMIT])
        rows = cursor.fetchall()
    counts, lists, unchanged = _classified(rows)
    return ReportComparison(
        from_report=from_report,
        to_report=to_report,
        counts=counts,
        lists=lists,
        unchanged_by_status=[(status_label(s), unchanged[s]) for s in STATUS_ORDER if unchanged[s]],
    )


def _classified(rows):
    """Counts per kind, the listed items of each kind, and unchanged items per status."""
    counts = dict.fromkeys(COMPARISON_KINDS, 0)
    lists = {kind: [] for kind in COMPARISON_KINDS}
    unchanged = Counter()
    date_field = DateField()
    for row in rows:
        (ref, title, group, from_status, to_status, from_due, to_due, status_kind, status_rank,
         status_count, target_kind, target_rank, target_count, _group_rank, group_count) = row  # fmt: skip
        item = ComparedItem(
            ref=ref, title=title, working_group=group, from_status=from_status, to_status=to_status,
            from_due=date_field.to_python(from_due), to_due=date_field.to_python(to_due),
        )  # fmt: skip
        counts[status_kind] = status_count
        if status_rank <= progress.LIST_LIMIT:
            lists[status_kind].append(item)
        if target_kind:
            counts[target_kind] = target_count
            if target_rank <= progress.LIST_LIMIT:
                lists[target_kind].append(item)
        if status_kind == "unchanged":
            unchanged[to_status] = group_count
    counts["total"] = sum(counts[kind] for kind in ("changed", "new", "unchanged", "still_without_status"))
    lists["slipped"].sort(key=lambda i: (-i.slipped_days, i.ref))
    return counts, lists, unchanged
