"""The irritant CSV on PostgreSQL: the database formats every cell and streams the file with
``COPY (SELECT ...) TO STDOUT``, so Python only forwards bytes.

Every cell is written from its record in agenda/columns.py (``Format.sql``, the same record the
Python path writes with ``Format.python``; tests compare the bytes). The rows are read in batches,
in the export queryset's order (same FilterSet, same ordering):

1. one server-side cursor walks the ids of the export queryset, in its order;
2. for each batch of ids, one COPY joins the items' values to one GROUP BY per link table
   (countries, sources, lineage, the deadline in force), restricted to the batch, and writes the
   batch's rows in the ids' order.

So the first rows leave after one small batch, no query sorts the wide rows of the whole table,
and a link table is read once per batch by index instead of once per item by a correlated
subquery. All batches run in one transaction: REPEATABLE READ when the export opens it, so the
file is one consistent snapshot; JIT compilation is off (it costs more than it saves here).
Lines end with LF (the Python path writes CRLF); both are valid CSV.
"""

from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.db import connection, transaction
from django.db.models import Count
from django.db.models.expressions import RawSQL

COPY_CHUNK = 64 * 1024
FIRST_BATCH = 1_000  # small, so the first rows leave at once
BATCH = 20_000


def _batches():
    yield FIRST_BATCH
    while True:
        yield BATCH


def _id_array(ids):
    """The batch's ids as an SQL array literal (integers from the database: nothing to quote)."""
    return "'{" + ",".join(str(int(i)) for i in ids) + "}'::bigint[]"


def _linked(link, owners, as_of):
    """One GROUP BY of the link table for the batch: (owner, joined cells, count)."""
    rows = link.queryset(owners, as_of).order_by().values("owner")
    if link.separator is None:
        joined = ArrayAgg("cell", order_by=link.order)
    else:
        joined = StringAgg("cell", link.separator, order_by=link.order)
    return rows.annotate(joined=joined, n=Count("*"))


def batch_select(queryset, csv_file, ids, *, as_of=None):
    """The SELECT writing the rows of ``ids`` (in that order), every value bound in the text."""
    array = _id_array(ids)
    owners = RawSQL(f"SELECT unnest({array})", ())  # noqa: S611 - integers only
    compose = connection.ops.compose_sql
    lookups = ["pk", *csv_file.values.values()]
    items = queryset.order_by().filter(pk__in=owners).values_list(*lookups)
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
    return (
        f"SELECT {cells} FROM unnest({array}) WITH ORDINALITY AS batch(id, position) "  # noqa: S608
        f"JOIN ({compose(*items.query.sql_with_params())}) AS raw({', '.join(aliases)}) "
        f"ON raw.v0 = batch.id {' '.join(joins)} ORDER BY batch.position"
    )


def stream_copy(queryset, csv_file, *, as_of=None):
    """Yield the rows of ``queryset`` (an ordered as_it_stood() irritant queryset) as COPY writes
    them, in chunks of about COPY_CHUNK bytes."""
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if outermost:  # the first statement of the transaction
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SET LOCAL jit = off")
        ids_sql, params = queryset.values_list("pk").query.sql_with_params()
        with connection.connection.cursor(name="spp_export_ids") as ids:
            ids.execute(ids_sql, params)
            buffer = bytearray()
            for size in _batches():
                batch = [row[0] for row in ids.fetchmany(size)]
                if not batch:
                    break
                statement = batch_select(queryset, csv_file, batch, as_of=as_of)
                with cursor.cursor.copy(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv)") as copy:
                    for data in copy:
                        buffer += data
                        if len(buffer) >= COPY_CHUNK:
                            yield bytes(buffer)
                            buffer.clear()
                if buffer:  # the end of a batch: the reader gets what it has so far
                    yield bytes(buffer)
                    buffer.clear()
