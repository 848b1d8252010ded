"""The printed table and ``bench/results.json`` (a list of objects, one per name, scale and database;
a run replaces its own and keeps the others: the README's table is generated from it)."""

import datetime
import json

from bench.core import DETAILS_DIR, RESULTS_JSON, ROOT

HEADER = ("name", "median ms", "min-max ms", "queries", "rows/s", "ratio", "peak MB", "target", "met")
LEFT_ALIGNED = (0, 7, 8)
# Load entries only: their 95th percentile, request and error counts (rows_per_s is requests per second).
LOAD_KEYS = ("p95_s", "requests", "errors")


def fmt(value, factor=1, digits=0, thousands=False):
    if value is None:
        return "-"
    value = value * factor
    return f"{value:,.{digits}f}" if thousands or digits == 0 else f"{value:.{digits}f}"


def rnd(value, digits):
    if value is None:
        return None
    return int(round(value)) if digits == 0 else round(value, digits)


def row(e):
    return (
        e.name,
        fmt(e.median_s, 1000, 1),
        f"{fmt(e.min_s, 1000, 1)}-{fmt(e.max_s, 1000, 1)}" if e.min_s is not None else "-",
        fmt(e.queries),
        fmt(e.rows_per_s, 1, 1 if e.requests is not None else 0, thousands=True),  # load: req/s
        f"{e.ratio_to_copy:.2f}x" if e.ratio_to_copy is not None else "-",
        fmt(e.peak_rss_mb, 1, 1),
        e.target or "-",
        {True: "yes", False: "MISSED", None: "-"}[e.met],
    )


def print_table(bench):
    args = bench.args
    runs = (
        f"{args.runs} runs after 1 warm-up, {args.slow_runs} after a warm-up over {args.slow_seconds:.0f} s"
    )
    print()
    print(f"SPP Tracker benchmark: {bench.vendor}, {bench.scale:,} irritants ({runs}; code {bench.code})")
    rows = [HEADER, *(row(e) for e in bench.entries)]
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(HEADER))]
    for n, cells in enumerate(rows):
        aligned = [
            str(c).ljust(w) if i in LEFT_ALIGNED else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        print("  ".join(aligned).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for e in bench.entries:
        if e.notes:
            print(f"{e.name}: " + "; ".join(e.notes))


def as_json(bench):
    out = []
    for e in bench.entries:
        notes = [*e.notes, f"code {bench.code}"]
        if e.met is not None:
            notes.insert(0, "target met" if e.met else "target missed")
        record = {
            "name": e.name,
            "scale": bench.scale,
            "database": bench.vendor,
            "median_s": rnd(e.median_s, 6),
            "min_s": rnd(e.min_s, 6),
            "max_s": rnd(e.max_s, 6),
            "queries": e.queries,
            "rows_per_s": rnd(e.rows_per_s, 1 if e.requests is not None else 0),
            "ratio_to_copy": rnd(e.ratio_to_copy, 3),
            "peak_rss_mb": rnd(e.peak_rss_mb, 1),
            "target": e.target,
            "met": e.met,
            "notes": "; ".join(notes),
            "measured_on": datetime.date.today().isoformat(),
            "machine": bench.machine,
            "load_average": [round(x, 1) for x in bench.details.get("load_average_at_start", ())],
        }
        record.update({key: getattr(e, key) for key in LOAD_KEYS if getattr(e, key) is not None})
        out.append(record)
    return out


def name_order(existing, new):
    """{name: rank}: the names in the order the file has them, each new name placed after the one
    the run measured before it (a run of a few names does not reorder the others)."""
    names = list(dict.fromkeys(e.get("name") for e in existing))
    previous = None
    for name in dict.fromkeys(e["name"] for e in new):
        if name not in names:
            names.insert(names.index(previous) + 1 if previous in names else len(names), name)
        previous = name
    return {name: rank for rank, name in enumerate(names)}


def merge(existing, new):
    """``new`` replaces the entries of ``existing`` with the same name, scale and database."""
    keys = {(e["name"], e["scale"], e["database"]) for e in new}
    merged = [e for e in existing if (e.get("name"), e.get("scale"), e.get("database")) not in keys] + new
    order = name_order(existing, new)
    merged.sort(key=lambda e: (e["database"], e["scale"], order[e["name"]]))
    return merged


def save(bench):
    try:
        existing = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        existing = []
    merged = merge(existing, as_json(bench))
    RESULTS_JSON.write_text(json.dumps(merged, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    DETAILS_DIR.mkdir(exist_ok=True)
    details = DETAILS_DIR / f"details-{bench.vendor}-{bench.scale}.json"
    details.write_text(
        json.dumps({**bench.details, "generation": bench.generation}, indent=1, default=str),
        encoding="utf-8",
    )
    print(f"\nresults: {RESULTS_JSON.relative_to(ROOT)} (slow queries: {details.relative_to(ROOT)})")
    from bench import readme

    readme.main([])
