#!/usr/bin/env python
"""SPP Tracker benchmark: generate synthetic data at a scale, then time the analyst pages, the admin,
the CSV export (against PostgreSQL's COPY of the same SELECT, of the leanest equivalent query and of
the bare table), the CSV import, many analysts at once (locust against gunicorn) and the seed load.

    python bench/run.py --scale 10k|100k|1m|<number> [--runs 5] [--only list,detail,...]
                        [--keep-data] [--reuse] [--reset] [--explain] [--load-seconds 60]

The database is DATABASE_URL (default: a separate SQLite file, bench/bench.sqlite3). It must be a
scratch database: the bench refuses a database that holds irritants it did not generate. See
bench/README.md for what each measurement does and how to read the results. This module is the
command line; the measurements are in bench/paths/, what they share in bench/core.py.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script (make bench): import the bench package from the root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.core import Bench, configure  # noqa: E402
from bench.paths import GROUPS, PATHS  # noqa: E402


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
    add = parser.add_argument
    add("--scale", type=parse_scale, default="10k", help="irritants: 10k, 100k, 1m or a number")
    add("--runs", type=int, default=5, help="timed runs per measurement, after one warm-up")
    add(
        "--slow-seconds",
        type=float,
        default=30,
        help="a measurement whose warm-up takes longer gets --slow-runs timed runs (noted in the results)",
    )
    add("--slow-runs", type=int, default=3, help="timed runs of a slow measurement")
    add("--only", default="", help=f"comma-separated groups or names: {','.join(GROUPS)}")
    add("--import-rows", type=int, default=None, help="status-report rows in the import file")
    add("--load-seconds", type=float, default=60, help="duration of the load test (locust against gunicorn)")
    add("--load-analysts", type=int, default=50, help="concurrent logged-in analysts in the load test")
    add("--keep-data", action="store_true", help="keep the generated data (for --reuse)")
    add("--reuse", action="store_true", help="reuse data generated earlier at the same scale")
    add("--reset", action="store_true", help="wipe data generated earlier by the bench first")
    add(
        "--explain",
        action="store_true",
        help="PostgreSQL: EXPLAIN ANALYZE the slowest query of each missed target",
    )
    add("--clean", action="store_true", help="remove data the bench generated, then stop")
    add("--no-save", action="store_true", help="do not write bench/results.json")
    add("--seed-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if isinstance(args.scale, str):
        args.scale = parse_scale(args.scale)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.load_seconds <= 0 or args.load_analysts < 1:
        parser.error("--load-seconds and --load-analysts must be positive")
    args.only = [item.strip() for item in args.only.split(",") if item.strip()]
    return args


def chosen_paths(bench):
    return [path for path in PATHS if any(bench.wanted(group) for group in path.GROUPS)]


def run(bench):
    from bench import data, explain, report

    bench.details["load_average_at_start"] = os.getloadavg()
    paths = chosen_paths(bench)
    data_needed = any(path.DATA for path in paths) or bench.selected("generate")
    if data_needed:
        data.prepare(bench)
        data.login(bench)
        print(f"measuring ({bench.args.runs} runs after 1 warm-up each):")
    for path in paths:
        path.run(bench)
    bench.details["load_average_at_end"] = os.getloadavg()
    print(
        "load average (1, 5, 15 min): at start {:.1f} {:.1f} {:.1f}, at end {:.1f} {:.1f} {:.1f} on {} cores".format(
            *bench.details["load_average_at_start"], *bench.details["load_average_at_end"], os.cpu_count()
        )
    )
    for entry in bench.entries:
        entry.judge()
    if bench.args.explain:
        explain.explain_missed(bench)
    report.print_table(bench)
    if not bench.args.no_save:
        report.save(bench)
    if data_needed:
        data.cleanup(bench)


def main(argv=None):
    args = parse_args(argv)
    if args.seed_worker:
        from bench.paths import seed

        seed.worker(args)
        return
    configure()
    if args.clean:
        from bench import data

        data.clean()
        return
    bench = Bench(args)
    started = time.perf_counter()
    print(
        f"SPP Tracker benchmark: {bench.vendor} ({bench.connection.settings_dict['NAME']}), scale {args.scale:,}"
    )
    from bench.generate import DerivedMismatch

    try:
        run(bench)
    except DerivedMismatch as exc:  # the data would not be what the app holds: no figures from it
        raise SystemExit(f"bench: generation stopped, nothing was written: {exc}") from None
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
