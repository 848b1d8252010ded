"""The CSV files' columns: one record per column, from which the export (Python), the PostgreSQL COPY
path (pg_copy.py) and the import read everything they need. Adding a column is one edit here.

A ``Column`` says:

- ``header``: the documented English name (gettext_lazy: ``?headers=localized`` translates it, and
  the import accepts it in every language of the site);
- ``reads`` and ``fmt``: which values of the row it shows and how. A row is a dict of the values
  the file's ``CsvFile.values`` name (one ``.values()`` query) plus the ``CsvFile.links``: one query
  per link table (countries, sources...), joined in Python, or one GROUP BY per table in SQL. Each
  ``Format`` (agenda/cells.py) writes its value twice, as Python (``python``) and as SQL (``sql``),
  and a test checks the two give the same bytes on PostgreSQL;
- ``parse`` and ``required``: how the import reads the cell back (None: the export writes it, the
  import ignores it, as for derived values like slippage).

Text cells are protected against spreadsheet formulas in both paths (``cells.protect_cell``). How
the import is to use these records: ``CsvFile.importer_columns()``.
"""

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, F, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from summits.models import SCHEME_PATTERN

from .cells import (
    ALL_WHEN_EMPTY,
    DATE,
    DAYS_BETWEEN,
    TEXT,
    YES_NO,
    Format,
    choice_labels,
    labelled,
    url_around,
)
from .choices import (
    AgendaSlug,
    CategoryBasis,
    Confidence,
    IrritantCategory,
    IrritantStatus,
    LineageKind,
    Scope,
)
from .models import Deadline, Irritant, Lineage, StatusReport


# --- parsers: how the import reads a cell back (the cell is unprotected first) -------------------
def parse_text(text: str) -> str:
    return text


parse_date = datetime.date.fromisoformat


_LIST_SEPARATOR = re.compile(rf"[;\n]| (?={SCHEME_PATTERN}//)")


def parse_list(text: str) -> list[str]:
    """'a; b' (or one per line, or addresses separated by spaces) -> ['a', 'b']."""
    return [item.strip() for item in _LIST_SEPARATOR.split(text) if item.strip()]


def parse_codes(text: str) -> list[str]:
    """'CA MX' (or 'ca; mx', 'CA,MX') -> ['CA', 'MX']."""
    return [code for code in re.split(r"[\s;,]+", text.upper()) if code]


@lru_cache(maxsize=64)
def _choice_table(choices):
    """{lower-cased key: stored value} for ParseChoice, built once per choices: each value, its
    underscore form and its label in English and in every language of the site (as the import
    accepts headers in any of them), whatever language the person importing reads."""
    table = {}
    for language in [None, *(code for code, _name in settings.LANGUAGES)]:
        with override(language):  # None: the message ids, English
            for value, label in choices.choices:
                if value:  # not the "unclassified" blank choice
                    for key in (value, value.replace("-", "_"), str(label)):
                        table.setdefault(key.lower(), value)
    return table


@dataclass(frozen=True)
class ParseChoice:
    """A stored value ('on-track'), its underscore form ('on_track') or its label in any language
    of the site ('On track'), in any case -> the stored value; None when it is none of these."""

    choices: type

    def __call__(self, text: str):
        return _choice_table(self.choices).get(text.lower())


@dataclass(frozen=True)
class ParseReference:
    """A row of another table named in the cell (a slug, a name, a code): the import resolves it
    against the reference data it loaded once, ``lookups.<table>[key]``, the key folded by ``fold``
    (the table's keys are lower-cased names, upper-case codes, or as stored: None)."""

    table: str
    fold: Callable | None = str.lower

    def __call__(self, text: str, lookups):
        return getattr(lookups, self.table).get(self.fold(text) if self.fold else text)


# --- columns and files ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: object  # the English header, translated lazily
    reads: tuple  # names in the row: CsvFile.values keys, link names
    fmt: Format
    parse: Callable | None = None  # None: the import ignores the column (derived on the record)
    required: bool = False  # the import refuses a file without it

    def writer(self):
        """The Python path's row -> cell, for one file (in the language of the moment)."""
        python = self.fmt.prepare() if self.fmt.prepare else self.fmt.python
        if len(self.reads) == 1:
            name = self.reads[0]
            return lambda row: python(row[name])
        values = itemgetter(*self.reads)
        return lambda row: python(*values(row))

    def sql(self, names):
        """The cell's SQL, given each read name's SQL expression."""
        return self.fmt.sql(*(names[name] for name in self.reads))


def column(header, reads, fmt=TEXT, parse=None, *, required=False):
    return Column(header, tuple(reads.split()) if isinstance(reads, str) else reads, fmt, parse, required)


@dataclass(frozen=True)
class Link:
    """Rows of a table linked to the file's rows, shown as one cell: ``rows()`` is a queryset
    annotated ``owner`` (the file row's pk) and ``cell``, ``order`` its order within an owner.
    ``separator`` joins the cells; None keeps the first one only. ``count`` also names the number of
    rows. ``dated``: the field that must be on or before the as-of day, if any. ``annotation``: the
    same value as an annotation of the file's queryset, which the Python path reads instead (one
    query less per chunk; PostgreSQL reads the link once per batch instead of once per row)."""

    name: str
    rows: Callable
    order: tuple
    separator: str | None
    count: str | None = None
    dated: str | None = None
    annotation: str | None = None

    def queryset(self, owners, as_of=None):
        """The link rows of ``owners`` (a list of pks, or an expression; None: all of them)."""
        if isinstance(owners, list):
            owners = id_list(owners)
        rows = self.rows() if owners is None else self.rows().filter(owner__in=owners)
        if as_of is not None and self.dated:
            rows = rows.filter(**{f"{self.dated}__lte": as_of})
        return rows


def id_list(ids):
    """``ids`` (integers) as one bound parameter, for ``__in``: Django would bind (and check) each
    of thousands of ids one by one."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))  # noqa: S611 - bound
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))  # noqa: S611 - bound


@dataclass(frozen=True)
class CsvFile:
    """One kind of file: its columns, the values each row reads from its queryset (row name ->
    lookup) and its links."""

    columns: list
    values: dict
    links: list = field(default_factory=list)

    def with_columns(self, *extra):
        return CsvFile([*self.columns, *extra], self.values, self.links)

    @property
    def headers(self):
        return [str(c.header) for c in self.columns]

    def importer_columns(self):
        """For the import: {English header: column} of the columns it reads (``parse``,
        ``required``), and the set of English headers it accepts and ignores (in the file's order,
        whatever language is active)."""
        with override(None):  # the message ids: the English headers
            read = {str(c.header): c for c in self.columns if c.parse is not None}
            ignored = {str(c.header) for c in self.columns if c.parse is None}
        return read, ignored


DETAIL_URL_HEADER = _("detail URL")


def detail_url_column(url_prefix, url_suffix):
    """The item page's address around the ref (the export knows the request's host); the import
    ignores it. Not in IRRITANT_FILE, as the address depends on the request: add it with
    ``IRRITANT_FILE.with_columns(detail_url_column(...))``."""
    return column(DETAIL_URL_HEADER, "ref", url_around(url_prefix, url_suffix))


def _through_rows(model, relation, owner, cell):
    through = getattr(model, relation).through
    return lambda: through.objects.annotate(owner=F(owner), cell=cell)


def _source_reference(prefix):
    return Coalesce(NullIf(f"{prefix}url", Value("")), f"{prefix}citation", output_field=CharField())


def _lineage_rows():

    kind = Case(
        *[When(kind=value, then=Value(str(label))) for value, label in LineageKind.choices],
        output_field=CharField(),
    )
    cell = Concat("continues__ref", Value(" ("), kind, Value(")"), output_field=CharField())
    return Lineage.objects.annotate(owner=F("irritant_id"), cell=cell)


def _deadline_rows():

    return Deadline.objects.annotate(owner=F("irritant_id"), cell=F("target_text"))


def _sources_link(model, owner):
    return Link(
        "sources",
        _through_rows(model, "sources", owner, _source_reference("source__")),
        ("source__url", "source__citation"),
        "; ",
    )


def _irritant_file():

    countries = _through_rows(Irritant, "countries", "irritant_id", F("country__code"))
    return CsvFile(
        columns=[
            column(_("ref"), "ref", parse=parse_text, required=True),
            column(_("title"), "title", parse=parse_text, required=True),
            column(_("summary"), "summary", parse=parse_text),
            column(_("working group"), "working_group", parse=ParseReference("groups")),
            column(_("agenda"), "agenda", choice_labels(AgendaSlug), ParseReference("agendas")),
            column(_("countries"), "countries", parse=parse_codes),
            column(_("scope"), "country_count", labelled(Scope.cells)),
            column(_("category"), "category", choice_labels(IrritantCategory), ParseChoice(IrritantCategory)),
            column(
                _("category basis"),
                "category_basis",
                choice_labels(CategoryBasis),
                ParseChoice(CategoryBasis),
            ),
            column(_("current status"), "status", choice_labels(IrritantStatus), ParseChoice(IrritantStatus)),
            column(_("status date"), "status_on", DATE, parse_date),
            column(_("latest target"), "due", DATE),
            column(_("latest target as worded"), "target_text"),
            column(_("original target"), "original_due", DATE),
            column(_("slippage (days)"), "due original_due", DAYS_BETWEEN),
            column(_("overdue"), "overdue", YES_NO),
            column(_("signature initiative"), "signature_initiative", parse=ParseReference("signatures")),
            column(_("confidence"), "confidence", choice_labels(Confidence), ParseChoice(Confidence)),
            column(_("sources"), "sources", parse=parse_list),
            column(_("continues"), "continues"),
        ],
        values={
            "ref": "ref",
            "title": "title",
            "summary": "summary",
            "working_group": "working_group__name",
            "agenda": "agenda__slug",
            "category": "category",
            "category_basis": "category_basis",
            "status": "state_status",
            "status_on": "state_on",
            "due": "state_due",
            "original_due": "state_original_due",
            "overdue": "state_overdue",
            "signature_initiative": "signature_initiative__name",
            "confidence": "confidence",
        },
        links=[
            Link("countries", countries, ("country__code",), " ", count="country_count"),
            _sources_link(Irritant, "irritant_id"),
            Link("continues", _lineage_rows, ("continues__ref", "kind"), "; "),
            # The target in force as worded: the last one set (DeadlineQuerySet.in_force_first).
            Link(
                "target_text",
                _deadline_rows,
                ("-set_on", "-pk"),
                None,
                dated="set_on",
                annotation="state_target_text",  # IrritantQuerySet.as_it_stood
            ),
        ],
    )


def _about_an_item(*middle, values, links):
    """A file with one row per row of an item (status report, deadline): the item's ref and title
    first, its confidence, note and sources last."""
    return CsvFile(
        columns=[
            column(_("ref"), "ref", parse=ParseReference("irritants", fold=None), required=True),
            column(_("title"), "title"),
            *middle,
            column(_("confidence"), "confidence", choice_labels(Confidence), ParseChoice(Confidence)),
            column(_("note"), "note", parse=parse_text),
            column(_("sources"), "sources", parse=parse_list),
        ],
        values={
            "ref": "irritant__ref",
            "title": "irritant__title",
            **values,
            "confidence": "confidence",
            "note": "note",
        },
        links=links,
    )


def _status_report_file():
    return _about_an_item(
        column(_("as of"), "as_of", DATE, parse_date, required=True),
        column(
            _("status"), "status", choice_labels(IrritantStatus), ParseChoice(IrritantStatus), required=True
        ),
        column(_("country"), "country", ALL_WHEN_EMPTY, ParseReference("countries", fold=str.upper)),
        column(_("stated by"), "report", parse=ParseReference("reports", fold=None)),
        values={"as_of": "as_of", "status": "status", "country": "country__code", "report": "report__slug"},
        links=[_sources_link(StatusReport, "statusreport_id")],
    )


def _deadline_file():
    return _about_an_item(
        column(_("set on"), "set_on", DATE, parse_date, required=True),
        column(_("target as worded"), "target_text", parse=parse_text),
        column(_("due on"), "due_on", DATE, parse_date),
        column(_("set by"), "report", parse=ParseReference("reports", fold=None)),
        # The original target is the first dated one, set no later than any dated deadline
        # shown, so the stored value is also the original as it stood on any as_of day.
        column(_("slippage vs original (days)"), "due_on original_due", DAYS_BETWEEN),
        values={
            "set_on": "set_on",
            "target_text": "target_text",
            "due_on": "due_on",
            "report": "report__slug",
            "original_due": "irritant__original_due_on",
        },
        links=[_sources_link(Deadline, "deadline_id")],
    )


IRRITANT_FILE = _irritant_file()
STATUS_REPORT_FILE = _status_report_file()
DEADLINE_FILE = _deadline_file()
