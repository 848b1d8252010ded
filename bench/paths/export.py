"""The irritant CSV export (with the list's filter, and of everything), and on PostgreSQL, in the same
run, two COPYs to compare it with (issue 11):

- ``copy.<label>.lean``: COPY of the leanest single query that yields the same bytes: the app's own
  cells (agenda/columns.py) over the same filtered, ordered items, each link table read once by a
  GROUP BY joined to the items (``pg_copy.batch_select`` without a batch). Its output is checked
  byte for byte against the export's body in the warm-up;
- ``copy.all.table``: COPY of the bare irritant table (what reading the rows costs at all).

The export's ``ratio_to_copy`` is its rows/s over the leanest query's; on each ``copy.*`` row,
``ratio_to_copy`` is the export's rows/s over that COPY's; the export's notes give both."""

import statistics
import zlib
from time import perf_counter
from urllib.parse import urlencode

from bench.core import FILTER, MB, BenchError, Entry, RssSampler, rss_bytes

GROUPS = ("export", "copy")
DATA = True
EXPORTS = (("filtered", FILTER), ("all", {}))


# --- runs --------------------------------------------------------------------------------------------
def export_run(client, url):
    """GET the export and read it whole: time to the first chunk and first data row, bytes, rows,
    peak RSS."""

    def run():
        with RssSampler() as sampler:
            t0 = perf_counter()
            response = client.get(url)
            first = first_row = None
            nbytes = lines = crc = 0
            header = b""
            for chunk in response.streaming_content if response.streaming else [response.content]:
                now = perf_counter()
                first = now - t0 if first is None else first
                nbytes += len(chunk)
                if b"\n" not in header:  # the body's checksum starts after the header line
                    header += chunk
                    chunk = header.partition(b"\n")[2] if b"\n" in header else b""
                crc = zlib.crc32(chunk, crc)
                lines += chunk.count(b"\n")
                if first_row is None and lines >= 1:
                    first_row = now - t0
            elapsed = perf_counter() - t0
        if response.status_code != 200:
            raise BenchError(f"GET {url} answered {response.status_code}")
        return {
            "elapsed": elapsed,
            "first": first,
            "first_row": first_row if first_row is not None else elapsed,
            "bytes": nbytes,
            "rows": lines,
            "peak": sampler.peak,
            "crc": crc,
        }

    return run


def copy_run(connection, statement):
    """Run ``statement`` (a COPY ... TO STDOUT) through psycopg with JIT off, as the export runs, and
    read everything, keeping a checksum of the output to compare it with the export's body."""

    def run():
        connection.ensure_connection()
        rows = nbytes = crc = 0
        first = None
        t0 = perf_counter()
        with connection.connection.transaction(), connection.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
            with cursor.copy(statement) as copy:
                for data in copy:  # one message per row
                    if first is None:
                        first = perf_counter() - t0
                    rows += 1
                    nbytes += len(data)
                    crc = zlib.crc32(data, crc)
        return {"elapsed": perf_counter() - t0, "rows": rows, "bytes": nbytes, "first": first, "crc": crc}

    return run


# --- the statements compared -------------------------------------------------------------------------
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
    return rows.order_by(*rows.query.order_by or ["ref"]), filterset


def lean_statement(params, url_parts):
    """The COPY of the leanest single query yielding the export's bytes: the app's own cells and
    GROUP BYs (agenda/pg_copy.py) over the same filtered, ordered items, in one statement."""
    from django.utils import translation

    from agenda import columns, pg_copy

    queryset, filterset = export_queryset(params)
    csv_file = columns.IRRITANT_FILE.with_columns(columns.detail_url_column(*url_parts))
    with translation.override("en"):
        select = pg_copy.batch_select(queryset, csv_file, as_of=filterset.as_of_date)
    return f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"


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
        name,
        export_run(bench.client, f"{url}?{urlencode(params)}" if params else url),
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
    first_row = Entry(f"{name}.first_row")
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


def measure_lean(bench, label, params, export, export_warm):
    """``copy.<label>.lean``; None when it does not yield the export's bytes (then no ratio)."""
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
        "COPY (the leanest single query: one GROUP BY per link table, joined to the items) TO STDOUT",
        export,
    )
    if warm is None:
        return None
    if warm["crc"] != export_warm["crc"]:
        entry.notes.insert(1, "NOT the export's bytes (checksums differ); no ratio")
        entry.ratio_to_copy = None
        return None
    entry.notes.insert(1, "the same bytes as the export's body (checksum compared in the warm-up)")
    bench.details.setdefault("copy_sql", {})[f"{label}.lean"] = statement
    return entry


def compare_with_copies(bench, label, params, export, warm):
    """PostgreSQL: the COPY of the leanest query, and of the bare table."""
    lean = measure_lean(bench, label, params, export, warm)
    table = None
    if label == "all":
        table, _warm = measure_copy(
            bench,
            "copy.all.table",
            'COPY "agenda_irritant" TO STDOUT WITH (FORMAT csv)',
            "COPY of the bare irritant table",
            export,
        )
    ratios = [(e.name, e.ratio_to_copy) for e in (lean, table) if e is not None and e.ratio_to_copy]
    export.notes.append("rows/s over COPY: " + ", ".join(f"{ratio:.2f}x {name}" for name, ratio in ratios))
    if lean is not None:
        export.ratio_to_copy = lean.ratio_to_copy
        export.notes.append(f"ratio_to_copy: to {lean.name}, the leanest query yielding its bytes")


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
