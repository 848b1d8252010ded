"""The irritant CSV export (with the list's filter, and of everything), and on PostgreSQL, in the same
run, three COPYs to compare it with (issue 11):

- ``copy.<label>``: COPY of the SELECT the export ran (its own COPY, else its main SELECT);
- ``copy.<label>.lean``: COPY of the leanest query that yields the same bytes: the same columns,
  formatting and order, with each link table read once by a GROUP BY (countries, sources, the
  deadline in force) joined to the items, instead of correlated subqueries per row. Its output is
  checked byte for byte against the export's COPY in the warm-up;
- ``copy.all.table``: COPY of the bare irritant table (what reading the rows costs at all).

The export's ``ratio_to_copy`` is its rows/s over the leanest query's (the target's reference: the
faster of the two that yield its bytes, ``copy.<label>`` and ``copy.<label>.lean``); on each
``copy.*`` row, ``ratio_to_copy`` is the export's rows/s over that COPY's."""

import re
import statistics
import zlib
from array import array
from time import perf_counter
from urllib.parse import urlencode

from bench.core import FILTER, MB, BenchError, Entry, RssSampler, rss_bytes, select_of
from bench.targets import EXPORT, FIRST_ROW

GROUPS = ("export", "copy")
DATA = True
EXPORTS = (("filtered", FILTER), ("all", {}))
MAIN_TABLE = re.compile(r'\bFROM\s+"?agenda_irritant"?(\s|$)')


# --- runs --------------------------------------------------------------------------------------------
def export_run(client, url):
    """GET the export and read it whole: time to the first chunk and first data row, bytes, rows,
    peak RSS."""

    def run():
        with RssSampler() as sampler:
            t0 = perf_counter()
            response = client.get(url)
            first = first_row = None
            nbytes = lines = 0
            for chunk in response.streaming_content if response.streaming else [response.content]:
                now = perf_counter()
                first = now - t0 if first is None else first
                nbytes += len(chunk)
                lines += chunk.count(b"\n")
                if first_row is None and lines >= 2:
                    first_row = now - t0
            elapsed = perf_counter() - t0
        if response.status_code != 200:
            raise BenchError(f"GET {url} answered {response.status_code}")
        return {
            "elapsed": elapsed,
            "first": first,
            "first_row": first_row if first_row is not None else elapsed,
            "bytes": nbytes,
            "rows": max(lines - 1, 0),
            "peak": sampler.peak,
        }

    return run


def copy_run(connection, statement):
    """Run ``statement`` (a COPY ... TO STDOUT) through psycopg and read everything. The first run (the
    warm-up) also keeps a checksum of every row, to compare outputs."""
    calls = []

    def run():
        connection.ensure_connection()
        checksums = array("I") if not calls else None
        calls.append(1)
        rows = nbytes = 0
        first = None
        t0 = perf_counter()
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for data in copy:  # one message per row
                if first is None:
                    first = perf_counter() - t0
                rows += 1
                nbytes += len(data)
                if checksums is not None:
                    checksums.append(zlib.crc32(data))
        return {
            "elapsed": perf_counter() - t0,
            "rows": rows,
            "bytes": nbytes,
            "first": first,
            "rows_crc": checksums,
        }

    return run


# --- the statements compared -------------------------------------------------------------------------
def is_main(sql):
    return MAIN_TABLE.search(sql) is not None


def export_queryset(params):
    """The export's queryset, built as the view builds it (same FilterSet, same ordering)."""
    from django.http import QueryDict

    from agenda.filters import IrritantFilterSet
    from agenda.models import Irritant

    filterset = IrritantFilterSet(QueryDict(urlencode(params)), queryset=Irritant.objects.all())
    if not filterset.is_valid():
        raise BenchError(f"the export's filter is refused: {filterset.errors.as_text()}")
    rows = filterset.qs.for_export(filterset.as_of_date).as_it_stood(
        filterset.as_of_date, today=filterset.today
    )
    return rows.order_by(*rows.query.order_by or ["ref"]).prefetch_related(None), filterset


def own_select(bench, warm, params):
    """(the SELECT the export ran, where it was found)."""
    sql = next((s for q in warm["copies"] if (s := select_of(q)) and is_main(s)), None)
    if sql is not None:
        return sql, "the SELECT of the export's own COPY"
    sql = next((s for q in warm["queries"] if (s := select_of(q["sql"])) and is_main(s)), None)
    if sql is not None:
        return sql, "the export's main SELECT, as run"
    queryset, _filterset = export_queryset(params)
    sql, sql_params = queryset.query.sql_with_params()
    return bench.connection.ops.compose_sql(sql, sql_params), "the export queryset's SELECT (none was logged)"


def _link_tables():
    """One GROUP BY per table linked to the items: what the correlated subqueries read row by row."""
    from agenda.models import Deadline, Irritant

    countries, sources = Irritant.countries.through._meta, Irritant.sources.through._meta
    country_table = Irritant.countries.field.related_model._meta.db_table
    source_table = Irritant.sources.field.related_model._meta.db_table
    deadline = Deadline._meta.db_table
    return (
        f"LEFT JOIN (SELECT l.irritant_id, string_agg(c.code, ' ' ORDER BY c.code) AS codes, COUNT(*) AS n "
        f'FROM "{countries.db_table}" l JOIN "{country_table}" c ON c.id = l.country_id '
        f'GROUP BY l.irritant_id) bench_c ON bench_c.irritant_id = "agenda_irritant"."id" '
        f"LEFT JOIN (SELECT l.irritant_id, string_agg(COALESCE(NULLIF(s.url, ''), s.citation), '; ' "
        f'ORDER BY s.url, s.citation) AS refs FROM "{sources.db_table}" l JOIN "{source_table}" s '
        f'ON s.id = l.source_id GROUP BY l.irritant_id) bench_s ON bench_s.irritant_id = "agenda_irritant"."id" '
        f"LEFT JOIN (SELECT irritant_id, (array_agg(target_text ORDER BY set_on DESC, id DESC))[1] AS target_text "
        f'FROM "{deadline}" GROUP BY irritant_id) bench_d ON bench_d.irritant_id = "agenda_irritant"."id"'
    )


def lean_statement(params, url_prefix):
    """The COPY of the leanest query yielding the export's bytes: the app's own column formatting
    (agenda/pg_copy.py) over the same filtered, ordered items, the per-row subqueries replaced by
    columns of the GROUP BYs joined once. The record as it stands (no ``as_of``)."""
    from django.db.models import CharField, IntegerField
    from django.db.models.expressions import RawSQL

    from agenda import exports, pg_copy

    queryset, filterset = export_queryset(params)
    if filterset.as_of_date:
        raise BenchError("the leanest query is written for the record as it stands (no as_of)")
    joined = {
        "c_countries": RawSQL("bench_c.codes", (), output_field=CharField()),
        "c_scope": RawSQL("bench_c.n", (), output_field=IntegerField()),
        "c_sources": RawSQL("bench_s.refs", (), output_field=CharField()),
        "c_due_text": RawSQL("bench_d.target_text", (), output_field=CharField()),
    }
    columns = [
        (alias, joined.get(alias, expression), middle, is_text)
        for alias, expression, middle, is_text in pg_copy.column_expressions(
            *url_prefix, exports.SCOPE_LABELS
        )
    ]
    statement = pg_copy.copy_sql(queryset, columns)
    lean, found = re.subn(
        r'FROM "agenda_irritant"(?=\s)', lambda m: f"{m[0]} {_link_tables()}", statement, count=1
    )
    if not found:
        raise BenchError('no FROM "agenda_irritant" in the export\'s statement to join the GROUP BYs to')
    return lean


def detail_url_parts(bench):
    """The detail URL around the ref, as the export writes it for the test client's request."""
    from django.urls import reverse

    marker = "SPP-REF-MARKER"
    prefix, suffix = reverse("agenda:irritant_detail", args=[marker]).split(marker)
    return "http://testserver" + prefix, suffix


# --- measurements ------------------------------------------------------------------------------------
def median_of(infos, key):
    return statistics.median(info[key] for info in infos)


def measure_export(bench, label, params):
    from django.urls import reverse

    url = reverse("agenda:irritant_export")
    name = f"export.{label}"
    baseline = rss_bytes()
    entry, warm, infos = bench.measure(
        name, export_run(bench.client, f"{url}?{urlencode(params)}" if params else url), goal=EXPORT
    )
    if not infos:
        return entry, None
    rows, nbytes = median_of(infos, "rows"), median_of(infos, "bytes")
    entry.rows_per_s = rows / entry.median_s
    if baseline is not None:
        entry.peak_rss_mb = (max([warm["peak"], *(i["peak"] for i in infos)]) - baseline) / MB
    entry.notes[:0] = [
        f"{rows:,.0f} rows, {nbytes / MB:.1f} MB, {nbytes / MB / entry.median_s:.1f} MB/s",
        f"first chunk {median_of(infos, 'first') * 1000:.0f} ms",
    ]
    first_row = Entry(f"{name}.first_row", goal=FIRST_ROW)
    first_row.set_times([info["first_row"] for info in infos])
    first_row.notes.append("time to the first data row (the header comes first)")
    bench.entries.append(first_row)
    return entry, warm


def measure_copy(bench, name, statement, description, export):
    """Time one COPY; its ratio is the export's rows/s over its own. Returns (entry, warm-up info)."""
    entry, warm, infos = bench.measure(name, copy_run(bench.connection, statement))
    if not infos:
        return entry, None
    rows, nbytes = median_of(infos, "rows"), median_of(infos, "bytes")
    entry.rows_per_s = rows / entry.median_s
    entry.ratio_to_copy = export.rows_per_s / entry.rows_per_s
    entry.notes[:0] = [
        description,
        f"{rows:,.0f} rows, {nbytes / MB:.1f} MB, {nbytes / MB / entry.median_s:.1f} MB/s",
        f"first row {median_of(infos, 'first') * 1000:.0f} ms"
        if infos[0]["first"] is not None
        else "no rows",
        f"ratio: {export.name} rows/s over this COPY's",
    ]
    return entry, warm


def first_difference(mine, theirs):
    """The first row (1-based) where two COPY outputs differ, or None when they are the same."""
    for n, (a, b) in enumerate(zip(mine, theirs, strict=False), start=1):
        if a != b:
            return n
    return None if len(mine) == len(theirs) else min(len(mine), len(theirs)) + 1


def measure_lean(bench, label, params, export, own_warm):
    """``copy.<label>.lean``; True when it yields the export's bytes (then it is the ratio's reference)."""
    name = f"copy.{label}.lean"
    try:
        statement = lean_statement(params, detail_url_parts(bench))
    except Exception as exc:  # the app's export changed shape: say so, and measure the rest
        entry = Entry(name)
        bench.entries.append(entry)
        bench.failed(entry, exc)
        return None
    entry, warm = measure_copy(
        bench,
        name,
        statement,
        "COPY (one GROUP BY per link table, joined to the items) TO STDOUT WITH CSV",
        export,
    )
    if warm is None:
        return None
    differs = first_difference(warm["rows_crc"], own_warm["rows_crc"])
    if differs is not None:
        entry.notes.insert(1, f"NOT the export's bytes: first different row {differs:,}; no ratio")
        entry.ratio_to_copy = None
        return None
    entry.notes.insert(1, "the same bytes as the export's COPY (checked row by row in the warm-up)")
    bench.details.setdefault("copy_sql", {})[f"{label}.lean"] = statement
    return entry


def compare_with_copies(bench, label, params, export, warm):
    """PostgreSQL: the COPY of the export's own SELECT, of the leanest query, of the bare table."""
    sql, origin = own_select(bench, warm, params)
    bench.details.setdefault("copy_sql", {})[label] = sql
    own, own_warm = measure_copy(
        bench,
        f"copy.{label}",
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)",
        f"COPY ({origin}) TO STDOUT WITH CSV",
        export,
    )
    lean = measure_lean(bench, label, params, export, own_warm) if own_warm else None
    table = None
    if label == "all":
        table, _warm = measure_copy(
            bench,
            "copy.all.table",
            'COPY "agenda_irritant" TO STDOUT WITH (FORMAT csv)',
            "COPY of the bare irritant table",
            export,
        )
    # The leanest query is the fastest of those that yield the export's bytes: the GROUP BYs read the
    # whole link tables, so for a small selection the export's own per-row subqueries can be leaner.
    same_bytes = [e for e in (own, lean) if e is not None and e.ratio_to_copy]
    ratios = [(e.name, e.ratio_to_copy) for e in (own, lean, table) if e is not None and e.ratio_to_copy]
    export.notes.append("rows/s over COPY: " + ", ".join(f"{ratio:.2f}x {name}" for name, ratio in ratios))
    if same_bytes:
        reference = max(same_bytes, key=lambda e: e.rows_per_s)
        export.ratio_to_copy = reference.ratio_to_copy
        export.notes.append(f"ratio_to_copy: to {reference.name}, the leanest query measured")


def run(bench):
    for label, params in EXPORTS:
        if not (bench.selected(f"export.{label}") or bench.selected(f"copy.{label}")):
            continue
        export, warm = measure_export(bench, label, params)
        if warm is None:
            continue
        if bench.vendor != "postgresql":
            export.notes.append("no COPY on SQLite: ratio not measured")
            continue
        compare_with_copies(bench, label, params, export, warm)
