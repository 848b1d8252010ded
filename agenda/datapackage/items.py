"""The item tables: the items in the scope as the record stood on its as-of day, their countries,
targets, statuses and lineage links, and the sources each of those rests on."""

from ..choices import CategoryBasis, Confidence, IrritantCategory, IrritantStatus, LineageKind
from ..models import Deadline, Irritant, Lineage, StatusReport
from .spec import ITEM, Column, Table, key, report, sources_table

CONFIDENCE = Column(
    "confidence", "string", "How directly it was read.", "confidence", Confidence, required=True
)


def _irritants(scope):
    base = (
        Irritant.objects.all() if scope.irritants is None else Irritant.objects.filter(pk__in=scope.items())
    )
    return base.with_state(scope.as_of)


def _as_of(model):
    """Rows of ``model`` (targets, statuses) of the items in scope, as the record stood on its day."""

    def rows(scope):
        rows = model.objects.filter(irritant__in=scope.items())
        return rows if scope.as_of is None else rows.as_of(scope.as_of)

    return rows


_deadlines = _as_of(Deadline)
_statuses = _as_of(StatusReport)


def _lineage(scope):
    items = scope.items()
    return Lineage.objects.filter(irritant__in=items, continues__in=items)


def _pks(rows):
    return lambda scope: rows(scope).values("pk")


IRRITANTS = Table(
    "irritants",
    "Items of the SPP work plans (initiatives; users call them irritants), with their status and "
    "targets as the record stood on the package's as-of day (default: today).",
    [
        Column("ref", "string", "Stable identifier, e.g. P-MG-01 or S-TS-04.", "ref", required=True),
        Column("title", "string", "Short name of the item.", "title", required=True),
        Column("summary", "string", "One-sentence summary.", "summary"),
        key("agenda", "The agenda (agendas.slug).", "agenda__slug", "agendas", required=True),
        key(
            "working_group",
            "The working group (working_groups.slug); empty when the record does not say.",
            "working_group__slug",
            "working_groups",
        ),
        key(
            "signature_initiative",
            "The signature initiative (signature_initiatives.slug).",
            "signature_initiative__slug",
            "signature_initiatives",
        ),
        report("The report that put the item on the record (reports.slug)."),
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
            "confidence", "string", "How directly the item was read.", "confidence", Confidence, required=True
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
            "due_on", "date", "The target in force (the latest set); empty when undated or none.", "state_due"
        ),
        Column("original_due_on", "date", "The first dated target.", "state_original_due"),
    ],
    _irritants,
    primary_key=["ref"],
)

LINEAGE_KEY = [  # a lineage link's key, referred to as a whole (one foreign key over three columns)
    Column("irritant", "string", "The later item of the link.", "lineage__irritant__ref", required=True),
    Column("continues", "string", "The earlier item of the link.", "lineage__continues__ref", required=True),
    Column("kind", "string", "The kind of the link.", "lineage__kind", LineageKind, required=True),
]

ITEM_TABLES = [
    IRRITANTS,
    Table(
        "irritant_countries",
        "The countries taking part in each item (none listed: the record does not say).",
        [
            ITEM,
            key(
                "country",
                "A country taking part (countries.code).",
                "country__code",
                "countries",
                "code",
                required=True,
            ),
        ],
        lambda scope: Irritant.countries.through.objects.filter(irritant__in=scope.items()),
        primary_key=["irritant", "country"],
    ),
    sources_table(
        "irritant_sources", "The sources each item rests on.", Irritant, lambda scope: scope.items(), ITEM
    ),
    Table(
        "deadlines",
        "Targets the items were given. A moved target is a new row; earlier ones stay.",
        [
            Column("uid", "string", "Stable identifier of the row.", "uid", required=True),
            ITEM,
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
            report("The report that set it (reports.slug)."),
            CONFIDENCE,
            Column("note", "string", "Note on the target.", "note"),
        ],
        _deadlines,
        primary_key=["uid"],
        order=["irritant__ref", "set_on", "pk"],
    ),
    sources_table(
        "deadline_sources",
        "The sources each target rests on.",
        Deadline,
        _pks(_deadlines),
        key("deadline", "The target (deadlines.uid).", "deadline__uid", "deadlines", "uid", required=True),
    ),
    Table(
        "status_reports",
        "The status of an item on a date, for all its countries or for one where they diverge.",
        [
            Column("uid", "string", "Stable identifier of the row.", "uid", required=True),
            ITEM,
            Column("as_of", "date", "The date the status describes.", "as_of", required=True),
            Column("status", "string", "The status.", "status", IrritantStatus, required=True),
            key(
                "country",
                "The country it holds for (countries.code); empty: every country taking part.",
                "country__code",
                "countries",
                "code",
            ),
            report("The report that stated it (reports.slug)."),
            CONFIDENCE,
            Column("note", "string", "Note on the status.", "note"),
        ],
        _statuses,
        primary_key=["uid"],
        order=["irritant__ref", "as_of", "pk"],
    ),
    sources_table(
        "status_report_sources",
        "The sources each status rests on.",
        StatusReport,
        _pks(_statuses),
        key(
            "status_report",
            "The status (status_reports.uid).",
            "statusreport__uid",
            "status_reports",
            "uid",
            required=True,
        ),
    ),
    Table(
        "lineage",
        "The record across editions: an item continuing an earlier one, as a later report or statement "
        "put it. Both items are in the package.",
        [
            key(
                "irritant",
                "The later item (irritants.ref).",
                "irritant__ref",
                "irritants",
                "ref",
                required=True,
            ),
            key(
                "continues",
                "The earlier item it continues (irritants.ref).",
                "continues__ref",
                "irritants",
                "ref",
                required=True,
            ),
            Column("kind", "string", "What became of the earlier item.", "kind", LineageKind, required=True),
            report("The document that states the link (reports.slug)."),
            CONFIDENCE,
            Column("note", "string", "The wording the link rests on.", "note"),
        ],
        _lineage,
        primary_key=["irritant", "continues", "kind"],
    ),
    sources_table(
        "lineage_sources",
        "The sources each lineage link rests on.",
        Lineage,
        _pks(_lineage),
        *LINEAGE_KEY,
        foreign_keys=[(["irritant", "continues", "kind"], "lineage", ["irritant", "continues", "kind"])],
    ),
]
