"""The irritant CSV on PostgreSQL: the database formats every cell and streams the file with
``COPY (SELECT ...) TO STDOUT``, so Python only forwards bytes.

Every cell is written from its record in agenda/columns.py (``Format.sql``, the same record the
Python path writes with ``Format.python``; tests compare the bytes). Each link table (countries,
sources, lineage, the deadline in force) is read by one GROUP BY joined to the items, instead of a
correlated subquery per item. The export queryset's ids (same FilterSet, same ordering) are
numbered once, in its order, and the values joined to them:

- a filtered export: one statement, each table read for those ids only (by index);
- the whole table: the first FIRST_BATCH ids that way, so the first rows leave at once, then the
  rest in one statement where every link table is grouped whole (PostgreSQL merge-joins them on
  the item id, walking their indexes) and the rows sorted back into the queryset's order.

Both run in one transaction: REPEATABLE READ when the export opens it, so the file is one snapshot.
JIT compilation is off (it cost the whole first-row delay and saves nothing here). Lines end with
LF (the Python path writes CRLF); both are valid CSV.
"""

from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.db.models.sql.where import WhereNode

COPY_CHUNK = 64 * 1024
FIRST_BATCH = 1_000  # read by id, so the first rows leave at once


def _linked(link, owners, as_of):
    """One GROUP BY of the link table (for ``owners`` only, unless None): (owner, joined cells, count)."""
    rows = link.queryset(owners, as_of).order_by().values("owner")
    if link.separator is None:
        joined = ArrayAgg("cell", order_by=link.order)
    else:
        joined = StringAgg("cell", link.separator, order_by=link.order)
    return rows.annotate(joined=joined, n=Count("*"))


def batch_select(queryset, csv_file, start=0, stop=None, *, as_of=None):
    """The SELECT writing rows ``start`` to ``stop`` of ``queryset`` in its order, every value
    bound in the text. The batch's ids are numbered once (a materialized CTE). With a ``stop`` or a
    filter, each table is read for those ids only (by index); otherwise every link table is grouped
    whole, which PostgreSQL merge-joins on the item id walking the indexes. ``batch_select(qs, file)``
    is the leanest single query that yields the export's bytes (the benchmark's reference)."""
    compose = connection.ops.compose_sql
    ordered = compose(*queryset.values_list("pk")[start:stop].query.sql_with_params())
    # The batch's ids already say which items: the values are read without the filters, whose
    # estimates (each one multiplying the last) would mislead the planner into nested loops.
    items = queryset.order_by()
    filtered, items.query.where = bool(items.query.where), WhereNode()
    owners = None
    if stop is not None or filtered:  # a part of the table: read each table for the batch only
        owners = RawSQL("SELECT id FROM export_batch", ())
        items = items.filter(pk__in=owners)
    lookups = ["pk", *csv_file.values.values()]
    aliases = [f"v{n}" for n in range(len(lookups))]
    names = {name: f"raw.{alias}" for name, alias in zip(csv_file.values, aliases[1:], strict=True)}
    joins = []
    for n, link in enumerate(csv_file.links):
        joins.append(
            f"LEFT JOIN ({compose(*_linked(link, owners, as_of).query.sql_with_params())}) "
            f"AS l{n}(owner, joined, n) ON l{n}.owner = batch.id"
        )
        names[link.name] = f"l{n}.joined" if link.separator is not None else f"l{n}.joined[1]"
        if link.count:
            names[link.count] = f"l{n}.n"
    cells = ", ".join(column.sql(names) for column in csv_file.columns)
    items_sql = compose(*items.values_list(*lookups).query.sql_with_params())
    return (  # noqa: S608 - our aliases; values bound by compose_sql
        f"WITH export_batch AS MATERIALIZED (SELECT id, row_number() OVER () AS position "
        f"FROM ({ordered}) AS ids(id)) "
        f"SELECT {cells} FROM export_batch AS batch "
        f"JOIN ({items_sql}) AS raw({', '.join(aliases)}) ON raw.v0 = batch.id "
        f"{' '.join(joins)} ORDER BY batch.position"
    )


def _copy(cursor, statement):
    """The rows COPY writes, one piece per row."""
    with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
        yield from copy


def _chunked(pieces):
    """Pieces (one per row) gathered into chunks of about COPY_CHUNK bytes."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        if len(buffer) >= COPY_CHUNK:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def stream_copy(queryset, csv_file, *, as_of=None):
    """Yield the rows of ``queryset`` (an ordered as_it_stood() irritant queryset) as COPY writes
    them, in chunks of about COPY_CHUNK bytes. A filtered export is one statement reading each table
    for its ids only; the whole table is two: the first FIRST_BATCH rows by their ids (they leave at
    once, where grouping whole link tables would take seconds), then the rest."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:  # the first statement of the transaction: one snapshot for both statements
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # JIT: compiling the expressions costs more than it saves; work_mem: sorts stay in memory
        # longer.
        cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
        if queryset.query.where:  # a part of the table: one statement reads each table for its ids
            yield from _chunked(_copy(cursor, batch_select(queryset, csv_file, as_of=as_of)))
            return
        first = list(_copy(cursor, batch_select(queryset, csv_file, 0, FIRST_BATCH, as_of=as_of)))
        yield from _chunked(first)
        if len(first) == FIRST_BATCH:
            yield from _chunked(_copy(cursor, batch_select(queryset, csv_file, FIRST_BATCH, as_of=as_of)))
