"""One module per measured path. Each has ``GROUPS`` (the names ``--only`` takes for it), ``DATA``
(whether it runs on the generated data) and ``run(bench)``, which times its measurements with
``bench.measure`` / ``bench.time_page`` (bench/core.py) against a target from bench/targets.py.

To add a measurement: write ``bench/paths/<name>.py`` with those three names (a page is one
``bench.time_page(...)`` call) and add it to ``PATHS``, in the order the table should show it."""

from bench.paths import admin, api, dashboard, detail, export, imports, lists, load, seed

PATHS = [lists, api, detail, dashboard, admin, export, imports, load, seed]
GROUPS = ["generate", *(group for path in PATHS for group in path.GROUPS)]
