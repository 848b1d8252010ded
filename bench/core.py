"""What every measurement shares: the settings, the instruments (query counter, RSS sampler, COPY
recorder), the result record (``Entry``) with its target, and ``Bench``: the selection (``--only``)
and the timing helper (``measure``, ``time_page``) that the modules in ``bench/paths/`` call."""

import contextlib
import gc
import os
import re
import statistics
import subprocess
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
RESULTS_JSON = BENCH_DIR / "results.json"
DETAILS_DIR = BENCH_DIR / "results"  # per-run details (slow queries, plans, load logs); not committed
PLANS_DIR = (
    BENCH_DIR / "plans"
)  # --explain: the plans of the missed targets, committed (the README cites them)
DEFAULT_SQLITE = BENCH_DIR / "bench.sqlite3"
MB = 1024 * 1024

# The filtered list and export: one working group, one country, one category, ordered by target.
FILTER = {"working_group": "energy", "country": "MX", "category": "early-harvest", "ordering": "target"}
AS_OF = "2006-06-30"
SEARCH = "pipeline"


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


def machine_text(connection):
    """The machine and database a run measured on, for the results and the README."""
    import platform

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip() + ", "
                break
    except OSError:
        pass
    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        database = f"PostgreSQL {version // 10000}.{version % 10000}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return f"{os.cpu_count()} cores ({model}{platform.system()}), {database}"


# --- instruments -------------------------------------------------------------------------------------
class BenchError(RuntimeError):
    """A measured path answered wrongly (an error page, a refused file): no figure, an error note."""


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


# --- results -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """What a measurement should reach: ``text`` for the table, ``check(entry)`` True when met (None:
    not judged, e.g. no ratio on SQLite)."""

    text: str
    check: object


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
    # Load entries only (bench/paths/load.py): 95th percentile, requests and failed requests.
    p95_s: float | None = None
    requests: int | None = None
    errors: int | None = None

    def set_times(self, times):
        self.median_s, self.min_s, self.max_s = statistics.median(times), min(times), max(times)

    def judge(self):
        """Set ``target`` and ``met`` from the entry's goal (a failed measurement meets nothing)."""
        if self.median_s is None:
            if self.name != "generate":
                self.target = self.target or "-"
            return
        from bench.targets import goal_for

        goal = goal_for(self.name)
        if goal is not None:
            self.target = goal.text
            self.met = goal.check(self)


# --- the benchmark's state and timing helper ---------------------------------------------------------
class Bench:
    """One run: the options, the database, the entries measured so far and the timing helper."""

    def __init__(self, args):
        from django.db import connection

        self.args = args
        self.scale = args.scale
        self.connection = connection
        self.vendor = connection.vendor
        self.entries = []
        self.details = {"slow_queries": {}, "explain": {}}
        self.plans = {}  # measurement name -> its --explain section
        self.generation = None
        self.code = code_version()
        self.machine = machine_text(connection)
        self.client = self.user = None
        self._item = None

    # -- selection ------------------------------------------------------------------------------------
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

    # -- timing -----------------------------------------------------------------------------------------
    def measure(self, name, fn, *, runs=None, before=None):
        """One warm-up run (counting queries and keeping the slowest ones), then ``runs`` timed runs.
        ``fn`` returns a dict with at least ``elapsed`` (seconds); ``before`` runs ahead of every run,
        outside the counts (clearing caches, a write). Returns (entry, warm-up info, infos); the infos
        are None when the path failed (the entry then holds the error, and the run goes on)."""
        entry = Entry(name)
        self.entries.append(entry)
        print(f"  {name} ...", end="", flush=True)
        try:
            warm = self._warm_up(fn, before)
            infos = [self._timed(fn, before) for _ in range(self._runs(entry, warm, runs))]
        except Exception as exc:  # a broken path is reported, and the other measurements go on
            self.failed(entry, exc)
            return entry, None, None
        entry.set_times([info["elapsed"] for info in infos])
        self._record(entry, warm, len(infos))
        print(f" {entry.median_s * 1000:.1f} ms")
        if self.args.explain and not entry.name.startswith(("export.", "copy.")):
            from bench import explain

            entry.judge()
            explain.explain_entry(self, entry)  # explained now, while its data is as warm as when timed
        return entry, warm, infos

    def failed(self, entry, exc):
        print(" ERROR")
        traceback.print_exc()
        entry.notes.append(f"error: {type(exc).__name__}: {str(exc)[:300]}")

    def _warm_up(self, fn, before):
        from django.test.utils import CaptureQueriesContext

        if before:
            before()
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
        return {**warm, "queries": list(captured.captured_queries), "copies": copies, "count": counter.count}

    @staticmethod
    def _timed(fn, before):
        if before:
            before()
        gc.collect()
        return fn()

    def _runs(self, entry, warm, runs):
        runs = runs or self.args.runs
        if warm["elapsed"] > self.args.slow_seconds and runs > self.args.slow_runs:
            runs = self.args.slow_runs
            entry.notes.append(f"warm-up took {warm['elapsed']:.0f} s: runs reduced to {runs}")
        return runs

    def _record(self, entry, warm, runs):
        queries, copies = warm["queries"], warm["copies"]
        entry.queries = warm["count"] + len(copies)
        if copies:
            entry.notes.append(f"queries include {len(copies)} COPY")
        entry.notes.append(f"{runs} runs after 1 warm-up")
        sql_ms = sum(float(q.get("time") or 0) for q in queries) * 1000
        entry.notes.append(f"SQL {sql_ms:.0f} ms of {warm['elapsed'] * 1000:.0f} ms in the warm-up")
        slowest = sorted(queries, key=lambda q: -float(q.get("time") or 0))[:3]
        self.details["slow_queries"][entry.name] = [
            {"seconds": float(q["time"]), "sql": q["sql"]} for q in slowest
        ]

    # -- pages ----------------------------------------------------------------------------------------
    def clear_caches(self):
        from django.core.cache import caches

        for cache in caches.all():
            cache.clear()

    def get_page(self, url, *, expect=None):
        """A run that GETs ``url`` with the logged-in client and reads the whole body. ``expect``: text
        the page must contain (a page that answers 200 with an error is no result)."""
        from bench.forms import body_of

        client = self.client

        def run():
            t0 = perf_counter()
            response = client.get(url)
            body = body_of(response)
            elapsed = perf_counter() - t0
            if response.status_code != 200:
                raise BenchError(f"GET {url} answered {response.status_code}: {body[:200]!r}")
            if expect and expect.encode() not in body:
                raise BenchError(f"GET {url}: the page does not show {expect!r}")
            return {"elapsed": elapsed, "bytes": len(body)}

        return run

    def time_page(self, name, url, *, note, expect=None, cold=True, before=None):
        """Time one page, if ``name`` is selected. ``cold``: Django's caches are cleared before every
        run (untimed), so a page that caches its numbers is timed computing them; ``before`` replaces
        that with another untimed step (e.g. a write)."""
        if not self.selected(name):
            return None
        if before is None and cold:
            before = self.clear_caches
        entry, warm, _infos = self.measure(name, self.get_page(url, expect=expect), before=before)
        entry.notes.insert(0, note)
        if warm:
            entry.notes.append(f"{warm['bytes'] / 1024:.0f} KB of HTML")
        return entry

    @property
    def item(self):
        """The item with the most status reports (its full history is the detail page's worst case)."""
        if self._item is None:
            from agenda.models import Irritant

            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT irritant_id, COUNT(*) FROM agenda_statusreport GROUP BY irritant_id "
                    "ORDER BY COUNT(*) DESC, irritant_id LIMIT 1"
                )
                pk, n_status = cursor.fetchone()
            item = Irritant.objects.get(pk=pk)
            item.n_status, item.n_deadlines = n_status, item.deadlines.count()
            self._item = item
        return self._item
