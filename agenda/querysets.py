"""Named reads. Screens ask for a ``for_<screen>()`` bundle; filters call the named methods."""

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import STATUS_RANK, IrritantStatus

STATUS_RANK_SQL = Case(
    *[When(status=status, then=Value(rank)) for status, rank in STATUS_RANK.items()],
    default=Value(0),
    output_field=IntegerField(),
)


# THE per-country precedence among the reports that speak for a country (its own and the all-country
# ones): the latest day; on the same day the country's own report; then the latest entered. Each
# criterion once, as (SQL order, most authoritative first; value of a loaded row, the largest wins):
# lists read it in SQL (``with_country_state``), the item page over its prefetched rows
# (``in_force_for_country``).
COUNTRY_PRECEDENCE = [
    (F("as_of").desc(), lambda report: report.as_of),
    (F("country").asc(nulls_last=True), lambda report: report.country_id is not None),
    (F("pk").desc(), lambda report: report.pk),
]


def in_force_for_country(reports, country, as_of=None):
    """The report in force for ``country`` on ``as_of`` (None: the latest) among loaded ``reports``
    of one item, by ``COUNTRY_PRECEDENCE``; None when none speaks for it."""
    speaking = [
        r for r in reports if r.country_id in (None, country.pk) and (as_of is None or r.as_of <= as_of)
    ]
    return max(speaking, key=lambda r: tuple(value(r) for _order, value in COUNTRY_PRECEDENCE), default=None)


class StatusReportQuerySet(models.QuerySet):
    def in_precedence(self):
        """Most authoritative first: latest date; on the same day the all-country report, then the
        slower status (an item is as far along as its slowest country), then the latest entered."""
        per_country = Case(
            When(country__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return self.alias(per_country=per_country, rank=STATUS_RANK_SQL).order_by(
            "-as_of", "per_country", "rank", "-pk"
        )

    def as_of(self, day):
        """Reports describing the record on or before ``day``."""
        return self.filter(as_of__lte=day)

    def for_country(self, country):
        """The reports that speak for ``country`` (a Country, its pk or an ``OuterRef``), its own
        and the all-country ones, the one in force first (``COUNTRY_PRECEDENCE``)."""
        return self.filter(Q(country=country) | Q(country__isnull=True)).order_by(
            *(order for order, _value in COUNTRY_PRECEDENCE)
        )


class DeadlineQuerySet(models.QuerySet):
    def in_force_first(self):
        """The target in force (the last one set) first."""
        return self.order_by("-set_on", "-pk")

    def original_first(self):
        return self.order_by("set_on", "pk")

    def as_of(self, day):
        """Targets that had been set by ``day``."""
        return self.filter(set_on__lte=day)


def state_expressions(as_of, *, item=None):
    """Status and targets of the item in the outer query, from its rows (those of ``as_of`` or
    before, when given): the single definition behind the stored columns, the state history
    (``services``) and the as-of views.

    ``services.INSERT_SQL`` fills the state history from the same rules set-based (window functions)
    and so restates two of them, in terms of the orderings below: the report (target) in force is,
    among those of the latest day on or before ``as_of``, the first by ``in_precedence``
    (``in_force_first``); the original target, once set, is the item's first dated one. A change here
    must be made there too: tests/agenda/test_state_history.py compares them row by row."""
    from .models import Deadline, StatusReport

    item = OuterRef("pk") if item is None else item
    reports = StatusReport.objects.filter(irritant=item)
    deadlines = Deadline.objects.filter(irritant=item)
    if as_of is not None:
        reports, deadlines = reports.as_of(as_of), deadlines.as_of(as_of)
    reports = reports.in_precedence()
    return {
        # "" like the stored column when nothing was reported (yet), so open()/overdue() keep the item
        "status": Coalesce(Subquery(reports.values("status")[:1]), Value("")),
        "on": Subquery(reports.values("as_of")[:1]),
        "due": Subquery(deadlines.in_force_first().values("due_on")[:1]),
        "original_due": Subquery(
            deadlines.filter(due_on__isnull=False).original_first().values("due_on")[:1]
        ),
        # NULL when no target had been set (yet); "" for a dated target stated without words
        "target_text": Subquery(deadlines.in_force_first().values("target_text")[:1]),
    }


def country_bits_per_item(links):
    """``irritant_id, bits`` for each item among the country ``links`` (rows of the items' countries
    table): the bits (``state.COUNTRY_BITS``) of its countries, the definition of the stored
    ``Irritant.country_bits`` and of the state history's ``countries``. Items without links have no row."""
    from .state import COUNTRY_BITS

    bit = Case(
        *[When(country__code=code, then=Value(b)) for code, b in COUNTRY_BITS.items()], default=Value(0)
    )
    return links.order_by().values("irritant_id").annotate(bits=Sum(bit))  # one link per country


def country_bits_expression():
    """``country_bits_per_item`` of the item in the outer query (0 when it has no countries)."""
    from .models import Irritant

    links = Irritant.countries.through.objects.filter(irritant_id=OuterRef("pk"))
    return Coalesce(
        Subquery(country_bits_per_item(links).values("bits"), output_field=IntegerField()), Value(0)
    )


def bits_of(codes):
    """The bits of the countries ``codes`` (unknown codes have none)."""
    from .state import COUNTRY_BITS

    return sum(COUNTRY_BITS.get(code, 0) for code in set(codes))


def bits_counted(n):
    """Every value of ``country_bits`` with ``n`` countries."""
    return [bits for bits in range(8) if bin(bits).count("1") == n]


def overdue_condition(day):
    """``rules.is_overdue`` in SQL, for rows annotated by ``with_state()``: the target in force lies
    before ``day`` and the item is not closed. The list filter, the admin filter, the dashboard, the
    exports (``state_overdue``, also the COPY path) and the API use this; a test checks that it
    agrees with the Python rule."""
    return Q(state_due__lt=day) & ~Q(state_status__in=IrritantStatus.closed())


class DaysBetween(Func):
    """``rules.slippage_days`` in SQL: whole days from the second date to the first (NULL when
    either is NULL), an integer on PostgreSQL (date - date) and on SQLite (julianday)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def slippage_expression(due="state_due", original="state_original_due"):
    """Slippage of the annotated (or stored) target in force against the original, in SQL."""
    return DaysBetween(F(due), F(original))


def state_on(as_of):
    """The item's state-history row in force on ``as_of`` (its current row when None)."""
    return FilteredRelation("states", condition=_in_force("states", as_of))


def _in_force(prefix, as_of):
    """``state_on``'s condition on the rows reached through ``prefix`` (Django renames the relation
    to the alias when the FilteredRelation is added to a query)."""
    if as_of is None:
        return Q(**{f"{prefix}__is_current": True})
    return Q(**{f"{prefix}__is_current": False, f"{prefix}__valid_from__lte": as_of}) & (
        Q(**{f"{prefix}__valid_to__gt": as_of}) | Q(**{f"{prefix}__valid_to__isnull": True})
    )


class IrritantQuerySet(models.QuerySet):
    # --- state: what the record said, now or on a past day -------------------------------------
    def with_state(self, as_of=None):
        """Annotate ``state_status``, ``state_on``, ``state_due`` and ``state_original_due``.

        Without ``as_of`` they are the stored current values (indexed columns). With a date they are
        the item's state-history row in force that day (agenda/state.py: one indexed join, kept by
        ``services.irritants_refresh`` from ``state_expressions``), so every filter, sort and column
        works the same way on any past day. An item not yet on the record has no row: no status ("")
        and no targets, as ``state_expressions`` says of an item with nothing stated by then.
        """
        if as_of is None:
            return self.annotate(
                state_status=F("current_status"),
                state_on=F("current_status_on"),
                state_due=F("due_on"),
                state_original_due=F("original_due_on"),
            )
        return self._state_joined(as_of).annotate(
            state_status=Coalesce(F("state__status"), Value("")),
            state_on=F("state__status_on"),
            state_due=F("state__due_on"),
            state_original_due=F("state__original_due_on"),
        )

    def with_state_history(self, as_of=None):
        """``with_state(as_of)``'s status and targets read from the state history (agenda/state.py),
        one indexed join instead of subqueries per item; with ``as_of``, only the items on the record
        that day (``on_record``), as each state interval starts on or after the first."""
        return (
            self._state_joined(as_of)
            .filter(state__valid_from__isnull=False)
            .annotate(
                state_status=F("state__status"),
                state_due=F("state__due_on"),
                state_original_due=F("state__original_due_on"),
            )
        )

    def _state_joined(self, as_of):
        """The queryset with the ``state`` relation (``state_on(as_of)``): added once, so that
        ``on_record``, ``with_state`` and the target filters share one join."""
        present = self.query._filtered_relations.get("state")
        if present is None:
            return self.alias(state=state_on(as_of))
        if present.condition != _in_force("state", as_of):
            raise ValueError("the state history is already joined on another day")
        return self

    def with_compared_state(self, from_day, to_day):
        """Annotate ``from_status``/``to_status`` ("" when none reported, or not yet on the record)
        and ``from_due``/``to_due``: the item's state on two days, from the state history."""
        return self.alias(before=state_on(from_day), after=state_on(to_day)).annotate(
            from_status=Coalesce(F("before__status"), Value("")),
            to_status=Coalesce(F("after__status"), Value("")),
            from_due=F("before__due_on"),
            to_due=F("after__due_on"),
        )

    def with_scope(self):
        """Annotate ``country_count``: how many countries take part (0 when the record is silent), from
        the stored ``country_bits``."""
        return self.annotate(
            country_count=Case(
                *[When(country_bits__in=bits_counted(n), then=Value(n)) for n in (1, 2, 3)],
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def with_country_count(self, n):
        """Items in which exactly ``n`` countries take part."""
        return self.filter(country_bits__in=bits_counted(n))

    def on_record(self, as_of=None):
        """Items already on the record on ``as_of`` (all of them when None).

        An item is on the record from the first document that states it: the release of the report
        that put it on the record, the day a target was set for it, or the day a status describes,
        whichever comes first (``services.as_of_points``). An item whose only documents are undated
        sources cannot be placed in time, so it appears in the current record but in no view of a
        past day. Its state history has a row from each of those days on, so an item is on the
        record on ``as_of`` exactly when it has a row in force then (one join, shared with
        ``with_state(as_of)``)."""
        if as_of is None:
            return self
        return self._state_joined(as_of).filter(state__valid_from__isnull=False)

    # --- filters (expect with_state()) ----------------------------------------------------------
    def open(self):
        return self.exclude(state_status__in=IrritantStatus.closed())

    def overdue(self, *, today=None):
        """Open items whose target in force has passed (on ``today``, default the real today)."""
        today = today or timezone.localdate()
        return self.filter(overdue_condition(today))

    def involving(self, countries):
        """Items any of the given countries (codes) takes part in, from the stored ``country_bits``
        (no join, no duplicate rows)."""
        return self.alias(chosen_bits=F("country_bits").bitand(bits_of(countries))).filter(chosen_bits__gt=0)

    def search(self, text):
        """Items whose ref, title or summary hold ``text``: every word typed begins a word of the item
        (PostgreSQL full-text search); a substring on other databases. See agenda/search.py."""
        from . import search

        text = text.strip()
        return search.matching(self, text) if text else self

    # --- bundles --------------------------------------------------------------------------------
    def for_list(self, as_of=None):
        """Everything the irritant list shows, in a constant number of queries."""
        return (
            self.on_record(as_of)
            .select_related("agenda", "working_group", "signature_initiative")
            .prefetch_related("countries")
            .with_state(as_of)
            .with_scope()
        )

    def for_export(self, as_of=None):
        return self.for_list(as_of).prefetch_related("sources")

    def refresh_derived(self, *, batch_size=5000):
        """Recompute everything derived from the items' rows (``services.irritants_refresh``), for a
        writer that bypassed the signals (bulk writes, raw SQL), and change the record version."""
        from .models import RecordVersion
        from .services import irritants_refresh

        irritants_refresh(self.values_list("pk", flat=True), batch_size=batch_size)
        RecordVersion.bump()

    # --- analyst pages and CSV exports -----------------------------------------------------------
    def as_it_stood(self, as_of=None, *, today=None):
        """``with_state(as_of)`` made ready for the analyst list, detail pages and exports.

        On top of ``with_state()`` it:

        - adds ``state_target_text``: the target in force as worded ("by fall 2005" has no date);
        - adds ``state_overdue``: the per-row flag that ``overdue(today=as_of or today)`` filters on.

        It restates the annotation names ``for_list()`` sets, so it may be chained after it.
        """
        day = as_of or today or timezone.localdate()
        queryset = self.with_state(as_of)
        target_text = state_expressions(None)["target_text"] if as_of is None else F("state__target_text")
        return queryset.annotate(
            state_target_text=target_text,
            state_overdue=Case(
                When(overdue_condition(day), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def without_any_target(self, as_of=None):
        """Items that had been given no target at all by ``as_of`` (an undated "by fall 2005" counts
        as a target): with a day, those whose state-history row then has no target in force."""
        if as_of is None:
            return self.exclude(Exists(self._deadlines(None)))
        return self._with_target_text(as_of).filter(state_target_text__isnull=True)

    def with_any_target(self, as_of=None):
        if as_of is None:
            return self.filter(Exists(self._deadlines(None)))
        return self._with_target_text(as_of).filter(state_target_text__isnull=False)

    def _with_target_text(self, as_of):
        # filtered through an annotation: a second filter() on the multi-valued ``state`` relation
        # would join it again
        return self._state_joined(as_of).annotate(state_target_text=F("state__target_text"))

    def citing(self, report):
        """Items the report put on the record, or whose deadlines or status reports it stated."""
        from .models import Deadline, StatusReport

        return self.filter(
            Q(report=report)
            | Exists(Deadline.objects.filter(irritant=OuterRef("pk"), report=report))
            | Exists(StatusReport.objects.filter(irritant=OuterRef("pk"), report=report))
        )

    def with_country_state(self, country, as_of=None):
        """Annotate ``country_status`` and ``country_status_on``: the status in force for
        ``country`` (``StatusReportQuerySet.for_country``)."""
        from .models import StatusReport

        reports = StatusReport.objects.filter(irritant=OuterRef("pk"))
        if as_of is not None:
            reports = reports.as_of(as_of)
        reports = reports.for_country(country)
        return self.annotate(
            country_status=Subquery(reports.values("status")[:1]),
            country_status_on=Subquery(reports.values("as_of")[:1]),
        )

    def for_detail(self, as_of=None, *, today=None):
        """Everything the irritant page shows, in a constant number of queries."""
        from .models import Deadline, NaccRecommendation, StatusReport

        return (
            self.on_record(as_of)
            .select_related("agenda", "working_group", "signature_initiative", "report")
            .prefetch_related(
                "countries",
                "sources",
                Prefetch(
                    "deadlines",
                    queryset=Deadline.objects.select_related("report")
                    .prefetch_related("sources")
                    .original_first(),
                ),
                Prefetch(
                    "status_reports",
                    queryset=StatusReport.objects.select_related("country", "report")
                    .prefetch_related("sources")
                    .order_by("as_of", F("country__code").asc(nulls_first=True), "pk"),
                ),
                Prefetch(
                    "nacc_recommendations",
                    queryset=NaccRecommendation.objects.select_related("report").prefetch_related("sources"),
                ),
            )
            .with_scope()
            .as_it_stood(as_of, today=today)
        )

    def _deadlines(self, as_of):
        from .models import Deadline

        deadlines = Deadline.objects.filter(irritant=OuterRef("pk"))
        return deadlines if as_of is None else deadlines.as_of(as_of)


class LineageQuerySet(models.QuerySet):
    def touching(self, irritant):
        """Links from or to the item: what it continues and what continues it."""
        return self.filter(Q(irritant=irritant) | Q(continues=irritant))

    def for_timeline(self):
        """Oldest statement first (undated ones last), with what the timeline shows of each link."""
        return (
            self.select_related("irritant", "continues", "report")
            .prefetch_related("sources")
            .alias(stated_on=Coalesce("report__covers_through", "report__released_on"))
            .order_by(
                F("stated_on").asc(nulls_last=True),
                "continues__ref",
                "irritant__ref",
                "kind",
            )
        )
