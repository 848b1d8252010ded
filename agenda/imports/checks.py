"""What every kind of row shares: the checker base class.

A checker turns a row's cells into model values and leaves the rules to the model: field rules
(lengths, choices, date bounds) through the model's fields, cross-field rules through ``clean()``,
and the natural key through the constraint the import matches on. What is left here is what only a
file has: unknown names, unparseable dates, who may write the row, and what the row would change."""

from collections import defaultdict
from functools import lru_cache

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from summits.models import Source, looks_like_address

from ..choices import Confidence
from ..columns import ParseReference
from .columns import field_columns, importer_columns
from .lookups import FK_FIELDS
from .results import CHANGE, CREATE, UNCHANGED, RowResult


def _value(obj, name):
    """A field's value for comparison: a related row counts by its primary key."""
    if isinstance(obj, dict):
        value = obj[name]
    elif name in FK_FIELDS:
        value = getattr(obj, f"{name}_id", None)
    else:
        value = getattr(obj, name)
    return value.pk if hasattr(value, "pk") else value


def field_errors(model, name, value):
    """The model field's own rules (length, choices, validators) on one value: a tuple of messages.
    Values repeat across a file (dates, statuses, notes), so each is checked once (per language)."""
    return _field_errors(model, name, value, get_language())


def source_errors(key, item):
    """The source's own field rules (length, address), as the admin would apply them."""
    return _source_errors(key, item, get_language())


@lru_cache(maxsize=4096)
def _field_errors(model, name, value, language):
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as exc:
        return tuple(exc.messages)
    return ()


@lru_cache(maxsize=4096)
def _source_errors(key, item, language):
    try:
        Source(**{key: item}).clean_fields(exclude=["kind", "title"])
    except ValidationError as exc:
        return tuple(f"{item[:80]}: {m}" for messages in exc.message_dict.values() for m in messages)
    return ()


class Checker:
    """Checks the rows of one kind, a batch at a time, against ``lookups``."""

    model = None
    kind = ""  # the file kind: the record's columns say how each cell parses
    compared = ()  # the fields a matched row may change
    fallback_column = ""  # the column named by an error clean() raises for the whole row
    date_column = ""  # the column of the date in the row's key (status reports, deadlines)

    def __init__(self, lookups, user):
        self.lookups, self.user = lookups, user
        self.read = importer_columns(self.kind)[0]
        # model field -> column: the field rules run on the plain ones; errors name the column
        self.columns = field_columns(self.kind, self.model, relations=False)
        self.related_columns = field_columns(self.kind, self.model, relations=True)

    def parse(self, values, header):
        """The cell under ``header`` as the record's column parses it (``Column.parse``): a plain
        parser, a choice (None when the cell names none) or a reference looked up in ``lookups``."""
        parse = self.read[header].parse
        if isinstance(parse, ParseReference):
            return parse(values[header], self.lookups)
        return parse(values[header])

    def refs(self, batch):
        return {
            values.get("ref", "")
            for _line, values, _n in batch
            if values and "\x00" not in values.get("ref", "")
        }

    def key_dates(self, batch):
        """The dates the batch's keys hold (None when the kind's key has none): the existing rows
        read to match are those of these dates only."""
        if not self.date_column:
            return None
        found = set()
        for _line, values, _n in batch:
            try:
                found.add(self.parse(values, self.date_column))
            except (TypeError, ValueError, KeyError):
                continue  # not a date: that row's check says so
        return found

    def check_batch(self, batch, width):
        """RowResults for ``batch`` (lines of the file), with the checked values of rows that pass."""
        self.lookups.load_batch(self.refs(batch), self.key_dates(batch))
        self.pending_sources, checked = [], []
        for line, values, count in batch:
            row = RowResult(line)
            if values is None:
                row.error(
                    "",
                    _("this line has %(count)s cells; the header has %(header)s")
                    % {"count": count, "header": width},
                )
            elif not self.check_characters(row, values):
                self.check(row, values)
            checked.append(row)
        self.compare_sources()
        return checked

    def check(self, row, values):
        raise NotImplementedError

    def check_characters(self, row, values):
        """A NUL byte cannot be stored (PostgreSQL refuses it in text); name each cell holding one."""
        for column, value in values.items():
            if "\x00" in value:
                row.error(column, _("contains a NUL byte (\\x00), which cannot be stored; remove it"))
        return bool(row.errors)

    def check_fields(self, row, values):
        """The model's field rules on each value the row gives (once the row's own values parse)."""
        if row.errors:
            return
        for name, column in self.columns.items():
            if name in values and values[name] not in (None, ""):
                for message in field_errors(self.model, name, values[name]):
                    row.error(column, message)

    def check_model(self, row, instance):
        """The model's own ``clean()`` (cross-field rules), each error on its column."""
        try:
            instance.clean()
        except ValidationError as exc:
            by_field = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            for name, messages in by_field.items():
                column = {**self.columns, **self.related_columns, NON_FIELD_ERRORS: self.fallback_column}.get(
                    name, name
                )
                for message in messages:
                    row.error(column, message)

    # -- values shared by several kinds ------------------------------------------------------------
    def irritant(self, row, values):
        ref = values["ref"]
        irritant = self.parse(values, "ref")
        if irritant is None:
            row.error("ref", _("no irritant %(ref)s; import it first as an irritant") % {"ref": ref or "''"})
        return irritant

    def confidence(self, row, values, default=Confidence.VERBATIM):
        if not values.get("confidence"):
            return default
        confidence = self.parse(values, "confidence")
        if confidence is None:
            row.error(
                "confidence", _("'%(value)s' is not verbatim or secondary") % {"value": values["confidence"]}
            )
        return confidence

    def sources(self, row, values):
        """The row's sources as (kind, value) keys; None when the file has no sources column."""
        if "sources" not in values:
            return None
        keys = []
        for item in self.parse(values, "sources"):
            key = ("url", item) if looks_like_address(item) else ("citation", item)
            for message in source_errors(*key):
                row.error("sources", message)
            keys.append(key)
        return keys

    def report(self, row, values, column):
        slug = values.get(column, "")
        if not slug:
            return None
        report = self.parse(values, column)
        if report is None:
            row.error(column, _("no report with the slug '%(slug)s'") % {"slug": slug})
        return report

    def date(self, row, values, column, *, required):
        text = values.get(column, "")
        if not text:
            if required:
                row.error(column, _("a date is required (YYYY-MM-DD)"))
            return None
        try:
            return self.parse(values, column)
        except ValueError:
            row.error(column, _("'%(value)s' is not a date; write it as YYYY-MM-DD") % {"value": text})
            return None

    # -- what a row would do -----------------------------------------------------------------------
    def classify(self, row, existing, sources):
        """CREATE, CHANGE or UNCHANGED against the matched row, with each change old -> new."""
        row.target = existing
        if existing is None:
            row.action = CREATE
            return
        shown = self.lookups.shown
        for name in self.compared_fields(row):
            old, new = _value(existing, name), _value(row.data, name)
            if old != new:
                row.changes.append(name)
                row.diffs[name] = (shown(name, old), shown(name, new))
        row.action = CHANGE if row.changes else UNCHANGED
        if sources is not None:
            self.pending_sources.append(row)  # compared once for the batch: compare_sources()

    def compared_fields(self, row):
        return self.compared

    def existing_sources(self, rows):
        """{pk: {(kind, value)}} of the matched rows, in one query per batch."""
        existing = defaultdict(set)
        objects = [row.target for row in rows if not isinstance(row.target, dict)]
        prefetch_related_objects(objects, "sources")
        for obj in objects:
            existing[obj.pk] = {
                ("url", s.url) if s.url else ("citation", s.citation) for s in obj.sources.all()
            }
        child_ids = sorted(row.target["pk"] for row in rows if isinstance(row.target, dict))
        if child_ids:
            through = self.model.sources.through
            owner = f"{self.model._meta.model_name}_id"
            links = through.objects.filter(**{f"{owner}__in": child_ids})
            for pk, url, citation in links.values_list(owner, "source__url", "source__citation"):
                existing[pk].add(("url", url) if url else ("citation", citation))
        return existing

    def compare_sources(self):
        """Whether each matched row's sources differ from the ones on record."""
        existing = self.existing_sources(self.pending_sources)
        for row in self.pending_sources:
            pk = row.target["pk"] if isinstance(row.target, dict) else row.target.pk
            if set(row.data["sources"]) != existing[pk]:
                row.changes.append("sources")
                row.diffs["sources"] = (
                    "; ".join(sorted(v for _k, v in existing[pk])),
                    "; ".join(sorted(v for _k, v in row.data["sources"])),
                )
                row.action = CHANGE
