"""What changed on the record between two days: items put on the record, statuses that changed,
targets that moved or were first set, items completed or dropped, per working group and country.

``changes_between(start, end, ...)`` is the one computation; the HTML page (views.ChangesView) shows
it, and an API endpoint can serialise the same ``Changes`` object. The state of an item on the two
days is read from the state history (``IrritantQuerySet.with_compared_state``, as the dashboard's
report comparison reads it), which follows ``querysets.state_expressions``, so "status on day A"
means the same everywhere.

Only items with a row dated in the window (a status report, a deadline set, or the report that put
the item on the record) can have changed, so the computation starts from those (indexed lookups),
not from every item. Each query computes the candidates' two states once (a materialized CTE, as the
dashboard's comparison does) and flags every kind of change in SQL; there are three queries whatever
the data size: counts per working group (they sum to the totals), counts per country, and the first
LIST_LIMIT items of each kind. The kinds (keys, labels, SQL conditions) are in ``change_kinds``, with
the dashboard comparison's.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, DateField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .change_kinds import CHANGE_KINDS  # the kinds, their labels and SQL conditions
from .comparison import ComparedItem
from .models import Deadline, Irritant, StatusReport
from .tables import reversed_url

LIST_LIMIT = 100


COLUMNS = ["pk", "ref", "title", "working_group__slug", "working_group__name", "from_status", "to_status",
           "from_due", "to_due", "report_after_start", "status_before", "deadline_before"]  # fmt: skip


def compared(start: datetime.date, end: datetime.date, *, working_group=None, country=None):
    """Items that may have changed between ``start`` (excluded) and ``end`` (included), annotated
    with ``from_status``/``to_status`` ("" when none reported), ``from_due``/``to_due`` (the dated
    target in force), ``report_after_start`` (the report that put it on the record, if any, is dated
    after ``start``) and whether a status or deadline was dated on or before ``start``."""
    in_window = (
        Q(pk__in=StatusReport.objects.filter(as_of__gt=start, as_of__lte=end).values("irritant_id"))
        | Q(pk__in=Deadline.objects.filter(set_on__gt=start, set_on__lte=end).values("irritant_id"))
        | Q(report__covers_through__gt=start, report__covers_through__lte=end)
        | Q(report__covers_through__isnull=True, report__released_on__gt=start, report__released_on__lte=end)
    )
    items = Irritant.objects.filter(in_window)
    if working_group is not None:
        items = items.filter(working_group=working_group)
    if country:
        items = items.involving([country])
    report_day = Coalesce("report__covers_through", "report__released_on")
    return (
        items.with_compared_state(start, end)
        .alias(report_day=report_day)
        .annotate(
            report_after_start=Case(
                When(Q(report_day__isnull=True) | Q(report_day__gt=start), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            status_before=Exists(StatusReport.objects.filter(irritant=OuterRef("pk"), as_of__lte=start)),
            deadline_before=Exists(Deadline.objects.filter(irritant=OuterRef("pk"), set_on__lte=start)),
        )
    )


@dataclass(frozen=True)
class ChangedItem(ComparedItem):
    """One item with its status and target in force on both days, and its working group's slug."""

    working_group_slug: str | None = None

    @property
    def working_group_name(self):
        return self.working_group

    @property
    def working_group_url(self):
        return (
            reversed_url("agenda:working_group_detail", self.working_group_slug)
            if self.working_group_slug
            else ""
        )

    @property
    def moved_days(self):
        """Days the target in force moved (negative: earlier; None when either is undated)."""
        return (self.to_due - self.from_due).days if self.from_due and self.to_due else None


@dataclass
class Breakdown:
    """Counts of each kind for one working group or country."""

    key: str | None
    label: str
    counts: dict
    list_params: dict | None  # the irritant list's filter for the group (None: it has none)


@dataclass
class Changes:
    start: datetime.date
    end: datetime.date
    kinds: list
    counts: dict
    lists: dict
    by_working_group: list = field(default_factory=list)
    by_country: list = field(default_factory=list)
    working_group: object = None  # the scope asked for: a WorkingGroup, or None (every group)
    country: str | None = None  # a country code, or None (every country)

    @property
    def total(self):
        return self.counts.get("any", 0)

    def rows(self):
        """(kind, count, listed items) in the page's order."""
        return [(kind, self.counts[kind.key], self.lists[kind.key]) for kind in self.kinds]


# Every query below computes each candidate item's two states once (the CTE), then flags each kind.
FLAGGED = """
WITH states AS MATERIALIZED ({inner}),
flagged AS (SELECT states.*, {flags} FROM states)
"""


def _flags():
    return ", ".join(f"CASE WHEN {kind.condition} THEN 1 ELSE 0 END AS k_{kind.key}" for kind in CHANGE_KINDS)


def _sums():
    sums = [f"SUM(k_{kind.key})" for kind in CHANGE_KINDS]
    any_kind = " OR ".join(f"k_{kind.key} = 1" for kind in CHANGE_KINDS)
    return ", ".join([*sums, f"SUM(CASE WHEN {any_kind} THEN 1 ELSE 0 END)"])


def _count_rows(cursor, sql, params):
    """{key: {kind: n, ..., "any": n}} from rows (key, sum per kind..., any)."""
    cursor.execute(sql, params)
    return {row[0]: _sums_of(row[1:]) for row in cursor.fetchall()}


KEYS = [kind.key for kind in CHANGE_KINDS] + ["any"]


def _sums_of(values):
    return dict(zip(KEYS, (int(n or 0) for n in values), strict=True))


def changes_between(start, end, *, working_group=None, country=None, limit=LIST_LIMIT) -> Changes:
    """Everything the changes page shows, in three queries whatever the data size: counts per working
    group (their sum is the total), counts per country, and the first ``limit`` items of each kind."""
    inner, params = compared(start, end, working_group=working_group, country=country).values(*COLUMNS)\
        .order_by().query.sql_with_params()  # fmt: skip
    head = FLAGGED.format(inner=inner, flags=_flags())
    with connection.cursor() as cursor:
        groups = _group_counts(cursor, head, params)
        countries = _country_counts(cursor, head, params)
        lists = _listed(cursor, head, params, limit)
    totals = dict.fromkeys(KEYS, 0)
    for _slug, _name, counts in groups:
        for key in KEYS:
            totals[key] += counts[key]
    return Changes(
        start=start, end=end, kinds=CHANGE_KINDS, counts=totals, lists=lists,
        by_working_group=_group_breakdowns(groups), by_country=_country_breakdowns(countries),
        working_group=working_group, country=country or None,
    )  # fmt: skip


def _group_counts(cursor, head, params):
    cursor.execute(
        head + f"SELECT working_group__slug, MAX(working_group__name), {_sums()} FROM flagged "
        "GROUP BY working_group__slug",
        params,
    )
    return [(slug, name, _sums_of(sums)) for slug, name, *sums in cursor.fetchall()]


def _country_counts(cursor, head, params):
    through = Irritant.countries.through
    country_table = through._meta.get_field("country").related_model._meta.db_table
    return _count_rows(
        cursor,
        head + f"SELECT c.code, {_sums()} FROM flagged "
        f"LEFT JOIN {through._meta.db_table} ic ON ic.irritant_id = flagged.pk "
        f"LEFT JOIN {country_table} c ON c.id = ic.country_id GROUP BY c.code",
        params,
    )


def _listed(cursor, head, params, limit):
    """The first ``limit`` items (by ref) of each kind."""
    ranks = ", ".join(
        f"ROW_NUMBER() OVER (PARTITION BY k_{kind.key} ORDER BY ref) AS r_{kind.key}" for kind in CHANGE_KINDS
    )
    listed = " OR ".join(f"(k_{kind.key} = 1 AND r_{kind.key} <= %s)" for kind in CHANGE_KINDS)
    flag_columns = ", ".join(f"k_{kind.key}" for kind in CHANGE_KINDS)
    cursor.execute(
        head + ", ranked AS (SELECT flagged.*, " + ranks + " FROM flagged) "
        "SELECT ref, title, working_group__slug, working_group__name, from_status, to_status, from_due, "
        f"to_due, {flag_columns} FROM ranked WHERE {listed} ORDER BY ref",
        [*params, *([limit] * len(CHANGE_KINDS))],
    )
    lists = {kind.key: [] for kind in CHANGE_KINDS}
    date_field = DateField()
    for ref, title, slug, name, from_status, to_status, from_due, to_due, *flags in cursor.fetchall():
        item = ChangedItem(
            ref=ref, title=title, working_group_slug=slug, working_group=name, from_status=from_status,
            to_status=to_status, from_due=date_field.to_python(from_due), to_due=date_field.to_python(to_due),
        )  # fmt: skip
        for kind, flag in zip(CHANGE_KINDS, flags, strict=True):
            if flag and len(lists[kind.key]) < limit:
                lists[kind.key].append(item)
    return lists


def _group_breakdowns(groups):
    breakdowns = (
        Breakdown(
            key=slug,
            label=name or str(_("No working group stated")),
            counts=counts,
            list_params={"working_group": slug} if slug else None,
        )
        for slug, name, counts in groups
        if counts["any"]
    )
    return sorted(breakdowns, key=lambda b: (b.key is None, b.label))


def _country_breakdowns(countries):
    from summits.choices import CountryCode

    labels = dict(CountryCode.choices)
    breakdowns = (
        Breakdown(
            key=code,
            label=str(labels.get(code, _("Countries not stated"))),
            counts=counts,
            list_params={"country": code} if code else None,
        )
        for code, counts in countries.items()
        if counts["any"]
    )
    return sorted(breakdowns, key=lambda b: (b.key is None, b.key or ""))
