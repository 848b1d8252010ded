"""Synthetic SPP data with the real shape, generated set-based.

Reference rows (20 working groups, 20 reports, 200 sources, summits, signature initiatives, lead
departments, NACC recommendations) are few and go through ``bulk_create``. The bulk (irritants, their
countries and sources, 1-3 deadlines and about 5 status reports per item, and their sources) is
written by ``INSERT ... SELECT`` statements over ``generate_series`` (PostgreSQL) or a recursive CTE
(SQLite), one statement per table, with deterministic pseudo-random distributions: every choice is a
hash of the row's index (``h()``), so the same scale always gives the same data.

The items' rows come first (item ``i`` gets id ``i``; foreign keys are checked at commit), then the
irritants' derived columns (current status and its date, target in force, original target, derived
category and its basis) are computed from them set-based, by the model rules
(``IrritantQuerySet.refresh_derived``, ``agenda/categories.py``), and each irritant is written once
with them: the app's per-row refresh is far too slow for a million items, and an UPDATE of every
item would leave a table twice its size to rewrite (with its trigram indexes). Agendas and countries
come from the data migrations and are reused. History tables stay empty.
"""

import datetime
import random
import time

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from agenda import categories
from agenda.choices import STATUS_RANK, CategoryBasis, IrritantStatus
from agenda.models import (
    DERIVED_FIELDS,
    Agenda,
    Irritant,
    LeadDepartment,
    NaccRecommendation,
    SignatureInitiative,
    WorkingGroup,
)
from agenda.state import COUNTRY_BITS
from summits.choices import ReportKind
from summits.models import Country, Report, Source, Summit, classify_url

GENERATOR_VERSION = "2"
META_TABLE = "bench_meta"

# --- the shape ------------------------------------------------------------------------------------
WORKING_GROUPS = [
    # (agenda, code, slug, name)
    (
        "prosperity",
        "MG",
        "manufactured-goods",
        "Manufactured Goods and Sectoral and Regional Competitiveness",
    ),
    ("prosperity", "EC", "e-commerce-ict", "E-Commerce and Information and Communications Technologies"),
    ("prosperity", "EN", "energy", "Energy"),
    ("prosperity", "EV", "environment", "Environment"),
    ("prosperity", "FS", "financial-services", "Financial Services"),
    ("prosperity", "BF", "business-facilitation", "Business Facilitation"),
    ("prosperity", "MV", "movement-of-goods", "Movement of Goods"),
    ("prosperity", "FA", "food-agriculture", "Food and Agriculture"),
    ("prosperity", "TR", "transportation", "Transportation"),
    ("prosperity", "HE", "health", "Health"),
    ("security", "TS", "traveller-security", "Traveller Security"),
    ("security", "CS", "cargo-security", "Cargo Security"),
    ("security", "BP", "bioprotection", "Bioprotection"),
    ("security", "AS", "aviation-security", "Aviation Security"),
    ("security", "MS", "maritime-security", "Maritime Security"),
    ("security", "LE", "law-enforcement", "Law Enforcement Cooperation"),
    ("security", "IC", "intelligence-cooperation", "Intelligence Cooperation"),
    ("security", "PR", "protection-prevention-response", "Protection, Prevention and Response"),
    ("security", "BO", "border-facilitation", "Border Facilitation"),
    ("security", "ST", "science-technology", "Science and Technology Cooperation"),
]
# (slug, kind, released_on, covers_through, title); the first eighteen are the seed data's reports.
REPORTS = [
    ("report-to-leaders-2005", "report-to-leaders", "2005-06-27", None, "Report to Leaders, June 2005"),
    ("report-to-leaders-2006", "report-to-leaders", "2006-09-07", "2006-06-15", "Report to Leaders, 2006"),
    ("leaders-progress-statement-2006-03", "leaders-statement", "2006-03-31", None, "Progress statement"),
    ("leaders-next-steps-2006-03", "leaders-statement", "2006-03-31", None, "Next steps, Cancun"),
    ("spp-accomplishments-2006-06", "agency-release", "2006-06-15", "2006-06-15", "SPP accomplishments"),
    ("ministers-statement-2007-02", "ministers-statement", "2007-02-23", None, "Ministers' statement, 2007"),
    ("leaders-statement-montebello-2007", "leaders-statement", "2007-08-21", None, "Montebello statement"),
    ("ministers-statement-2008-02", "ministers-statement", "2008-02-28", None, "Ministers' statement, 2008"),
    ("leaders-statement-new-orleans-2008", "leaders-statement", "2008-04-22", None, "New Orleans statement"),
    ("nacc-initial-recommendations-2007-02", "nacc-report", None, None, "NACC initial recommendations"),
    ("nacc-report-2007-08", "nacc-report", None, None, "NACC report, August 2007"),
    ("doe-energy-picture-ii-release-2006-03", "agency-release", "2006-03-02", None, "Energy picture II"),
    ("nacc-launch-release-2006-06", "agency-release", "2006-06-15", None, "NACC launch"),
    ("oil-sands-workshop-report-2006", "experts-report", None, None, "Oil sands workshop report"),
    ("dot-open-skies-signing-2007-03", "agency-release", "2007-03-12", None, "Open skies signing"),
    ("energy-ministers-victoria-2007-07", "ministers-statement", "2007-07-23", None, "Energy ministers"),
    ("hhs-health-mou-release-2007-11", "agency-release", "2007-11-01", None, "Health MOU"),
    ("transport-ministers-declaration-2008-06", "ministers-statement", "2008-06-10", None, "Transport"),
    ("bench-progress-report-2008-08", "other", "2008-08-15", "2008-08-15", "Progress report, August 2008"),
    ("bench-status-update-2009-03", "other", "2009-03-31", None, "Status update, March 2009"),
]
SUMMITS = [
    ("waco-2005", "Waco leaders' meeting", "leaders-summit", "US", "2005-03-23"),
    ("ottawa-ministerial-2005", "Ottawa ministerial", "ministerial", "CA", "2005-06-27"),
    ("cancun-2006", "Cancun leaders' summit", "leaders-summit", "MX", "2006-03-31"),
    ("ottawa-ministerial-2007", "Ottawa ministerial", "ministerial", "CA", "2007-02-23"),
    ("montebello-2007", "Montebello leaders' summit", "leaders-summit", "CA", "2007-08-21"),
    ("ministerial-2008", "Ministerial meeting", "ministerial", "US", "2008-02-28"),
    ("new-orleans-2008", "New Orleans leaders' summit", "leaders-summit", "US", "2008-04-22"),
    ("guadalajara-2009", "Guadalajara leaders' summit", "leaders-summit", "MX", "2009-08-10"),
]
REPORT_SUMMIT = {
    "report-to-leaders-2005": "ottawa-ministerial-2005",
    "leaders-progress-statement-2006-03": "cancun-2006",
    "leaders-next-steps-2006-03": "cancun-2006",
    "ministers-statement-2007-02": "ottawa-ministerial-2007",
    "leaders-statement-montebello-2007": "montebello-2007",
    "ministers-statement-2008-02": "ministerial-2008",
    "leaders-statement-new-orleans-2008": "new-orleans-2008",
}
# Status report dates: the reports that stated statuses, in order. An item's k-th status is stated at
# slot (start + k - 1); a quarter of them come from no report, a few weeks later.
STATUS_SLOTS = [
    ("2005-06-27", "report-to-leaders-2005"),
    ("2006-03-31", "leaders-progress-statement-2006-03"),
    ("2006-06-15", "report-to-leaders-2006"),
    ("2007-02-23", "ministers-statement-2007-02"),
    ("2007-08-21", "leaders-statement-montebello-2007"),
    ("2008-02-28", "ministers-statement-2008-02"),
    ("2008-04-22", "leaders-statement-new-orleans-2008"),
    ("2008-08-15", "bench-progress-report-2008-08"),
]
# Targets are set by Reports to Leaders and summit statements; a moved target is a later row.
DEADLINE_SLOTS = [
    ("2005-06-27", "report-to-leaders-2005"),
    ("2006-09-07", "report-to-leaders-2006"),
    ("2007-08-21", "leaders-statement-montebello-2007"),
    ("2008-04-22", "leaders-statement-new-orleans-2008"),
]
# How an item's status moved from one report to the next (k-th status = path[k - 1]).
PATHS = [
    ["not-started", "initiated", "on-track", "ongoing", "completed", "completed", "completed"],
    ["initiated", "on-track", "delayed", "ongoing", "ongoing", "completed", "completed"],
    ["initiated", "delayed", "delayed", "on-track", "ongoing", "ongoing", "ongoing"],
    ["not-started", "initiated", "delayed", "delayed", "dropped", "dropped", "dropped"],
    ["not-started", "not-started", "initiated", "initiated", "initiated", "on-track", "on-track"],
]
PER_COUNTRY_STATUSES = ["delayed", "on-track", "initiated"]
TOPICS = [
    "rules of origin", "pipeline safety", "steel trade", "textile labelling", "e-commerce consumer protection",
    "spectrum sharing", "electricity reliability", "oil sands research", "air quality reporting",
    "invasive species", "financial data exchange", "temporary entry of professionals", "cargo pre-clearance",
    "food safety standards", "pesticide residue limits", "cattle traceability", "open skies aviation",
    "intelligent transportation systems", "pandemic influenza planning", "drug registration",
    "trusted traveller programs", "biometric passports", "container inspection", "vaccine stockpiles",
    "aviation passenger screening", "maritime domain awareness", "port security", "fugitive extradition",
    "firearms trafficking", "critical infrastructure protection", "emergency response", "border wait times",
    "land border crossings", "nuclear detection", "cyber security", "satellite navigation",
    "water quality monitoring", "migratory bird habitat", "automotive standards", "chemical regulation",
    "medical device approval", "customs data harmonization", "radio frequency coordination",
    "energy efficiency labelling", "natural gas interconnection", "bioterrorism defence",
    "plant health inspection", "seafood certification", "wireless roaming", "regulatory cooperation",
]  # fmt: skip
ACTIONS = [
    "Harmonize", "Streamline", "Coordinate", "Develop a framework for", "Pilot", "Expand", "Review",
    "Align", "Establish a working group on", "Share information on", "Negotiate an agreement on", "Implement",
]  # fmt: skip
PARTNERS = [
    "the three regulators", "industry associations", "state and provincial agencies", "customs authorities",
    "the NACC", "border communities", "standards bodies", "the science agencies",
]  # fmt: skip
SOURCE_HOSTS = ["www.commerce.gov", "www.international.gc.ca", "www.economia.gob.mx", "news.example.com"]
N_SOURCES = 200
N_NACC = 15
NACC_LINKS = 20
SEARCH_TERM = "pipeline"  # one topic in fifty: about 2% of the items


def multiplier(salt):
    return random.Random(f"spp-bench-{salt}").getrandbits(32) | 1


def h(expr, salt):
    """A deterministic pseudo-random integer in 0..65535 for each value of ``expr`` (Fibonacci-style
    multiplicative hashing; each salt has its own multiplier, so different salts are independent)."""
    return f"((CAST({expr} AS BIGINT) * {multiplier(salt)}) % 4294967296 / 65536)"


class Dialect:
    def __init__(self, vendor):
        self.pg = vendor == "postgresql"

    def series(self, n, alias="s", column="i"):
        """(a WITH prefix, the FROM item) giving the rows ``alias.column`` = 1..n."""
        a, c = alias, column
        if self.pg:
            return "", f"generate_series(1, {int(n)}) AS {a}({c})"
        return (
            f"WITH RECURSIVE {a}({c}) AS (SELECT 1 UNION ALL SELECT {c} + 1 FROM {a} WHERE {c} < {int(n)}) ",
            a,
        )

    def date(self, iso):
        return f"DATE '{iso}'" if self.pg else f"'{iso}'"

    def add_days(self, date_sql, days_sql):
        if self.pg:
            return f"({date_sql} + CAST({days_sql} AS INTEGER))"
        return f"date({date_sql}, '+' || ({days_sql}) || ' days')"

    def month_index(self, date_sql):
        if self.pg:
            return f"(CAST(EXTRACT(YEAR FROM {date_sql}) AS INTEGER) * 12 + CAST(EXTRACT(MONTH FROM {date_sql}) AS INTEGER))"
        return f"(CAST(strftime('%Y', {date_sql}) AS INTEGER) * 12 + CAST(strftime('%m', {date_sql}) AS INTEGER))"

    def month_text(self, date_sql):
        return f"to_char({date_sql}, 'FMMonth YYYY')" if self.pg else f"strftime('%Y-%m', {date_sql})"

    def zpad(self, expr, width):
        return f"lpad(CAST({expr} AS TEXT), {width}, '0')" if self.pg else f"printf('%0{width}d', {expr})"

    def uid(self, kind, expr):
        """A unique, deterministic UUID per (kind, value), the same on both databases. Increasing with
        the value: inserted in order, the unique index is appended to (random UUIDs scattered over an
        index larger than shared_buffers doubled the time of the status reports at 1m)."""
        if self.pg:
            return f"CAST('{ord(kind):08x}' || lpad(to_hex(CAST({expr} AS BIGINT)), 24, '0') AS UUID)"
        return f"printf('%08x%024x', {ord(kind)}, {expr})"  # char(32) hex, as Django stores UUIDs

    def timestamp(self, value):
        if self.pg:
            return f"TIMESTAMPTZ '{value.isoformat()}'"
        return "'" + value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ") + "'"


class DerivedMismatch(RuntimeError):
    """The generator's SQL restatement of the derived-field rules disagrees with the app's own refresh
    on the sample: the data is not what the app would hold, so the generation stops (rolled back)."""


def differences(wrong, fields, sampled, shown=5):
    """A message naming the first differing items and, for each, the fields with both values.
    ``wrong``: [((ref, *generated values), (ref, *the app's values))]."""
    lines = [
        f"the generator's derived columns differ from the app's refresh_derived() on {len(wrong)} "
        f"of {sampled} sampled items; fix the SQL in bench/generate.py (Generator.derived) to follow the "
        "model rules. First differences:"
    ]
    for mine, theirs in wrong[:shown]:
        changed = [
            f"{name} generated {a!r}, the app {b!r}"
            for name, a, b in zip(fields, mine[1:], theirs[1:], strict=True)
            if a != b
        ]
        lines.append(f"  {mine[0]}: " + "; ".join(changed))
    return "\n".join(lines)


def state_rows(ids):
    """The sampled items' state-history rows, without their ids."""
    from agenda.models import ItemState

    fields = [f.attname for f in ItemState._meta.fields if f.name != "id"]
    return sorted(ItemState.objects.filter(irritant_id__in=ids).values_list(*fields), key=repr)


def counter_sums():
    """Every group's count on every day it changes (the dashboard counters, summed)."""
    from django.db.models import Sum

    from agenda.models import StateCount

    rows = StateCount.objects.values_list("is_current", "dimension", "key", "status", "day")
    return {row[:-1]: row[-1] for row in rows.annotate(total=Sum("n")).order_by() if row[-1]}


# --- the bench's own marker -------------------------------------------------------------------------
def meta_exists():
    return META_TABLE in connection.introspection.table_names()


def read_meta():
    if not meta_exists():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, value FROM {META_TABLE}")
        return dict(cursor.fetchall())


def write_meta(values):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key VARCHAR(100) PRIMARY KEY, value TEXT)")
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.executemany(
            f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s)", [(k, str(v)) for k, v in values.items()]
        )


def data_tables():
    """Every table of the SPP record except the reference rows the migrations create."""
    keep = {Country._meta.db_table, Agenda._meta.db_table}
    tables = []
    for label in ("agenda", "summits"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.db_table not in keep and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


def clear():
    """Remove the generated data (and the marker), keeping the migrated schema."""
    tables = data_tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')
            cursor.execute(
                "DELETE FROM sqlite_sequence WHERE name IN (" + ", ".join(f"'{t}'" for t in tables) + ")"
            )
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")


# --- generation ------------------------------------------------------------------------------------
class Generator:
    def __init__(self, scale, *, out=print):
        self.n = int(scale)
        self.d = Dialect(connection.vendor)
        self.out = out
        self.now = timezone.now()
        self.rows = {}
        self.steps = []

    def run(self):
        started = time.perf_counter()
        with transaction.atomic():
            self.tune()
            dropped = self.drop_secondary_indexes()
            self.step("reference rows", self.reference)
            self.step("lookup tables", self.lookup_tables)
            # The items' rows first (their foreign keys are checked at commit), then the derived
            # values from them, then each item written once with its derived columns: no UPDATE of a
            # million rows, no table to rewrite, every index built once.
            self.step("irritant countries and sources", self.irritant_links)
            self.step("deadlines", self.deadlines)
            self.step("status reports", self.status_reports)
            self.step("derived values (set-based, the model rules)", self.derived)
            self.step("irritants", self.irritants)
            self.step("NACC recommendations", self.nacc_links)
            self.step("secondary indexes", lambda: self.recreate_indexes(dropped))
            # The dashboard's state history and counters, by the app's own set-based builder (after
            # the indexes: it reads each item's rows as of each day it changed).
            self.step("state history and counters (services.states_rebuild)", self.state_history)
            self.drop_lookup_tables()
            self.count_rows()
            self.step("check against the model's rule", self.verify)
            write_meta(
                {
                    "scale": self.n,
                    "generator": GENERATOR_VERSION,
                    "generated_at": self.now.isoformat(),
                    **{f"rows.{k}": v for k, v in self.rows.items()},
                }
            )
        written = time.perf_counter() - started
        self.step("VACUUM / ANALYZE", self.vacuum)
        total = time.perf_counter() - started
        rows = sum(self.rows.values())
        self.out(
            f"generated {rows:,} rows in {total:.1f} s ({rows / total:,.0f} rows/s; "
            f"{written:.1f} s before VACUUM/ANALYZE)"
        )
        return {"seconds": total, "rows": rows, "counts": dict(self.rows), "steps": self.steps}

    def step(self, label, fn):
        t0 = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - t0
        self.steps.append((label, elapsed))
        self.out(f"  {label}: {elapsed:.1f} s")

    def execute(self, sql, label=None):  # label: what the statement writes (for readers)
        with connection.cursor() as cursor:
            cursor.execute(sql)

    def count_rows(self):
        """Rows written per table (counted: SQLite gives no rowcount for WITH ... INSERT)."""
        with connection.cursor() as cursor:
            for table in self.BULK_TABLES:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                self.rows[table.removeprefix("agenda_")] = cursor.fetchone()[0]

    def state_history(self):
        from agenda.services import states_rebuild

        states_rebuild()
        with connection.cursor() as cursor:
            for table in ("agenda_itemstate", "agenda_statecount"):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                self.rows[table.removeprefix("agenda_")] = cursor.fetchone()[0]

    def verify(self, sample=200):
        """Check the set-based derived columns, state history and dashboard counters against the
        app's own refresh (``IrritantQuerySet.refresh_derived``) on a sample of items, in a savepoint
        rolled back after; any difference stops the generation (``DerivedMismatch``)."""
        fields = DERIVED_FIELDS
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM agenda_irritant WHERE id % {max(1, self.n // sample)} = 0")
            ids = [row[0] for row in cursor.fetchmany(sample)]
        items = Irritant.objects.filter(pk__in=ids)
        generated = {row[0]: row[1:] for row in items.values_list("pk", "ref", *fields)}
        states, counts = state_rows(ids), counter_sums()
        with transaction.atomic():
            items.refresh_derived()
            expected = {row[0]: row[1:] for row in items.values_list("pk", "ref", *fields)}
            expected_states, expected_counts = state_rows(ids), counter_sums()
            transaction.set_rollback(True)
        wrong = [(generated[pk], expected[pk]) for pk in ids if generated[pk] != expected[pk]]
        if wrong:
            raise DerivedMismatch(differences(wrong, fields, len(ids)))
        if states != expected_states or counts != expected_counts:
            raise DerivedMismatch(
                f"the state history or dashboard counters differ from the app's refresh on the {len(ids)} "
                f"sampled items: {len(set(states) ^ set(expected_states))} state rows and "
                f"{len(set(counts.items()) ^ set(expected_counts.items()))} counter sums differ"
            )
        self.out(
            f"  derived columns, state history and counters agree with the app's refresh_derived() on "
            f"{len(ids)} sampled items"
        )

    # -- speed-ups for a bulk load (all inside the one transaction: nothing is lost on failure)
    def tune(self):
        with connection.cursor() as cursor:
            if self.d.pg:
                cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")  # index builds (GIN trigram)
                cursor.execute("SET LOCAL work_mem = '256MB'")  # the derived values' sorts
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                if cursor.fetchone()[0]:
                    # The rows are consistent by construction (every key comes from a join on the
                    # referenced table); skipping one deferred FK trigger per row saves minutes at 1M.
                    cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                cursor.execute("PRAGMA cache_size = -262144")

    BULK_TABLES = [
        "agenda_irritant",
        "agenda_irritant_countries",
        "agenda_irritant_sources",
        "agenda_deadline",
        "agenda_deadline_sources",
        "agenda_statusreport",
        "agenda_statusreport_sources",
    ]

    def drop_secondary_indexes(self):
        """PostgreSQL: drop the bulk tables' plain indexes (not those of constraints) for the load and
        build them afterwards, which is much faster than maintaining them row by row."""
        if not self.d.pg:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT ci.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                JOIN pg_class t ON t.oid = i.indrelid
                JOIN pg_class ci ON ci.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
                WHERE t.relname = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                """,
                [self.BULK_TABLES],
            )
            dropped = cursor.fetchall()
            for name, _definition in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
        return dropped

    def recreate_indexes(self, dropped):
        with connection.cursor() as cursor:
            for _name, definition in dropped:
                cursor.execute(definition)

    # -- reference rows (a few hundred; the ORM is fine)
    def reference(self):
        countries = {c.code: c for c in Country.objects.all()}
        agendas = {a.slug: a for a in Agenda.objects.all()}
        sources = []
        for n in range(N_SOURCES):
            url = f"https://{SOURCE_HOSTS[n % len(SOURCE_HOSTS)]}/spp/bench-{n:03d}.html"
            sources.append(Source(url=url, title=f"Bench source {n}", kind=classify_url(url)))
        self.sources = Source.objects.bulk_create(sources)
        summits = {}
        for slug, name, kind, code, day in SUMMITS:
            summits[slug] = Summit(
                slug=slug,
                name=name,
                kind=kind,
                country=countries[code],
                start_date=day,
                end_date=day,
                participants=["George W. Bush", "Stephen Harper", "Felipe Calderón"],
            )
        Summit.objects.bulk_create(summits.values())
        reports = [
            Report(
                slug=slug,
                title=title,
                kind=kind,
                is_official=True,
                released_on=released,
                covers_through=covers,
                summit=summits.get(REPORT_SUMMIT.get(slug)),
            )
            for slug, kind, released, covers, title in REPORTS
        ]
        self.reports = {r.slug: r for r in Report.objects.bulk_create(reports)}
        groups = [
            WorkingGroup(slug=slug, name=name, agenda=agendas[agenda])
            for agenda, _code, slug, name in WORKING_GROUPS
        ]
        self.groups = WorkingGroup.objects.bulk_create(groups)
        through = WorkingGroup.sources.through
        through.objects.bulk_create(
            through(workinggroup_id=g.pk, source_id=self.sources[(3 * n + k) % N_SOURCES].pk)
            for n, g in enumerate(self.groups)
            for k in range(3)
        )
        LeadDepartment.objects.bulk_create(
            LeadDepartment(
                working_group=g,
                country=countries[code],
                department=f"{code} lead for {g.name}",
                level="group",
            )
            for g in self.groups
            for code in ("CA", "MX", "US")
        )
        signatures = []
        for agenda in ("prosperity", "security"):
            for n in range(9):
                signatures.append(
                    SignatureInitiative(
                        slug=f"bench-{agenda}-initiative-{n}",
                        name=f"{agenda.title()} signature initiative {n + 1}",
                        agenda=agendas[agenda],
                        basket=f"Basket {n % 3 + 1}",
                    )
                )
        self.signatures = SignatureInitiative.objects.bulk_create(signatures)
        self.countries, self.agendas = countries, agendas
        self.rows["reference"] = (
            len(sources) + len(summits) + len(reports) + len(groups) * 7 + len(signatures)
        )

    def lookup_tables(self):
        """Small temporary tables the bulk statements join to (index -> id, word, date)."""
        letters = {"prosperity": "P", "security": "S"}
        tables = {
            "bench_wg (n INTEGER PRIMARY KEY, id BIGINT, agenda_id BIGINT, letter VARCHAR(1), code VARCHAR(4))": [
                (n, g.pk, g.agenda_id, letters[WORKING_GROUPS[n][0]], WORKING_GROUPS[n][1])
                for n, g in enumerate(self.groups)
            ],
            "bench_sig (agenda_id BIGINT, n INTEGER, id BIGINT, PRIMARY KEY (agenda_id, n))": [
                (s.agenda_id, n % 9, s.pk) for n, s in enumerate(self.signatures)
            ],
            "bench_src (n INTEGER PRIMARY KEY, id BIGINT)": [(n, s.pk) for n, s in enumerate(self.sources)],
            "bench_country (n INTEGER PRIMARY KEY, id BIGINT, bit INTEGER)": [
                (n, self.countries[code].pk, COUNTRY_BITS[code]) for n, code in enumerate(("CA", "MX", "US"))
            ],
            "bench_topic (n INTEGER PRIMARY KEY, word VARCHAR(100))": list(enumerate(TOPICS)),
            "bench_action (n INTEGER PRIMARY KEY, word VARCHAR(100))": list(enumerate(ACTIONS)),
            "bench_partner (n INTEGER PRIMARY KEY, word VARCHAR(100))": list(enumerate(PARTNERS)),
            "bench_k (k INTEGER PRIMARY KEY)": [(k,) for k in range(1, 8)],
            "bench_path (path INTEGER, j INTEGER, status VARCHAR(20), PRIMARY KEY (path, j))": [
                (p, j + 1, status) for p, path in enumerate(PATHS) for j, status in enumerate(path)
            ],
            "bench_alt (n INTEGER PRIMARY KEY, status VARCHAR(20))": list(enumerate(PER_COUNTRY_STATUSES)),
            "bench_slot (n INTEGER PRIMARY KEY, day DATE, report_id BIGINT)": [
                (n, datetime.date.fromisoformat(day), self.reports[slug].pk)
                for n, (day, slug) in enumerate(STATUS_SLOTS)
            ],
            "bench_dslot (n INTEGER PRIMARY KEY, day DATE, report_id BIGINT, year VARCHAR(4))": [
                (n, datetime.date.fromisoformat(day), self.reports[slug].pk, day[:4])
                for n, (day, slug) in enumerate(DEADLINE_SLOTS)
            ],
        }
        self.lookup_names = []
        with connection.cursor() as cursor:
            for definition, rows in tables.items():
                name = definition.split(" ", 1)[0]
                self.lookup_names.append(name)
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(f"CREATE TEMPORARY TABLE {definition}")
                width = len(rows[0])
                cursor.executemany(f"INSERT INTO {name} VALUES ({', '.join(['%s'] * width)})", rows)

    def drop_lookup_tables(self):
        with connection.cursor() as cursor:
            for name in self.lookup_names + getattr(self, "derived_names", []):
                cursor.execute(f"DROP TABLE IF EXISTS {name}")

    # -- the bulk
    def item_report(self, i):
        """The report that put item ``i`` on the record: 60% the June 2005 Report to Leaders, 25% the
        2006 one, 10% three others, 5% none."""
        r = self.reports
        other = [r[slug].pk for slug in ("leaders-progress-statement-2006-03", "spp-accomplishments-2006-06")]
        other += [r["leaders-statement-montebello-2007"].pk]
        return (
            f"(CASE WHEN {h(i, 3)} % 100 < 60 THEN {r['report-to-leaders-2005'].pk} "
            f"WHEN {h(i, 3)} % 100 < 85 THEN {r['report-to-leaders-2006'].pk} "
            f"WHEN {h(i, 3)} % 100 < 95 THEN CASE {h(i, 9)} % 3 "
            f"WHEN 0 THEN {other[0]} WHEN 1 THEN {other[1]} ELSE {other[2]} END ELSE NULL END)"
        )

    @staticmethod
    def staff(i):
        """1% of the items carry a category set by staff (the rule leaves them alone)."""
        return f"{h(i, 8)} % 100 = 0"

    def irritants(self):
        """Item ``i`` gets id ``i`` (the table is empty), its derived columns from bench_derived."""
        d, now = self.d, self.d.timestamp(self.now)
        prefix, series = d.series(self.n)
        staff = self.staff("s.i")
        self.execute(
            f"""{prefix}INSERT INTO agenda_irritant (id, created_at, updated_at, ref, title, summary, category,
                category_basis, confidence, current_status, current_status_on, due_on, original_due_on, country_bits,
                agenda_id, report_id, signature_initiative_id, working_group_id, version)
            SELECT s.i, {now}, {now},
                w.letter || '-' || w.code || '-' || {d.zpad("s.i", 7)},
                a.word || ' ' || t.word || ' (' || w.code || ' ' || CAST(s.i AS TEXT) || ')',
                'Commitment to ' || lower(a.word) || ' ' || t.word || ' with ' || p.word
                    || '; progress is reported to leaders in each Report to Leaders and followed by the '
                    || 'working group until the item is completed or dropped.',
                CASE WHEN {staff} THEN 'long-term' ELSE dv.category END,
                CASE WHEN {staff} THEN '{CategoryBasis.STAFF}'
                    WHEN dv.category = '' THEN '{CategoryBasis.UNCLASSIFIED}' ELSE '{CategoryBasis.DERIVED}' END,
                CASE WHEN {h("s.i", 2)} % 5 = 0 THEN 'secondary' ELSE 'verbatim' END,
                dv.status, dv.status_on, dv.due, dv.orig, {self.mask("s.i")},
                w.agenda_id,
                {self.item_report("s.i")},
                sg.id,
                CASE WHEN {h("s.i", 6)} % 100 < 4 THEN NULL ELSE w.id END,
                1
            FROM {series}
            JOIN bench_derived dv ON dv.id = s.i
            JOIN bench_wg w ON w.n = {h("s.i", 1)} % {len(WORKING_GROUPS)}
            JOIN bench_topic t ON t.n = {h("s.i", 7)} % {len(TOPICS)}
            JOIN bench_action a ON a.n = {h("s.i", 10)} % {len(ACTIONS)}
            JOIN bench_partner p ON p.n = {h("s.i", 11)} % {len(PARTNERS)}
            LEFT JOIN bench_sig sg ON sg.agenda_id = w.agenda_id AND sg.n = {h("s.i", 5)} % 9
                AND {h("s.i", 4)} % 10 < 3
            ORDER BY s.i""",
            "irritants",
        )
        if d.pg:  # ids were given: move the identity sequence past them
            self.execute(
                "SELECT setval(pg_get_serial_sequence('agenda_irritant', 'id'), "
                "(SELECT COALESCE(MAX(id), 1) FROM agenda_irritant))"
            )

    @staticmethod
    def mask(id_sql):
        """Which countries take part (bits CA=1, MX=2, US=4): 60% trilateral, 30% bilateral, 5% one
        country, 5% not stated."""
        b, c = f"{h(id_sql, 20)} % 100", f"{h(id_sql, 21)} % 3"
        return (
            f"(CASE WHEN {b} < 5 THEN 0 WHEN {b} < 10 THEN (CASE {c} WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 4 END) "
            f"WHEN {b} < 40 THEN (CASE {c} WHEN 0 THEN 5 WHEN 1 THEN 6 ELSE 3 END) ELSE 7 END)"
        )

    def irritant_links(self):
        prefix, items = self.d.series(self.n, "i", "id")  # item i, before the items themselves exist
        self.execute(
            f"""{prefix}INSERT INTO agenda_irritant_countries (irritant_id, country_id)
            SELECT i.id, c.id FROM {items} JOIN bench_country c ON ({self.mask("i.id")} & c.bit) <> 0""",
            "irritant countries",
        )
        first = f"{h('i.id', 23)} % {N_SOURCES}"
        second = f"({first} + 1 + {h('i.id', 24)} % {N_SOURCES - 1}) % {N_SOURCES}"
        self.execute(
            f"""{prefix}INSERT INTO agenda_irritant_sources (irritant_id, source_id)
            SELECT i.id, src.id FROM {items}
            JOIN bench_k k ON k.k <= 1 + {h("i.id", 22)} % 2
            JOIN bench_src src ON src.n = CASE WHEN k.k = 1 THEN {first} ELSE {second} END""",
            "irritant sources",
        )

    def deadlines(self):
        """1-3 targets per item (50% one, 30% two, 20% three): the first set by the June 2005 Report
        to Leaders (85%) or the 2006 one; each later one moves the target at a later report. 10% of
        first targets are undated ("by fall 2005"); 5% of targets cite no report."""
        d, now = self.d, self.d.timestamp(self.now)
        prefix, items = d.series(self.n, "i", "id")
        b = f"{h('i.id', 30)} % 100"
        count = f"(1 + CASE WHEN {b} >= 50 THEN 1 ELSE 0 END + CASE WHEN {b} >= 80 THEN 1 ELSE 0 END)"
        start = f"(CASE WHEN {h('i.id', 31)} % 100 < 85 THEN 0 ELSE 1 END)"
        key = "(i.id * 8 + k.k)"
        undated = f"(k.k = 1 AND {h('i.id', 32)} % 10 = 0)"
        no_report = f"{h(key, 33)} % 100 < 5"
        due = d.add_days("ds.day", f"60 + {h(key, 34)} % 1900")
        self.execute(
            f"""{prefix}INSERT INTO agenda_deadline (created_at, updated_at, uid, confidence, note, set_on, target_text,
                due_on, created_by_id, report_id, irritant_id, version)
            SELECT {now}, {now}, {d.uid("d", key)},
                CASE WHEN {h(key, 35)} % 5 = 0 THEN 'secondary' ELSE 'verbatim' END,
                CASE WHEN {no_report} THEN 'Seen in a secondary source; no report states it.' ELSE '' END,
                ds.day,
                CASE WHEN {undated} THEN 'by fall ' || ds.year ELSE 'by ' || {d.month_text(due)} END,
                CASE WHEN {undated} THEN NULL ELSE {due} END,
                NULL,
                CASE WHEN {no_report} THEN NULL ELSE ds.report_id END,
                i.id, 1
            FROM {items}
            JOIN bench_k k ON k.k <= {count}
            JOIN bench_dslot ds ON ds.n = {start} + k.k - 1""",
            "deadlines",
        )
        self.execute(
            f"""INSERT INTO agenda_deadline_sources (deadline_id, source_id)
            SELECT dl.id, src.id FROM agenda_deadline dl JOIN bench_src src ON src.n = {h("dl.id", 36)} % {N_SOURCES}
            WHERE {h("dl.id", 37)} % 10 < 4""",
            "deadline sources",
        )

    def status_reports(self):
        """3-6 statuses per item at successive reports (a quarter seen a few weeks later in no report),
        plus, for trilateral items, per-country statuses on the same day as some of them: about 5 per
        item in all."""
        d, now = self.d, self.d.timestamp(self.now)
        prefix, items = d.series(self.n, "i", "id")
        count = f"(3 + {h('i.id', 40)} % 4)"
        start = f"{h('i.id', 41)} % 3"
        b = f"{h('i.id', 42)} % 100"
        path = f"(CASE WHEN {b} < 40 THEN 0 WHEN {b} < 65 THEN 1 WHEN {b} < 85 THEN 2 WHEN {b} < 95 THEN 3 ELSE 4 END)"
        key = "(i.id * 16 + k.k)"
        no_report = f"{h(key, 43)} % 100 < 25"
        joins = f"""FROM {items}
            JOIN bench_k k ON k.k <= {count}
            JOIN bench_slot sl ON sl.n = {start} + k.k - 1"""
        columns = """(created_at, updated_at, uid, confidence, note, as_of, status, country_id, created_by_id,
                irritant_id, report_id, version)"""
        self.execute(
            f"""{prefix}INSERT INTO agenda_statusreport {columns}
            SELECT {now}, {now}, {d.uid("s", key)},
                CASE WHEN {h(key, 44)} % 5 = 0 THEN 'secondary' ELSE 'verbatim' END,
                CASE WHEN {no_report} THEN 'Reported in the press; no report states it.' ELSE '' END,
                CASE WHEN {no_report} THEN {d.add_days("sl.day", f"1 + {h(key, 45)} % 40")} ELSE sl.day END,
                p.status, NULL, NULL, i.id,
                CASE WHEN {no_report} THEN NULL ELSE sl.report_id END,
                1
            {joins}
            JOIN bench_path p ON p.path = {path} AND p.j = k.k""",
            "status reports",
        )
        self.execute(
            f"""{prefix}INSERT INTO agenda_statusreport {columns}
            SELECT {now}, {now}, {d.uid("s", "(i.id * 16 + 8 + k.k)")}, 'verbatim',
                'The partners diverged: this status is for one country.',
                sl.day, alt.status, c.id, NULL, i.id, sl.report_id, 1
            {joins}
            JOIN bench_country c ON c.n = {h(key, 46)} % 3
            JOIN bench_alt alt ON alt.n = {h(key, 47)} % {len(PER_COUNTRY_STATUSES)}
            WHERE {self.mask("i.id")} = 7 AND NOT ({no_report}) AND {h(key, 48)} % 100 < 25""",
            "status reports",
        )
        self.execute(
            f"""INSERT INTO agenda_statusreport_sources (statusreport_id, source_id)
            SELECT sr.id, src.id FROM agenda_statusreport sr
            JOIN bench_src src ON src.n = {h("sr.id", 49)} % {N_SOURCES}
            WHERE {h("sr.id", 50)} % 2 = 0""",
            "status report sources",
        )

    def nacc_links(self):
        recs = NaccRecommendation.objects.bulk_create(
            NaccRecommendation(
                ref=f"NACC-B-{n + 1:02d}",
                number=n + 1,
                text=f"Recommendation {n + 1}: deepen cooperation on {TOPICS[n]}.",
                horizon=2008 + n % 3,
                report=self.reports["nacc-report-2007-08"],
            )
            for n in range(N_NACC)
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id), MAX(id) FROM agenda_irritant")
            low, high = cursor.fetchone()
        through = NaccRecommendation.irritants.through
        links = {
            (rec.pk, low + (n * 7919 + k * 104729) % (high - low + 1))
            for n, rec in enumerate(recs)
            for k in range(NACC_LINKS)
        }
        existing = set(Irritant.objects.filter(pk__in={i for _r, i in links}).values_list("pk", flat=True))
        through.objects.bulk_create(
            through(naccrecommendation_id=r, irritant_id=i) for r, i in sorted(links) if i in existing
        )
        self.rows["reference"] += len(recs) + len(links)

    # -- derived columns: the model rules, set-based
    def derived(self):
        d = self.d
        rank = (
            "CASE status " + " ".join(f"WHEN '{s}' THEN {r}" for s, r in STATUS_RANK.items()) + " ELSE 0 END"
        )
        first = "ROW_NUMBER() OVER (PARTITION BY irritant_id ORDER BY {}) AS rn"
        steps = {
            # Latest status: latest as_of; same day: the all-country report, then the slower status,
            # then the latest entered (StatusReportQuerySet.in_precedence).
            "bench_latest": f"""SELECT irritant_id, status, as_of FROM (
                SELECT irritant_id, status, as_of,
                    {first.format(f"as_of DESC, CASE WHEN country_id IS NULL THEN 0 ELSE 1 END, {rank}, id DESC")}
                FROM agenda_statusreport) x WHERE rn = 1""",
            # Target in force: the last one set (set_on, pk), dated or not.
            "bench_last_dl": f"""SELECT irritant_id, due_on FROM (
                SELECT irritant_id, due_on, {first.format("set_on DESC, id DESC")} FROM agenda_deadline) x
                WHERE rn = 1""",
            # The first target (the category rule's base), and the first dated one (the original).
            "bench_first_dl": f"""SELECT irritant_id, due_on, report_id FROM (
                SELECT irritant_id, due_on, report_id, {first.format("set_on, id")} FROM agenda_deadline) x
                WHERE rn = 1""",
            "bench_first_dated": f"""SELECT irritant_id, due_on FROM (
                SELECT irritant_id, due_on, {first.format("set_on, id")} FROM agenda_deadline
                WHERE due_on IS NOT NULL) x WHERE rn = 1""",
            "bench_completed": f"""SELECT irritant_id, MIN(as_of) AS completed_on FROM agenda_statusreport
                WHERE status = '{IrritantStatus.COMPLETED}' GROUP BY irritant_id""",
        }
        self.derived_names = [*steps, "bench_derived"]
        with connection.cursor() as cursor:
            for name, select in steps.items():
                cursor.execute(f"DROP TABLE IF EXISTS {name}")
                cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select}")
                if not d.pg:
                    cursor.execute(f"CREATE INDEX {name}_idx ON {name} (irritant_id)")
            months = f"{d.month_index('first_due')} - {d.month_index('base')}"
            done = f"{d.month_index('completed_on')} - {d.month_index('base')}"
            prefix, series = d.series(self.n)
            cursor.execute("DROP TABLE IF EXISTS bench_derived")
            # Item i's derived values, as IrritantQuerySet.refresh_derived() and agenda/categories.py
            # define them; the category rule's base is the Report to Leaders that set the first target,
            # or, for an item without targets, the one that put the item on the record.
            cursor.execute(
                f"""CREATE TEMPORARY TABLE bench_derived AS {prefix}
                SELECT id, status, status_on, due, orig,
                    CASE WHEN base IS NULL THEN ''
                        WHEN has_first = 1 AND first_due IS NOT NULL THEN
                            CASE WHEN {months} <= {categories.EARLY_HARVEST_MONTHS} THEN 'early-harvest'
                                 WHEN {months} <= {categories.BIG_IMPACT_MONTHS} THEN 'big-impact'
                                 ELSE 'long-term' END
                        WHEN completed_on IS NOT NULL AND {done} <= {categories.EARLY_HARVEST_MONTHS}
                            THEN 'early-harvest'
                        ELSE '' END AS category
                FROM (
                    SELECT s.i AS id, COALESCE(l.status, '') AS status, l.as_of AS status_on, ld.due_on AS due,
                        fd.due_on AS orig,
                        CASE WHEN f.irritant_id IS NULL THEN 0 ELSE 1 END AS has_first, f.due_on AS first_due,
                        CASE WHEN f.irritant_id IS NULL THEN ir.released_on ELSE fr.released_on END AS base,
                        c.completed_on
                    FROM {series}
                    LEFT JOIN bench_latest l ON l.irritant_id = s.i
                    LEFT JOIN bench_last_dl ld ON ld.irritant_id = s.i
                    LEFT JOIN bench_first_dl f ON f.irritant_id = s.i
                    LEFT JOIN bench_first_dated fd ON fd.irritant_id = s.i
                    LEFT JOIN bench_completed c ON c.irritant_id = s.i
                    LEFT JOIN summits_report fr ON fr.id = f.report_id AND fr.kind = '{ReportKind.REPORT_TO_LEADERS}'
                    LEFT JOIN summits_report ir ON ir.id = {self.item_report("s.i")}
                        AND ir.kind = '{ReportKind.REPORT_TO_LEADERS}'
                ) x"""
            )
            if not d.pg:
                cursor.execute("CREATE INDEX bench_derived_idx ON bench_derived (id)")

    def vacuum(self):
        """PostgreSQL: VACUUM ANALYZE (planner statistics, and the visibility map index-only scans
        need), outside the transaction."""
        if not self.d.pg:
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def generate(scale, *, out=print):
    return Generator(scale, out=out).run()
