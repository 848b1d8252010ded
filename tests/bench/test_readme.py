"""The README's benchmark tables are generated from bench/results.json and judged against today's
targets (bench/targets.py), whatever target text a record was saved with."""

import json

from bench import readme

RECORD = {"scale": 1_000_000, "database": "postgresql", "queries": 9, "notes": "target met; code abc1234"}


def test_the_readme_is_in_step_with_the_results():
    results = json.loads(readme.RESULTS_JSON.read_text(encoding="utf-8"))
    text = readme.README.read_text(encoding="utf-8")

    assert readme.updated(text, results) == text, "run: python bench/readme.py"


def test_figures_are_marked_against_the_target_in_force_not_the_saved_one():
    results = [
        {**RECORD, "name": "list.first_page", "median_s": 0.070, "target": "median <= 1 s"},
        {**RECORD, "name": "dashboard", "median_s": 0.090, "target": "median <= 75 ms"},
        {**RECORD, "name": "dashboard.compare", "median_s": 1.5},
        {**RECORD, "name": "copy.all.table", "median_s": 0.2, "rows_per_s": 446_292, "ratio_to_copy": 0.13},
    ]

    lines = readme.render(results).splitlines()

    assert "| `list.first_page` | 70 ms (9 q) ✓ | median <= 75 ms |" in lines
    assert "| `dashboard` | 90 ms (9 q) ✓ | median <= 100 ms |" in lines
    assert "| `dashboard.compare` | 1,500 ms (9 q) ✗ | median <= 1 s |" in lines
    assert "| `copy.all.table` | 200 ms, 446,292 rows/s, 0.13× |  |" in lines  # a reference, not judged
    assert "- PostgreSQL 1M: code abc1234." in lines


def test_the_whole_export_needs_an_absolute_rate_too():
    fast_enough = {
        **RECORD,
        "name": "export.all",
        "median_s": 10.0,
        "rows_per_s": 100_000,
        "ratio_to_copy": 0.9,
    }
    relative_only = {**fast_enough, "rows_per_s": 60_000}
    python_path = {
        **RECORD,
        "database": "sqlite",
        "name": "export.all",
        "median_s": 4.0,
        "rows_per_s": 25_000,
    }

    assert readme.judged(fast_enough).met is True
    assert readme.judged(relative_only).met is False
    assert readme.judged(python_path).met is True
