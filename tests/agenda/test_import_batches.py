"""The import in bounded batches: each batch checked and written as it comes, the file kept whole or
not at all, and on PostgreSQL the staging path (COPY, then set-based writes) writing exactly what the
ORM path writes (issue 11)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.imports import Importer, importer
from agenda.imports.lookups import Lookups
from agenda.models import DERIVED_FIELDS, Deadline, Irritant, StatusReport

from ..factories import IrritantFactory, ReportFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

STATUS_HEADER = "ref,title,as of,status,country,stated by,confidence,note,sources\n"
DEADLINE_HEADER = "ref,title,set on,target as worded,due on,set by,confidence,note,sources\n"
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the staging path is PostgreSQL's (COPY)"
)


def status_rows(n, *, ref="S-TS-04", note="Row"):
    start = datetime.date(2006, 1, 1)
    return "".join(
        f"{ref},,{start + datetime.timedelta(days=d)},initiated,,,verbatim,{note},\n" for d in range(n)
    )


@pytest.fixture
def item():
    return IrritantFactory(ref="S-TS-04", countries=["CA", "MX", "US"])


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 4)
    return 4


# --- bounded batches ---------------------------------------------------------------------------------
def test_each_batch_is_written_as_it_is_checked_and_never_exceeds_the_batch_size(
    item, small_batches, monkeypatch
):
    written, loaded = [], []
    writer_class = Importer("status-reports").writer().__class__
    real_write, real_load = writer_class.write, Lookups.load_batch
    monkeypatch.setattr(
        writer_class, "write", lambda self, rows: written.append(len(rows)) or real_write(self, rows)
    )
    monkeypatch.setattr(
        Lookups,
        "load_batch",
        lambda self, *args: real_load(self, *args) or loaded.append(len(self.irritants)),
    )

    result = Importer("status-reports").run((STATUS_HEADER + status_rows(10)).encode(), dry_run=False)

    assert result.ok and result.written
    assert written == [4, 4, 2]
    assert len(loaded) == 3 and max(loaded) <= small_batches
    assert StatusReport.objects.count() == 10


def test_each_batch_loads_only_the_items_its_own_rows_name(small_batches, monkeypatch):
    """Ten items, one row each, batches of four: the lookups hold 4, 4, then 2 items, never the file's
    ten (the test above names one item throughout, so it cannot tell)."""
    refs = [f"S-TS-{n:02d}" for n in range(10, 20)]
    for ref in refs:
        IrritantFactory(ref=ref, countries=["CA", "MX", "US"])
    loaded = []
    real_load = Lookups.load_batch
    monkeypatch.setattr(
        Lookups,
        "load_batch",
        lambda self, *args: real_load(self, *args) or loaded.append(sorted(self.irritants)),
    )
    data = STATUS_HEADER + "".join(status_rows(1, ref=ref) for ref in refs)

    result = Importer("status-reports").run(data.encode(), dry_run=False)

    assert result.ok and result.written
    assert loaded == [refs[0:4], refs[4:8], refs[8:10]]


def test_without_keep_rows_the_result_holds_only_counts_and_the_rows_with_errors(item, small_batches):
    data = (STATUS_HEADER + status_rows(9) + "S-TS-04,,2006-13-01,initiated,,,verbatim,Bad,\n").encode()

    result = Importer("status-reports", keep_rows=False).check(data)

    assert result.counts() == {"create": 9, "change": 0, "unchanged": 0, "error": 1}
    assert [row.line for row in result.rows] == [11]
    assert all(row.data == {} and row.target is None for row in result.rows)


def test_kept_rows_drop_their_checked_values_once_their_batch_is_done(item, small_batches):
    result = Importer("status-reports").check((STATUS_HEADER + status_rows(6)).encode())

    assert len(result.rows) == 6
    assert all(row.data == {} and row.target is None for row in result.rows)


def test_an_error_in_a_later_batch_undoes_the_batches_already_written(item, small_batches):
    data = (STATUS_HEADER + status_rows(9) + "S-TS-04,,2006-13-01,initiated,,,verbatim,Bad,\n").encode()

    result = Importer("status-reports").run(data, dry_run=False)

    assert not result.ok and not result.written
    assert result.errors[0][:2] == (11, "as of")
    assert not StatusReport.objects.exists()
    assert not StatusReport.history.exists()


def test_a_row_repeated_in_a_later_batch_is_an_error_and_nothing_is_written(item, small_batches):
    rows = status_rows(6)
    data = (STATUS_HEADER + rows + rows.splitlines(keepends=True)[0]).encode()

    result = Importer("status-reports").run(data, dry_run=False)

    assert result.errors == [(8, "ref", "the same row as line 2")]
    assert not StatusReport.objects.exists()


# --- the basis rule is the model's ---------------------------------------------------------------------
def test_a_status_without_sources_report_or_note_is_refused_by_the_model(item):
    status = StatusReport(irritant=item, as_of=datetime.date(2006, 6, 15), status="initiated")
    status.basis_sources = []

    with pytest.raises(ValidationError) as refused:
        status.full_clean()

    assert list(refused.value.message_dict) == ["note"]
    status.basis_sources = [SourceFactory()]
    status.full_clean()


def test_the_import_asks_the_model_for_the_basis(item):
    result = Importer("status-reports").check(
        (STATUS_HEADER + "S-TS-04,,2006-06-15,initiated,,,verbatim,,\n").encode()
    )

    assert [(line, column) for line, column, _message in result.errors] == [(2, "note")]
    assert result.errors[0][2].startswith("Say on what basis the status changed")


# --- PostgreSQL: the staging path writes what the ORM path writes ------------------------------------
def snapshot():
    """Everything an import writes, without ids, uids and times."""

    def rows(model):
        return sorted(
            repr(
                (
                    obj.irritant.ref,
                    *(
                        str(getattr(obj, f))
                        for f in ("as_of", "set_on", "target_text", "due_on", "status")
                        if hasattr(obj, f)
                    ),
                    obj.country_id and obj.country.code if hasattr(obj, "country_id") else "",
                    obj.report_id and obj.report.slug,
                    obj.confidence,
                    obj.note,
                    obj.version,
                    obj.created_by_id,
                    tuple(sorted((s.url, s.citation, s.kind) for s in obj.sources.all())),
                )
            )
            for obj in model.objects.select_related("irritant").prefetch_related("sources")
        )

    def history(model):
        return sorted(
            repr((h.irritant_id, h.history_type, h.history_user_id, h.version, h.confidence, h.note))
            for h in model.history.all()
        )

    items = sorted(map(repr, Irritant.objects.values_list("ref", *DERIVED_FIELDS)))
    return rows(StatusReport), rows(Deadline), history(StatusReport), history(Deadline), items


def import_both_ways(kind, data, user):
    """(staged result, staged snapshot), (ORM result, ORM snapshot): each import rolled back."""
    outcomes = []
    for staged in (True, False):
        with transaction.atomic():
            result = Importer(kind, user=user, staged=staged).run(data, dry_run=False)
            outcomes.append((result.counts(), result.errors, snapshot()))
            transaction.set_rollback(True)
    return outcomes


STATUS_ROW = st.tuples(
    st.sampled_from(["P-T-A", "P-T-B", "P-T-C"]),
    st.integers(0, 40),
    st.sampled_from(["initiated", "on-track", "delayed", "completed", "ongoing"]),
    st.sampled_from(["", "all", "MX", "CA"]),
    st.sampled_from(["", "report-a"]),
    st.sampled_from(["verbatim", "secondary", ""]),
    st.sampled_from(["", "A note", "Tab\tand \\ backslash"]),
    st.sampled_from(
        ["", "https://www.whitehouse.gov/a", "https://example.org/b; Printed citation", "Printed citation"]
    ),
)


@pytest.fixture
def staged_record():
    report = ReportFactory(slug="report-a", released_on=datetime.date(2006, 9, 7))
    items = [IrritantFactory(ref=ref, countries=["CA", "MX", "US"]) for ref in ("P-T-A", "P-T-B", "P-T-C")]
    StatusReport.objects.create(
        irritant=items[0], as_of=datetime.date(2006, 1, 1), status="initiated", note="x"
    )
    StatusReport.objects.create(
        irritant=items[1], as_of=datetime.date(2006, 1, 2), status="delayed", report=report
    )
    SourceFactory(url="https://example.org/b", citation="")
    return UserFactory(is_superuser=True)


@postgresql_only
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(STATUS_ROW, min_size=1, max_size=12))
def test_staged_status_import_writes_what_the_orm_path_writes(staged_record, rows):
    day = datetime.date(2006, 1, 1)
    lines = [
        f'{ref},,{day + datetime.timedelta(days=d)},{status},{country},{report},{confidence},"{note}","{sources}"\n'
        for ref, d, status, country, report, confidence, note, sources in rows
    ]
    data = (STATUS_HEADER + "".join(lines)).encode()

    staged, orm = import_both_ways("status-reports", data, staged_record)

    assert staged == orm


@postgresql_only
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["P-T-A", "P-T-B"]),
            st.integers(0, 20),
            st.sampled_from(["by June 2006", ""]),
            st.sampled_from(["", "2008-06-30", "2009-12-31"]),
            st.sampled_from(["", "report-a"]),
            st.sampled_from(["", "Printed citation", "https://www.gob.mx/sre/a"]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_staged_deadline_import_writes_what_the_orm_path_writes(staged_record, rows):
    day = datetime.date(2005, 6, 27)
    lines = [
        f"{ref},,{day + datetime.timedelta(days=d)},{text},{due},{report},verbatim,,{sources}\n"
        for ref, d, text, due, report, sources in rows
    ]
    data = (DEADLINE_HEADER + "".join(lines)).encode()

    staged, orm = import_both_ways("deadlines", data, staged_record)

    assert staged == orm


@postgresql_only
def test_staged_import_of_changed_rows_replaces_their_sources_and_writes_history(staged_record):
    data = (
        STATUS_HEADER + "P-T-A,,2006-01-01,completed,,,secondary,x,https://www.whitehouse.gov/a\n"
    ).encode()

    result = Importer("status-reports", user=staged_record).run(data, dry_run=False)

    assert result.counts()["change"] == 1 and result.written
    status = StatusReport.objects.get(irritant__ref="P-T-A")
    assert (status.status, status.confidence, status.version) == ("completed", "secondary", 2)
    assert [s.url for s in status.sources.all()] == ["https://www.whitehouse.gov/a"]
    assert status.history.latest("history_id").history_type == "~"
    assert Irritant.objects.get(ref="P-T-A").current_status == "completed"
    assert connection.vendor == "postgresql"


def test_a_deadline_without_target_text_or_date_is_refused_by_the_model_on_its_column(item):
    data = (DEADLINE_HEADER + "S-TS-04,,2005-06-27,,,,verbatim,,\n").encode()

    result = Importer("deadlines").check(data)

    assert [(line, column) for line, column, _message in result.errors] == [(2, "due on")]


def test_cached_field_messages_follow_the_language_of_the_person_importing(item):
    from django.utils import translation

    data = (STATUS_HEADER + "S-TS-04,,1899-01-01,initiated,,,verbatim,Row,\n").encode()
    with translation.override("en"):
        english = Importer("status-reports").check(data).errors[0][2]
    with translation.override("fr"):
        french = Importer("status-reports").check(data).errors[0][2]

    assert english != french


def test_the_batch_items_countries_read_without_a_query_and_query_again_correctly(
    item, django_assert_num_queries
):
    IrritantFactory(ref="S-TS-05", countries=["CA"])
    lookups = Lookups()
    lookups.load_batch({"S-TS-04", "S-TS-05"})
    loaded = lookups.irritants["S-TS-05"]

    with django_assert_num_queries(0):
        assert [c.code for c in loaded.countries.all()] == ["CA"]
    assert sorted(loaded.countries.values_list("code", flat=True)) == ["CA"]
    assert sorted(lookups.irritants["S-TS-04"].countries.values_list("code", flat=True)) == ["CA", "MX", "US"]
