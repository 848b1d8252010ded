"""The querysets themselves, against the database: the state as of a day, per-country precedence,
overdue, on_record, involving, search and refresh_derived. Where a rule has a Python reference
(agenda/rules.py, querysets.COUNTRY_PRECEDENCE), a hypothesis property checks that the SQL agrees
with it on generated data."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.choices import IrritantStatus
from agenda.models import Irritant, StatusReport
from agenda.querysets import in_force_for_country, slippage_expression
from agenda.rules import is_overdue, slippage_days

from ..factories import (
    AgendaFactory,
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    ReportFactory,
    StatusReportFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
SETTINGS = {
    "max_examples": 40,
    "deadline": None,
    "derandomize": True,  # the same examples every run: a failure is reproducible
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
DAYS = st.dates(min_value=D(2005, 3, 23), max_value=D(2010, 12, 31))
STATUSES = st.sampled_from(["", *IrritantStatus.values])


def states(queryset, *, as_of=None):
    return {i.ref: (i.state_status, i.state_due) for i in queryset.with_state(as_of)}


@pytest.fixture
def moved():
    """An item whose target moved and whose status changed in September 2006."""
    item = IrritantFactory(ref="P-MV-01")
    DeadlineFactory(irritant=item, set_on=D(2005, 6, 27), due_on=D(2006, 6, 30))
    DeadlineFactory(irritant=item, set_on=D(2006, 9, 7), due_on=D(2006, 12, 31))
    StatusReportFactory(irritant=item, as_of=D(2005, 6, 27), status=IrritantStatus.INITIATED)
    StatusReportFactory(irritant=item, as_of=D(2006, 9, 7), status=IrritantStatus.DELAYED)
    return item


# --- state as of a day ------------------------------------------------------------------------
def test_state_without_a_day_is_the_stored_current_values(moved):
    assert states(Irritant.objects.all()) == {"P-MV-01": ("delayed", D(2006, 12, 31))}


def test_state_as_of_a_day_reads_only_what_had_been_stated_by_then(moved):
    assert states(Irritant.objects.all(), as_of=D(2006, 1, 1)) == {"P-MV-01": ("initiated", D(2006, 6, 30))}
    assert states(Irritant.objects.all(), as_of=D(2005, 6, 1)) == {"P-MV-01": ("", None)}


def test_state_as_of_keeps_the_original_target(moved):
    item = Irritant.objects.with_state(D(2007, 1, 1)).get()

    assert item.state_original_due == D(2006, 6, 30)


def test_same_day_reports_the_all_country_one_and_then_the_slower_status_win():
    item = IrritantFactory(countries=["CA", "MX"])
    for status in (IrritantStatus.COMPLETED, IrritantStatus.DELAYED):  # two reports say two things
        StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=status, report=ReportFactory())
    StatusReportFactory(
        irritant=item,
        as_of=D(2006, 6, 15),
        status=IrritantStatus.INITIATED,
        country=CountryFactory(code="MX"),
    )

    assert Irritant.objects.with_state(D(2006, 7, 1)).get().state_status == IrritantStatus.DELAYED


def test_state_as_of_reads_the_history_in_one_join_without_subqueries(moved):
    listed = (
        Irritant.objects.for_list(D(2006, 1, 1)).as_it_stood(D(2006, 1, 1)).with_any_target(D(2006, 1, 1))
    )

    sql = str(listed.query).upper()

    assert sql.count("AGENDA_ITEMSTATE") == 1 and "EXISTS" not in sql
    assert "AGENDA_STATUSREPORT" not in sql and "AGENDA_DEADLINE" not in sql


def test_state_as_of_gives_the_status_day_and_the_target_as_worded(moved):
    DeadlineFactory(irritant=moved, set_on=D(2007, 1, 15), due_on=None, target_text="by fall 2007")

    def stood(day):
        item = Irritant.objects.as_it_stood(day).get()
        return item.state_on, item.state_due, item.state_target_text

    assert stood(D(2005, 6, 1)) == (None, None, None)  # nothing stated yet: no target at all
    assert stood(D(2006, 9, 7)) == (D(2006, 9, 7), D(2006, 12, 31), "by June 2006")
    assert stood(D(2007, 2, 1)) == (D(2006, 9, 7), None, "by fall 2007")


def test_target_filters_as_of_a_day_count_an_undated_target():
    worded = IrritantFactory(ref="P-WORD")
    DeadlineFactory(irritant=worded, set_on=D(2006, 9, 7), due_on=None, target_text="by fall 2007")
    dated = IrritantFactory(ref="P-DATE")
    DeadlineFactory(irritant=dated, set_on=D(2006, 9, 7), due_on=D(2006, 12, 31), target_text="")
    StatusReportFactory(irritant=IrritantFactory(ref="P-NONE"), as_of=D(2005, 6, 27))

    def refs(queryset):
        return set(queryset.values_list("ref", flat=True))

    day = D(2007, 1, 1)
    assert refs(Irritant.objects.on_record(day).with_any_target(day)) == {"P-WORD", "P-DATE"}
    assert Irritant.objects.as_it_stood(day).get(ref="P-DATE").state_target_text == ""
    assert refs(Irritant.objects.on_record(day).without_any_target(day)) == {"P-NONE"}
    assert refs(Irritant.objects.on_record(D(2006, 1, 1)).without_any_target(D(2006, 1, 1))) == {"P-NONE"}


# --- per-country precedence -------------------------------------------------------------------
def test_country_state_prefers_the_countrys_own_report_on_the_same_day():
    item = IrritantFactory(countries=["CA", "MX"])
    mexico = CountryFactory(code="MX")
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ON_TRACK)
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.DELAYED, country=mexico)

    assert Irritant.objects.with_country_state(mexico).get().country_status == IrritantStatus.DELAYED
    assert Irritant.objects.with_country_state(CountryFactory(code="CA")).get().country_status == "on-track"


def test_country_state_as_of_a_day_ignores_later_reports():
    item = IrritantFactory(countries=["MX"])
    mexico = CountryFactory(code="MX")
    StatusReportFactory(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.INITIATED)
    StatusReportFactory(irritant=item, as_of=D(2007, 6, 15), status=IrritantStatus.COMPLETED, country=mexico)

    row = Irritant.objects.with_country_state(mexico, as_of=D(2007, 1, 1)).get()

    assert (row.country_status, row.country_status_on) == (IrritantStatus.INITIATED, D(2006, 6, 15))


REPORTS = st.lists(
    st.tuples(
        st.sampled_from([D(2006, 6, 15), D(2006, 9, 7), D(2007, 8, 21)]), st.sampled_from(["", "CA", "MX"])
    ),
    min_size=1,
    max_size=8,
    unique=True,  # the natural key: one report per (day, country) here
)


@settings(**SETTINGS)
@given(reports=REPORTS, statuses=st.data(), as_of=st.sampled_from([None, D(2006, 7, 1), D(2007, 1, 1)]))
def test_country_precedence_in_sql_agrees_with_the_item_pages_python(reports, statuses, as_of):
    with transaction.atomic():
        item = IrritantFactory(countries=["CA", "MX"])
        countries = {code: CountryFactory(code=code) for code in ("CA", "MX")}
        StatusReport.objects.bulk_create(
            StatusReport(
                irritant=item,
                as_of=day,
                country=countries.get(code),
                status=statuses.draw(st.sampled_from(IrritantStatus.values)),
            )
            for day, code in reports
        )
        loaded = list(item.status_reports.all())
        for country in countries.values():
            sql = Irritant.objects.filter(pk=item.pk).with_country_state(country, as_of).get()
            python = in_force_for_country(loaded, country, as_of)
            assert (sql.country_status, sql.country_status_on) == (
                (python.status, python.as_of) if python else (None, None)
            )
        transaction.set_rollback(True)


# --- overdue and slippage: SQL against the Python rule ----------------------------------------
def test_overdue_is_an_open_item_whose_target_in_force_has_passed(moved):
    done = IrritantFactory(ref="P-DONE")
    DeadlineFactory(irritant=done, due_on=D(2006, 6, 30))
    StatusReportFactory(irritant=done, status=IrritantStatus.COMPLETED)

    overdue = Irritant.objects.with_state().overdue(today=D(2007, 1, 1)).values_list("ref", flat=True)

    assert list(overdue) == ["P-MV-01"]
    assert not Irritant.objects.with_state().overdue(today=D(2006, 12, 31)).exists()


def test_overdue_as_of_a_day_uses_that_days_target(moved):
    then = Irritant.objects.with_state(D(2006, 8, 1)).overdue(today=D(2006, 8, 1))

    assert list(then.values_list("ref", flat=True)) == ["P-MV-01"]  # June 2006 had passed, unmoved yet


ROWS = st.lists(st.tuples(st.one_of(st.none(), DAYS), STATUSES, st.one_of(st.none(), DAYS)), max_size=12)


def stored_items(rows):
    agenda = AgendaFactory()
    return Irritant.objects.bulk_create(
        Irritant(
            ref=f"P-GEN-{n:02d}",
            title="generated",
            agenda=agenda,
            confidence="verbatim",
            due_on=due,
            current_status=status,
            original_due_on=original,
        )
        for n, (due, status, original) in enumerate(rows)
    )


@settings(**SETTINGS)
@given(rows=ROWS, day=DAYS)
def test_overdue_in_sql_agrees_with_the_python_rule(rows, day):
    with transaction.atomic():
        items = stored_items(rows)
        sql = set(Irritant.objects.with_state().overdue(today=day).values_list("ref", flat=True))
        flagged = {i.ref for i in Irritant.objects.as_it_stood(today=day) if i.state_overdue}
        python = {i.ref for i in items if is_overdue(due=i.due_on, status=i.current_status, day=day)}
        assert sql == flagged == python
        assert python == {i.ref for i in items if i.is_overdue(day)}
        transaction.set_rollback(True)


@settings(**SETTINGS)
@given(rows=ROWS)
def test_slippage_in_sql_agrees_with_the_python_rule(rows):
    with transaction.atomic():
        items = stored_items(rows)
        sql = dict(
            Irritant.objects.annotate(slip=slippage_expression("due_on", "original_due_on")).values_list(
                "ref", "slip"
            )
        )
        assert sql == {i.ref: slippage_days(i.due_on, i.original_due_on) for i in items}
        transaction.set_rollback(True)


# --- which items ------------------------------------------------------------------------------
def test_on_record_from_the_first_dated_document():
    report = ReportFactory(released_on=D(2006, 9, 7))
    by_report = IrritantFactory(ref="P-REP", report=report)
    by_target = IrritantFactory(ref="P-TGT")
    DeadlineFactory(irritant=by_target, set_on=D(2005, 6, 27))
    undated = IrritantFactory(ref="P-UND")

    def on_record(day):
        return set(Irritant.objects.on_record(day).values_list("ref", flat=True))

    assert on_record(D(2006, 1, 1)) == {"P-TGT"}
    assert on_record(D(2006, 9, 7)) == {"P-TGT", "P-REP"}
    assert on_record(D(2011, 1, 1)) == {"P-TGT", "P-REP"}  # undated: in no view of a past day
    assert set(Irritant.objects.on_record(None)) == {by_report, by_target, undated}


def test_involving_lists_each_item_once():
    both = IrritantFactory(ref="P-BOTH", countries=["CA", "MX"])
    IrritantFactory(ref="P-US", countries=["US"])
    IrritantFactory(ref="P-NONE")

    found = list(Irritant.objects.involving(["CA", "MX"]))

    assert found == [both]


def test_search_finds_a_word_of_the_ref_title_or_summary():
    IrritantFactory(ref="S-TS-01", title="Biometrics at the border")
    IrritantFactory(ref="P-EN-02", title="Energy", summary="A biometrics pilot for pipelines")
    IrritantFactory(ref="P-MG-03", title="Rules of origin")

    def found(text):
        return set(Irritant.objects.search(text).values_list("ref", flat=True))

    assert found("biometrics") == {"S-TS-01", "P-EN-02"}
    assert found("S-TS-01") == {"S-TS-01"}


def test_open_leaves_out_completed_and_dropped_items():
    open_item = IrritantFactory(ref="P-OPEN")
    StatusReportFactory(irritant=open_item, status=IrritantStatus.ONGOING)
    for ref, status in (("P-DONE", IrritantStatus.COMPLETED), ("P-DROP", IrritantStatus.DROPPED)):
        StatusReportFactory(irritant=IrritantFactory(ref=ref), status=status)
    IrritantFactory(ref="P-NEW")  # nothing reported yet: open

    assert set(Irritant.objects.with_state().open().values_list("ref", flat=True)) == {"P-OPEN", "P-NEW"}


# --- refresh ----------------------------------------------------------------------------------
def test_refresh_derived_recomputes_what_bulk_writes_left_stale():
    item = IrritantFactory(ref="P-BULK")
    StatusReport.objects.bulk_create(  # no signals: the stored values are stale
        [StatusReport(irritant=item, as_of=D(2006, 6, 15), status=IrritantStatus.ON_TRACK)]
    )
    assert Irritant.objects.get().current_status == ""

    Irritant.objects.filter(pk=item.pk).refresh_derived()

    stored = Irritant.objects.get()
    assert (stored.current_status, stored.current_status_on) == (IrritantStatus.ON_TRACK, D(2006, 6, 15))


def test_refresh_derived_agrees_with_the_as_of_state_of_today(moved):
    Irritant.objects.update(current_status="", due_on=None, original_due_on=None)

    Irritant.objects.all().refresh_derived()

    stored = Irritant.objects.get()
    computed = Irritant.objects.with_state(datetime.date.today()).get()
    assert (stored.current_status, stored.due_on, stored.original_due_on) == (
        computed.state_status,
        computed.state_due,
        computed.state_original_due,
    )
