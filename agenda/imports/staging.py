"""PostgreSQL: status reports and deadlines written set-based from a staging table.

Each checked batch is COPYed into a temporary table (dropped at commit); then a handful of
statements write the whole batch: INSERT ... SELECT of the new rows, UPDATE ... FROM of the changed
ones, their history rows (INSERT ... SELECT from the written rows, as simple_history's bulk helpers
would write them), the sources they cite (new ones created with ON CONFLICT DO NOTHING) and their
links. The touched items are refreshed once at the end, set-based, like the ORM path."""

import io
import uuid

from django.db import connection
from django.utils import timezone

from summits.models import Source, classify_url

from ..models import Deadline, Irritant, StatusReport
from .columns import DEADLINES, STATUS_REPORTS
from .writing import source_key

STAGE, STAGE_SOURCES = "import_stage", "import_stage_sources"
# The values a staged row carries, beyond its uid and the matched row's pk.
FIELDS = {
    StatusReport: ["irritant_id", "as_of", "status", "country_id", "report_id", "confidence", "note"],
    Deadline: ["irritant_id", "set_on", "target_text", "due_on", "report_id", "confidence", "note"],
}


def applies(kind):
    return connection.vendor == "postgresql" and kind in (STATUS_REPORTS, DEADLINES)


def _cell(value):
    if value is None:
        return r"\N"
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(cursor, table, columns, rows):
    """COPY ``rows`` (tuples of Python values) into ``table`` in PostgreSQL's text format."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_cell(v) for v in row) + "\n")
    buffer.seek(0)
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


class StagingWriter:
    def __init__(self, model, user):
        self.model, self.user, self.created, self.touched = model, user, False, set()
        self.table = model._meta.db_table
        self.history = model.history.model._meta.db_table
        self.through = model.sources.through
        self.owner = f"{model._meta.model_name}_id"
        self.fields = FIELDS[model]

    def create_tables(self, cursor):
        if self.created:
            cursor.execute(f"TRUNCATE {STAGE}, {STAGE_SOURCES}")
            return
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}, {STAGE_SOURCES}")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE} ON COMMIT DROP AS SELECT id AS pk, uid, {', '.join(self.fields)} "
            f"FROM {self.table} WITH NO DATA"
        )
        cursor.execute(f"ALTER TABLE {STAGE} ADD COLUMN gives_sources boolean NOT NULL DEFAULT false")
        cursor.execute(
            f"CREATE TEMP TABLE {STAGE_SOURCES} (uid uuid NOT NULL, url varchar(1000) NOT NULL, "
            "citation varchar(500) NOT NULL, kind varchar(20) NOT NULL) ON COMMIT DROP"
        )
        self.created = True

    def staged_rows(self, rows):
        """One staged tuple per row: (pk of the matched row or None, uid, values..., gives sources)."""
        for row in rows:
            target = row.target or {}
            row.uid = target.get("uid") or uuid.uuid4()
            values = [row.data[name.removesuffix("_id")] for name in self.fields]
            yield (target.get("pk"), row.uid, *values, row.data["sources"] is not None)

    @staticmethod
    def staged_sources(rows):
        for row in rows:
            for url, citation in sorted({source_key(*key) for key in row.data["sources"] or []}):
                yield row.uid, url, citation, classify_url(url) if url else "citation"

    def write(self, rows):
        if not rows:
            return
        with connection.cursor() as cursor:
            self.create_tables(cursor)
            columns = ["pk", "uid", *self.fields, "gives_sources"]
            _copy(cursor.cursor, STAGE, columns, self.staged_rows(rows))
            _copy(cursor.cursor, STAGE_SOURCES, ["uid", "url", "citation", "kind"], self.staged_sources(rows))
            cursor.execute(f"ANALYZE {STAGE}")
            self.write_rows(cursor)
            self.write_sources(cursor)
        self.touched.update(row.data["irritant"].pk for row in rows)

    def write_rows(self, cursor):
        now, user = timezone.now(), self.user.pk if self.user else None
        fields = ", ".join(self.fields)
        cursor.execute(
            f"INSERT INTO {self.table} (uid, {fields}, created_by_id, version, created_at, updated_at) "
            f"SELECT uid, {fields}, %s, 1, %s, %s FROM {STAGE} WHERE pk IS NULL",
            [user, now, now],
        )
        assignments = ", ".join(f"{f} = s.{f}" for f in self.fields)
        cursor.execute(
            f"UPDATE {self.table} t SET {assignments}, version = t.version + 1, updated_at = %s "
            f"FROM {STAGE} s WHERE t.id = s.pk",
            [now],
        )
        history_fields = ["id", "uid", "created_by_id", "version", *self.fields]
        cursor.execute(
            f"INSERT INTO {self.history} ({', '.join(history_fields)}, history_date, history_type, "
            "history_user_id, history_change_reason) "
            f"SELECT {', '.join('t.' + f for f in history_fields)}, %s, "
            f"CASE WHEN s.pk IS NULL THEN '+' ELSE '~' END, %s, NULL "
            f"FROM {STAGE} s JOIN {self.table} t ON t.uid = s.uid",
            [now, user],
        )

    def write_sources(self, cursor):
        source = Source._meta.db_table
        cursor.execute(
            f"INSERT INTO {source} (url, citation, title, kind) SELECT DISTINCT ON (url, citation) url, "
            f"citation, '', kind FROM {STAGE_SOURCES} ORDER BY url, citation ON CONFLICT (url, citation) DO NOTHING"
        )
        through = self.through._meta.db_table
        cursor.execute(
            f"DELETE FROM {through} l USING {STAGE} s WHERE l.{self.owner} = s.pk AND s.gives_sources"
        )
        cursor.execute(
            f"INSERT INTO {through} ({self.owner}, source_id) SELECT DISTINCT t.id, src.id "
            f"FROM {STAGE_SOURCES} ss JOIN {self.table} t ON t.uid = ss.uid "
            f"JOIN {source} src ON src.url = ss.url AND src.citation = ss.citation"
        )

    def finish(self):
        Irritant.objects.filter(pk__in=self.touched).refresh_derived()
