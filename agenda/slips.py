"""Slipped targets, kept on write, so the dashboard's "most slipped" list is a bounded walk of an index
instead of a classification of every item (issue 11).

An item's state history (``state.ItemState``) splits into *target spans*: the runs of consecutive
intervals with the same target in force (``due_on``; an undated target is a value too). An item whose
target in force is ``d1`` on day A and ``d2`` on day B has slipped by ``d2 - d1`` days between A and B
when both are dated and ``d2 > d1``. ``TargetSlip`` holds one row per such pair of spans of an item
(span 1 before span 2): for every comparison from a day A in span 1 to a day B in span 2, the item's
target slipped by ``days``. An item is in at most one span on a day, so for any (A, B) it matches at
most one row, and "the items whose target slipped most between A and B" is the rows with
``from_start <= A < from_end`` and ``to_start <= B < to_end`` (``to_end`` NULL: still in force) in
``days`` order, then by ref (``most_slipped``): a walk of the ``(days desc, ref)`` index that stops
after the rows it lists. Pairs per item are few (a target is set one to three times). The item's ref
is copied so that ties (many items slip by the same number of days) are ordered by the index too; a
changed ref refreshes the item (``signals``), which rewrites its rows.

Written by ``services`` only, from the item's state rows, right after them, in the same transaction:
``slips_forget(ids)`` when their state rows are deleted and ``slips_insert(ids)`` when they are
inserted (``None``: every item, the rebuild). ``tests/agenda/test_slips.py`` proves the rows equal a
from-scratch recomputation after random writes.
"""

from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql import Query

from .querysets import DaysBetween
from .state import items_where


class TargetSlip(models.Model):
    """An item's target in force moved later, by ``days``, from span [from_start, from_end) to span
    [to_start, to_end) (see the module docstring)."""

    irritant = models.ForeignKey(
        "agenda.Irritant", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    ref = models.CharField(max_length=30)  # the item's, copied: the list's order is (days desc, ref)
    from_start = models.DateField()
    from_end = models.DateField()
    to_start = models.DateField()
    to_end = models.DateField(null=True)
    from_due = models.DateField()
    to_due = models.DateField()
    days = models.IntegerField()

    class Meta:
        indexes = [
            # the walk, in the list's order (many items slip by the same days): the spans read from
            # the index, the item only for the rows listed
            models.Index(
                fields=["-days", "ref", "from_end", "from_start", "to_start", "to_end"],
                name="agenda_targetslip_days",
            ),
            # a narrow window: the spans that end in it
            models.Index(fields=["from_end", "days"], name="agenda_targetslip_end"),
        ]

    def __str__(self):
        return f"{self.irritant_id} {self.from_due}->{self.to_due} (+{self.days})"


def matching(from_day, to_day):
    """The slips of every item whose target in force slipped between the two days (one per item)."""
    return TargetSlip.objects.filter(
        Q(to_end__gt=to_day) | Q(to_end__isnull=True),
        from_start__lte=from_day,
        from_end__gt=from_day,
        from_end__lte=to_day,  # implied (from_end <= to_start <= to_day); lets an index bound the window
        to_start__lte=to_day,
    )


def most_slipped(from_day, to_day):
    """``matching`` most slipped first, then by ref."""
    return matching(from_day, to_day).order_by(F("days").desc(), "ref")


# Spans: an interval starts a span when it is the item's first or its target differs from the one
# before (NULL = NULL here: an undated target in force for several intervals is one span).
INSERT_SQL = """
WITH marked AS (
    SELECT irritant_id, valid_from, valid_to, due_on,
        CASE WHEN LAG(valid_from) OVER w IS NULL THEN 1
             WHEN LAG(due_on) OVER w IS NULL AND due_on IS NULL THEN 0
             WHEN LAG(due_on) OVER w = due_on THEN 0
             ELSE 1 END AS starts
    FROM agenda_itemstate WHERE NOT is_current AND {where}
    WINDOW w AS (PARTITION BY irritant_id ORDER BY valid_from)
),
numbered AS (
    SELECT marked.*, SUM(starts) OVER (PARTITION BY irritant_id ORDER BY valid_from) AS span FROM marked
),
spans AS (
    SELECT irritant_id, span, MIN(valid_from) AS f, MAX(due_on) AS due,
        CASE WHEN COUNT(*) = COUNT(valid_to) THEN MAX(valid_to) END AS t
    FROM numbered GROUP BY irritant_id, span
)
INSERT INTO agenda_targetslip (irritant_id, ref, from_start, from_end, to_start, to_end, from_due, to_due, days)
SELECT a.irritant_id, {ref}, a.f, a.t, b.f, b.t, a.due, b.due, {days}
FROM spans a JOIN spans b ON b.irritant_id = a.irritant_id AND b.span > a.span
{join}
WHERE a.due IS NOT NULL AND b.due IS NOT NULL AND b.due > a.due
"""
# The ref of each slip: a join for every item (the rebuild); for some items, a lookup per slip found
# (at 1M items the planner, expecting 15 times the spans of 5,000 items, hashed the whole item table
# for the join: 1.16 s of a 1.29 s statement).
REF_ALL = {"ref": "i.ref", "join": "JOIN agenda_irritant i ON i.id = a.irritant_id"}
REF_SOME = {"ref": "(SELECT i.ref FROM agenda_irritant i WHERE i.id = a.irritant_id)", "join": ""}


def _days_sql(later, earlier):
    """``querysets.DaysBetween`` (the one SQL of "days between two dates") over two raw columns."""
    compiler = Query(None).get_compiler(connection=connection)
    sql, _params = compiler.compile(DaysBetween(RawSQL(later, ()), RawSQL(earlier, ())))
    return sql


def slips_forget(ids):
    """Delete the slips of the items ``ids`` (their state rows are being deleted)."""
    TargetSlip.objects.filter(irritant_id__in=ids)._raw_delete(TargetSlip.objects.db)


def slips_insert(ids):
    """The slips of the items ``ids`` from their state rows (``None``: every item, from scratch)."""
    if ids is None:
        if TargetSlip._meta.db_table not in connection.introspection.table_names():
            return  # an earlier migration rebuilding the state history; 0015 builds this table
        TargetSlip.objects.all()._raw_delete(TargetSlip.objects.db)
        where, params, ref = "TRUE", (), REF_ALL
    else:
        (where, params), ref = items_where(ids), REF_SOME
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL.format(where=where, days=_days_sql("b.due", "a.due"), **ref), params)
