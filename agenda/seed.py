"""Build Django fixtures from the SPP source CSVs, and load them.

``build(source_dir)`` reads ``fixtures/source/*.csv``, validates every row and returns fixture
objects keyed by output file name (natural keys throughout, no primary keys), so the fixtures load
into any database. A malformed row raises SourceDataError naming the file, the line and the reason.
Columns the build does not know are ignored, and new rows need no code change.

``load(fixture_dir)`` loads the fixtures in one transaction: rows whose natural key already exists
are left alone (staff edits survive a second ``make run``) unless ``update=True``.
"""

import csv
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import transaction

from summits.choices import CountryCode, ReportKind, SummitKind
from summits.models import classify_url, linkable

from . import signals
from .choices import (
    AgendaSlug,
    CategoryBasis,
    Confidence,
    IrritantCategory,
    IrritantStatus,
    LeadLevel,
    LineageKind,
)

UID_NAMESPACE = uuid.UUID("6b1f3c52-3d5e-4d8a-9a57-0f5e8f1b2c10")

# Output files, in load order (each only refers to objects of earlier files or its own).
FIXTURE_FILES = [
    "01_reference.json",
    "02_sources.json",
    "03_summits.json",
    "04_working_groups.json",
    "05_irritants.json",
    "06_deadlines.json",
    "07_status_reports.json",
    "08_nacc.json",
    "09_lineage.json",
]

STATUS_WORDS = {
    "not_started": IrritantStatus.NOT_STARTED,
    "initiated": IrritantStatus.INITIATED,
    "on_track": IrritantStatus.ON_TRACK,
    "delayed": IrritantStatus.DELAYED,
    "ongoing": IrritantStatus.ONGOING,
    "completed": IrritantStatus.COMPLETED,
    "dropped": IrritantStatus.DROPPED,
}
CATEGORY_WORDS = {
    "early_harvest": IrritantCategory.EARLY_HARVEST,
    "big_impact": IrritantCategory.BIG_IMPACT,
    "long_term": IrritantCategory.LONG_TERM,
}
# lineage.csv's words for a link's kind (the short forms sources.md names are accepted too).
LINEAGE_KIND_WORDS = {
    "carried_forward": LineageKind.CARRIED_FORWARD,
    "refined": LineageKind.REFINED,
    "merged_into": LineageKind.MERGED_INTO,
    "merged": LineageKind.MERGED_INTO,
    "split_from": LineageKind.SPLIT_FROM,
    "split": LineageKind.SPLIT_FROM,
    "superseded_by": LineageKind.SUPERSEDED_BY,
    "superseded": LineageKind.SUPERSEDED_BY,
    "retired": LineageKind.RETIRED,
}
SUMMIT_KIND_WORDS = {"leaders_summit": SummitKind.LEADERS_SUMMIT, "ministerial": SummitKind.MINISTERIAL}
REF_AGENDA = {"P": AgendaSlug.PROSPERITY, "S": AgendaSlug.SECURITY}
LEAD_COLUMNS = {
    "lead_ca": CountryCode.CANADA,
    "lead_mx": CountryCode.MEXICO,
    "lead_us": CountryCode.UNITED_STATES,
}
AGENDA_LEVEL = re.compile(r"^(?P<department>.+?)\s*\((?P<note>agenda-level:.*)\)$", re.S)
WITH_NOTE = re.compile(r"^(?P<department>[^(]+?)\s*\((?P<note>.*)\)$", re.S)


class SourceDataError(ValueError):
    """A source row that cannot become a record; says where and why."""

    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = Path(path), line, reason
        super().__init__(f"{self.path.name}, line {line}: {reason}")


@dataclass
class Row:
    path: Path
    line: int
    values: dict

    def error(self, reason):
        return SourceDataError(self.path, self.line, reason)

    def text(self, column, *, required=False):
        value = (self.values.get(column) or "").strip()
        if required and not value:
            raise self.error(f"column '{column}' is empty")
        return value

    def items(self, column):
        return [item.strip() for item in self.text(column).split(";") if item.strip()]

    def date(self, column, *, required=False):
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.error(f"column '{column}': {value!r} is not a date (YYYY-MM-DD)") from None

    def choice(self, column, mapping, *, required=True):
        value = self.text(column, required=required)
        if not value:
            return ""
        try:
            return mapping[value]
        except KeyError:
            allowed = ", ".join(sorted(mapping))
            raise self.error(f"column '{column}': {value!r} is not one of {allowed}") from None

    def lookup(self, column, known, what, *, required=False):
        value = self.text(column, required=required)
        if value and value not in known:
            raise self.error(f"column '{column}': no {what} {value!r}")
        return value or None


def read_csv(path: Path, required_columns) -> Iterator[Row]:
    """Rows of a UTF-8 CSV file, with line numbers as a spreadsheet shows them (header is line 1)."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise SourceDataError(path, 0, "file not found") from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            missing = [c for c in required_columns if c not in (reader.fieldnames or [])]
            if missing:
                raise SourceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
            for values in reader:
                if None in values:
                    raise SourceDataError(path, reader.line_num, "more cells than columns")
                if not any((v or "").strip() for v in values.values()):
                    continue
                yield Row(path, reader.line_num, values)
        except UnicodeDecodeError as exc:
            raise SourceDataError(path, 0, f"not UTF-8 text ({exc.reason})") from None
        except csv.Error as exc:
            raise SourceDataError(path, getattr(reader, "line_num", 0), f"malformed CSV ({exc})") from None


def stable_uid(*parts) -> str:
    return str(uuid.uuid5(UID_NAMESPACE, "|".join(str(p or "") for p in parts)))


@dataclass
class Builder:
    source_dir: Path
    out: dict = field(default_factory=lambda: {name: [] for name in FIXTURE_FILES})
    sources: dict = field(default_factory=dict)

    def add(self, file, model, fields):
        self.out[file].append({"model": model, "fields": fields})

    def source_keys(self, row, column="sources"):
        keys = []
        for url in row.items(column):
            if not linkable(url):
                raise row.error(f"column '{column}': {url!r} is not a well-formed http(s) web address")
            keys.append(self.source(url=url))
        return keys

    def source(self, *, url="", citation=""):
        key = (url, citation)
        if key not in self.sources:
            kind = classify_url(url) if url else "citation"
            self.sources[key] = {"url": url, "citation": citation, "title": "", "kind": kind}
        return [url, citation]

    def path(self, name):
        return self.source_dir / name

    # -- files ------------------------------------------------------------------------------------
    def reference(self):
        for code in CountryCode.values:
            self.add("01_reference.json", "summits.country", {"code": code})
        for slug in AgendaSlug.values:
            self.add("01_reference.json", "agenda.agenda", {"slug": slug})

    def summits(self):
        slugs = set()
        columns = ["slug", "name", "country", "start_date", "end_date", "kind", "sources"]
        for row in read_csv(self.path("summits.csv"), columns):
            slug = unique(row, "slug", slugs)
            start, end = row.date("start_date"), row.date("end_date")
            if start and end and end < start:
                raise row.error("end_date is before start_date")
            self.add(
                "03_summits.json",
                "summits.summit",
                {
                    "slug": slug,
                    "name": row.text("name", required=True),
                    "kind": row.choice("kind", SUMMIT_KIND_WORDS),
                    "city": row.text("city"),
                    "region": row.text("region"),
                    "country": [row.choice("country", {c: c for c in CountryCode.values})],
                    "start_date": iso(start),
                    "end_date": iso(end),
                    "host_leader": row.text("host_leader"),
                    "participants": row.items("leaders"),
                    "notes": row.text("notes"),
                    "sources": self.source_keys(row),
                },
            )
        return slugs

    def reports(self, summit_slugs):
        kinds = {}
        for row in read_csv(self.path("curated/report_kinds.csv"), ["slug", "kind", "is_official"]):
            kinds[row.text("slug", required=True)] = (
                row.choice("kind", {k: k for k in ReportKind.values}),
                row.choice("is_official", {"true": True, "false": False, "": None}, required=False),
            )
        slugs = set()
        columns = ["slug", "title", "released_on", "covers_through", "summit_slug", "sources"]
        for row in read_csv(self.path("reports.csv"), columns):
            slug = unique(row, "slug", slugs)
            released, covers = row.date("released_on"), row.date("covers_through")
            if released and covers and covers > released:
                raise row.error("covers_through is after released_on")
            summit = row.lookup("summit_slug", summit_slugs, "summit")
            kind, official = kinds.get(slug, (ReportKind.OTHER, None))
            self.add(
                "03_summits.json",
                "summits.report",
                {
                    "slug": slug,
                    "title": row.text("title", required=True),
                    "kind": kind,
                    "is_official": None if official == "" else official,
                    "released_on": iso(released),
                    "covers_through": iso(covers),
                    "summit": [summit] if summit else None,
                    "notes": row.text("notes"),
                    "sources": self.source_keys(row),
                },
            )
        return slugs

    def working_groups(self):
        slugs = {}
        columns = ["slug", "name", "agenda", "lead_us", "lead_ca", "lead_mx", "sources"]
        for row in read_csv(self.path("working_groups.csv"), columns):
            slug = unique(row, "slug", slugs)
            agenda = row.choice("agenda", {a: a for a in AgendaSlug.values})
            slugs[slug] = agenda
            self.add(
                "04_working_groups.json",
                "agenda.workinggroup",
                {
                    "slug": slug,
                    "name": row.text("name", required=True),
                    "agenda": [agenda],
                    "sources": self.source_keys(row),
                },
            )
            for column, country in LEAD_COLUMNS.items():
                text = row.text(column)
                if not text:
                    continue
                level, department, note = parse_lead(text)
                self.add(
                    "04_working_groups.json",
                    "agenda.leaddepartment",
                    {
                        "working_group": [slug],
                        "country": [country],
                        "department": department,
                        "level": level,
                        "note": note,
                    },
                )
        return slugs

    def signature_initiatives(self):
        by_name = {}
        slugs = set()
        for row in read_csv(self.path("signature_initiatives.csv"), ["slug", "name", "agenda", "basket"]):
            slug = unique(row, "slug", slugs)
            name = row.text("name", required=True)
            agenda = row.choice("agenda", {a: a for a in AgendaSlug.values})
            by_name[name] = (slug, agenda)
            self.add(
                "04_working_groups.json",
                "agenda.signatureinitiative",
                {"slug": slug, "name": name, "agenda": [agenda], "basket": row.text("basket")},
            )
        return by_name

    def irritants(self, groups, signatures, report_slugs):
        refs = set()
        columns = ["ref", "working_group_slug", "title", "summary", "countries", "report_slug",
                   "signature_initiative", "confidence", "sources"]  # fmt: skip
        for row in read_csv(self.path("initiatives.csv"), columns):
            ref = unique(row, "ref", refs)
            group = row.lookup("working_group_slug", groups, "working group")
            agenda = groups[group] if group else REF_AGENDA.get(ref[:1])
            if agenda is None:
                raise row.error(f"cannot tell the agenda of {ref!r}: no working group and no P-/S- prefix")
            countries = row.items("countries")
            for code in countries:
                if code not in CountryCode.values:
                    raise row.error(f"column 'countries': {code!r} is not one of CA, MX, US")
            signature = row.text("signature_initiative")
            if signature and signature not in signatures:
                raise row.error(f"column 'signature_initiative': no signature initiative named {signature!r}")
            if signature and signatures[signature][1] != agenda:
                raise row.error("the signature initiative belongs to the other agenda")
            category = (
                row.choice("category", CATEGORY_WORDS, required=False) if "category" in row.values else ""
            )
            stated = row.text("category_source") == "stated"
            self.add(
                "05_irritants.json",
                "agenda.irritant",
                {
                    "ref": ref,
                    "title": row.text("title", required=True),
                    "summary": row.text("summary"),
                    "agenda": [agenda],
                    "working_group": [group] if group else None,
                    "countries": [[c] for c in sorted(set(countries))],
                    "signature_initiative": [signatures[signature][0]] if signature else None,
                    "report": [r] if (r := row.lookup("report_slug", report_slugs, "report")) else None,
                    "category": category if stated else "",
                    "category_basis": CategoryBasis.STATED
                    if (category and stated)
                    else CategoryBasis.UNCLASSIFIED,
                    "confidence": row.choice("confidence", {c: c for c in Confidence.values}),
                    "sources": self.source_keys(row),
                },
            )
        return refs

    def deadlines(self, refs, report_slugs):
        seen = set()
        columns = ["ref", "set_on", "target_text", "target_date", "report_slug", "confidence", "sources"]
        for row in read_csv(self.path("deadline_events.csv"), columns):
            ref = row.lookup("ref", refs, "irritant", required=True)
            set_on, due = row.date("set_on", required=True), row.date("target_date")
            text = row.text("target_text")
            if not text and not due:
                raise row.error("neither target_text nor target_date is given")
            if due and due < set_on:
                raise row.error("target_date is before set_on")
            report = row.lookup("report_slug", report_slugs, "report")
            key = (ref, set_on, text, report)
            if key in seen:
                raise row.error("the same target is listed twice")
            seen.add(key)
            self.add(
                "06_deadlines.json",
                "agenda.deadline",
                {
                    "uid": stable_uid("deadline", *key),
                    "irritant": [ref],
                    "set_on": iso(set_on),
                    "target_text": text,
                    "due_on": iso(due),
                    "report": [report] if report else None,
                    "note": row.text("note"),
                    "confidence": row.choice("confidence", {c: c for c in Confidence.values}),
                    "sources": self.source_keys(row),
                },
            )

    def status_reports(self, refs, report_slugs):
        seen = set()
        columns = ["ref", "as_of", "status", "country", "report_slug", "confidence", "sources"]
        for row in read_csv(self.path("status_events.csv"), columns):
            ref = row.lookup("ref", refs, "irritant", required=True)
            as_of = row.date("as_of", required=True)
            country = row.choice("country", {c: c for c in CountryCode.values}, required=False)
            report = row.lookup("report_slug", report_slugs, "report")
            key = (ref, as_of, country, report)
            if key in seen:
                raise row.error("the same status fact is listed twice")
            seen.add(key)
            self.add(
                "07_status_reports.json",
                "agenda.statusreport",
                {
                    "uid": stable_uid("status", *key),
                    "irritant": [ref],
                    "as_of": iso(as_of),
                    "status": row.choice("status", STATUS_WORDS),
                    "country": [country] if country else None,
                    "report": [report] if report else None,
                    "note": row.text("note"),
                    "confidence": row.choice("confidence", {c: c for c in Confidence.values}),
                    "sources": self.source_keys(row),
                },
            )

    def nacc(self, report_slugs):
        refs = set()
        columns = ["ref", "number", "recommendation", "horizon", "report", "source"]
        for row in read_csv(self.path("nacc_recommendations_2007.csv"), columns):
            ref = unique(row, "ref", refs)
            self.add(
                "08_nacc.json",
                "agenda.naccrecommendation",
                {
                    "ref": ref,
                    "number": integer(row, "number", required=True),
                    "text": row.text("recommendation", required=True),
                    "horizon": integer(row, "horizon"),
                    "report": [r] if (r := row.lookup("report", report_slugs, "report")) else None,
                    "irritants": [],
                    "sources": [self.citation_or_url(row, "source")],
                },
            )
        topics = set()
        for row in read_csv(
            self.path("nacc_topics_2008_2010.csv"), ["category", "topic", "horizon", "source"]
        ):
            key = (row.text("category", required=True), row.text("topic", required=True))
            if key in topics:
                raise row.error("the same topic is listed twice")
            topics.add(key)
            horizons = []
            for year in row.items("horizon"):
                if not year.isdigit():
                    raise row.error(f"column 'horizon': {year!r} is not a year")
                horizons.append(int(year))
            self.add(
                "08_nacc.json",
                "agenda.nacctopic",
                {"category": key[0], "topic": key[1], "horizons": horizons,
                 "sources": [self.citation_or_url(row, "source")]},
            )  # fmt: skip

    def lineage(self, refs, report_slugs):
        seen = set()
        columns = ["ref", "continues_ref", "kind", "report_slug", "confidence", "sources"]
        for row in read_csv(self.path("lineage.csv"), columns):
            ref = row.lookup("ref", refs, "irritant", required=True)
            earlier = row.lookup("continues_ref", refs, "irritant", required=True)
            if ref == earlier:
                raise row.error("an item cannot continue itself")
            kind = row.choice("kind", LINEAGE_KIND_WORDS)
            if (ref, earlier, kind) in seen:
                raise row.error("the same link is listed twice")
            seen.add((ref, earlier, kind))
            report = row.lookup("report_slug", report_slugs, "report")
            self.add(
                "09_lineage.json",
                "agenda.lineage",
                {
                    "irritant": [ref],
                    "continues": [earlier],
                    "kind": kind,
                    "report": [report] if report else None,
                    "note": row.text("note"),
                    "confidence": row.choice("confidence", {c: c for c in Confidence.values}),
                    "sources": self.source_keys(row),
                },
            )

    def citation_or_url(self, row, column):
        text = row.text(column, required=True)
        return self.source(url=text) if linkable(text) else self.source(citation=text)

    def run(self):
        self.reference()
        summit_slugs = self.summits()
        report_slugs = self.reports(summit_slugs)
        groups = self.working_groups()
        signatures = self.signature_initiatives()
        refs = self.irritants(groups, signatures, report_slugs)
        self.deadlines(refs, report_slugs)
        self.status_reports(refs, report_slugs)
        self.nacc(report_slugs)
        self.lineage(refs, report_slugs)
        self.out["02_sources.json"] = [
            {"model": "summits.source", "fields": fields} for _key, fields in sorted(self.sources.items())
        ]
        return self.out


def unique(row, column, seen):
    value = row.text(column, required=True)
    if value in seen:
        raise row.error(f"column '{column}': {value!r} appears twice")
    if isinstance(seen, set):
        seen.add(value)
    return value


def integer(row, column, *, required=False):
    value = row.text(column, required=required)
    if not value:
        return None
    if not value.isdigit():
        raise row.error(f"column '{column}': {value!r} is not a whole number")
    return int(value)


def iso(value):
    return value.isoformat() if value else None


def parse_lead(text):
    """'Dept (agenda-level: why)' -> agenda level; 'Dept, office (role)' -> group level."""
    match = AGENDA_LEVEL.match(text)
    if match:
        return LeadLevel.AGENDA, match["department"].strip(), match["note"].strip()
    match = WITH_NOTE.match(text)
    if match:
        return LeadLevel.GROUP, match["department"].strip(), match["note"].strip()
    return LeadLevel.GROUP, text, ""


def build(source_dir) -> dict:
    """Fixture objects by file name, built from the CSVs in ``source_dir``."""
    return Builder(Path(source_dir)).run()


def render(objects) -> str:
    return json.dumps(objects, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write(fixtures: dict, out_dir) -> list[Path]:
    out_dir = Path(out_dir)
    written = []
    for name, objects in fixtures.items():
        path = out_dir / name
        path.write_text(render(objects), encoding="utf-8")
        written.append(path)
    return written


# Models whose rows feed an irritant's derived fields (current status, targets, category).
DERIVED_FROM = {"agenda.Irritant", "agenda.Deadline", "agenda.StatusReport"}


@dataclass
class LoadResult:
    created: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)

    def count(self, bucket, label):
        getattr(self, bucket)[label] = getattr(self, bucket).get(label, 0) + 1


SEED_CHANGE_REASON = "seed"  # history_change_reason of the rows the seed load writes


@transaction.atomic
def load(fixture_dir, *, update=False) -> LoadResult:
    """Load the seed fixtures; all or nothing. Existing rows are kept as they are unless ``update``."""
    from .models import RecordVersion

    result = LoadResult()
    touched = set()
    with RecordVersion.bumps_deferred(), signals.refresh_deferred(), _natural_keys_cached():
        for name in FIXTURE_FILES:
            links = defaultdict(list)  # (model, field) -> [(instance pk, related pks)] for new rows
            path = Path(fixture_dir) / name
            with path.open(encoding="utf-8") as handle:
                for item in serializers.deserialize("json", handle, handle_forward_references=False):
                    instance = item.object
                    label = instance._meta.label
                    exists = instance.pk is not None
                    if exists and not update:
                        result.count("unchanged", label)
                        continue
                    instance._change_reason = SEED_CHANGE_REASON  # history says where the row came from
                    # A normal save (not loaddata's raw one) so timestamps and history are written;
                    # derived fields are refreshed once per item at the end rather than after every row.
                    instance.save()
                    if label in DERIVED_FROM:
                        touched.add(instance.pk if label == "agenda.Irritant" else instance.irritant_id)
                    for field_name, values in (item.m2m_data or {}).items():
                        if exists:
                            getattr(instance, field_name).set(values)
                        else:
                            links[(type(instance), field_name)].append((instance.pk, values))
                    result.count("updated" if exists else "created", label)
            _add_links(links)
        apps.get_model("agenda", "Irritant").objects.filter(pk__in=touched).refresh_derived()
    return result


@contextmanager
def _natural_keys_cached():
    """Resolve each natural key once per load (the fixtures cite the same sources, reports and
    items over and over); a key not found yet is looked up again, as the load may create it."""
    managers = {type(model._default_manager) for model in apps.get_models() if model._meta.app_label in
                ("agenda", "summits") and hasattr(model._default_manager, "get_by_natural_key")}  # fmt: skip
    originals = {manager: manager.get_by_natural_key for manager in managers}
    found = {}

    def cached(original):
        def get_by_natural_key(self, *key):
            cache_key = (self.model, key)
            if cache_key not in found:
                found[cache_key] = original(self, *key)
            return found[cache_key]

        return get_by_natural_key

    for manager, original in originals.items():
        manager.get_by_natural_key = cached(original)
    try:
        yield
    finally:
        for manager, original in originals.items():
            manager.get_by_natural_key = original


def _add_links(links):
    """Many-to-many rows of newly created objects, in one insert per relation."""
    for (model, field_name), rows in links.items():
        field = model._meta.get_field(field_name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": pk, f"{target}_id": other})
                for pk, values in rows
                for other in values
            ]
        )
