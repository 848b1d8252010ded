"""Writing a checked batch with the ORM: bulk inserts and updates with their history rows, the
sources and countries they cite, and (at the end) one set-based refresh of the touched items.

This is the path on SQLite, and for item files everywhere; on PostgreSQL status reports and
deadlines go through staging.py instead (the same rows, written set-based from a COPY)."""

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from summits.models import Source, classify_url

from ..models import Irritant, StatusReport
from .results import CHANGE

# Record text, not interface text: stored as is (in English, as the rest of the record), whatever
# language the person importing reads.
IMPORTED_STATUS_NOTE = "Status given with the item in a CSV import of irritants."
NOT_FIELDS = ("sources", "countries", "item_status", "current status")


def source_key(kind, value):
    """(url, citation): a source's natural key from a row's (kind, value)."""
    return (value, "") if kind == "url" else ("", value)


def resolve_sources(rows):
    """{(url, citation): Source} for every source the rows cite, the missing ones created in bulk."""
    wanted = {source_key(*key) for row in rows for key in (row.data.get("sources") or [])}
    found = {}
    urls = sorted({url for url, _citation in wanted if url})
    for source in Source.objects.filter(url__in=urls, citation=""):
        found[(source.url, "")] = source
    citations = sorted({c for url, c in wanted if not url})
    for source in Source.objects.filter(url="", citation__in=citations):
        found[("", source.citation)] = source
    missing = [
        Source(url=url, citation=citation, kind=classify_url(url) if url else "citation")
        for url, citation in sorted(wanted - found.keys())
    ]
    created = Source.objects.bulk_create(missing)
    if any(source.pk is None for source in created):  # backends that return no ids
        return resolve_sources(rows)
    found.update(((source.url, source.citation), source) for source in created)
    return found


class BulkWriter:
    """Writes each checked batch as it comes; ``finish`` refreshes every item the import touched."""

    def __init__(self, model, user):
        self.model, self.user, self.touched = model, user, set()

    def write(self, rows):
        self.load_targets(rows)
        sources = resolve_sources(rows)
        new, changed, fields = self.apply(rows)
        bulk_create_with_history(new, self.model, default_user=self.user)
        if changed:
            names = [*sorted(fields), "version", "updated_at"]
            bulk_update_with_history(changed, self.model, names, default_user=self.user)
        self.write_links(rows, "sources", "source_id", lambda key: sources[source_key(*key)].pk)
        if self.model is Irritant:
            self.write_links(rows, "countries", "country_id", lambda country: country.pk)
            self.write_item_statuses([row for row in rows if row.data.get("item_status")], sources)
        self.touched.update(
            row.target.pk if self.model is Irritant else row.target.irritant_id for row in rows
        )

    def finish(self):
        Irritant.objects.filter(pk__in=self.touched).refresh_derived()

    def load_targets(self, rows):
        """Matched child rows were compared as plain values; load them as objects to write."""
        loaded = self.model.objects.in_bulk(
            [row.target["pk"] for row in rows if isinstance(row.target, dict)]
        )
        for row in rows:
            if isinstance(row.target, dict):
                row.target = loaded[row.target["pk"]]

    def apply(self, rows):
        """The rows' values set on new or matched objects: (new, changed, changed field names)."""
        now = timezone.now()
        new, changed, fields = [], [], set()
        for row in rows:
            obj = row.target or self.model()
            for name, value in row.data.items():
                if name not in NOT_FIELDS:
                    setattr(obj, name, value)
            if row.target is None:
                if self.model is not Irritant:
                    obj.created_by = self.user
                new.append(obj)
            else:
                obj.version += 1
                obj.updated_at = now
                fields.update(f for f in row.changes if f not in NOT_FIELDS)
                changed.append(obj)
            row.target = obj
        return new, changed, fields

    def write_links(self, rows, field_name, target_name, lookup):
        """Replace the sources (or countries) of the rows that give them."""
        through = getattr(self.model, field_name).through
        owner = f"{self.model._meta.model_name}_id"
        given = [row for row in rows if row.data.get(field_name) is not None]
        replaced = [row.target.pk for row in given if row.action == CHANGE]
        through.objects.filter(**{f"{owner}__in": replaced}).delete()
        links = {(row.target.pk, lookup(item)) for row in given for item in row.data[field_name]}
        through.objects.bulk_create(
            [through(**{owner: pk, target_name: other}) for pk, other in sorted(links)]
        )

    def write_item_statuses(self, rows, sources):
        """The status an item row carries, as a status report for all its countries."""
        reports = [
            StatusReport(
                irritant=row.target,
                as_of=row.data["item_status"][1],
                status=row.data["item_status"][0],
                confidence=row.target.confidence,
                note=IMPORTED_STATUS_NOTE,
                created_by=self.user,
            )
            for row in rows
        ]
        bulk_create_with_history(reports, StatusReport, default_user=self.user)
        through = StatusReport.sources.through
        links = {
            (report.pk, sources[source_key(*key)].pk)
            for report, row in zip(reports, rows, strict=True)
            for key in row.data["sources"]
        }
        through.objects.bulk_create([through(statusreport_id=r, source_id=s) for r, s in sorted(links)])
