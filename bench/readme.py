"""The README's benchmark tables, generated from ``bench/results.json``.

Every saved run rewrites the part of README.md between the two markers below (``report.save``);
``python bench/readme.py`` does it alone, ``--check`` says whether the README is in step (CI-safe: it
reads files only). One row per measurement, one column per database and scale, each figure with its
query count or rate, and a mark where the figure meets (✓) or misses (✗) its target. The load test
has its own table: it runs on its own data size."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: import the bench package from the root
    sys.path.insert(0, str(ROOT))
RESULTS_JSON = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
START = "<!-- bench-table: regenerated from bench/results.json by bench/readme.py -->"
END = "<!-- /bench-table -->"
# (database, scale) columns of the main table, the targets' scale first.
COLUMNS = (("postgresql", 1_000_000), ("postgresql", 100_000), ("sqlite", 100_000))
VENDOR = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def scale_text(scale):
    return (
        f"{scale // 1_000_000}M"
        if scale % 1_000_000 == 0
        else f"{scale // 1000}k"
        if scale % 1000 == 0
        else f"{scale:,}"
    )


def judged(record):
    """The record as an ``Entry`` judged against today's target for its name (bench/targets.py), so
    figures measured before a target changed are marked against the one in force."""
    from bench.core import Entry

    fields = ("median_s", "min_s", "max_s", "queries", "rows_per_s", "ratio_to_copy", "peak_rss_mb")
    entry = Entry(
        record["name"], **{key: record.get(key) for key in (*fields, "p95_s", "requests", "errors")}
    )
    entry.judge()
    return entry


def target_text(name):
    from bench.targets import goal_for

    goal = goal_for(name)
    return goal.text if goal else ""


def cell(record):
    if record is None:
        return "–"
    ms = record.get("median_s")
    if ms is None:
        return "failed"
    rate, queries, ratio = record.get("rows_per_s"), record.get("queries"), record.get("ratio_to_copy")
    if record["name"].startswith("load.cpu."):
        text = f"{ms * 1000:,.1f} ms of CPU a request"
    elif record["name"].startswith("load."):
        p95 = record.get("p95_s") or 0
        text = f"{rate:,.1f} req/s, p50 {ms * 1000:,.0f} ms, p95 {p95 * 1000:,.0f} ms, {record.get('errors')} errors"
    elif rate is not None:
        text = f"{ms * 1000:,.0f} ms, {rate:,.0f} rows/s"
        if ratio is not None:
            text += f", {ratio:.2f}×"
    else:
        text = f"{ms * 1000:,.0f} ms" + (f" ({queries} q)" if queries is not None else "")
    mark = {True: " ✓", False: " ✗", None: ""}[judged(record).met]
    return text + mark


def provenance(records):
    """``code abc1234, 2026-11-29`` for each distinct code version and date among the records."""
    seen = []
    for record in records:
        code = next(
            (part[5:] for part in (record.get("notes") or "").split("; ") if part.startswith("code ")), "?"
        )
        label = f"code {code}" + (f", {record['measured_on']}" if record.get("measured_on") else "")
        if label not in seen:
            seen.append(label)
    return "; ".join(seen)


def render(results):
    by_key = {(r["database"], r["scale"], r["name"]): r for r in results}
    columns = [c for c in COLUMNS if any((c[0], c[1]) == (r["database"], r["scale"]) for r in results)]
    names = list(dict.fromkeys(r["name"] for r in results if not r["name"].startswith("load.")))
    names = [n for n in names if any((*c, n) in by_key for c in columns)]
    targets = {name: target_text(name) for name in names}
    lines = [START, ""]
    machines = sorted({r["machine"] for r in results if r.get("machine")})
    if machines:
        lines += ["Machine: " + "; ".join(machines) + ".", ""]
    head = [f"{VENDOR[db]} {scale_text(scale)}" for db, scale in columns]
    lines.append("| measurement | " + " | ".join(head) + " | target |")
    lines.append("|---" * (len(head) + 2) + "|")
    for name in names:
        cells = [cell(by_key.get((*c, name))) for c in columns]
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {targets[name]} |")
    lines.append("")
    for (db, scale), label in zip(columns, head, strict=True):
        records = [r for r in results if (r["database"], r["scale"]) == (db, scale)]
        lines.append(f"- {label}: {provenance(records)}.")
    load = [r for r in results if r["name"].startswith("load.")]
    if load:
        lines += ["", "| load test | data | result | target |", "|---|---|---|---|"]
        for r in load:
            data = f"{VENDOR[r['database']]}, {r['scale']:,} items"
            lines.append(f"| `{r['name']}` | {data} | {cell(r)} | {target_text(r['name'])} |")
    lines += ["", END]
    return "\n".join(lines)


def updated(readme_text, results):
    start, end = readme_text.index(START), readme_text.index(END) + len(END)
    return readme_text[:start] + render(results) + readme_text[end:]


def main(argv):
    results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    text = README.read_text(encoding="utf-8")
    new = updated(text, results)
    if "--check" in argv:
        if new != text:
            sys.exit(
                "README.md's benchmark table is not in step with bench/results.json: run python bench/readme.py"
            )
        return
    README.write_text(new, encoding="utf-8")
    print("README.md: benchmark table regenerated from bench/results.json")


if __name__ == "__main__":
    main(sys.argv[1:])
