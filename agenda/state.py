"""What the dashboard reads, kept on write: each item's state history and the counters over it.

``ItemState`` holds one row per item per interval in which its as-of state (status, target in force,
original target) and the dimensions the dashboard groups by (agenda, working group, category,
countries) are constant: ``[valid_from, valid_to)``, ``valid_to`` NULL for the last interval. An item
is on the record from its first interval on (``IrritantQuerySet.on_record``: its report's release,
its first target or its first status). One more row per item, ``current=True``, holds the stored
current state (``current_*`` columns), which also covers items that cannot be placed in time.

``StateCount`` holds append-only deltas: each interval adds +1 at its start and -1 at its end under
each group it counts in, so the number of items in a group on day D is the sum of the deltas dated on
or before D. Overdue and upcoming are intervals too (an open item with target u, in a state interval
[f, t), is overdue on D for D in [max(f, u+1), t) and upcoming for D in [max(f, u-1y), min(t, u+1))).

Both are written by ``services.irritants_refresh`` only, in the transaction of the write; the SQL
that turns state rows into counter deltas is below (vendor switch for the date arithmetic).
"""

from collections import Counter, defaultdict

from django.db import connection, models
from django.db.models import Q, Sum
from django.utils import timezone

from .choices import CategoryBasis, IrritantCategory, IrritantStatus

# Bits of ItemState.countries (a bitmask: an item counts once under each of its countries).
COUNTRY_BITS = {"CA": 1, "MX": 2, "US": 4}
ALWAYS = "0001-01-01"  # valid_from of the current rows: the current state holds "always"


class ItemState(models.Model):
    irritant = models.ForeignKey("agenda.Irritant", on_delete=models.CASCADE, related_name="states")
    is_current = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    status = models.CharField(max_length=20, blank=True, choices=IrritantStatus)
    due_on = models.DateField(null=True)
    original_due_on = models.DateField(null=True)
    agenda = models.ForeignKey("agenda.Agenda", on_delete=models.DO_NOTHING, db_constraint=False)
    working_group = models.ForeignKey(
        "agenda.WorkingGroup", on_delete=models.DO_NOTHING, db_constraint=False, null=True
    )
    category = models.CharField(max_length=20, blank=True, choices=IrritantCategory)
    category_basis = models.CharField(max_length=20, choices=CategoryBasis)
    countries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["irritant", "valid_from"], name="agenda_itemstate_item_from"),
            models.Index(fields=["is_current", "due_on", "valid_from"], name="agenda_itemstate_due"),
            models.Index(fields=["valid_from"], name="agenda_itemstate_from"),
        ]

    def __str__(self):
        return f"{self.irritant_id} {self.valid_from}–{self.valid_to or ''}: {self.status}"


class StateCountQuerySet(models.QuerySet):
    def on(self, as_of=None, *, today=None):
        """Items per status in every group on ``as_of`` (the current state on ``today``, default the
        real today, when None), in one grouped query: ``{dimension: {key: Counter(status=n)}}``.

        Dimensions: ``agenda`` and ``group`` (keyed by id, "" for none), ``category``
        ("category|basis"), ``country`` (code, "" for none), ``overdue`` and ``upcoming`` (key "")."""
        day = as_of or today or timezone.localdate()
        rows = (
            self.filter(is_current=as_of is None, day__lte=day)
            .order_by()
            .values("dimension", "key", "status")
            .annotate(total=Sum("n"))
            .filter(~Q(total=0))
        )
        result = defaultdict(lambda: defaultdict(Counter))
        for row in rows:
            result[row["dimension"]][row["key"]][row["status"]] += row["total"]
        return result


class StateCount(models.Model):
    """A delta of the number of items in a group on and after ``day`` (see the module docstring)."""

    is_current = models.BooleanField()
    dimension = models.CharField(max_length=10)
    key = models.CharField(max_length=50)
    status = models.CharField(max_length=20, blank=True)
    day = models.DateField()
    n = models.IntegerField()

    objects = StateCountQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["is_current", "day"], name="agenda_statecount_day")]

    def __str__(self):
        return f"{self.dimension}:{self.key}:{self.status} {self.day} {self.n:+d}"


# --- state rows -> counter deltas -------------------------------------------------------------------
DATE_SQL = {
    "postgresql": {
        "next_day": "({d} + 1)",
        # the first day D with add_years(D, 1) >= d (29 February -> 1 March of the year before)
        "year_before": "(CAST({d} - INTERVAL '1 year' AS date)"
        " + CASE WHEN EXTRACT(MONTH FROM {d}) = 2 AND EXTRACT(DAY FROM {d}) = 29 THEN 1 ELSE 0 END)",
        "text": "CAST({d} AS TEXT)",
    },
    "sqlite": {
        "next_day": "date({d}, '+1 day')",
        "year_before": "date({d}, '-1 year')",  # SQLite turns 29 February of a common year into 1 March
        "text": "CAST({d} AS TEXT)",
    },
}
CLOSED = ", ".join(f"'{status}'" for status in IrritantStatus.closed())
COUNTRIES = " UNION ALL ".join(
    [f"SELECT '{code}' AS code, {bit} AS bit" for code, bit in COUNTRY_BITS.items()] + ["SELECT '', 0"]
)
DELTAS_SQL = """
WITH s AS (SELECT * FROM agenda_itemstate WHERE {where}),
spans AS (
    SELECT is_current, 'agenda' AS dim, {agenda} AS k, status, valid_from AS f, valid_to AS t FROM s
    UNION ALL
    SELECT is_current, 'group', COALESCE({group}, ''), status, valid_from, valid_to FROM s
    UNION ALL
    SELECT is_current, 'category', category || '|' || category_basis, status, valid_from, valid_to FROM s
    UNION ALL
    SELECT is_current, 'country', c.code, status, valid_from, valid_to
    FROM s JOIN ({countries}) c ON (s.countries & c.bit) <> 0 OR (s.countries = 0 AND c.bit = 0)
    UNION ALL
    SELECT is_current, 'overdue', '', status,
           CASE WHEN valid_from > {due_next} THEN valid_from ELSE {due_next} END, valid_to
    FROM s WHERE due_on IS NOT NULL AND status NOT IN ({closed})
    UNION ALL
    SELECT is_current, 'upcoming', '', status,
           CASE WHEN valid_from > {due_before} THEN valid_from ELSE {due_before} END,
           CASE WHEN valid_to IS NULL OR {due_next} < valid_to THEN {due_next} ELSE valid_to END
    FROM s WHERE due_on IS NOT NULL AND status NOT IN ({closed})
),
events AS (
    SELECT is_current, dim, k, status, f AS day, {sign} AS n FROM spans WHERE t IS NULL OR f < t
    UNION ALL
    SELECT is_current, dim, k, status, t, {neg} FROM spans WHERE t IS NOT NULL AND f < t
)
INSERT INTO agenda_statecount (is_current, dimension, key, status, day, n)
SELECT is_current, dim, k, status, day, SUM(n) FROM events
GROUP BY is_current, dim, k, status, day HAVING SUM(n) <> 0
"""


def deltas_sql(where, *, sign):
    """Counter deltas (+1/-1 at each span's ends, times ``sign``) of the state rows ``where`` picks."""
    dates = DATE_SQL.get(connection.vendor, DATE_SQL["postgresql"])
    return DELTAS_SQL.format(
        where=where,
        sign=sign,
        neg=-sign,
        agenda=dates["text"].format(d="agenda_id"),
        group=dates["text"].format(d="working_group_id"),
        countries=COUNTRIES,
        closed=CLOSED,
        due_next=dates["next_day"].format(d="due_on"),
        due_before=dates["year_before"].format(d="due_on"),
    )


COMPACT_SQL = {
    # one statement, one snapshot: rows committed meanwhile are neither deleted nor re-added
    "postgresql": """
        WITH gone AS (DELETE FROM agenda_statecount RETURNING is_current, dimension, key, status, day, n)
        INSERT INTO agenda_statecount (is_current, dimension, key, status, day, n)
        SELECT is_current, dimension, key, status, day, SUM(n) FROM gone
        GROUP BY is_current, dimension, key, status, day HAVING SUM(n) <> 0""",
    # SQLite has one writer at a time: two statements in the caller's transaction are as safe
    "sqlite": [
        """CREATE TEMP TABLE statecount_compact AS
        SELECT is_current, dimension, key, status, day, SUM(n) AS n FROM agenda_statecount
        GROUP BY is_current, dimension, key, status, day HAVING SUM(n) <> 0""",
        "DELETE FROM agenda_statecount",
        """INSERT INTO agenda_statecount (is_current, dimension, key, status, day, n)
        SELECT is_current, dimension, key, status, day, n FROM statecount_compact""",
        "DROP TABLE statecount_compact",
    ],
}
