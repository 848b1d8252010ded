"""What the dashboard reads, kept on write: each item's state history and the counters over it.

``ItemState`` holds one row per item per interval in which its as-of state (status and its day, target
in force and its wording, original target) and the dimensions the dashboard groups by (agenda, working group, category,
countries) are constant: ``[valid_from, valid_to)``, ``valid_to`` NULL for the last interval. An item
is on the record from its first interval on (``IrritantQuerySet.on_record``: its report's release,
its first target or its first status). One more row per item, ``current=True``, holds the stored
current state (``current_*`` columns), which also covers items that cannot be placed in time.

``StateCount`` holds deltas: each interval adds +1 at its start and -1 at its end under each group
it counts in, so the number of items in a group on day D is the sum of the deltas dated on or before
D. Overdue and upcoming are intervals too (an open item with target u, in a state interval [f, t), is
overdue on D for D in [max(f, u+1), t) and upcoming for D in [max(f, u-1y), min(t, u+1))).

Both counter tables hold one row per key (a unique constraint): a write adds its net deltas to the
rows in place (INSERT ... ON CONFLICT DO UPDATE, in key order so that concurrent writers lock rows in
the same order), so they do not grow with the number of edits. A row whose ``n`` comes back to 0
stays (readers skip sums of 0); there are at most as many as there are keys ever used.

Both are written by ``services.irritants_refresh`` only, in the transaction of the write, from the
items' state rows before and after it (``counts_add``); the SQL that turns state rows into counter
deltas is below (vendor switch for the date arithmetic).
"""

import json
from collections import Counter, defaultdict

from django.db import connection, models
from django.db.models import Q, Sum
from django.utils import timezone

from .change_kinds import status_kind_sql, target_kind_sql
from .choices import CategoryBasis, IrritantCategory, IrritantStatus

# Bits of ItemState.countries (a bitmask: an item counts once under each of its countries).
COUNTRY_BITS = {"CA": 1, "MX": 2, "US": 4}
ALWAYS = "0001-01-01"  # valid_from of the current rows: the current state holds "always"


class ItemState(models.Model):
    # No single-column indexes on the keys: (irritant, valid_from) serves lookups by item, and nothing
    # reads the state rows by agenda or group (the counters do); each index costs every refresh's
    # INSERT (at 1M items, writing the rows into 8 indexes was 60% of the state fill).
    irritant = models.ForeignKey(
        "agenda.Irritant", on_delete=models.CASCADE, related_name="states", db_index=False
    )
    is_current = models.BooleanField(default=False)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True)
    status = models.CharField(max_length=20, blank=True, choices=IrritantStatus)
    due_on = models.DateField(null=True)
    original_due_on = models.DateField(null=True)
    # The day the status in force describes (its report's "as of"), and the target in force as worded:
    # NULL when no target had been set, "" for a dated target stated without words.
    status_on = models.DateField(null=True)
    target_text = models.CharField(max_length=300, null=True)
    agenda = models.ForeignKey(
        "agenda.Agenda", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False
    )
    working_group = models.ForeignKey(
        "agenda.WorkingGroup", on_delete=models.DO_NOTHING, db_constraint=False, null=True, db_index=False
    )
    category = models.CharField(max_length=20, blank=True, choices=IrritantCategory)
    category_basis = models.CharField(max_length=20, choices=CategoryBasis)
    countries = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            # the as-of reads' join (querysets.state_on); on PostgreSQL a covering twin (migration
            # 0016: INCLUDE valid_to, is_current, status, due_on) makes it index-only
            models.Index(fields=["irritant", "valid_from"], name="agenda_itemstate_item_from"),
            models.Index(fields=["is_current", "due_on", "valid_from"], name="agenda_itemstate_due"),
            models.Index(fields=["valid_from"], name="agenda_itemstate_from"),
        ]

    def __str__(self):
        return f"{self.irritant_id} {self.valid_from}–{self.valid_to or ''}: {self.status}"


# The key of a counter row: one row per key (the unique constraints), upserted in this order.
STATE_COUNT_KEY = ["is_current", "dimension", "key", "status", "day"]
PAIR_COUNT_KEY = ["kind", "status", "d1", "d2"]


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
        constraints = [models.UniqueConstraint(fields=STATE_COUNT_KEY, name="agenda_statecount_unique_key")]
        indexes = [models.Index(fields=["is_current", "day"], name="agenda_statecount_day")]

    def __str__(self):
        return f"{self.dimension}:{self.key}:{self.status} {self.day} {self.n:+d}"


class PairCount(models.Model):
    """A corner of a rectangle of report comparisons: ``n`` items change in the way ``kind`` says
    (``status``: the status of the unchanged ones) for every comparison from a day on or after ``d1``
    to a day on or after ``d2``; the number for (A, B) is the sum of the corners with d1 <= A and
    d2 <= B (a two-dimensional running sum: see ``PAIRS_SQL``)."""

    kind = models.CharField(max_length=30)
    status = models.CharField(max_length=20, blank=True)
    d1 = models.DateField()
    d2 = models.DateField()
    n = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=PAIR_COUNT_KEY, name="agenda_paircount_unique_key")]
        indexes = [models.Index(fields=["d1", "d2"], name="agenda_paircount_days")]

    def __str__(self):
        return f"{self.kind}:{self.status} {self.d1} {self.d2} {self.n:+d}"


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
# The columns of a state row that the counters read, and the item's own for the comparisons.
COUNTED = "is_current, valid_from, valid_to, status, due_on, agenda_id, working_group_id, category, category_basis, countries"
PAIRED = "irritant_id, is_current, valid_from, valid_to, status, due_on"

# Rows that are the same before and after a write cancel out (their summed sign is 0), so only the
# state rows that changed are turned into deltas.
DELTAS_SQL = """
WITH s AS (
    SELECT {counted}, SUM({sign}) AS sgn FROM agenda_itemstate WHERE {where}
    GROUP BY {counted} HAVING SUM({sign}) <> 0
),
spans AS (
    SELECT sgn, is_current, 'agenda' AS dim, {agenda} AS k, status, valid_from AS f, valid_to AS t FROM s
    UNION ALL
    SELECT sgn, is_current, 'group', COALESCE({group}, ''), status, valid_from, valid_to FROM s
    UNION ALL
    SELECT sgn, is_current, 'category', category || '|' || category_basis, status, valid_from, valid_to FROM s
    UNION ALL
    SELECT sgn, is_current, 'country', c.code, status, valid_from, valid_to
    FROM s JOIN ({countries}) c ON (s.countries & c.bit) <> 0 OR (s.countries = 0 AND c.bit = 0)
    UNION ALL
    SELECT sgn, is_current, 'overdue', '', status,
           CASE WHEN valid_from > {due_next} THEN valid_from ELSE {due_next} END, valid_to
    FROM s WHERE due_on IS NOT NULL AND status NOT IN ({closed})
    UNION ALL
    SELECT sgn, is_current, 'upcoming', '', status,
           CASE WHEN valid_from > {due_before} THEN valid_from ELSE {due_before} END,
           CASE WHEN valid_to IS NULL OR {due_next} < valid_to THEN {due_next} ELSE valid_to END
    FROM s WHERE due_on IS NOT NULL AND status NOT IN ({closed})
),
events AS (
    SELECT is_current, dim, k, status, f AS day, sgn AS n FROM spans WHERE t IS NULL OR f < t
    UNION ALL
    SELECT is_current, dim, k, status, t, -sgn FROM spans WHERE t IS NOT NULL AND f < t
)
INSERT INTO agenda_statecount (is_current, dimension, key, status, day, n)
SELECT is_current, dim, k, status, day, SUM(n) FROM events
GROUP BY is_current, dim, k, status, day HAVING SUM(n) <> 0
ORDER BY is_current, dim, k, status, day
{upsert}"""


# Report comparisons: an item whose state is I on day A and J on day B (I = J, or J later) changes
# as kind(I, J) says for every A in I and B in J, a rectangle of (A, B); each rectangle is stored as
# its four corners, so the count for (A, B) is a running sum. Before its first interval an item is
# off the record (status "", no target): the interval [ALWAYS, first day).
# The pairs are those of one version (v: the sign of its rows) of one item, and only the pairs with
# an interval that changed (ch: not in the other version) count: a pair of unchanged intervals
# would add and take back the same corners.
PAIRS_SQL = """
WITH s AS (SELECT {paired}, {sign} AS v FROM agenda_itemstate WHERE {where}),
all_iv AS (
    SELECT irritant_id AS item, v, valid_from AS f, valid_to AS t, status, due_on AS due
    FROM s WHERE NOT is_current
    UNION ALL
    SELECT c.irritant_id, c.v, {always}, first.f, '', NULL
    FROM s c LEFT JOIN (
        SELECT irritant_id, v, MIN(valid_from) AS f FROM s WHERE NOT is_current GROUP BY irritant_id, v
    ) first ON first.irritant_id = c.irritant_id AND first.v = c.v
    WHERE c.is_current
),
iv AS (SELECT all_iv.*, SUM(v) OVER (PARTITION BY item, f, t, status, due) <> 0 AS ch FROM all_iv),
pairs AS (
    SELECT a.v, a.f AS f1, a.t AS t1, b.f AS f2, b.t AS t2,
        {status_kind} AS sk,
        CASE WHEN a.status <> '' AND a.status = b.status THEN b.status ELSE '' END AS st,
        {target_kind} AS tk
    FROM iv a JOIN iv b ON a.item = b.item AND a.v = b.v AND a.f <= b.f AND (a.ch OR b.ch)
),
keyed AS (
    SELECT v, sk AS kind, st AS status, f1, t1, f2, t2 FROM pairs
    UNION ALL
    SELECT v, tk, '', f1, t1, f2, t2 FROM pairs WHERE tk <> ''
),
corners AS (
    SELECT kind, status, f1 AS d1, f2 AS d2, v AS n FROM keyed
    UNION ALL SELECT kind, status, t1, f2, -v FROM keyed WHERE t1 IS NOT NULL
    UNION ALL SELECT kind, status, f1, t2, -v FROM keyed WHERE t2 IS NOT NULL
    UNION ALL SELECT kind, status, t1, t2, v FROM keyed WHERE t1 IS NOT NULL AND t2 IS NOT NULL
)
INSERT INTO agenda_paircount (kind, status, d1, d2, n)
SELECT kind, status, d1, d2, SUM(n) FROM corners GROUP BY kind, status, d1, d2 HAVING SUM(n) <> 0
ORDER BY kind, status, d1, d2
{upsert}"""
ALWAYS_SQL = {"postgresql": f"DATE '{ALWAYS}'", "sqlite": f"'{ALWAYS}'"}
UPSERT_SQL = "ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n"
WORK_MEM = "64MB"  # PostgreSQL's sort and hash memory for the counter statements (see counts_add)


def items_where(ids):
    """SQL picking the rows of the items ``ids`` (an ``irritant_id`` column), and its parameters: one
    parameter however many items (an array on PostgreSQL, a JSON list on SQLite), so a refresh of
    100,000 items does not reach either database's limit on parameters."""
    if connection.vendor == "postgresql":
        return "irritant_id = ANY(%s)", [list(ids)]
    return "irritant_id IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]


def _upsert(model, key):
    table = model._meta.db_table
    return UPSERT_SQL.format(key=", ".join(key), table=table)


def counts_add(where, params=(), *, sign="1", into_empty=False):
    """Add the state rows ``where`` picks to both counter tables, each times ``sign`` (an SQL
    expression over the row: 1, -1, or +1 for an item's new rows and -1 for its old ones, whose
    equal rows then cancel out). ``into_empty``: the tables are empty, plain inserts (the rebuild,
    also run by migration 0012, before the unique keys exist)."""
    dates = DATE_SQL.get(connection.vendor, DATE_SQL["postgresql"])
    deltas = DELTAS_SQL.format(
        counted=COUNTED,
        where=where,
        sign=sign,
        agenda=dates["text"].format(d="agenda_id"),
        group=dates["text"].format(d="working_group_id"),
        countries=COUNTRIES,
        closed=CLOSED,
        due_next=dates["next_day"].format(d="due_on"),
        due_before=dates["year_before"].format(d="due_on"),
        upsert="" if into_empty else _upsert(StateCount, STATE_COUNT_KEY),
    )
    always = ALWAYS_SQL.get(connection.vendor, ALWAYS_SQL["postgresql"])
    pairs = PAIRS_SQL.format(
        paired=PAIRED,
        where=where,
        sign=sign,
        always=always,
        status_kind=status_kind_sql("a.status", "b.status"),
        target_kind=target_kind_sql("a.due", "b.due"),
        upsert="" if into_empty else _upsert(PairCount, PAIR_COUNT_KEY),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # for these two statements only: at 1M items a refresh of 46,000 items sorted 6.7M day
            # pairs on disk with the default 4 MB (PairCount statement 10.4 s; 5.1 s with 64 MB)
            cursor.execute("SELECT current_setting('work_mem'), set_config('work_mem', %s, true)", [WORK_MEM])
            previous = cursor.fetchone()[0]
        cursor.execute(deltas, params)
        cursor.execute(pairs, params)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('work_mem', %s, true)", [previous])
