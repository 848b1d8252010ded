#!/usr/bin/env python
"""SPP Tracker benchmark: generate synthetic data at a scale, then time the analyst pages, the admin,
the CSV export (against PostgreSQL's COPY of the same SELECT), the CSV import and the seed load.

    python bench/run.py --scale 10k|100k|1m|<number> [--runs 5] [--only list,detail,...]
                        [--keep-data] [--reuse] [--reset] [--explain]

The database is DATABASE_URL (default: a separate SQLite file, bench/bench.sqlite3). It must be a
scratch database: the bench refuses a database that holds irritants it did not generate. See
bench/README.md for what each measurement does and how to read the results.
"""

import argparse
import contextlib
import csv
import gc
import io
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_JSON = BENCH_DIR / "results.json"
DETAILS_DIR = BENCH_DIR / "results"  # per-run details (slow queries, plans); not committed
DEFAULT_SQLITE = BENCH_DIR / "bench.sqlite3"
MB = 1024 * 1024

GROUPS = ["generate", "list", "api", "detail", "dashboard", "admin", "export", "copy", "import", "seed"]
# The filtered list and export: one working group, one country, one category, ordered by target.
FILTER = {"working_group": "energy", "country": "MX", "category": "early-harvest", "ordering": "target"}
AS_OF = "2006-06-30"
SEARCH = "pipeline"

PAGE_TARGET = 0.075
ADMIN_LIST_TARGET = 0.150
COPY_RATIO_TARGET = 0.8
FIRST_ROW_TARGET = 1.0
FLAT_MEMORY_MB = 64
IMPORT_TARGET = 10_000
SEED_TARGET = 2.0


def parse_scale(text):
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmM]?)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a scale (10k, 100k, 1m or a number)")
    value = float(match[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    if value < 100:
        raise argparse.ArgumentTypeError("the scale must be at least 100 irritants")
    return int(value)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description="SPP Tracker benchmark (see bench/README.md).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--scale", type=parse_scale, default="10k", help="irritants: 10k, 100k, 1m or a number"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement, after one warm-up")
    parser.add_argument(
        "--slow-seconds",
        type=float,
        default=30,
        help="a measurement whose warm-up takes longer gets --slow-runs timed runs (noted in the results)",
    )
    parser.add_argument("--slow-runs", type=int, default=3, help="timed runs of a slow measurement")
    parser.add_argument("--only", default="", help=f"comma-separated groups or names: {','.join(GROUPS)}")
    parser.add_argument("--import-rows", type=int, default=None, help="status-report rows in the import file")
    parser.add_argument("--keep-data", action="store_true", help="keep the generated data (for --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse data generated earlier at the same scale")
    parser.add_argument("--reset", action="store_true", help="wipe data generated earlier by the bench first")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="PostgreSQL: EXPLAIN ANALYZE the slowest query of each missed target",
    )
    parser.add_argument("--clean", action="store_true", help="remove data the bench generated, then stop")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results.json")
    parser.add_argument("--seed-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if isinstance(args.scale, str):
        args.scale = parse_scale(args.scale)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.only = [item.strip() for item in args.only.split(",") if item.strip()]
    return args


def configure():
    """Production settings (DEBUG off) over plain HTTP, on the bench database, then django.setup()."""
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "not-a-secret-" * 4)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here
    import django

    django.setup()


# --- instruments -------------------------------------------------------------------------------------
class QueryCounter:
    """Counts every statement run (no limit, unlike the 9,000-query log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes():
    """Resident set size of this process, from /proc (no psutil); None where /proc is missing."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except OSError:
        return None


class RssSampler:
    """Samples the RSS every few milliseconds in a thread and keeps the peak."""

    def __init__(self, interval=0.01):
        self.interval = interval
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        if self.peak is not None:
            self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        if self.peak is not None:
            self.peak = max(self.peak, rss_bytes())


@contextlib.contextmanager
def recording_copies():
    """Record the statements of the COPYs run through psycopg: the query log does not see them (the
    PostgreSQL export runs one)."""
    statements = []
    try:
        import psycopg
    except ImportError:
        yield statements
        return
    original = psycopg.Cursor.copy

    def copy(self, statement, *args, **kwargs):
        text = statement.as_string(self) if hasattr(statement, "as_string") else statement
        statements.append(text.decode() if isinstance(text, bytes) else str(text))
        return original(self, statement, *args, **kwargs)

    psycopg.Cursor.copy = copy
    try:
        yield statements
    finally:
        psycopg.Cursor.copy = original


class BenchError(RuntimeError):
    pass


@dataclass
class Entry:
    name: str
    median_s: float | None = None
    min_s: float | None = None
    max_s: float | None = None
    queries: int | None = None
    rows_per_s: float | None = None
    ratio_to_copy: float | None = None
    peak_rss_mb: float | None = None
    target: str | None = None
    met: bool | None = None
    notes: list = field(default_factory=list)

    def set_times(self, times):
        self.median_s, self.min_s, self.max_s = statistics.median(times), min(times), max(times)


DECLARE = re.compile(r"^\s*DECLARE\s+\S+\s+.*?\bCURSOR\b.*?\bFOR\s+(.*)$", re.IGNORECASE | re.DOTALL)
COPY_OF = re.compile(r"^\s*COPY\s*\((.*)\)\s*TO\s+STDOUT.*$", re.IGNORECASE | re.DOTALL)


def select_of(sql):
    """The SELECT a statement runs (a server-side cursor's DECLARE and a COPY wrap one), or None."""
    for pattern in (DECLARE, COPY_OF):
        match = pattern.match(sql)
        if match:
            sql = match[1]
    sql = sql.strip()
    return sql if sql[:6].upper() == "SELECT" or sql[:4].upper() == "WITH" else None


# --- the benchmark -----------------------------------------------------------------------------------
class Bench:
    def __init__(self, args):
        from django.db import connection

        self.args = args
        self.scale = args.scale
        self.connection = connection
        self.vendor = connection.vendor
        self.entries = []
        self.details = {"slow_queries": {}, "explain": {}}
        self.plans = []
        self.generation = None
        self.code = code_version()

    # -- selection, timing ----------------------------------------------------------------------------
    def selected(self, name):
        if not self.args.only:
            return True
        return any(name == item or name.startswith(item + ".") for item in self.args.only)

    def wanted(self, group):
        """Any measurement of the group is selected (``--only export.all`` selects the export group)."""
        return not self.args.only or any(
            item == group or item.startswith(group + ".") or group.startswith(item + ".")
            for item in self.args.only
        )

    def measure(self, name, fn, *, runs=None):
        """One warm-up run (counting queries and keeping the slowest ones), then ``runs`` timed runs.
        ``fn`` returns a dict with at least ``elapsed`` (seconds). Returns (entry, warm-up info, infos)."""
        from django.test.utils import CaptureQueriesContext

        entry = Entry(name)
        runs = runs or self.args.runs
        print(f"  {name} ...", end="", flush=True)
        try:
            gc.collect()
            counter = QueryCounter()
            with (
                warnings.catch_warnings(),
                self.connection.execute_wrapper(counter),
                CaptureQueriesContext(self.connection) as captured,
                recording_copies() as copies,
            ):
                warnings.simplefilter("ignore")
                warm = fn()
                queries = list(captured.captured_queries)
            if warm["elapsed"] > self.args.slow_seconds and runs > self.args.slow_runs:
                runs = self.args.slow_runs
                entry.notes.append(f"warm-up took {warm['elapsed']:.0f} s: runs reduced to {runs}")
            infos = []
            for _ in range(runs):
                gc.collect()
                infos.append(fn())
        except Exception as exc:  # a broken path is reported, and the other measurements go on
            print(" ERROR")
            traceback.print_exc()
            entry.notes.append(f"error: {type(exc).__name__}: {str(exc)[:300]}")
            self.entries.append(entry)
            return entry, None, None
        entry.set_times([info["elapsed"] for info in infos])
        entry.queries = counter.count + len(copies)
        if copies:
            entry.notes.append(f"queries include {len(copies)} COPY")
        entry.notes.append(f"{runs} runs after 1 warm-up")
        sql_ms = sum(float(q.get("time") or 0) for q in queries) * 1000
        entry.notes.append(f"SQL {sql_ms:.0f} ms of {warm['elapsed'] * 1000:.0f} ms in the warm-up")
        slowest = sorted(queries, key=lambda q: -float(q.get("time") or 0))[:3]
        self.details["slow_queries"][name] = [{"seconds": float(q["time"]), "sql": q["sql"]} for q in slowest]
        self.entries.append(entry)
        print(f" {entry.median_s * 1000:.1f} ms")
        if self.args.explain and not entry.name.startswith(("export.", "copy.")):
            self.judge_entry(entry)  # explained now, while its data is as warm as in the timed runs
            self.explain_entry(entry)
        return entry, {**warm, "queries": queries, "copies": copies}, infos

    # -- data -----------------------------------------------------------------------------------------
    def prepare(self):
        from django.core.management import call_command

        from agenda.models import Irritant
        from bench import generate

        t0 = perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        print(f"migrate: {perf_counter() - t0:.1f} s")
        meta = generate.read_meta()
        count = Irritant.objects.count()
        marked = int(meta.get("scale", -1)) if meta else None
        if meta and self.args.reset:
            print(f"--reset: removing the bench data of scale {marked:,}")
            generate.clear()
            meta, count = {}, 0
        if count and not meta:
            raise SystemExit(
                f"The database holds {count:,} irritants the bench did not generate. Point DATABASE_URL at a "
                "scratch database (it must hold no irritants); the bench writes and deletes data there."
            )
        if meta and count:
            same = marked == self.scale and meta.get("generator") == generate.GENERATOR_VERSION
            if same and self.args.reuse:
                print(f"--reuse: {count:,} irritants generated earlier at scale {marked:,}")
                return
            hint = "--reuse" if same else "--reset (to wipe it) or --scale " + str(marked) + " --reuse"
            raise SystemExit(
                f"The database holds bench data of scale {marked:,} (generator {meta.get('generator')}); "
                f"use {hint}."
            )
        if meta:  # a marker without data
            generate.clear()
        print(f"generating {self.scale:,} irritants ({self.vendor}) ...")
        self.generation = generate.generate(self.scale)
        entry = Entry("generate")
        entry.set_times([self.generation["seconds"]])
        entry.rows_per_s = self.generation["rows"] / self.generation["seconds"]
        counts = self.generation["counts"]
        entry.notes.append(", ".join(f"{v:,} {k}" for k, v in counts.items()))
        if self.selected("generate"):
            self.entries.append(entry)

    def cleanup(self):
        from bench import generate

        if self.args.keep_data:
            print("--keep-data: the generated data stays (run again with --reuse)")
            return
        self.connection.close()
        name = self.connection.settings_dict["NAME"]
        if self.vendor == "sqlite" and Path(str(name)).resolve() == DEFAULT_SQLITE.resolve():
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(str(name) + suffix).unlink(missing_ok=True)
        else:
            generate.clear()
        print("generated data removed (use --keep-data to keep it)")

    def login(self):
        from django.contrib.auth import get_user_model
        from django.test import Client

        user, created = get_user_model().objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if not created and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save()
        self.user = user
        self.client = Client()
        self.client.force_login(user)

    # -- pages ----------------------------------------------------------------------------------------
    def page(self, url, *, cold=True, expect=None):
        """GET ``url`` and read the body. ``cold``: clear Django's caches first (untimed), so a page
        that caches its numbers (the dashboard) is timed computing them, as after any write.
        ``expect``: text the page must contain (a page that answers 200 with an error is no result)."""
        from django.core.cache import caches

        client = self.client

        def run():
            if cold:
                for cache in caches.all():
                    cache.clear()
            t0 = perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = perf_counter() - t0
            if response.status_code != 200:
                raise BenchError(f"GET {url} answered {response.status_code}: {body[:200]!r}")
            if expect and expect.encode() not in body:
                raise BenchError(f"GET {url}: the page does not show {expect!r}")
            return {"elapsed": elapsed, "bytes": len(body)}

        return run

    def pages(self):
        from django.urls import reverse

        from agenda.models import Irritant
        from agenda.views import IrritantListView

        list_url = reverse("agenda:irritant_list")
        total = Irritant.objects.count()
        per_page = getattr(IrritantListView, "paginate_by", None) or 50
        last = self.last_page_param(total, per_page)
        first_ref, last_ref = (
            Irritant.objects.order_by(*order).values_list("ref", flat=True)[0]
            for order in (["ref"], ["-ref"])
        )
        matching = (
            Irritant.objects.filter(
                working_group__slug=FILTER["working_group"],
                countries__code=FILTER["country"],
                category=FILTER["category"],
            ).count()
            if self.wanted("list")
            else None
        )
        pages = [
            ("list.first_page", list_url, f"{total:,} items", first_ref),
            ("list.filtered", f"{list_url}?{urlencode(FILTER)}", f"{matching} matching items", None),
            ("list.last_page", f"{list_url}?page={last}", f"page={last}, {per_page} items a page", last_ref),
            ("list.search", f"{list_url}?q={SEARCH}", f"q={SEARCH}", None),
            ("list.as_of", f"{list_url}?as_of={AS_OF}", f"as_of={AS_OF}", first_ref),
        ]
        if self.wanted("api"):
            pages += self.api_pages(total, first_ref, last_ref)
        if self.wanted("detail") or self.wanted("admin"):
            self.item = self.richest_item()
        if self.wanted("detail"):
            detail = reverse("agenda:irritant_detail", args=[self.item.ref])
            note = f"{self.item.ref}: {self.item.n_status} status reports, {self.item.n_deadlines} deadlines"
            pages += [
                ("detail", detail, note, self.item.ref),
                ("detail.as_of", f"{detail}?as_of={AS_OF}", note, self.item.ref),
            ]
        dashboard = reverse("agenda:dashboard")
        compare = "from=report-to-leaders-2006&to=leaders-statement-new-orleans-2008"
        pages += [
            (
                "dashboard",
                dashboard,
                "default comparison report-to-leaders-2005 -> 2006; caches cleared",
                None,
            ),
            (
                "dashboard.cached",
                dashboard,
                "the same, its numbers cached by the warm-up (if the app caches)",
                None,
            ),
            ("dashboard.as_of", f"{dashboard}?as_of=2007-01-01", "as_of=2007-01-01; caches cleared", None),
            ("dashboard.compare", f"{dashboard}?{compare}", f"{compare}; caches cleared", None),
        ]
        if self.wanted("admin"):
            from agenda.models import WorkingGroup
            from summits.models import Country

            changelist = reverse("admin:agenda_irritant_changelist")
            admin_filter = {
                "working_group__id__exact": WorkingGroup.objects.get(slug=FILTER["working_group"]).pk,
                "countries__id__exact": Country.objects.get(code=FILTER["country"]).pk,
                "category__exact": FILTER["category"],
                "current_status": "ongoing",
            }
            pages += [
                ("admin.changelist", changelist, "all filters shown", first_ref),
                (
                    "admin.changelist.filtered",
                    f"{changelist}?{urlencode(admin_filter)}",
                    urlencode(admin_filter),
                    None,
                ),
                ("admin.changelist.search", f"{changelist}?q={SEARCH}", f"q={SEARCH}", None),
                (
                    "admin.change",
                    reverse("admin:agenda_irritant_change", args=[self.item.pk]),
                    f"{self.item.ref} with its inlines",
                    self.item.ref,
                ),
            ]
        for name, url, note, expect in pages:
            if self.selected(name):
                fn = self.page(url, cold=not name.endswith(".cached"), expect=expect)
                entry, warm, _infos = self.measure(name, fn)
                entry.notes.insert(0, note)
                if warm:
                    kind = "JSON" if name.startswith("api.") else "HTML"
                    entry.notes.append(f"{warm['bytes'] / 1024:.0f} KB of {kind}")

    @staticmethod
    def api_pages(total, first_ref, last_ref):
        """The JSON API's irritant list next to the HTML list: its first page, the filtered page, and
        a page at the end of the list reached by a cursor (as a script that walked there would)."""
        from django.urls import reverse

        from agenda.api.pagination import KeysetPagination, cursor_after
        from agenda.filters import IrritantFilterSet
        from agenda.models import Irritant

        url = reverse("api:irritant-list")
        per_page = KeysetPagination.page_size
        before_last_page = Irritant.objects.order_by("ref").values_list("ref", flat=True)[
            max(total - per_page - 1, 0)
        ]  # an OFFSET, untimed: the cursor a walk to the end would hold
        cursor = cursor_after(IrritantFilterSet({}, queryset=Irritant.objects.all()).qs, [before_last_page])
        return [
            ("api.first_page", url, f"{total:,} items, {per_page} a page", first_ref),
            ("api.filtered", f"{url}?{urlencode(FILTER)}", urlencode(FILTER), None),
            (
                "api.deep_page",
                f"{url}?{urlencode({'cursor': cursor})}",
                "cursor after the last page but one",
                last_ref,
            ),
        ]

    @staticmethod
    def last_page_param(total, per_page):
        """``last`` when the list's paginator reads the end of the list itself (page=last), else the
        last page's number."""
        from django.core.paginator import InvalidPage, Paginator

        from agenda.models import Irritant
        from agenda.views import IrritantListView

        paginator_class = getattr(IrritantListView, "paginator_class", None) or Paginator
        try:
            paginator_class(Irritant.objects.order_by("ref"), per_page).page("last")
        except (InvalidPage, ValueError, TypeError):
            return str(max(1, math.ceil(total / per_page)))
        return "last"

    def richest_item(self):
        """The item with the most status reports (its full history is the detail page's worst case)."""
        from agenda.models import Irritant

        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT irritant_id, COUNT(*) FROM agenda_statusreport GROUP BY irritant_id "
                "ORDER BY COUNT(*) DESC, irritant_id LIMIT 1"
            )
            pk, n_status = cursor.fetchone()
        item = Irritant.objects.get(pk=pk)
        item.n_status, item.n_deadlines = n_status, item.deadlines.count()
        return item

    # -- export and COPY -------------------------------------------------------------------------------
    def export_run(self, url):
        client = self.client

        def run():
            with RssSampler() as sampler:
                t0 = perf_counter()
                response = client.get(url)
                first = first_row = None
                nbytes = lines = 0
                chunks = response.streaming_content if response.streaming else [response.content]
                for chunk in chunks:
                    now = perf_counter()
                    if first is None:
                        first = now - t0
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

    def copy_run(self, sql):
        connection = self.connection

        def run():
            connection.ensure_connection()
            raw = connection.connection
            rows = nbytes = 0
            first = None
            t0 = perf_counter()
            with raw.cursor() as cursor, cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for data in copy:  # one message per row
                    if first is None:
                        first = perf_counter() - t0
                    rows += 1
                    nbytes += len(data)
            return {"elapsed": perf_counter() - t0, "rows": rows, "bytes": nbytes, "first": first}

        return run

    def fallback_select(self, params):
        """The SELECT the export's queryset compiles to, when none was seen (e.g. a COPY the app ran
        itself, which the query log does not see)."""
        from django.http import QueryDict

        from agenda.filters import IrritantFilterSet
        from agenda.models import Irritant

        filterset = IrritantFilterSet(QueryDict(urlencode(params)), queryset=Irritant.objects.all())
        queryset = filterset.qs.for_export(filterset.as_of_date).as_it_stood(filterset.as_of_date)
        sql, sql_params = queryset.query.sql_with_params()
        return self.connection.ops.compose_sql(sql, sql_params)

    def exports(self):
        from django.urls import reverse

        url = reverse("agenda:irritant_export")
        for label, params in (("filtered", FILTER), ("all", {})):
            name = f"export.{label}"
            if not (self.selected(name) or self.selected(f"copy.{label}")):
                continue
            baseline = rss_bytes()
            full_url = f"{url}?{urlencode(params)}" if params else url
            entry, warm, infos = self.measure(name, self.export_run(full_url))
            if not infos:
                continue
            rows = statistics.median(info["rows"] for info in infos)
            nbytes = statistics.median(info["bytes"] for info in infos)
            entry.rows_per_s = rows / entry.median_s
            if baseline is not None:
                entry.peak_rss_mb = (max([warm["peak"], *(i["peak"] for i in infos)]) - baseline) / MB
            entry.notes[:0] = [
                f"{rows:,.0f} rows, {nbytes / MB:.1f} MB, {nbytes / MB / entry.median_s:.1f} MB/s",
                f"first chunk {statistics.median(i['first'] for i in infos) * 1000:.0f} ms",
            ]
            first_row = Entry(f"{name}.first_row")
            first_row.set_times([info["first_row"] for info in infos])
            first_row.notes.append("time to the first data row (the header comes first)")
            self.entries.append(first_row)

            if self.vendor != "postgresql":
                entry.notes.append("no COPY on SQLite: ratio not measured")
                continue
            sql = next((s for q in warm["copies"] if (s := select_of(q)) and self.is_main(s)), None)
            origin = "the SELECT of the export's own COPY"
            if sql is None:
                sql = next(
                    (s for q in warm["queries"] if (s := select_of(q["sql"])) and self.is_main(s)), None
                )
                origin = "the export's main SELECT, as run"
            if sql is None:
                sql, origin = self.fallback_select(params), "the export queryset's SELECT (none was logged)"
            copy_entry, _warm, copy_infos = self.measure(f"copy.{label}", self.copy_run(sql))
            if not copy_infos:
                continue
            copy_rows = statistics.median(info["rows"] for info in copy_infos)
            copy_bytes = statistics.median(info["bytes"] for info in copy_infos)
            copy_entry.rows_per_s = copy_rows / copy_entry.median_s
            copy_entry.notes[:0] = [
                f"COPY ({origin}) TO STDOUT WITH CSV",
                f"{copy_rows:,.0f} rows, {copy_bytes / MB:.1f} MB, {copy_bytes / MB / copy_entry.median_s:.1f} MB/s",
            ]
            entry.ratio_to_copy = entry.rows_per_s / copy_entry.rows_per_s
            self.details.setdefault("copy_sql", {})[label] = sql

    @staticmethod
    def is_main(sql):
        return re.search(r'\bFROM\s+"?agenda_irritant"?(\s|$)', sql) is not None

    # -- import ----------------------------------------------------------------------------------------
    def import_file(self, n):
        """``n`` new status reports for existing items, in the export's columns."""
        import datetime

        from summits.models import Source

        with self.connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM agenda_irritant")
            total = cursor.fetchone()[0]
            step = max(1, total // n)
            cursor.execute(f"SELECT ref, title FROM agenda_irritant WHERE id % {step} = 0 ORDER BY id")
            items = cursor.fetchmany(n)
        urls = list(Source.objects.exclude(url="").order_by("pk").values_list("url", flat=True)[:20])
        statuses = ["ongoing", "completed", "delayed", "on-track"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["ref", "title", "as of", "status", "country", "stated by", "confidence", "note", "sources"]
        )
        base = datetime.date(2009, 6, 30)
        for j in range(n):
            ref, title = items[j % len(items)]
            writer.writerow(
                [
                    ref,
                    title,
                    (base + datetime.timedelta(days=j // len(items))).isoformat(),
                    statuses[j % len(statuses)],
                    "all",
                    "bench-status-update-2009-03" if j % 2 else "",
                    "verbatim",
                    "Restated in the March 2009 status update.",
                    urls[j % len(urls)] if j % 3 else "",
                ]
            )
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def imports(self):
        from django.core.management import call_command
        from django.db import transaction

        from agenda import imports

        n = self.args.import_rows or min(50_000, max(1_000, self.scale // 20))
        data = self.import_file(n)
        user = self.user

        def importer(dry_run):
            def run():
                with transaction.atomic():  # rolled back: every run starts from the same data
                    t0 = perf_counter()
                    result = imports.Importer(imports.STATUS_REPORTS, user=user).run(data, dry_run=dry_run)
                    elapsed = perf_counter() - t0
                    transaction.set_rollback(True)
                if not result.ok:
                    raise BenchError(f"import refused the file: {result.errors[:3]}")
                created = result.counts()[imports.CREATE]
                if created != n:
                    raise BenchError(f"expected {n} rows to create, the import says {result.summary()}")
                return {"elapsed": elapsed}

            return run

        path = Path(tempfile.mkstemp(prefix="spp-bench-import-", suffix=".csv")[1])
        path.write_bytes(data)

        def command():
            t0 = perf_counter()
            call_command(
                "import_csv", str(path), kind=imports.STATUS_REPORTS, dry_run=True, quiet_rows=True,
                stdout=io.StringIO(), stderr=io.StringIO(),
            )  # fmt: skip
            return {"elapsed": perf_counter() - t0}

        try:
            for name, fn, note in (
                ("import.dry_run", importer(True), "Importer.run(dry_run=True)"),
                ("import.real", importer(False), "Importer.run(dry_run=False), rolled back after each run"),
                ("import.command_dry_run", command, "manage.py import_csv --dry-run --quiet-rows"),
            ):
                if self.selected(name):
                    entry, _warm, infos = self.measure(name, fn)
                    if infos:
                        entry.rows_per_s = n / entry.median_s
                    entry.notes.insert(0, f"{note}; {n:,} new status reports ({len(data) / MB:.1f} MB)")
        finally:
            path.unlink(missing_ok=True)
            self.vacuum_after_import()

    def vacuum_after_import(self):
        """PostgreSQL: the rolled-back real imports leave dead rows and GIN pending-list entries in the
        tables they wrote (the set-based refresh updates indexed columns of every touched item). Until
        autovacuum passes, plans change (the trigram search walks the ref index: 0.3 s -> 2 s at 1m),
        so the bench vacuums them for whatever is measured next, in this run or a --reuse one."""
        if self.vendor != "postgresql" or not self.selected("import.real"):
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
        with self.connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) " + ", ".join(f'"{t}"' for t in tables))
        print(f"  VACUUM ANALYZE after the rolled-back imports: {perf_counter() - t0:.1f} s")

    # -- seed ------------------------------------------------------------------------------------------
    def seed(self):
        """``load_seed`` on a fresh, migrated, empty database, in a separate process (migrate untimed)."""
        settings = self.connection.settings_dict
        env = dict(os.environ)
        tmp = None
        if self.vendor == "postgresql":
            base = settings["NAME"]
            url = os.environ["DATABASE_URL"]
            parts = urlsplit(url)
            env["DATABASE_URL"] = parts._replace(path=f"/{base}_seedbench").geturl()
            env["BENCH_SEED_TEMPLATE"] = f"{base}_seedtpl"
        else:
            tmp = tempfile.mkdtemp(prefix="spp-bench-seed-")
            env["DATABASE_URL"] = f"sqlite:///{tmp}/seed.sqlite3"
            env["BENCH_SEED_TEMPLATE"] = f"{tmp}/template.sqlite3"
        print("  seed.load ...", end="", flush=True)
        entry = Entry("seed.load")
        try:
            proc = subprocess.run(
                [sys.executable, str(BENCH_DIR / "run.py"), "--seed-worker", "--runs", str(self.args.runs)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                raise BenchError(f"seed worker failed: {proc.stderr.strip()[-2000:]}")
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            entry.set_times(result["times"])
            entry.queries = result["queries"]
            entry.rows_per_s = result["rows"] / entry.median_s
            entry.notes += [
                f"manage.py load_seed into an empty migrated database ({result['rows']} rows)",
                f"{self.args.runs} runs after 1 warm-up",
            ]
            print(f" {entry.median_s * 1000:.1f} ms")
        except Exception as exc:
            print(" ERROR")
            traceback.print_exc()
            entry.notes.append(f"error: {type(exc).__name__}: {str(exc)[:300]}")
        finally:
            if tmp:
                shutil.rmtree(tmp, ignore_errors=True)
        self.entries.append(entry)

    # -- targets, EXPLAIN, output ------------------------------------------------------------------------
    def judge(self):
        for entry in self.entries:
            self.judge_entry(entry)

    @staticmethod
    def judge_entry(entry):
        name, met = entry.name, None
        if entry.median_s is None:
            if name != "generate":
                entry.target = entry.target or "-"
            return
        if name.startswith(("list.", "api.", "detail", "dashboard")) or name == "admin.change":
            entry.target, met = "median <= 75 ms", entry.median_s <= PAGE_TARGET
        elif name.startswith("admin.changelist"):
            entry.target, met = "median <= 150 ms", entry.median_s <= ADMIN_LIST_TARGET
        elif name.startswith("export.") and name.endswith(".first_row"):
            entry.target, met = "first row <= 1 s", entry.median_s <= FIRST_ROW_TARGET
        elif name.startswith("export."):
            entry.target = f">= {COPY_RATIO_TARGET}x COPY, peak RSS growth <= {FLAT_MEMORY_MB} MB"
            flat = entry.peak_rss_mb is None or entry.peak_rss_mb <= FLAT_MEMORY_MB
            fast = entry.ratio_to_copy is None or entry.ratio_to_copy >= COPY_RATIO_TARGET
            met = flat and fast
        elif name.startswith("import."):
            entry.target, met = f">= {IMPORT_TARGET:,} rows/s", (entry.rows_per_s or 0) >= IMPORT_TARGET
        elif name == "seed.load":
            entry.target, met = "median < 2 s", entry.median_s < SEED_TARGET
        entry.met = met

    def explain(self):
        """EXPLAIN ANALYZE the slowest query of each measurement that missed its target and was not
        explained right after it was measured (the exports' ratio is known only at the end)."""
        if self.vendor != "postgresql":
            print("--explain: PostgreSQL only")
            return
        for entry in self.entries:
            if entry.name not in self.details["explain"]:
                self.explain_entry(entry)
        if self.plans:
            DETAILS_DIR.mkdir(exist_ok=True)
            path = DETAILS_DIR / f"explain-{self.vendor}-{self.scale}.txt"
            path.write_text("\n".join(self.plans), encoding="utf-8")
            print(f"EXPLAIN ANALYZE plans: {path.relative_to(ROOT)}")

    def explain_entry(self, entry):
        """EXPLAIN (ANALYZE, BUFFERS) the entry's slowest query if it missed its target; the nodes that
        spend the most time go into its notes."""
        name = entry.name.removesuffix(".first_row")
        slow = self.details["slow_queries"].get(name)
        copied = self.details.get("copy_sql", {}).get(name.removeprefix("export."))
        if self.vendor != "postgresql" or entry.met is not False or not (slow or copied):
            return
        # An export's work is its COPY (not in the query log) when it ran one.
        sql = copied if name.startswith("export.") and copied else select_of(slow[0]["sql"])
        if not sql:
            return
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                text = "\n".join(row[0] for row in cursor.fetchall())
        except Exception as exc:
            entry.notes.append(f"EXPLAIN failed: {exc}"[:200])
            return
        nodes = dominant_nodes(plan[0]["Plan"])
        total = plan[0]["Execution Time"]
        summary = f"slowest query {total:.0f} ms; most time in: " + "; ".join(
            f"{label} ({own:.0f} ms self)" for label, own in nodes
        )
        spent, count = subplan_time(plan[0]["Plan"])
        if spent > 0.1 * total:
            summary += f"; {count} correlated SubPlans take {spent:.0f} ms in all"
        entry.notes.append(summary)
        self.details["explain"][entry.name] = {"summary": summary, "sql": sql, "plan": text, "json": plan}
        self.plans.append(f"=== {entry.name}: {summary}\n{sql}\n\n{text}\n")

    def report(self):
        runs = f"{self.args.runs} runs after 1 warm-up, {self.args.slow_runs} after a warm-up over {self.args.slow_seconds:.0f} s"
        print()
        print(f"SPP Tracker benchmark: {self.vendor}, {self.scale:,} irritants ({runs}; code {self.code})")
        header = ("name", "median ms", "min-max ms", "queries", "rows/s", "ratio", "peak MB", "target", "met")
        rows = [header]
        for e in self.entries:
            rows.append(
                (
                    e.name,
                    fmt(e.median_s, 1000, 1),
                    f"{fmt(e.min_s, 1000, 1)}-{fmt(e.max_s, 1000, 1)}" if e.min_s is not None else "-",
                    fmt(e.queries),
                    fmt(e.rows_per_s, 1, 0, thousands=True),
                    f"{e.ratio_to_copy:.2f}x" if e.ratio_to_copy is not None else "-",
                    fmt(e.peak_rss_mb, 1, 1),
                    e.target or "-",
                    {True: "yes", False: "MISSED", None: "-"}[e.met],
                )
            )
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(header))]
        for n, row in enumerate(rows):
            cells = [
                str(c).ljust(w) if i in (0, 7, 8) else str(c).rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ]
            print("  ".join(cells).rstrip())
            if n == 0:
                print("  ".join("-" * w for w in widths))
        print()
        for e in self.entries:
            if e.notes:
                print(f"{e.name}: " + "; ".join(e.notes))

    def as_json(self):
        database = self.vendor
        out = []
        for e in self.entries:
            notes = [*e.notes, f"code {self.code}"]
            if e.met is not None:
                notes.insert(0, "target met" if e.met else "target missed")
            out.append(
                {
                    "name": e.name,
                    "scale": self.scale,
                    "database": database,
                    "median_s": rnd(e.median_s, 6),
                    "min_s": rnd(e.min_s, 6),
                    "max_s": rnd(e.max_s, 6),
                    "queries": e.queries,
                    "rows_per_s": rnd(e.rows_per_s, 0),
                    "ratio_to_copy": rnd(e.ratio_to_copy, 3),
                    "peak_rss_mb": rnd(e.peak_rss_mb, 1),
                    "target": e.target,
                    "notes": "; ".join(notes),
                }
            )
        return out

    def save(self):
        new = self.as_json()
        try:
            existing = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            existing = []
        keys = {(e["name"], e["scale"], e["database"]) for e in new}
        merged = [e for e in existing if (e.get("name"), e.get("scale"), e.get("database")) not in keys] + new
        order = {name: n for n, name in enumerate(e["name"] for e in new)}
        merged.sort(key=lambda e: (e["database"], e["scale"], order.get(e["name"], 999), e["name"]))
        RESULTS_JSON.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        DETAILS_DIR.mkdir(exist_ok=True)
        details = DETAILS_DIR / f"details-{self.vendor}-{self.scale}.json"
        details.write_text(
            json.dumps({**self.details, "generation": self.generation}, indent=1, default=str),
            encoding="utf-8",
        )
        print(f"\nresults: {RESULTS_JSON.relative_to(ROOT)} (slow queries: {details.relative_to(ROOT)})")

    # -- the whole run ----------------------------------------------------------------------------------
    def run(self):
        self.details["load_average_at_start"] = os.getloadavg()
        data_needed = any(self.wanted(g) for g in GROUPS if g not in ("seed", "generate")) or (
            self.selected("generate")
        )
        if data_needed:
            self.prepare()
            self.login()
            print(f"measuring ({self.args.runs} runs after 1 warm-up each):")
            self.pages()
            if self.wanted("export") or self.wanted("copy"):
                self.exports()
            if self.wanted("import"):
                self.imports()
        if self.selected("seed.load"):
            self.seed()
        self.details["load_average_at_end"] = os.getloadavg()
        print(
            "load average (1, 5, 15 min): at start {:.1f} {:.1f} {:.1f}, at end {:.1f} {:.1f} {:.1f} on {} cores".format(
                *self.details["load_average_at_start"], *self.details["load_average_at_end"], os.cpu_count()
            )
        )
        self.judge()
        if self.args.explain:
            self.explain()
        self.report()
        if not self.args.no_save:
            self.save()
        if data_needed:
            self.cleanup()


def dominant_nodes(plan, top=3):
    """The plan nodes that spend the most time themselves: [(description, self ms)], largest first.

    A node's self time is its total (times its loops) minus its children's; a CTE's plan is charged
    to itself, not to the CTE Scan that pulls from it (nor to the node it hangs under)."""

    def total(node):
        # A parallel-aware node reports its workers' average time per loop: that is its wall time.
        loops = 1 if node.get("Parallel Aware") else (node.get("Actual Loops", 1) or 1)
        return node.get("Actual Total Time", 0) * loops

    def is_cte(node):
        return node.get("Subplan Name", "").startswith("CTE ")

    ctes = {}

    def collect(node):
        for child in node.get("Plans", []):
            if is_cte(child):
                ctes[child["Subplan Name"][4:]] = total(child)
            collect(child)

    collect(plan)
    found = []

    def visit(node):
        children = node.get("Plans", [])
        own = total(node) - sum(total(c) for c in children if not is_cte(c))
        if node["Node Type"] == "CTE Scan":
            own -= ctes.get(node.get("CTE Name"), 0)
        label = node["Node Type"]
        for key in ("Relation Name", "CTE Name", "Index Name"):
            if node.get(key):
                label += f" {'using' if key == 'Index Name' else 'on'} {node[key]}"
        if node.get("Subplan Name"):
            label += f" [{node['Subplan Name']}]"
        loops = node.get("Actual Loops", 1) or 1
        label += f", {node.get('Actual Rows', 0) * loops:,.0f} rows" + (
            f" in {loops:,} loops" if loops > 1 else ""
        )
        if node.get("Sort Method"):
            label += f", {node['Sort Method']}"
        found.append((label, max(own, 0)))
        for child in children:
            visit(child)

    visit(plan)
    return sorted(found, key=lambda item: -item[1])[:top]


def subplan_time(plan):
    """(total ms, number of) correlated SubPlans: per-row subqueries, a common cost at scale."""
    spent, count = 0.0, 0

    def visit(node):
        nonlocal spent, count
        for child in node.get("Plans", []):
            if child.get("Parent Relationship") == "SubPlan":
                spent += child.get("Actual Total Time", 0) * (child.get("Actual Loops", 1) or 1)
                count += 1
            else:
                visit(child)

    visit(plan)
    return spent, count


def fmt(value, factor=1, digits=0, thousands=False):
    if value is None:
        return "-"
    value = value * factor
    return f"{value:,.{digits}f}" if thousands or digits == 0 else f"{value:.{digits}f}"


def rnd(value, digits):
    if value is None:
        return None
    return int(round(value)) if digits == 0 else round(value, digits)


# --- the seed worker (a separate process on a fresh database) ---------------------------------------------
def seed_worker(args):
    configure()
    from django.core.management import call_command
    from django.db import connection

    from agenda.seed import FIXTURE_FILES

    settings = connection.settings_dict
    template = os.environ["BENCH_SEED_TEMPLATE"]
    if connection.vendor == "postgresql":
        import psycopg

        admin = psycopg.connect(
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        )

        def recreate(source=None):
            connection.close()
            admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')
            admin.execute(
                f'CREATE DATABASE "{settings["NAME"]}"' + (f' TEMPLATE "{source}"' if source else "")
            )

        def snapshot():
            connection.close()
            admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{settings["NAME"]}"')

        def drop_all():
            connection.close()
            for name in (settings["NAME"], template):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = Path(settings["NAME"])

        def recreate(source=None):
            connection.close()
            path.unlink(missing_ok=True)
            if source:
                shutil.copyfile(source, path)

        def snapshot():
            connection.close()
            shutil.copyfile(path, template)

        def drop_all():
            connection.close()

    recreate()
    try:
        call_command("migrate", interactive=False, verbosity=0)
        snapshot()
        times, queries = [], None
        for n in range(args.runs + 1):
            if n:
                recreate(template)
            connection.ensure_connection()
            gc.collect()
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                t0 = perf_counter()
                call_command("load_seed", stdout=io.StringIO())
                elapsed = perf_counter() - t0
            if n == 0:
                queries = counter.count
            else:
                times.append(elapsed)
        rows = 0
        for name in FIXTURE_FILES:
            with open(ROOT / "fixtures" / name, encoding="utf-8") as handle:
                rows += len(json.load(handle))
    finally:
        drop_all()
    print(json.dumps({"times": times, "queries": queries, "rows": rows}))


def code_version():
    """The app's commit, marked when app files have uncommitted changes (the figures depend on them)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "agenda", "summits", "spp_tracker", "fixtures"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+local changes" if dirty else "")


def main(argv=None):
    args = parse_args(argv)
    if args.seed_worker:
        seed_worker(args)
        return
    configure()
    if args.clean:
        from bench import generate

        if generate.meta_exists():
            generate.clear()
            print("bench data removed")
        else:
            print("no bench data here (no bench_meta table): nothing removed")
        return
    bench = Bench(args)
    started = time.perf_counter()
    print(
        f"SPP Tracker benchmark: {bench.vendor} ({bench.connection.settings_dict['NAME']}), scale {args.scale:,}"
    )
    bench.run()
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
