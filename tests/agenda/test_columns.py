"""One record per CSV column (agenda/columns.py): the Python path and the PostgreSQL COPY path write
the same bytes from it, the import's column lists follow from it, and the scope labels, formula
prefixes and protection have one definition each."""

import datetime

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda import cells, columns, exports, imports, pg_copy
from agenda.choices import Confidence, IrritantCategory, IrritantStatus, Scope
from agenda.models import Irritant
from summits.models import Source

from ..factories import (
    DeadlineFactory,
    IrritantFactory,
    LineageFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

FILES = {
    imports.IRRITANTS: columns.IRRITANT_FILE,
    imports.STATUS_REPORTS: columns.STATUS_REPORT_FILE,
    imports.DEADLINES: columns.DEADLINE_FILE,
}


# --- the import reads its columns from the record --------------------------------------------------
@pytest.mark.parametrize("kind", imports.KINDS)
def test_the_import_reads_requires_and_ignores_what_the_record_says(kind):
    read, ignored = FILES[kind].importer_columns()
    if kind == imports.IRRITANTS:
        ignored.add(str(columns.DETAIL_URL_HEADER))  # added per request by the export

    imported_read, imported_ignored = imports.importer_columns(kind)
    assert imported_read == read and all(imported_read[h] is c for h, c in read.items())
    assert imported_ignored == ignored


def test_the_record_headers_stay_english_whatever_language_is_active():
    with translation.override("fr"):
        read, ignored = imports.importer_columns(imports.IRRITANTS)

    assert {"ref", "current status", "status date"} <= set(read)
    assert {"scope", "detail URL"} <= ignored


def test_a_column_added_to_the_record_is_read_by_the_import(monkeypatch):
    """Adding a column is one edit: the import accepts the new header and parses it with the
    record's parser (here as the item's summary, through a column named differently)."""
    extra = columns.column("brief", "summary", parse=str.upper)
    monkeypatch.setitem(imports.columns.FILES, imports.IRRITANTS, columns.IRRITANT_FILE.with_columns(extra))
    text = "ref,title,brief\nP-MG-01,A title,words\n"

    headers, rows = imports.read_rows(text, imports.IRRITANTS)

    assert headers == ["ref", "title", "brief"]
    read, _ignored = imports.importer_columns(imports.IRRITANTS)
    assert read["brief"].parse(rows[0][1]["brief"]) == "WORDS"
    monkeypatch.undo()
    with pytest.raises(imports.ImportFileError, match="unknown column"):
        imports.read_rows(text, imports.IRRITANTS)


def test_each_parser_reads_back_what_the_export_writes():
    by_header = {str(c.header): c for c in columns.IRRITANT_FILE.columns}

    assert by_header["status date"].parse("2006-06-30") == datetime.date(2006, 6, 30)
    assert by_header["current status"].parse("On track") == "on-track"
    assert by_header["current status"].parse("on_track") == "on-track"
    assert by_header["category"].parse("Early harvest") == "early-harvest"
    assert by_header["countries"].parse("CA MX") == ["CA", "MX"]
    assert by_header["sources"].parse("https://a.gov/x; a citation") == ["https://a.gov/x", "a citation"]
    assert by_header["scope"].parse is None and by_header["slippage (days)"].parse is None


def test_the_record_parsers_hold_the_import_rules():
    """What the import accepted before it read the record: codes in any case and separated by
    ';' or ',', choices and agendas by their label in any case, countries by code in any case."""
    by_header = {str(c.header): c for c in columns.IRRITANT_FILE.columns}
    country = {str(c.header): c for c in columns.STATUS_REPORT_FILE.columns}["country"].parse

    class Lookups:
        agendas = {"prosperity": "the agenda"}
        countries = {"MX": "Mexico"}

    assert by_header["countries"].parse("ca; mx,US") == ["CA", "MX", "US"]
    assert by_header["confidence"].parse("VERBATIM") == "verbatim"
    assert by_header["agenda"].parse("Prosperity", Lookups) == "the agenda"
    assert country("mx", Lookups) == "Mexico"
    value, label = IrritantStatus.choices[0]
    for language in ("fr", "es"):
        with translation.override(language):
            assert by_header["current status"].parse("On track") == "on-track"
            translated = str(label)
        assert by_header["current status"].parse(translated.upper()) == value


# --- one definition each --------------------------------------------------------------------------
def test_scope_has_one_definition_that_every_path_uses():
    assert Scope.values == ["single-country", "bilateral", "trilateral"]  # the API's values
    assert [str(s.label) for s in Scope] == ["Single country", "Bilateral", "Trilateral"]  # item page
    assert {n: str(text) for n, text in Scope.cells().items()} == {
        1: "single country",
        2: "bilateral",
        3: "trilateral",
    }  # the CSV's
    assert [Scope.of(n) for n in (0, 1, 2, 3, None)] == [None, *Scope, None]


def test_the_item_page_shows_the_scope_label(analyst_client):
    IrritantFactory(ref="P-1", countries=["CA", "MX"])
    IrritantFactory(ref="P-2", countries=[])

    assert "<dd>Bilateral</dd>" in analyst_client.get(reverse("agenda:irritant_detail", args=["P-1"])).text
    page = analyst_client.get(reverse("agenda:irritant_detail", args=["P-2"])).text
    assert '<dd><span class="muted">Not stated</span></dd>' in page


def test_formula_protection_has_one_home():
    assert exports.protect_cell is cells.protect_cell
    assert exports.unprotect_cell is cells.unprotect_cell
    assert cells.NEEDS_PROTECTION == "^'*[=+@\t\r-]"
    assert all(cells.protect_cell(prefix + "x") == "'" + prefix + "x" for prefix in cells.FORMULA_PREFIXES)


# --- Python and COPY: the same bytes --------------------------------------------------------------
def python_bytes(queryset, csv_file, as_of=None):
    rows = exports.rows_of(queryset, csv_file, as_of=as_of)
    return "".join(exports.python_lines(rows, csv_file, line_end="\n")).encode()


def copy_bytes(queryset, csv_file, as_of=None):
    header = exports.header_line(csv_file, "\n").encode()
    return header + b"".join(pg_copy.stream_copy(queryset, csv_file, as_of=as_of))


def export_queryset(as_of=None, ordering=("ref",)):
    return Irritant.objects.for_export(as_of).as_it_stood(as_of).order_by(*ordering)


TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
PREFIXED = st.builds(lambda p, t: p + t, st.sampled_from(["", "'", "''", *cells.FORMULA_PREFIXES]), TEXT)
DAY = st.dates(datetime.date(2005, 1, 1), datetime.date(2012, 12, 31))
ITEM = st.fixed_dictionaries(
    {
        "title": PREFIXED.filter(str.strip),
        "summary": PREFIXED,
        "countries": st.lists(st.sampled_from(["CA", "MX", "US"]), unique=True),
        "category": st.sampled_from([v for v in IrritantCategory.values if v] + [""]),
        "confidence": st.sampled_from(Confidence.values),
        "sources": st.lists(
            st.one_of(PREFIXED.filter(str.strip), st.just("https://www.spp.gov/x")), max_size=2, unique=True
        ),
        "deadlines": st.lists(
            st.tuples(DAY, st.one_of(st.none(), st.integers(0, 2000)), PREFIXED).filter(
                lambda d: d[1] is not None or d[2]
            ),
            max_size=3,
            unique_by=lambda d: (d[0], d[2]),
        ),
        "statuses": st.lists(
            st.tuples(DAY, st.sampled_from(IrritantStatus.values)), max_size=2, unique_by=lambda s: s[0]
        ),
    }
)


def make(n, item, previous):
    irritant = IrritantFactory(
        ref=f"G-{n:03d}",
        title=item["title"],
        summary=item["summary"],
        countries=item["countries"],
        category=item["category"],
        category_basis="stated" if item["category"] else "unclassified",
        confidence=item["confidence"],
    )
    for text in item["sources"]:
        url, citation = (text, "") if text.startswith("https://") else ("", text)
        irritant.sources.add(
            Source.objects.get_or_create(url=url, citation=citation, defaults={"kind": "official"})[0]
        )
    for set_on, days, wording in item["deadlines"]:
        due_on = None if days is None else set_on + datetime.timedelta(days=days)
        DeadlineFactory(irritant=irritant, set_on=set_on, due_on=due_on, target_text=wording)
    for as_of, status in item["statuses"]:
        StatusReportFactory(irritant=irritant, as_of=as_of, status=status)
    if previous is not None and n % 2:
        LineageFactory(irritant=irritant, continues=previous)
    irritant.refresh_derived()
    return irritant


@on_postgresql
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    items=st.lists(ITEM, min_size=1, max_size=6),
    as_of=st.one_of(st.none(), DAY),
    descending=st.booleans(),
    involving_mx=st.booleans(),
)
def test_python_and_copy_write_the_same_bytes(monkeypatch, items, as_of, descending, involving_mx):
    monkeypatch.setattr(pg_copy, "FIRST_BATCH", 2)  # whole table: the first rows, then the rest
    csv_file = columns.IRRITANT_FILE.with_columns(columns.detail_url_column("https://x.test/i/", "/"))
    with transaction.atomic():
        previous = None
        for n, item in enumerate(items):
            previous = make(n, item, previous)
        queryset = export_queryset(as_of, ["-ref"] if descending else ["ref"])
        if involving_mx:  # a filtered export: one statement
            queryset = queryset.involving(["MX"])

        copied, written = copy_bytes(queryset, csv_file, as_of), python_bytes(queryset, csv_file, as_of)
        assert copied.split(b"\n") == written.split(b"\n")
        transaction.set_rollback(True)
