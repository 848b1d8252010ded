"""``--explain`` (PostgreSQL): ``EXPLAIN (ANALYZE, BUFFERS)`` the slowest query of every measurement
that missed its target; the plan nodes with the most self time go into its notes, and the plans into
``bench/plans/explain-<db>-<scale>.txt`` (committed: the README cites them), merged with the plans
of earlier runs at that scale by measurement name (a run of ``--only export`` keeps the pages')."""

import datetime
import json
import re

from bench.core import PLANS_DIR, ROOT, select_of


def explain_missed(bench):
    """EXPLAIN ANALYZE the slowest query of each measurement that missed its target and was not
    explained right after it was measured (the exports' ratio is known only at the end)."""
    if bench.vendor != "postgresql":
        print("--explain: PostgreSQL only")
        return
    for entry in bench.entries:
        if entry.name not in bench.details["explain"]:
            explain_entry(bench, entry)
    if bench.plans:
        PLANS_DIR.mkdir(exist_ok=True)
        path = PLANS_DIR / f"explain-{bench.vendor}-{bench.scale}.txt"
        sections = {**read_sections(path), **bench.plans}
        path.write_text("\n".join(sections[name] for name in sorted(sections)), encoding="utf-8")
        print(f"EXPLAIN ANALYZE plans: {path.relative_to(ROOT)}")


SECTION = re.compile(r"^=== (\S+): ", re.MULTILINE)


def read_sections(path):
    """{measurement name: its section} of a plans file written before."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    starts = [(match.start(), match.group(1)) for match in SECTION.finditer(text)]
    ends = [start for start, _name in starts[1:]] + [len(text)]
    return {
        name: text[start:end].rstrip("\n") + "\n" for (start, name), end in zip(starts, ends, strict=True)
    }


def _sql_to_explain(bench, entry):
    name = entry.name.removesuffix(".first_row")
    slow = bench.details["slow_queries"].get(name)
    # the export's bound: COPY of the leanest query yielding its bytes (copy.<label>.lean)
    copied = bench.details.get("copy_sql", {}).get(name.removeprefix("export.") + ".lean")
    if bench.vendor != "postgresql" or entry.met is not False or not (slow or copied):
        return None
    # An export's work is its COPY (not in the query log) when it ran one.
    return select_of(copied) if name.startswith("export.") and copied else select_of(slow[0]["sql"])


def explain_entry(bench, entry):
    """EXPLAIN (ANALYZE, BUFFERS) the entry's slowest query if it missed its target; the nodes that
    spend the most time go into its notes."""
    sql = _sql_to_explain(bench, entry)
    if not sql:
        return
    try:
        with bench.connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            text = "\n".join(row[0] for row in cursor.fetchall())
    except Exception as exc:
        entry.notes.append(f"EXPLAIN failed: {exc}"[:200])
        return
    summary = summarise(plan[0])
    entry.notes.append(summary)
    bench.details["explain"][entry.name] = {"summary": summary, "sql": sql, "plan": text, "json": plan}
    day = datetime.date.today().isoformat()
    bench.plans[entry.name] = f"=== {entry.name}: {summary} (measured {day})\n{sql}\n\n{text}\n"


def summarise(plan):
    """One line: the execution time, the nodes with the most self time, the correlated SubPlans."""
    total = plan["Execution Time"]
    summary = f"slowest query {total:.0f} ms; most time in: " + "; ".join(
        f"{label} ({own:.0f} ms self)" for label, own in dominant_nodes(plan["Plan"])
    )
    spent, count = subplan_time(plan["Plan"])
    if spent > 0.1 * total:
        summary += f"; {count} correlated SubPlans take {spent:.0f} ms in all"
    return summary


def _node_total(node):
    # A parallel-aware node reports its workers' average time per loop: that is its wall time.
    loops = 1 if node.get("Parallel Aware") else (node.get("Actual Loops", 1) or 1)
    return node.get("Actual Total Time", 0) * loops


def _is_cte(node):
    return node.get("Subplan Name", "").startswith("CTE ")


def _cte_times(plan):
    ctes = {}

    def collect(node):
        for child in node.get("Plans", []):
            if _is_cte(child):
                ctes[child["Subplan Name"][4:]] = _node_total(child)
            collect(child)

    collect(plan)
    return ctes


def _label(node):
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
    return label


def dominant_nodes(plan, top=3):
    """The plan nodes that spend the most time themselves: [(description, self ms)], largest first.

    A node's self time is its total (times its loops) minus its children's; a CTE's plan is charged
    to itself, not to the CTE Scan that pulls from it (nor to the node it hangs under)."""
    ctes = _cte_times(plan)
    found = []

    def visit(node):
        children = node.get("Plans", [])
        own = _node_total(node) - sum(_node_total(c) for c in children if not _is_cte(c))
        if node["Node Type"] == "CTE Scan":
            own -= ctes.get(node.get("CTE Name"), 0)
        found.append((_label(node), max(own, 0)))
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
