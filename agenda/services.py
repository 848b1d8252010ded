"""Writes that span rows: the one home of everything derived from an item's rows.

``irritants_refresh(ids)`` is the only function that writes derived values. Every write path reaches
it: the receivers in ``signals.py`` (admin change/add/revert, the API, shell saves, queryset deletes,
report edits, country changes) and the bulk writers through ``IrritantQuerySet.refresh_derived()``
(the CSV import, the seed, ``manage.py refresh_derived``). In one transaction (the caller's, if
any), it:

1. locks all the items first, in id order (so two writers of one item refresh it one after the other);
2. recomputes the stored ``current_*`` columns and the derived category (``stored_refresh``), in
   batches;
3. inserts the items' new state history (``ItemState``) from their rows, in one ``INSERT ... SELECT``
   with window functions that follows ``querysets.state_expressions`` (the definition the as-of
   views use; a hypothesis test checks every row against it), next to the old one;
4. adds the difference between the new and the old state rows of all the items to the dashboard
   counters in one statement per table (``StateCount``, ``PairCount``; rows equal in both cancel
   out, so an item whose state did not change adds nothing), then deletes the old rows.

``states_rebuild()`` does steps 3 and 4 for every item in a few statements (the data migration,
the benchmark generator and ``manage.py refresh_derived`` use it).
"""

import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OrderBy, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from . import slips
from .choices import IrritantStatus
from .querysets import country_bits_expression, country_bits_per_item, state_expressions
from .state import ALWAYS_SQL, ItemState, PairCount, StateCount, counts_add, items_where

BATCH_SIZE = 5000


def irritants_refresh(ids: Iterable[int], *, batch_size: int = BATCH_SIZE) -> None:
    """Recompute everything derived from the rows of the items ``ids`` (see the module docstring).

    One transaction, however many batches: every item is locked first (in id order), then each
    batch's stored columns and state rows are written, and the counters are updated once at the end.
    Counter rows are shared by all items, so a writer that updated them once per batch would hold
    the first batch's while waiting for an item of a later one, which a concurrent save of that item
    may hold while waiting for the same counter rows (PostgreSQL then aborts one of them).

    It does not change the record version: the rows written did (``apps.record_changed`` for saves
    and deletes, ``IrritantQuerySet.refresh_derived`` for bulk writes)."""
    from .models import Irritant

    ids = sorted({pk for pk in ids if pk is not None})
    if not ids:
        return
    batches = [ids[start : start + batch_size] for start in range(0, len(ids), batch_size)]
    with transaction.atomic():
        for batch in batches:
            list(Irritant.objects.filter(pk__in=batch).select_for_update().order_by("pk").values_list("pk"))
        # The items are locked: every state row they have is older than the newest row now, and the
        # rows inserted next get greater ids.
        newest_old = ItemState.objects.aggregate(newest=Max("pk"))["newest"] or 0
        for batch in batches:
            stored_refresh(Irritant.objects.filter(pk__in=batch))
            _states_insert(batch)
        where, params = items_where(ids)
        counts_add(where, params, sign=f"CASE WHEN id > {int(newest_old)} THEN 1 ELSE -1 END")
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ItemState._meta.db_table} WHERE {where} AND id <= %s", [*params, newest_old]
            )
        for batch in batches:
            slips.slips_forget(batch)
            slips.slips_insert(batch)


def stored_refresh(irritants):
    """The stored status, targets, countries and derived category of every item in ``irritants``:
    one UPDATE for status, targets and countries, one read and a bulk update for categories."""
    state = state_expressions(None)
    irritants.update(
        current_status=state["status"],
        current_status_on=state["on"],
        due_on=state["due"],
        original_due_on=state["original_due"],
        country_bits=country_bits_expression(),
    )
    categories_refresh(irritants)


def categories_refresh(irritants):
    from . import categories
    from .choices import CategoryBasis
    from .models import Deadline, StatusReport

    first = Deadline.objects.filter(irritant=OuterRef("pk")).original_first()
    completed = StatusReport.objects.filter(irritant=OuterRef("pk"), status=IrritantStatus.COMPLETED)
    rows = irritants.filter(category_basis__in=[CategoryBasis.DERIVED, CategoryBasis.UNCLASSIFIED]).annotate(
        has_target=Exists(first),
        target_kind=Subquery(first.values("report__kind")[:1]),
        target_released=Subquery(first.values("report__released_on")[:1]),
        first_due=Subquery(first.values("due_on")[:1]),
        item_kind=F("report__kind"),
        item_released=F("report__released_on"),
        first_completed=Subquery(completed.order_by("as_of").values("as_of")[:1]),
    )
    changed = []
    for item in rows.order_by():
        category = categories.derive_category(
            has_target=item.has_target,
            target_set_by=(item.target_kind, item.target_released) if item.target_kind else None,
            original_due=item.first_due,
            item_set_by=(item.item_kind, item.item_released) if item.item_kind else None,
            first_completed_on=item.first_completed,
        )
        basis = CategoryBasis.DERIVED if category else CategoryBasis.UNCLASSIFIED
        if (item.category, item.category_basis) != (category or "", basis):
            item.category, item.category_basis = category or "", basis
            changed.append(item)
    irritants.model.objects.bulk_update(changed, ["category", "category_basis"], batch_size=1000)


def irritants_forget(ids: Iterable[int]) -> None:
    """Take items about to be deleted out of the state history and the counters (the counters in one
    statement per table, as ``irritants_refresh`` does)."""
    ids = sorted(set(ids))
    if not ids:
        return
    where, params = items_where(ids)
    counts_add(where, params, sign="-1")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ItemState._meta.db_table} WHERE {where}", params)
    for start in range(0, len(ids), BATCH_SIZE):
        slips.slips_forget(ids[start : start + BATCH_SIZE])


def states_rebuild() -> None:
    """Every item's state history and the counters, from scratch, set-based."""
    with transaction.atomic():
        ItemState.objects.all()._raw_delete(ItemState.objects.db)
        StateCount.objects.all()._raw_delete(StateCount.objects.db)
        PairCount.objects.all()._raw_delete(PairCount.objects.db)
        _states_insert(None)
        counts_add("1 = 1", into_empty=True)
        slips.slips_insert(None)
        if connection.vendor == "postgresql":
            # every row rewritten: without fresh statistics the planner took the slips table for 141
            # rows (it held 2.5M) and the comparison walked 200k of them (2.4 s against 0.1 s)
            tables = ", ".join(m._meta.db_table for m in (ItemState, StateCount, PairCount, slips.TargetSlip))
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {tables}")


def as_of_points(ids=None):
    """Each (item, day) on which something about the item was stated: the release of the report that
    put it on the record, a target set, a status. An item is on the record from its first such day
    (``IrritantQuerySet.on_record``), and its state changes only on such days."""
    from .models import Deadline, Irritant, StatusReport

    sources = [
        Irritant.objects.filter(report__released_on__isnull=False).annotate(
            item=F("pk"), day=F("report__released_on")
        ),
        Deadline.objects.annotate(item=F("irritant_id"), day=F("set_on")),
        StatusReport.objects.annotate(item=F("irritant_id"), day=F("as_of")),
    ]
    if ids is not None:
        sources = [source.filter(item__in=ids) for source in sources]
    parts = [source.order_by().values("item", "day") for source in sources]
    return parts[0].union(*parts[1:])  # distinct (item, day)


# One row per item and day its state may change (``as_of_points``), valid until the next, with the
# state in force that day, and each item's current row: one INSERT ... SELECT, set-based (window
# functions, no subquery per row; PostgreSQL, SQLite >= 3.28):
#
# - ``statuses`` / ``targets``: per item and day, the report (target) of that day that wins the
#   tie-breaks of ``StatusReportQuerySet.in_precedence`` (``DeadlineQuerySet.in_force_first``), with
#   ``n`` = 1 (``_first_per`` reads the order from those methods);
# - ``p``: the item's points in day order, each with its own day's winners if any, and the day of the
#   latest point so far that had a report (``status_on``) and a target (``set_on``);
# - a point's state is that day's winner: of the points sharing (item, status_on) only the first
#   joined a report, so MAX over them is its status ("" when none yet); likewise the target.
#
# This restates two rules of ``querysets.state_expressions`` (its comment points here):
# "the first report by ``in_precedence`` among those as of the day or before" as "among those of the
# latest such day, the first by the same order" (true while the order begins with the latest day:
# ``_first_per`` checks it), the same for targets (``in_force_first``); and "the first dated target by
# ``original_first`` among those set by the day" as "the item's first dated target, once set"
# (true while that order begins with the earliest day: checked too). The exactness test
# (tests/agenda/test_state_history.py) compares every row with ``state_expressions`` of its day.
INSERT_SQL = """
INSERT INTO agenda_itemstate (irritant_id, is_current, valid_from, valid_to, status, due_on,
    original_due_on, status_on, target_text, agenda_id, working_group_id, category, category_basis,
    countries)
SELECT p.item, FALSE, p.day, p.valid_to,
    COALESCE(MAX(p.status) OVER (PARTITION BY p.item, p.status_on), ''),
    MAX(p.due_on) OVER (PARTITION BY p.item, p.set_on),
    CASE WHEN o.set_on <= p.day THEN o.due_on END,
    p.status_on,
    MAX(p.target_text) OVER (PARTITION BY p.item, p.set_on),
    i.agenda_id, i.working_group_id, i.category, i.category_basis, COALESCE(m.bits, 0)
FROM (
    SELECT u.item, u.day, LEAD(u.day) OVER w AS valid_to,
        s.status, MAX(s.as_of) OVER w AS status_on,
        d.due_on, d.target_text, MAX(d.set_on) OVER w AS set_on
    FROM ({points}) u
    LEFT JOIN ({statuses}) s ON s.irritant_id = u.item AND s.as_of = u.day AND s.n = 1
    LEFT JOIN ({targets}) d ON d.irritant_id = u.item AND d.set_on = u.day AND d.n = 1
    WINDOW w AS (PARTITION BY u.item ORDER BY u.day)
) p
JOIN agenda_irritant i ON i.id = p.item
LEFT JOIN ({originals}) o ON o.irritant_id = p.item AND o.n = 1
LEFT JOIN ({mask}) m ON m.irritant_id = p.item
WHERE {where}
UNION ALL
SELECT i.id, TRUE, {always}, NULL, i.current_status, i.due_on, i.original_due_on, i.current_status_on,
    t.target_text, i.agenda_id, i.working_group_id, i.category, i.category_basis, COALESCE(m.bits, 0)
FROM agenda_irritant i
LEFT JOIN ({in_force}) t ON t.irritant_id = i.id AND t.n = 1
LEFT JOIN ({mask}) m ON m.irritant_id = i.id
WHERE {where}
"""


def _country_mask(ids):
    """Each item's countries as bits (``querysets.country_bits_per_item``): ``irritant_id, bits``."""
    from .models import Irritant

    links = Irritant.countries.through.objects.all()
    return country_bits_per_item(links if ids is None else links.filter(irritant_id__in=ids))


def _first_per(ordered, by, fields, *, begins_with=None):
    """``fields`` of the rows of ``ordered`` (a queryset ordered by one of its precedence methods),
    with ``n`` = 1 on the first row, in that order, of each group of equal ``by``. ``begins_with``:
    the field the order must begin with (INSERT_SQL relies on it), so that a changed precedence
    fails here rather than filling other rows than ``state_expressions`` describes; it is left out
    of the window's order when it is one of ``by`` (constant there: the rows come out in ``by``
    order, ready for a merge join)."""
    order = list(ordered.query.order_by)
    if begins_with is not None:
        if order[:1] != [begins_with]:
            raise ValueError(
                f"the precedence of {ordered.model.__name__} no longer begins with {begins_with}"
            )
        if begins_with.removeprefix("-") in by:
            order = order[1:]
    expressions = [
        OrderBy(F(name.removeprefix("-")), descending=name.startswith("-")) if isinstance(name, str) else name
        for name in order
    ]
    return (
        ordered.order_by()
        .values(*fields)
        .annotate(n=Window(RowNumber(), partition_by=[F(field) for field in by], order_by=expressions))
    )


# Items per INSERT: each statement names the ids in eleven IN lists (INSERT_SQL's subqueries), which
# must stay under SQLite's 32,766 parameters (and PostgreSQL's 65,535).
INSERT_CHUNK = 2500


def _states_insert(ids):
    """The state rows of the items ``ids`` (all when None), with ids greater than any row's before
    the call (``irritants_refresh`` tells old rows from new by id): INSERT_SQL, one statement per
    INSERT_CHUNK items."""
    if ids is None:
        _states_insert_sql(None)
        return
    ids = list(ids)
    for start in range(0, len(ids), INSERT_CHUNK):
        _states_insert_sql(ids[start : start + INSERT_CHUNK])


def _states_insert_sql(ids):
    from .models import Deadline, Irritant, StatusReport

    reports, deadlines = StatusReport.objects.all(), Deadline.objects.all()
    if ids is not None:
        reports, deadlines = reports.filter(irritant_id__in=ids), deadlines.filter(irritant_id__in=ids)
    target = ["irritant_id", "set_on", "due_on", "target_text"]
    # the subqueries INSERT_SQL reads, with the orderings of querysets.py's precedence methods
    parts = {
        "points": as_of_points(ids),
        "statuses": _first_per(
            reports.in_precedence(),
            ["irritant_id", "as_of"],
            ["irritant_id", "as_of", "status"],
            begins_with="-as_of",
        ),
        "targets": _first_per(
            deadlines.in_force_first(), ["irritant_id", "set_on"], target, begins_with="-set_on"
        ),
        "originals": _first_per(
            deadlines.filter(due_on__isnull=False).original_first(),
            ["irritant_id"],
            target,
            begins_with="set_on",
        ),
        "in_force": _first_per(deadlines.in_force_first(), ["irritant_id"], target),
        "mask": _country_mask(ids),
    }
    where = "TRUE"
    if ids is not None:
        parts["items"] = Irritant.objects.filter(pk__in=ids).order_by().values("pk")
        where = "i.id IN ({items})"
    compiled = {name: queryset.query.sql_with_params() for name, queryset in parts.items()}
    template = INSERT_SQL.replace("{where}", where)
    params = []
    for name in re.findall(r"\{(\w+)\}", template):  # the parameters in the order the SQL has them
        params.extend(compiled[name][1] if name in compiled else ())
    sql = template.format(
        **{name: query for name, (query, _params) in compiled.items()},
        always=ALWAYS_SQL.get(connection.vendor, ALWAYS_SQL["postgresql"]),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
