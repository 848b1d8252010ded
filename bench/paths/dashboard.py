"""The dashboard, timed three ways (issue 11): with every cache cleared (the day's first visitor),
right after a staff save (what the next viewer meets after any write: the numbers are cached until
the record changes), and served from the cache the warm-up filled."""

GROUPS = ("dashboard",)
DATA = True
COMPARE = "from=report-to-leaders-2006&to=leaders-statement-new-orleans-2008"


def staff_save(bench):
    """An untimed write as staff make it: the richest item's admin change form, submitted unchanged."""
    from django.urls import reverse

    from bench.forms import resubmit

    url = reverse("admin:agenda_irritant_change", args=[bench.item.pk])
    return lambda: resubmit(bench.client, url, submit="_save")


def run(bench):
    from django.urls import reverse

    url = reverse("agenda:dashboard")
    default = "default comparison report-to-leaders-2005 -> 2006"
    bench.time_page("dashboard", url, note=f"{default}; caches cleared")
    if bench.selected("dashboard.after_write"):
        bench.time_page(
            "dashboard.after_write",
            url,
            note=f"{default}; after a staff save through the admin change form (untimed), caches kept",
            before=staff_save(bench),
        )
    bench.time_page(
        "dashboard.cached",
        url,
        note="the same, its numbers cached by the warm-up (if the app caches)",
        cold=False,
    )
    bench.time_page("dashboard.as_of", f"{url}?as_of=2007-01-01", note="as_of=2007-01-01; caches cleared")
    bench.time_page("dashboard.compare", f"{url}?{COMPARE}", note=f"{COMPARE}; caches cleared")
