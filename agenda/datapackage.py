"""The record as a Frictionless Data Package (https://specs.frictionlessdata.io/data-package/): a zip
with one CSV per table under ``data/`` and a ``datapackage.json`` that describes every field (type,
meaning, allowed values), the primary and foreign keys, the licence and the sources.

``write_package(file, scope)`` writes the zip to any binary file object. Each table is read with one
query and streamed row by row into its zip entry (``iterator(chunk_size=...)``), so memory holds one
chunk of rows, never the whole record; the view spools the zip to a temporary file and streams that.

A ``Scope`` narrows the item tables to the irritant list's current filter (and the record as of its
``as_of`` day); reference tables (countries, agendas, working groups, signature initiatives, summits,
reports, sources, NACC) are always whole, so every foreign key resolves. Cells are plain values (ISO
dates, ``true``/``false``); unlike the spreadsheet CSVs, text is not prefixed against formulas,
because a data package is read by programs.
"""

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from summits.choices import CountryCode, ReportKind, SourceKind, SummitKind
from summits.models import Country, Report, Source, Summit

from .choices import (
    AgendaSlug,
    CategoryBasis,
    Confidence,
    IrritantCategory,
    IrritantStatus,
    LeadLevel,
    LineageKind,
)
from .models import (
    Agenda,
    Deadline,
    Irritant,
    LeadDepartment,
    Lineage,
    NaccRecommendation,
    NaccTopic,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
)

CHUNK_SIZE = 2000
PACKAGE_NAME = "spp-tracker-record"
# The licence is the project owners' choice; this default asks users to credit the compilation.
DEFAULT_LICENSE = {
    "name": "ODC-BY-1.0",
    "title": "Open Data Commons Attribution License v1.0",
    "path": "https://opendatacommons.org/licenses/by/1-0/",
}


@dataclass(frozen=True)
class Scope:
    """Which items the package holds: ``irritants`` (a queryset; None = all) as of ``as_of``."""

    irritants: object = None
    as_of: datetime.date | None = None

    def items(self):
        """Primary keys of the items in the package (a subquery)."""
        base = Irritant.objects.all() if self.irritants is None else self.irritants
        return base.order_by().values("pk")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, date, boolean
    description: str
    lookup: str  # the values_list() path
    choices: type | None = None  # TextChoices: allowed values, explained in the description
    required: bool = False

    def descriptor(self):
        spec = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "date":
            spec["format"] = "default"  # ISO 8601, YYYY-MM-DD
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.choices is not None:
            values = [value for value in self.choices.values if value]
            constraints["enum"] = values
            meanings = "; ".join(f"{value}: {label}" for value, label in self.choices.choices if value)
            spec["description"] = f"{self.description} Values: {meanings}."
        if constraints:
            spec["constraints"] = constraints
        return spec


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: list
    rows: Callable  # Scope -> queryset
    primary_key: list = field(default_factory=list)
    foreign_keys: list = field(default_factory=list)  # (fields, resource, reference fields)

    def descriptor(self):
        schema = {"fields": [column.descriptor() for column in self.columns], "missingValues": [""]}
        if self.primary_key:
            schema["primaryKey"] = self.primary_key
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": fields, "reference": {"resource": resource, "fields": reference}}
                for fields, resource, reference in self.foreign_keys
            ]
        return {
            "name": self.name,
            "path": f"data/{self.name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": self.description,
            "schema": schema,
        }

    def queryset(self, scope):
        return self.rows(scope).values_list(*[column.lookup for column in self.columns])


def _statuses(scope):
    rows = StatusReport.objects.filter(irritant__in=scope.items())
    return rows if scope.as_of is None else rows.as_of(scope.as_of)


def _deadlines(scope):
    rows = Deadline.objects.filter(irritant__in=scope.items())
    return rows if scope.as_of is None else rows.as_of(scope.as_of)


def _irritants(scope):
    base = (
        Irritant.objects.all() if scope.irritants is None else Irritant.objects.filter(pk__in=scope.items())
    )
    return base.with_state(scope.as_of).order_by("ref")


def _through(model, name):
    return getattr(model, name).through.objects


def _lineage(scope):
    items = scope.items()
    return Lineage.objects.filter(irritant__in=items, continues__in=items)


def _fk(field, resource, reference):
    return ([field], resource, [reference])


SOURCE_COLUMN = Column("source_id", "integer", "The source (sources.id).", "source_id", required=True)

TABLES = [
    Table(
        "countries",
        "The three partner countries.",
        [Column("code", "string", "ISO 3166-1 alpha-2 code.", "code", CountryCode, required=True)],
        lambda scope: Country.objects.order_by("code"),
        primary_key=["code"],
    ),
    Table(
        "agendas",
        "The two SPP agendas.",
        [Column("slug", "string", "Identifier of the agenda.", "slug", AgendaSlug, required=True)],
        lambda scope: Agenda.objects.order_by("slug"),
        primary_key=["slug"],
    ),
    Table(
        "working_groups",
        "Trilateral working groups, co-chaired by officials of the three countries.",
        [
            Column("slug", "string", "Identifier of the working group.", "slug", required=True),
            Column("name", "string", "Name of the working group.", "name", required=True),
            Column(
                "agenda", "string", "The agenda it belongs to (agendas.slug).", "agenda__slug", required=True
            ),
        ],
        lambda scope: WorkingGroup.objects.order_by("slug"),
        primary_key=["slug"],
        foreign_keys=[_fk("agenda", "agendas", "slug")],
    ),
    Table(
        "lead_departments",
        "The department leading a working group for one country, as far as the record tells.",
        [
            Column(
                "working_group",
                "string",
                "The working group (working_groups.slug).",
                "working_group__slug",
                required=True,
            ),
            Column("country", "string", "The country (countries.code).", "country__code", required=True),
            Column(
                "department",
                "string",
                "The lead department, as the sources name it.",
                "department",
                required=True,
            ),
            Column(
                "level",
                "string",
                "Whether the record names the group's own lead or only the agenda's.",
                "level",
                LeadLevel,
                required=True,
            ),
            Column("note", "string", "Why the lead is recorded this way.", "note"),
        ],  # fmt: skip
        lambda scope: LeadDepartment.objects.order_by("working_group__slug", "country__code"),
        primary_key=["working_group", "country"],
        foreign_keys=[_fk("working_group", "working_groups", "slug"), _fk("country", "countries", "code")],
    ),
    Table(
        "signature_initiatives",
        'Flagship initiatives that group related items (the SPP\'s "signature initiatives").',
        [
            Column("slug", "string", "Identifier of the signature initiative.", "slug", required=True),
            Column("name", "string", "Its name.", "name", required=True),
            Column(
                "agenda", "string", "The agenda it belongs to (agendas.slug).", "agenda__slug", required=True
            ),
            Column("basket", "string", "The basket of the agenda it sits in.", "basket"),
        ],
        lambda scope: SignatureInitiative.objects.order_by("slug"),
        primary_key=["slug"],
        foreign_keys=[_fk("agenda", "agendas", "slug")],
    ),
    Table(
        "sources",
        "Every document a row of the record cites: a web address, or a citation when there is none.",
        [
            Column("id", "integer", "Identifier of the source within this package.", "pk", required=True),
            Column("url", "string", "Web address (empty for a citation).", "url"),
            Column("citation", "string", "Bibliographic citation, when there is no web address.", "citation"),
            Column("title", "string", "Title of the document, when recorded.", "title"),
            Column("kind", "string", "How direct a source it is.", "kind", SourceKind, required=True),
        ],
        lambda scope: Source.objects.order_by("pk"),
        primary_key=["id"],
    ),
    Table(
        "summits",
        "Leaders' summits and ministerial meetings of the SPP.",
        [
            Column("slug", "string", "Identifier of the meeting.", "slug", required=True),
            Column("name", "string", "Its name.", "name", required=True),
            Column(
                "kind", "string", "Leaders' summit or ministerial meeting.", "kind", SummitKind, required=True
            ),
            Column("city", "string", "City.", "city"),
            Column("region", "string", "State or province.", "region"),
            Column("country", "string", "Host country (countries.code).", "country__code", required=True),
            Column("start_date", "date", "First day (empty when unknown).", "start_date"),
            Column("end_date", "date", "Last day (empty when unknown).", "end_date"),
            Column("host_leader", "string", "The host leader.", "host_leader"),
            Column("notes", "string", "Notes on the meeting and its dates.", "notes"),
        ],
        lambda scope: Summit.objects.order_by("slug"),
        primary_key=["slug"],
        foreign_keys=[_fk("country", "countries", "code")],
    ),
    Table(
        "reports",
        "Reports to Leaders, joint statements and other documents that set or report on items.",
        [
            Column("slug", "string", "Identifier of the report.", "slug", required=True),
            Column("title", "string", "Its title.", "title", required=True),
            Column("kind", "string", "What kind of document it is.", "kind", ReportKind, required=True),
            Column(
                "is_official", "boolean", "Whether a government issued it (empty: unknown).", "is_official"
            ),
            Column("released_on", "date", "Release date.", "released_on"),
            Column("covers_through", "date", "End of the period its statuses describe.", "covers_through"),
            Column("summit", "string", "The meeting it belongs to (summits.slug).", "summit__slug"),
            Column("notes", "string", "Notes on the report and its dates.", "notes"),
        ],
        lambda scope: Report.objects.order_by("slug"),
        primary_key=["slug"],
        foreign_keys=[_fk("summit", "summits", "slug")],
    ),
    Table(
        "irritants",
        "Items of the SPP work plans (initiatives; users call them irritants), with their status and "
        "targets as the record stood on the package's as-of day (default: today).",
        [
            Column("ref", "string", "Stable identifier, e.g. P-MG-01 or S-TS-04.", "ref", required=True),
            Column("title", "string", "Short name of the item.", "title", required=True),
            Column("summary", "string", "One-sentence summary.", "summary"),
            Column("agenda", "string", "The agenda (agendas.slug).", "agenda__slug", required=True),
            Column(
                "working_group",
                "string",
                "The working group (working_groups.slug); empty when the record does not say.",
                "working_group__slug",
            ),
            Column(
                "signature_initiative",
                "string",
                "The signature initiative (signature_initiatives.slug).",
                "signature_initiative__slug",
            ),
            Column(
                "report",
                "string",
                "The report that put the item on the record (reports.slug).",
                "report__slug",
            ),
            Column(
                "category",
                "string",
                "Early harvest, big impact or long term; empty: unclassified.",
                "category",
                IrritantCategory,
            ),
            Column(
                "category_basis",
                "string",
                "How the category was arrived at.",
                "category_basis",
                CategoryBasis,
                required=True,
            ),
            Column(
                "confidence",
                "string",
                "How directly the item was read.",
                "confidence",
                Confidence,
                required=True,
            ),
            Column(
                "status",
                "string",
                "Status in force (the latest reported); empty: none reported.",
                "state_status",
                IrritantStatus,
            ),
            Column("status_on", "date", "The day that status describes.", "state_on"),
            Column(
                "due_on",
                "date",
                "The target in force (the latest set); empty when undated or none.",
                "state_due",
            ),
            Column("original_due_on", "date", "The first dated target.", "state_original_due"),
        ],  # fmt: skip
        _irritants,
        primary_key=["ref"],
        foreign_keys=[
            _fk("agenda", "agendas", "slug"),
            _fk("working_group", "working_groups", "slug"),
            _fk("signature_initiative", "signature_initiatives", "slug"),
            _fk("report", "reports", "slug"),
        ],
    ),
    Table(
        "irritant_countries",
        "The countries taking part in each item (none listed: the record does not say).",
        [
            Column("irritant", "string", "The item (irritants.ref).", "irritant__ref", required=True),
            Column(
                "country", "string", "A country taking part (countries.code).", "country__code", required=True
            ),
        ],
        lambda scope: (
            _through(Irritant, "countries")
            .filter(irritant__in=scope.items())
            .order_by("irritant__ref", "country__code")
        ),
        primary_key=["irritant", "country"],
        foreign_keys=[_fk("irritant", "irritants", "ref"), _fk("country", "countries", "code")],
    ),  # fmt: skip
    Table(
        "irritant_sources",
        "The sources each item rests on.",
        [
            Column("irritant", "string", "The item (irritants.ref).", "irritant__ref", required=True),
            SOURCE_COLUMN,
        ],
        lambda scope: (
            _through(Irritant, "sources")
            .filter(irritant__in=scope.items())
            .order_by("irritant__ref", "source_id")
        ),
        primary_key=["irritant", "source_id"],
        foreign_keys=[_fk("irritant", "irritants", "ref"), _fk("source_id", "sources", "id")],
    ),  # fmt: skip
    Table(
        "deadlines",
        "Targets the items were given. A moved target is a new row; earlier ones stay.",
        [
            Column("uid", "string", "Stable identifier of the row.", "uid", required=True),
            Column("irritant", "string", "The item (irritants.ref).", "irritant__ref", required=True),
            Column(
                "set_on",
                "date",
                "When the target was set (the setting report's date).",
                "set_on",
                required=True,
            ),
            Column("target_text", "string", 'The target as worded, e.g. "by June 2006".', "target_text"),
            Column(
                "due_on",
                "date",
                "The target's date: month and year give the month's last day, a year "
                "31 December, a season nothing.",
                "due_on",
            ),
            Column("report", "string", "The report that set it (reports.slug).", "report__slug"),
            Column(
                "confidence", "string", "How directly it was read.", "confidence", Confidence, required=True
            ),
            Column("note", "string", "Note on the target.", "note"),
        ],  # fmt: skip
        lambda scope: _deadlines(scope).order_by("irritant__ref", "set_on", "pk"),
        primary_key=["uid"],
        foreign_keys=[_fk("irritant", "irritants", "ref"), _fk("report", "reports", "slug")],
    ),
    Table(
        "deadline_sources",
        "The sources each target rests on.",
        [
            Column("deadline", "string", "The target (deadlines.uid).", "deadline__uid", required=True),
            SOURCE_COLUMN,
        ],
        lambda scope: (
            _through(Deadline, "sources")
            .filter(deadline__in=_deadlines(scope).values("pk"))
            .order_by("deadline__uid", "source_id")
        ),
        primary_key=["deadline", "source_id"],
        foreign_keys=[_fk("deadline", "deadlines", "uid"), _fk("source_id", "sources", "id")],
    ),  # fmt: skip
    Table(
        "status_reports",
        "The status of an item on a date, for all its countries or for one where they diverge.",
        [
            Column("uid", "string", "Stable identifier of the row.", "uid", required=True),
            Column("irritant", "string", "The item (irritants.ref).", "irritant__ref", required=True),
            Column("as_of", "date", "The date the status describes.", "as_of", required=True),
            Column("status", "string", "The status.", "status", IrritantStatus, required=True),
            Column(
                "country",
                "string",
                "The country it holds for (countries.code); empty: every country taking part.",
                "country__code",
            ),
            Column("report", "string", "The report that stated it (reports.slug).", "report__slug"),
            Column(
                "confidence", "string", "How directly it was read.", "confidence", Confidence, required=True
            ),
            Column("note", "string", "Note on the status.", "note"),
        ],  # fmt: skip
        lambda scope: _statuses(scope).order_by("irritant__ref", "as_of", "pk"),
        primary_key=["uid"],
        foreign_keys=[
            _fk("irritant", "irritants", "ref"),
            _fk("country", "countries", "code"),
            _fk("report", "reports", "slug"),
        ],
    ),
    Table(
        "status_report_sources",
        "The sources each status rests on.",
        [
            Column(
                "status_report",
                "string",
                "The status (status_reports.uid).",
                "statusreport__uid",
                required=True,
            ),
            SOURCE_COLUMN,
        ],
        lambda scope: (
            _through(StatusReport, "sources")
            .filter(statusreport__in=_statuses(scope).values("pk"))
            .order_by("statusreport__uid", "source_id")
        ),
        primary_key=["status_report", "source_id"],
        foreign_keys=[_fk("status_report", "status_reports", "uid"), _fk("source_id", "sources", "id")],
    ),  # fmt: skip
    Table(
        "lineage",
        "The record across editions: an item continuing an earlier one, as a later report or statement "
        "put it. Both items are in the package.",
        [
            Column("irritant", "string", "The later item (irritants.ref).", "irritant__ref", required=True),
            Column(
                "continues",
                "string",
                "The earlier item it continues (irritants.ref).",
                "continues__ref",
                required=True,
            ),
            Column("kind", "string", "What became of the earlier item.", "kind", LineageKind, required=True),
            Column("report", "string", "The document that states the link (reports.slug).", "report__slug"),
            Column(
                "confidence", "string", "How directly it was read.", "confidence", Confidence, required=True
            ),
            Column("note", "string", "The wording the link rests on.", "note"),
        ],  # fmt: skip
        lambda scope: _lineage(scope).order_by("irritant__ref", "continues__ref", "kind"),
        primary_key=["irritant", "continues", "kind"],
        foreign_keys=[
            _fk("irritant", "irritants", "ref"),
            _fk("continues", "irritants", "ref"),
            _fk("report", "reports", "slug"),
        ],
    ),
    Table(
        "lineage_sources",
        "The sources each lineage link rests on.",
        [
            Column(
                "irritant", "string", "The later item of the link.", "lineage__irritant__ref", required=True
            ),
            Column(
                "continues",
                "string",
                "The earlier item of the link.",
                "lineage__continues__ref",
                required=True,
            ),
            Column("kind", "string", "The kind of the link.", "lineage__kind", LineageKind, required=True),
            SOURCE_COLUMN,
        ],
        lambda scope: (
            _through(Lineage, "sources")
            .filter(lineage__in=_lineage(scope).values("pk"))
            .order_by("lineage__irritant__ref", "lineage__continues__ref", "lineage__kind", "source_id")
        ),
        primary_key=["irritant", "continues", "kind", "source_id"],
        foreign_keys=[
            (["irritant", "continues", "kind"], "lineage", ["irritant", "continues", "kind"]),
            _fk("source_id", "sources", "id"),
        ],
    ),  # fmt: skip
    Table(
        "nacc_recommendations",
        "Recommendations of the North American Competitiveness Council (NACC) to the leaders.",
        [
            Column("ref", "string", "Identifier of the recommendation.", "ref", required=True),
            Column("number", "integer", "Its number in the report.", "number", required=True),
            Column("text", "string", "The recommendation.", "text", required=True),
            Column("horizon", "integer", "The year it looks to, when stated.", "horizon"),
            Column("report", "string", "The report that made it (reports.slug).", "report__slug"),
        ],
        lambda scope: NaccRecommendation.objects.order_by("ref"),
        primary_key=["ref"],
        foreign_keys=[_fk("report", "reports", "slug")],
    ),
    Table(
        "nacc_recommendation_irritants",
        "Items related to each NACC recommendation.",
        [
            Column(
                "recommendation",
                "string",
                "The recommendation (nacc_recommendations.ref).",
                "naccrecommendation__ref",
                required=True,
            ),
            Column("irritant", "string", "A related item (irritants.ref).", "irritant__ref", required=True),
        ],  # fmt: skip
        lambda scope: (
            _through(NaccRecommendation, "irritants")
            .filter(irritant__in=scope.items())
            .order_by("naccrecommendation__ref", "irritant__ref")
        ),
        primary_key=["recommendation", "irritant"],
        foreign_keys=[
            _fk("recommendation", "nacc_recommendations", "ref"),
            _fk("irritant", "irritants", "ref"),
        ],
    ),  # fmt: skip
    Table(
        "nacc_topics",
        "Topics the NACC named for its later recommendations (2008 and 2010).",
        [
            Column("category", "string", "The NACC's heading.", "category", required=True),
            Column("topic", "string", "The topic.", "topic", required=True),
            Column("horizons", "string", "Years the topic looks to, space-separated.", "horizons"),
        ],
        lambda scope: NaccTopic.objects.order_by("category", "topic"),
        primary_key=["category", "topic"],
    ),
]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):  # NACC topic horizons
        return " ".join(str(v) for v in value)
    return value


def descriptor(*, created=None, description_extra=""):
    """datapackage.json as a dict."""
    first_sources = {}
    for title, url in (
        _through(Report, "sources").exclude(source__url="").order_by("report__slug", "source_id")
        .values_list("report__title", "source__url")
    ):  # fmt: skip
        first_sources.setdefault(title, url)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "SPP Tracker: the record of the Security and Prosperity Partnership of North America",
        "description": (
            "Items of the SPP work plans (2005-2009), their targets and statuses over time, the reports that "
            "set or stated them, and the sources every row cites. Unknown values are empty, never guessed. "
            + description_extra
        ).strip(),
        "created": (created or timezone.now()).replace(microsecond=0).isoformat(),
        "licenses": [getattr(settings, "SPP_DATA_LICENSE", DEFAULT_LICENSE)],
        "sources": [
            {
                "title": "Documents cited row by row: see the sources table and the *_sources tables",
                "path": "data/sources.csv",
            },
            *({"title": title, "path": url} for title, url in first_sources.items()),
        ],
        "resources": [table.descriptor() for table in TABLES],
    }


def write_package(file, scope: Scope | None = None, *, created=None, description_extra=""):
    """Write the package (a zip) to the binary file object ``file``."""
    scope = scope or Scope()
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            with (
                archive.open(f"data/{table.name}.csv", "w", force_zip64=True) as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow([column.name for column in table.columns])
                for row in table.queryset(scope).iterator(chunk_size=CHUNK_SIZE):
                    writer.writerow([_cell(value) for value in row])
        package = descriptor(created=created, description_extra=description_extra)
        archive.writestr("datapackage.json", json.dumps(package, indent=1, ensure_ascii=False) + "\n")


def filename(*, as_of=None, filtered=False, today=None):
    name = f"spp-record-{(today or timezone.localdate()).isoformat()}"
    if filtered:
        name += "-filtered"
    if as_of:
        name += f"-as-of-{as_of.isoformat()}"
    return name + ".zip"
