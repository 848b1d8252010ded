"""The targets (issue 11; PostgreSQL at 1m irritants), one ``Target`` each. The table marks every
entry against them at every scale and database. A new measurement names the target it answers to."""

from bench.core import Target

PAGE_SECONDS = 0.075
ADMIN_LIST_SECONDS = 0.150
COPY_RATIO = 0.8
FIRST_ROW_SECONDS = 1.0
FLAT_MEMORY_MB = 64
IMPORT_ROWS_PER_S = 10_000
SEED_SECONDS = 2.0
LOAD_REQUESTS_PER_S = 100
LOAD_P95_SECONDS = 0.5

PAGE = Target("median <= 75 ms", lambda e: e.median_s <= PAGE_SECONDS)
ADMIN_LIST = Target("median <= 150 ms", lambda e: e.median_s <= ADMIN_LIST_SECONDS)
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


def _load_met(entry):
    return (
        entry.errors == 0
        and (entry.rows_per_s or 0) >= LOAD_REQUESTS_PER_S
        and entry.p95_s is not None
        and entry.p95_s <= LOAD_P95_SECONDS
    )


LOAD = Target(f"0 errors, >= {LOAD_REQUESTS_PER_S} req/s, p95 <= 500 ms", _load_met)
NO_ERRORS = Target("0 errors", lambda e: e.errors == 0)
