"""The state history and the dashboard counters stay exact after any sequence of writes (issue 11).

Hypothesis draws write sequences through every path (saves, queryset deletes, report edits, item
edits, country changes, a bulk import-like write through the same service); after each sequence the
dashboard's numbers and the as-of list (every column, filter and sort) must equal the reference
computation (``recomputed(as_of)``: the correlated subqueries of ``querysets.state_expressions`` and
the EXISTS of ``on_record`` the dashboard and the list used before), and the stored state rows and
counters must equal a rebuild from scratch."""

import datetime
import sqlite3
from collections import Counter, defaultdict
from itertools import zip_longest

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agenda import progress, services
from agenda.choices import CategoryBasis, IrritantCategory, IrritantStatus
from agenda.comparison import compare_reports
from agenda.filters import IrritantFilterSet
from agenda.models import Deadline, Irritant, ItemState, StateCount, StatusReport
from agenda.querysets import state_expressions
from agenda.rules import is_overdue
from agenda.state import COUNTRY_BITS
from summits.choices import ReportKind
from summits.models import Country, Report
from tests.factories import AgendaFactory, IrritantFactory, ReportFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAYS = [D(2005, 6, 27), D(2006, 2, 28), D(2006, 6, 15), D(2007, 2, 28), D(2008, 2, 29), D(2009, 3, 1)]
TODAY = D(2007, 3, 1)
day = st.sampled_from(DAYS)
status = st.sampled_from(IrritantStatus.values)
item = st.integers(0, 3)

write = st.one_of(
    st.tuples(st.just("status"), item, day, status, st.sampled_from([None, "CA", "US"])),
    st.tuples(st.just("target"), item, day, st.one_of(st.none(), day, st.just(D(2010, 2, 28)))),
    st.tuples(st.just("worded_target"), item, day, st.sampled_from(["", "by fall 2007"]), st.booleans()),
    st.tuples(st.just("delete_status"), item),
    st.tuples(st.just("delete_target"), item),
    st.tuples(st.just("report"), st.integers(0, 1), day, st.sampled_from(ReportKind.values)),
    st.tuples(st.just("item"), item, st.integers(0, 1), st.sampled_from(["", *IrritantCategory.values])),
    st.tuples(st.just("countries"), item, st.sampled_from([[], ["CA"], ["MX", "US"], ["CA", "MX", "US"]])),
    st.tuples(st.just("bulk"), st.lists(st.tuples(item, day, status), min_size=1, max_size=4)),
)


@pytest.fixture
def world():
    security = AgendaFactory(slug="security")
    groups = [WorkingGroupFactory(), WorkingGroupFactory(agenda=security)]
    reports = [ReportFactory(released_on=D(2005, 6, 27)), ReportFactory(released_on=D(2006, 9, 7))]
    items = [
        IrritantFactory(ref=f"X-{n}", working_group=groups[n % 2], report=reports[n % 2]) for n in range(3)
    ]
    items.append(IrritantFactory(ref="X-3", working_group=None, agenda=security, report=None))
    for country in ("CA", "MX", "US"):
        Country.objects.get_or_create(code=country)
    return {"groups": groups, "reports": reports, "items": items}


def apply(world, op):
    items, kind = world["items"], op[0]
    if kind == "status":
        _, n, on, value, country = op
        country = country and Country.objects.get(code=country)
        StatusReport.objects.create(irritant=items[n], as_of=on, status=value, country=country)
    elif kind == "target":
        _, n, on, due = op
        due = due if due is None or due >= on else None
        Deadline.objects.create(irritant=items[n], set_on=on, due_on=due)
    elif kind == "worded_target":  # "by fall 2007" with no date, or with one; "" needs the date
        _, n, on, text, dated = op
        Deadline.objects.create(
            irritant=items[n], set_on=on, target_text=text, due_on=D(2010, 2, 28) if dated else None
        )
    elif kind == "delete_status":
        StatusReport.objects.filter(pk__in=items[op[1]].status_reports.values("pk")[:1]).delete()
    elif kind == "delete_target":
        Deadline.objects.filter(pk__in=items[op[1]].deadlines.values("pk")[:1]).delete()
    elif kind == "report":
        _, n, on, report_kind = op
        report = world["reports"][n]
        report.released_on, report.kind = on, report_kind
        report.save()
    elif kind == "item":
        _, n, group, category = op
        irritant = Irritant.objects.get(pk=items[n].pk)
        irritant.working_group = world["groups"][group]
        irritant.category = category
        irritant.category_basis = CategoryBasis.STAFF if category else CategoryBasis.UNCLASSIFIED
        irritant.save()
    elif kind == "countries":
        items[op[1]].countries.set(Country.objects.filter(code__in=op[2]))
    else:  # an import-like bulk write (no signals), one refresh of the touched items, in batches of
        # one item (as an import of more than 5,000 items)
        StatusReport.objects.bulk_create(
            [StatusReport(irritant=items[n], as_of=on, status=value) for n, on, value in op[1]]
        )
        touched = Irritant.objects.filter(pk__in=[items[n].pk for n, _on, _value in op[1]])
        touched.refresh_derived(batch_size=1)


def recomputed(as_of, *, every_item=False):
    """The items on the record on ``as_of`` (``every_item``: all of them) with their state then, as
    the as-of views computed it before they read the state history: correlated subqueries
    (``querysets.state_expressions``), on the record by EXISTS of a dated document, and
    ``has_target``: a target had been set by then."""
    state = state_expressions(as_of)
    deadlines = Deadline.objects.filter(irritant=OuterRef("pk"), set_on__lte=as_of)
    items = Irritant.objects.annotate(
        state_status=state["status"],
        state_on=state["on"],
        state_due=state["due"],
        state_original_due=state["original_due"],
        state_target_text=state["target_text"],
        has_target=Exists(deadlines),
    )
    if every_item:
        return items
    return items.filter(
        Q(report__released_on__lte=as_of)
        | Exists(deadlines)
        | Exists(StatusReport.objects.filter(irritant=OuterRef("pk"), as_of__lte=as_of))
    )


def reference_progress(as_of, today):
    """The dashboard's numbers as it computed them before the state history (the reference)."""
    states = (recomputed(as_of) if as_of else Irritant.objects.with_state()).annotate(
        status_key=Coalesce("state_status", Value(""))
    )

    def grouped(field):
        result = defaultdict(Counter)
        for row in states.order_by().values(field, "status_key").annotate(n=Count("pk")):
            result[row[field]][row["status_key"]] += row["n"]
        return dict(result)

    categories = defaultdict(Counter)
    bases = defaultdict(Counter)
    for row in states.order_by().values("category", "category_basis", "status_key").annotate(n=Count("pk")):
        categories[row["category"]][row["status_key"]] += row["n"]
        bases[row["category"]][row["category_basis"]] += row["n"]
    on = as_of or today
    until = progress.add_years(on, 1)
    return {
        "by_agenda": grouped("agenda__slug"),
        "by_working_group": grouped("working_group__slug"),
        "by_category": dict(categories),
        "bases": dict(bases),
        "by_country": grouped("countries__code"),
        "overdue": list(states.overdue(today=on).order_by("state_due", "ref").values_list("ref", flat=True)),
        "upcoming": list(
            states.open()
            .filter(state_due__gte=on, state_due__lte=until)
            .order_by("state_due", "ref")
            .values_list("ref", flat=True)
        ),
    }


def dashboard_numbers(as_of, today):
    counts = progress.progress(as_of, today=today)
    on = as_of or today
    until = progress.add_years(on, 1)
    overdue = list(progress.overdue_items(day=on, as_of=as_of).values_list("ref", flat=True))
    upcoming = list(progress.upcoming_items(day=on, until=until, as_of=as_of).values_list("ref", flat=True))
    assert (counts.overdue, counts.upcoming) == (len(overdue), len(upcoming))
    return {
        "by_agenda": counts.by_agenda,
        "by_working_group": counts.by_working_group,
        "by_category": counts.by_category,
        "bases": {key: +value for key, value in counts.bases.items() if +value},
        "by_country": counts.by_country,
        "overdue": overdue,
        "upcoming": upcoming,
    }


def state_rows():
    fields = [f.name for f in ItemState._meta.fields if f.name != "id"]
    return sorted(ItemState.objects.values_list(*fields), key=repr)


def counter_sums():
    rows = StateCount.objects.values("is_current", "dimension", "key", "status", "day").annotate(n=F("n"))
    sums = Counter()
    for row in rows:
        sums[(row["is_current"], row["dimension"], row["key"], row["status"], row["day"])] += row["n"]
    return {key: n for key, n in sums.items() if n}


def reference_comparison(from_day, to_day):
    """Counts and listed refs of each kind of change, from ``with_state()`` on both days."""
    before = {ref: (s, due) for ref, s, due in recomputed(from_day, every_item=True).values_list(
        "ref", "state_status", "state_due")}  # fmt: skip
    kinds, lists = Counter(), defaultdict(list)
    for ref, status, due in (
        recomputed(to_day, every_item=True).order_by("ref").values_list("ref", "state_status", "state_due")
    ):
        old_status, old_due = before[ref]
        if not old_status:
            kind = "new" if status else "still_without_status"
        else:
            kind = "unchanged" if old_status == status else "changed"
            if kind == "unchanged":
                kinds[("unchanged", status)] += 1
        kinds[kind] += 1
        lists[kind].append(ref)
        if old_due is None and due is not None:
            kinds["targets_set"] += 1
            lists["targets_set"].append(ref)
        elif old_due is not None and due is not None and due > old_due:
            kinds["slipped"] += 1
            lists["slipped"].append((-(due - old_due).days, ref))
    if lists["slipped"]:
        lists["slipped"] = [ref for _days, ref in sorted(lists["slipped"])]
    return kinds, {kind: refs for kind, refs in lists.items() if refs}


def dashboard_comparison(from_day, to_day):
    comparison = compare_reports(Report(released_on=from_day), Report(released_on=to_day))
    kinds = Counter({k: n for k, n in comparison.counts.items() if n and k != "total"})
    for label, n in comparison.unchanged_by_status:
        kinds[("unchanged", IrritantStatus(next(s for s in IrritantStatus if s.label == label)))] += n
    lists = {
        kind: [i.ref for i in getattr(comparison, kind)]
        for kind in ("changed", "new", "unchanged", "still_without_status", "slipped", "targets_set")
    }
    return kinds, {kind: refs for kind, refs in lists.items() if refs}


# The as-of list (and so its count, the CSV export and the API, which filter through the same
# FilterSet): its columns, then each filter and sort that reads the state.
LIST_COLUMNS = ["ref", "state_status", "state_on", "state_due", "state_original_due", "state_target_text"]
LIST_PARAMS = [
    {},
    {"overdue": "true"},
    {"overdue": "false"},
    {"no_target": "true"},
    {"no_target": "false"},
    {"status": ["none"]},
    {"status": ["delayed", "completed", "on-track"]},
    {"deadline_after": "2007-01-01", "deadline_before": "2010-02-28"},
    {"ordering": "target"},
    {"ordering": "-status_date"},
    {"ordering": "status"},
]


def as_of_list(as_of, params):
    filterset = IrritantFilterSet({"as_of": as_of.isoformat(), **params}, queryset=Irritant.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def recomputed_list(as_of, params, ordering):
    """The list's rows by the reference: the filters in Python over ``recomputed``, the list's sort."""

    def wanted(status, due, overdue, has_target):
        yes_no = {"true": True, "false": False}
        return (
            yes_no.get(params.get("overdue"), overdue) == overdue
            and yes_no.get(params.get("no_target"), not has_target) == (not has_target)
            and status in {"" if v == "none" else v for v in params.get("status", [status])}
            and (
                "deadline_after" not in params
                or due is not None
                and params["deadline_after"] <= due.isoformat() <= params["deadline_before"]
            )
        )

    rows = []
    items = recomputed(as_of).order_by(*ordering) if ordering else recomputed(as_of)  # else Meta.ordering
    for *row, has_target in items.values_list(*LIST_COLUMNS, "has_target"):
        _ref, status, _on, due, _original, _text = row
        overdue = is_overdue(due=due, status=status, day=as_of)
        if wanted(status, due, overdue, has_target):
            rows.append((*row, overdue))
    return rows


def check_as_of_list(as_of):
    for params in LIST_PARAMS:
        listed = as_of_list(as_of, params)
        expected = recomputed_list(as_of, params, listed.query.order_by)
        assert list(listed.values_list(*LIST_COLUMNS, "state_overdue")) == expected, (as_of, params)
        assert listed.count() == len(expected)


def check(world):
    for as_of in [None, *DAYS, D(2005, 1, 1), D(2006, 6, 14), D(2009, 3, 2), D(2011, 1, 1)]:
        assert dashboard_numbers(as_of, TODAY) == reference_progress(as_of, TODAY), as_of
    for as_of in [DAYS[0], DAYS[2], DAYS[4], D(2006, 6, 14), D(2011, 1, 1)]:  # on and between write days
        check_as_of_list(as_of)
    for from_day, to_day in [
        (DAYS[0], DAYS[2]),
        (DAYS[1], DAYS[4]),
        (D(2005, 1, 1), DAYS[5]),
        (DAYS[3], DAYS[3]),
    ]:
        assert dashboard_comparison(from_day, to_day) == reference_comparison(from_day, to_day)
    # the stored countries (country filters and scope read them) are the item's links
    for item in Irritant.objects.prefetch_related("countries"):
        assert item.country_bits == sum(COUNTRY_BITS[c.code] for c in item.countries.all()), item.ref
    rows, sums = state_rows(), counter_sums()
    services.states_rebuild()
    assert state_rows() == rows
    assert counter_sums() == sums


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(write, max_size=8))
def test_dashboard_numbers_and_state_rows_equal_a_recomputation_after_any_writes(world, writes):
    with transaction.atomic():
        for op in writes:
            try:
                with transaction.atomic():
                    apply(world, op)
            except IntegrityError:
                pass  # the same statement twice: refused by the database, nothing written
        check(world)
        transaction.set_rollback(True)


def test_a_deleted_item_leaves_no_state_and_no_count(world):
    apply(world, ("status", 0, D(2006, 6, 15), IrritantStatus.ONGOING, None))
    before = progress.progress(None, today=TODAY).totals

    Irritant.objects.filter(pk=world["items"][0].pk).delete()

    assert not ItemState.objects.filter(irritant_id=world["items"][0].pk).exists()
    assert sum(progress.progress(None, today=TODAY).totals.values()) == sum(before.values()) - 1


# --- the fill itself: every state row equals state_expressions on its day, field by field ----------
# Few days, reports and countries, so that several reports (all-country and per-country) and several
# targets (dated, worded, both) fall on one day of one item, and deletes take rows out in between.
FILL_DAYS = [D(2005, 6, 27), D(2006, 2, 28), D(2006, 9, 7)]
fill_day = st.sampled_from(FILL_DAYS)
fill_item = st.integers(0, 2)
fill_report = st.sampled_from([None, 0, 1])
fill_write = st.one_of(
    st.tuples(
        st.just("status"), fill_item, fill_day, status, st.sampled_from([None, "CA", "MX", "US"]), fill_report
    ),
    st.tuples(
        st.just("target"),
        fill_item,
        fill_day,
        st.sampled_from([None, D(2006, 9, 30), D(2010, 2, 28)]),
        st.sampled_from(["", "by fall 2007", "within 18 months"]),
        fill_report,
    ),
    st.tuples(st.just("delete_status"), fill_item, st.integers(0, 3)),
    st.tuples(st.just("delete_target"), fill_item, st.integers(0, 3)),
    st.tuples(st.just("release"), st.integers(0, 1), st.one_of(st.none(), fill_day)),
    st.tuples(st.just("countries"), fill_item, st.sampled_from([[], ["CA"], ["MX", "US"]])),
)


@pytest.fixture
def fill_world():
    for country in ("CA", "MX", "US"):
        Country.objects.get_or_create(code=country)
    reports = [ReportFactory(released_on=FILL_DAYS[1]), ReportFactory(released_on=FILL_DAYS[2])]
    items = [IrritantFactory(ref=f"F-{n}", report=reports[n] if n < 2 else None) for n in range(3)]
    items[0].countries.set(Country.objects.filter(code__in=["CA", "MX", "US"]))
    return {"reports": reports, "items": items}


def fill_apply(world, op, bulk):
    """One write of ``op``; with ``bulk``, rows are created without signals (the import's way)."""
    items, reports, kind = world["items"], world["reports"], op[0]
    if kind in ("status", "target"):
        _, n, on, *values, report = op
        report = None if report is None else reports[report]
        if kind == "status":
            value, country = values
            country = country and Country.objects.get(code=country)
            row = StatusReport(irritant=items[n], as_of=on, status=value, country=country, report=report)
        else:
            due, text = values
            if due is None and not text or due is not None and due < on:
                return
            row = Deadline(irritant=items[n], set_on=on, due_on=due, target_text=text, report=report)
        if bulk:  # no signals: refreshed by the caller
            type(row).objects.bulk_create([row])
        else:
            row.save()
    elif kind in ("delete_status", "delete_target"):
        rows = items[op[1]].status_reports if kind == "delete_status" else items[op[1]].deadlines
        rows.filter(pk__in=rows.order_by("pk").values("pk")[op[2] : op[2] + 1]).delete()
    elif kind == "release":
        report = reports[op[1]]
        report.released_on = op[2]
        report.save()
    else:
        items[op[1]].countries.set(Country.objects.filter(code__in=op[2]))


def expected_state_rows():
    """Every item's state rows from the definition: one per day something about it was stated (its
    report's release, a target set, a status), valid until the next such day, with
    ``state_expressions`` of that day; and the current row (``state_expressions(None)``)."""
    from agenda.state import ALWAYS, COUNTRY_BITS

    days = defaultdict(set)
    for pk, released in Irritant.objects.filter(report__released_on__isnull=False).values_list(
        "pk", "report__released_on"
    ):
        days[pk].add(released)
    for pk, on in Deadline.objects.values_list("irritant_id", "set_on"):
        days[pk].add(on)
    for pk, on in StatusReport.objects.values_list("irritant_id", "as_of"):
        days[pk].add(on)
    fields = ["status", "on", "due", "original_due", "target_text"]

    def states(as_of):
        items = Irritant.objects.annotate(**{f"s_{k}": v for k, v in state_expressions(as_of).items()})
        return {row[0]: row[1:] for row in items.values_list("pk", *[f"s_{k}" for k in fields])}

    by_day = {on: states(on) for on in {on for item_days in days.values() for on in item_days}}
    rows = []
    for item in Irritant.objects.prefetch_related("countries"):
        groups = (
            item.agenda_id,
            item.working_group_id,
            item.category,
            item.category_basis,
            sum(COUNTRY_BITS.get(c.code, 0) for c in item.countries.all()),
        )
        ordered = sorted(days[item.pk])
        for on, until in zip_longest(ordered, ordered[1:]):
            status_, status_on, due, original, text = by_day[on][item.pk]
            rows.append((item.pk, False, on, until, status_, due, original, status_on, text, *groups))
        status_, status_on, due, original, text = states(None)[item.pk]
        always = D.fromisoformat(ALWAYS)
        rows.append((item.pk, True, always, None, status_, due, original, status_on, text, *groups))
    return sorted(rows, key=repr)


FILL_FIELDS = [
    "irritant_id",
    "is_current",
    "valid_from",
    "valid_to",
    "status",
    "due_on",
    "original_due_on",
    "status_on",
    "target_text",
    "agenda_id",
    "working_group_id",
    "category",
    "category_basis",
    "countries",
]


def fill_rows():
    assert {f.attname for f in ItemState._meta.fields} == {"id", *FILL_FIELDS}  # every field compared
    return sorted(ItemState.objects.values_list(*FILL_FIELDS), key=repr)


# Each tie-break, stated once for sure (item 0 is released on FILL_DAYS[1]; item 2 has no report).
E0, E1, E2 = FILL_DAYS
S = IrritantStatus
FILL_EXAMPLES = {
    # same day: the all-country report over a slower per-country one; between all-country reports
    # (two stating reports) the slower; between per-country ones the slower
    "same-day statuses": [
        ("status", 0, E0, S.COMPLETED, None, None),
        ("status", 0, E0, S.NOT_STARTED, "CA", None),
        ("status", 0, E1, S.ONGOING, None, 0),
        ("status", 0, E1, S.DELAYED, None, 1),
        ("status", 1, E2, S.ONGOING, "CA", None),
        ("status", 1, E2, S.INITIATED, "US", None),
    ],
    # same day: the last entered target, worded without a date after a dated one; a later day's
    # target entered before an earlier day's; the original is the first dated one, once set
    "targets": [
        ("target", 2, E2, D(2010, 2, 28), "", None),
        ("target", 2, E0, None, "by fall 2007", None),
        ("target", 2, E1, D(2006, 9, 30), "", 0),
        ("target", 2, E1, None, "within 18 months", 1),
        ("status", 0, E0, S.ONGOING, None, None),
        ("target", 0, E2, D(2010, 2, 28), "within 18 months", None),
    ],
    # the state carried over days without a statement of it; deleted rows
    "carried and deleted": [
        ("status", 1, E0, S.DELAYED, "MX", None),
        ("target", 1, E1, None, "by fall 2007", None),
        ("status", 2, E0, S.ON_TRACK, None, None),
        ("status", 2, E0, S.NOT_STARTED, None, 1),
        ("delete_status", 2, 1),
        ("status", 2, E1, S.COMPLETED, None, None),  # sorts before "on-track": no running MAX
        ("target", 2, E0, D(2006, 9, 30), "", None),
        ("target", 2, E2, D(2010, 2, 28), "", None),
        ("delete_target", 2, 0),
        ("release", 1, None),
    ],
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(st.tuples(fill_write, st.booleans()), max_size=12))
@example(writes=[(op, False) for op in FILL_EXAMPLES["same-day statuses"]])
@example(writes=[(op, True) for op in FILL_EXAMPLES["same-day statuses"]])
@example(writes=[(op, False) for op in FILL_EXAMPLES["targets"]])
@example(writes=[(op, True) for op in FILL_EXAMPLES["targets"]])
@example(writes=[(op, False) for op in FILL_EXAMPLES["carried and deleted"]])
def test_each_state_row_equals_state_expressions_on_its_day(fill_world, writes):
    """The state rows ``services._states_insert`` writes, after writes one at a time (each item's
    rows replaced by ``irritants_refresh``), after bulk writes refreshed at once, and from scratch
    (``states_rebuild``), equal field by field what ``querysets.state_expressions`` says of every item
    on every day something about it was stated, and now."""
    with transaction.atomic():
        bulk_touched = set()
        for op, bulk in writes:
            try:
                with transaction.atomic():
                    fill_apply(fill_world, op, bulk)
                    if bulk and op[0] in ("status", "target"):
                        bulk_touched.add(fill_world["items"][op[1]].pk)
            except IntegrityError:
                pass  # the same statement twice: refused by the database, nothing written
        Irritant.objects.filter(pk__in=bulk_touched).refresh_derived()
        assert fill_rows() == expected_state_rows()
        services.states_rebuild()
        assert fill_rows() == expected_state_rows()
        transaction.set_rollback(True)


def test_a_full_batch_of_items_is_filled_under_the_parameter_limit(fill_world):
    """``irritants_refresh`` refreshes BATCH_SIZE items at once, and INSERT_SQL names the ids in each
    of its subqueries: in one statement they would pass SQLite's default limit of 32,766 parameters
    (this build allows more: the test sets the default)."""
    StatusReport.objects.create(irritant=fill_world["items"][0], as_of=E0, status=S.ONGOING)
    real = [item.pk for item in fill_world["items"]]
    ids = [*real, *range(max(real) + 1, max(real) + services.BATCH_SIZE)]
    if connection.vendor == "sqlite":
        limit = connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
        try:
            services.irritants_refresh(ids)
        finally:
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    else:
        services.irritants_refresh(ids)
    assert fill_rows() == expected_state_rows()


def test_the_fill_refuses_a_precedence_it_does_not_restate():
    """INSERT_SQL takes the latest day's first report (target) by the precedence methods' order, which
    holds while that order begins with the latest day: another order is refused, not filled."""
    with pytest.raises(ValueError, match="no longer begins with -as_of"):
        services._first_per(
            StatusReport.objects.order_by("status", "-as_of"),
            ["irritant_id"],
            ["status"],
            begins_with="-as_of",
        )
