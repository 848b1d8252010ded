"""The targets (issue 11; PostgreSQL at 1m irritants), one ``Target`` each. The table marks every
entry against them at every scale and database. A new measurement names the target it answers to."""

from bench.core import Target

PAGE_SECONDS = 0.075  # every list, detail, API and admin page
DASHBOARD_SECONDS = 0.100  # progress, overdue and upcoming on any as_of day, caches cleared
COMPARE_SECONDS = 1.0  # any two-report comparison, caches cleared
COPY_RATIO = 0.8
EXPORT_ROWS_PER_S = 80_000  # the whole export (PostgreSQL COPY path)
PYTHON_EXPORT_ROWS_PER_S = 20_000  # the Python path (SQLite, admin actions)
FIRST_ROW_SECONDS = 1.0
FLAT_MEMORY_MB = 64
IMPORT_ROWS_PER_S = 10_000
SEED_SECONDS = 2.0
LOAD_REQUESTS_PER_S = 100
LOAD_P95_SECONDS = 0.5

PAGE = Target("median <= 75 ms", lambda e: e.median_s <= PAGE_SECONDS)
DASHBOARD = Target("median <= 100 ms", lambda e: e.median_s <= DASHBOARD_SECONDS)
COMPARE = Target("median <= 1 s", lambda e: e.median_s <= COMPARE_SECONDS)
FIRST_ROW = Target("first row <= 1 s", lambda e: e.median_s <= FIRST_ROW_SECONDS)
IMPORT = Target(f">= {IMPORT_ROWS_PER_S:,} rows/s", lambda e: (e.rows_per_s or 0) >= IMPORT_ROWS_PER_S)
SEED = Target("median < 2 s", lambda e: e.median_s < SEED_SECONDS)


def _export_met(entry):
    """Flat memory, and (where a COPY was measured) at least 0.8x the rows/s of the leanest query."""
    flat = entry.peak_rss_mb is None or entry.peak_rss_mb <= FLAT_MEMORY_MB
    fast = entry.ratio_to_copy is None or entry.ratio_to_copy >= COPY_RATIO
    return flat and fast


EXPORT = Target(
    f">= {COPY_RATIO}x COPY of the leanest query, peak RSS growth <= {FLAT_MEMORY_MB} MB", _export_met
)


def _export_all_met(entry):
    """The whole record, on top of ``_export_met``: an absolute rate, the COPY path's where a COPY was
    measured (PostgreSQL), the Python path's elsewhere."""
    floor = PYTHON_EXPORT_ROWS_PER_S if entry.ratio_to_copy is None else EXPORT_ROWS_PER_S
    return _export_met(entry) and (entry.rows_per_s or 0) >= floor


EXPORT_ALL = Target(
    f"{EXPORT.text}, >= {EXPORT_ROWS_PER_S:,} rows/s (Python path: >= {PYTHON_EXPORT_ROWS_PER_S:,})",
    _export_all_met,
)


def _load_met(entry):
    return (
        entry.errors == 0
        and (entry.rows_per_s or 0) >= LOAD_REQUESTS_PER_S
        and entry.p95_s is not None
        and entry.p95_s <= LOAD_P95_SECONDS
    )


LOAD = Target(f"0 errors, >= {LOAD_REQUESTS_PER_S} req/s, p95 <= 500 ms", _load_met)
NO_ERRORS = Target("0 errors", lambda e: e.errors == 0)


# Which target each measurement answers to: the first prefix that the name starts with. The entries
# (bench/core.py: Entry.judge) and the README's table (bench/readme.py) both read it.
GOALS = (
    ("dashboard.compare", COMPARE),
    ("dashboard.cached", PAGE),
    ("dashboard", DASHBOARD),
    ("list.", PAGE),
    ("api.", PAGE),
    ("detail", PAGE),
    ("admin.", PAGE),
    ("export.all.first_row", FIRST_ROW),
    ("export.filtered.first_row", FIRST_ROW),
    ("export.all", EXPORT_ALL),
    ("export.filtered", EXPORT),
    ("import.", IMPORT),
    ("seed.load", SEED),
    ("load.analysts", LOAD),
    ("load.staff_save", NO_ERRORS),
)


def goal_for(name):
    """The target of the measurement ``name`` (None: a reference figure, not judged)."""
    return next((goal for prefix, goal in GOALS if name == prefix or name.startswith(prefix)), None)
