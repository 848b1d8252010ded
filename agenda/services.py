"""Writes that span rows: the one home of everything derived from an item's rows.

``irritants_refresh(ids)`` is the only function that writes derived values. Every write path reaches
it: the receivers in ``signals.py`` (admin change/add/revert, the API, shell saves, queryset deletes,
report edits, country changes) and the bulk writers through ``IrritantQuerySet.refresh_derived()``
(the CSV import, the seed, ``manage.py refresh_derived``). In one transaction (the caller's, if
any), it:

1. locks all the items first, in id order (so two writers of one item refresh it one after the other);
2. recomputes the stored ``current_*`` columns and the derived category (``stored_refresh``), in
   batches;
3. inserts the items' new state history (``ItemState``) from their rows, set-based, with
   ``querysets.state_expressions`` (the definition the as-of views use), next to the old one;
4. adds the difference between the new and the old state rows of all the items to the dashboard
   counters in one statement per table (``StateCount``, ``PairCount``; rows equal in both cancel
   out, so an item whose state did not change adds nothing), then deletes the old rows.

``states_rebuild()`` does steps 3 and 4 for every item in a few statements (the data migration,
the benchmark generator and ``manage.py refresh_derived`` use it).
"""

import json
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, F, Max, OuterRef, Subquery

from . import slips
from .choices import IrritantStatus
from .querysets import country_bits_expression, state_expressions
from .state import ALWAYS_SQL, COUNTRY_BITS, ItemState, PairCount, StateCount, counts_add

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
            _states_insert(batch, after=newest_old)
        where, params = _items_where(ids)
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
    where, params = _items_where(ids)
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


def _items_where(ids):
    """SQL picking the state rows of the items ``ids``, and its parameters: one parameter however
    many items (an array on PostgreSQL, a JSON list on SQLite), so a refresh of 100,000 items does not
    reach either database's limit on parameters."""
    if connection.vendor == "postgresql":
        return "irritant_id = ANY(%s)", [list(ids)]
    return "irritant_id IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


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


# Step 1: one row per item and day it changes (its interval ends where the next begins), with the
# item's groups; the state itself is filled in by step 2. Plus each item's current row.
INSERT_SQL = """
INSERT INTO agenda_itemstate (irritant_id, is_current, valid_from, valid_to, status, due_on,
    original_due_on, status_on, agenda_id, working_group_id, category, category_basis, countries)
SELECT u.item, FALSE, u.day, LEAD(u.day) OVER (PARTITION BY u.item ORDER BY u.day), '', NULL, NULL, NULL,
    i.agenda_id, i.working_group_id, i.category, i.category_basis, {mask}
FROM ({points}) u JOIN agenda_irritant i ON i.id = u.item
UNION ALL
SELECT i.id, TRUE, {always}, NULL, i.current_status, i.due_on, i.original_due_on, i.current_status_on,
    i.agenda_id, i.working_group_id, i.category, i.category_basis, {mask}
FROM agenda_irritant i WHERE {where}
"""


def _country_mask():
    from .models import Irritant

    through = Irritant.countries.through._meta.db_table
    bits = " ".join(f"WHEN '{code}' THEN {bit}" for code, bit in COUNTRY_BITS.items())
    return (
        f"(SELECT COALESCE(SUM(CASE c.code {bits} ELSE 0 END), 0) FROM {through} ic"
        " JOIN summits_country c ON c.id = ic.country_id WHERE ic.irritant_id = i.id)"
    )


def _states_insert(ids, *, after=0):
    """The state rows of the items ``ids`` (all when None), inserted with ids greater than ``after``."""
    from .models import Irritant

    points, params = as_of_points(ids).query.sql_with_params()
    if ids is None:
        where, where_params = "TRUE", ()
    else:
        inner, where_params = Irritant.objects.filter(pk__in=ids).values("pk").query.sql_with_params()
        where = f"i.id IN ({inner})"
    sql = INSERT_SQL.format(
        mask=_country_mask(),
        points=points,
        always=ALWAYS_SQL.get(connection.vendor, ALWAYS_SQL["postgresql"]),
        where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where_params])
    new = ItemState.objects.filter(pk__gt=after)
    if ids is not None:
        new = new.filter(irritant_id__in=ids)
    # Step 2: each interval's state, by the one definition (querysets.state_expressions), computed
    # once per item and day.
    state = state_expressions(OuterRef("valid_from"), item=OuterRef("irritant_id"))
    new.filter(is_current=False).update(
        status=state["status"],
        due_on=state["due"],
        original_due_on=state["original_due"],
        status_on=state["on"],
        target_text=state["target_text"],
    )
    # The current rows copy the stored columns (step 1), but for the wording, which is not stored.
    new.filter(is_current=True).update(
        target_text=state_expressions(None, item=OuterRef("irritant_id"))["target_text"]
    )
