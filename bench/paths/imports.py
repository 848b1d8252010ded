"""The CSV import of new status reports: dry run, real (rolled back after each run), and the
management command's dry run."""

import csv
import datetime
import io
import tempfile
from pathlib import Path
from time import perf_counter

from bench.core import MB, BenchError, RssSampler, rss_bytes

GROUPS = ("import",)
DATA = True
HEADER = ["ref", "title", "as of", "status", "country", "stated by", "confidence", "note", "sources"]
STATUSES = ["ongoing", "completed", "delayed", "on-track"]


def import_rows(bench):
    return bench.args.import_rows or min(50_000, max(1_000, bench.scale // 20))


def import_file(connection, n):
    """``n`` new status reports for existing items, in the export's columns."""
    from summits.models import Source

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM agenda_irritant")
        step = max(1, cursor.fetchone()[0] // n)
        cursor.execute(f"SELECT ref, title FROM agenda_irritant WHERE id % {step} = 0 ORDER BY id")
        items = cursor.fetchmany(n)
    urls = list(Source.objects.exclude(url="").order_by("pk").values_list("url", flat=True)[:20])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    base = datetime.date(2009, 6, 30)
    for j in range(n):
        ref, title = items[j % len(items)]
        writer.writerow(
            [
                ref,
                title,
                (base + datetime.timedelta(days=j // len(items))).isoformat(),
                STATUSES[j % len(STATUSES)],
                "all",
                "bench-status-update-2009-03" if j % 2 else "",
                "verbatim",
                "Restated in the March 2009 status update.",
                urls[j % len(urls)] if j % 3 else "",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def importer(data, n, user, *, dry_run):
    from django.db import transaction

    from agenda import imports

    def run():
        with transaction.atomic():  # rolled back: every run starts from the same data
            start = rss_bytes()
            with RssSampler() as sampler:
                t0 = perf_counter()
                result = imports.Importer(imports.STATUS_REPORTS, user=user, keep_rows=False).run(
                    data, dry_run=dry_run
                )
                elapsed = perf_counter() - t0
            transaction.set_rollback(True)
        if not result.ok:
            raise BenchError(f"import refused the file: {result.errors[:3]}")
        created = result.counts()[imports.CREATE]
        if created != n:
            raise BenchError(f"expected {n} rows to create, the import says {result.summary()}")
        growth = sampler.peak - start if start is not None and sampler.peak is not None else None
        return {"elapsed": elapsed, "growth": growth}

    return run


def command(path):
    from django.core.management import call_command

    from agenda import imports

    def run():
        t0 = perf_counter()
        call_command(
            "import_csv", str(path), kind=imports.STATUS_REPORTS, dry_run=True, quiet_rows=True,
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
        return {"elapsed": perf_counter() - t0}

    return run


def vacuum_after_import(bench):
    """PostgreSQL: the rolled-back real imports leave dead rows and GIN pending-list entries in the
    tables they wrote (the set-based refresh updates indexed columns of every touched item). Until
    autovacuum passes, plans change (the trigram search walks the ref index: 0.3 s -> 2 s at 1m),
    so the bench vacuums them for whatever is measured next, in this run or a --reuse one."""
    if bench.vendor != "postgresql" or not bench.selected("import.real"):
        return
    from agenda.models import Irritant, StatusReport

    tables = [
        Irritant._meta.db_table,
        StatusReport._meta.db_table,
        StatusReport.sources.through._meta.db_table,
    ]
    history = getattr(StatusReport, "history", None)
    if history is not None:
        tables.append(history.model._meta.db_table)
    t0 = perf_counter()
    with bench.connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables))
    print(f"  VACUUM ANALYZE after the rolled-back imports: {perf_counter() - t0:.1f} s")


def run(bench):
    n = import_rows(bench)
    data = import_file(bench.connection, n)
    path = Path(tempfile.mkstemp(prefix="spp-bench-import-", suffix=".csv")[1])
    path.write_bytes(data)
    measurements = (
        ("import.dry_run", importer(data, n, bench.user, dry_run=True), "Importer.run(dry_run=True)"),
        (
            "import.real",
            importer(data, n, bench.user, dry_run=False),
            "Importer.run(dry_run=False), rolled back after each run",
        ),
        ("import.command_dry_run", command(path), "manage.py import_csv --dry-run --quiet-rows"),
    )
    try:
        for name, fn, note in measurements:
            if not bench.selected(name):
                continue
            entry, _warm, infos = bench.measure(name, fn)
            if infos:
                entry.rows_per_s = n / entry.median_s
                growth = [i["growth"] for i in infos if i.get("growth") is not None]
                if growth:  # the RSS the run added at its peak (the file itself is held before it starts)
                    entry.peak_rss_mb = max(growth) / MB
            entry.notes.insert(0, f"{note}; {n:,} new status reports ({len(data) / MB:.1f} MB)")
    finally:
        path.unlink(missing_ok=True)
        vacuum_after_import(bench)
