"""The analyst dashboard: progress by group, overdue and upcoming targets, and a report comparison.

Selectors (the functions below ``# --- selectors``) read the record as it stood on a day through
``IrritantQuerySet.with_state(as_of)`` and count with grouped queries, so the dashboard runs the same
number of queries whatever the number of items. The builders turn those counts into rows the template
shows: numbers, shares, a stacked bar, and links to the irritant list filtered the same way, so every
number can be drilled into.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DateField, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from spp_tracker.access import AnalystAccessMixin
from summits.choices import CountryCode
from summits.models import Report

from . import categories, charts, filters
from .choices import (
    NO_STATUS_COLOUR,
    AgendaSlug,
    CategoryBasis,
    IrritantCategory,
    IrritantStatus,
    status_label,
)
from .models import Irritant, RecordVersion, WorkingGroup, slippage_days
from .querysets import state_expressions

# Lists on the dashboard show this many items; the counts above them are exact, and each list links
# to the full set in the irritant list where there is a filter for it.
LIST_LIMIT = 100
CACHE_SECONDS = 24 * 3600

NO_STATUS = ""
UNCLASSIFIED = ""

# Furthest along first, so each bar reads like a progress bar; "no status reported" last.
STATUS_ORDER = [
    IrritantStatus.COMPLETED,
    IrritantStatus.ONGOING,
    IrritantStatus.ON_TRACK,
    IrritantStatus.INITIATED,
    IrritantStatus.NOT_STARTED,
    IrritantStatus.DELAYED,
    IrritantStatus.DROPPED,
    NO_STATUS,
]
# The colours live on the status choices (choices.py); "" is no status reported.
STATUS_COLORS = {status: status.colour for status in IrritantStatus} | {NO_STATUS: NO_STATUS_COLOUR}


DEFAULT_FROM_REPORT = "report-to-leaders-2005"
DEFAULT_TO_REPORT = "report-to-leaders-2006"
UPCOMING_YEARS = 1


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later (29 February -> 28 February; capped at date.max)."""
    if day.year + years > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- selectors ----------------------------------------------------------------------------------
def irritant_states(as_of=None):
    """Items with their state on ``as_of`` (default: now) and ``status_key``: the status, or ""
    when none had been reported (never NULL, so negated filters keep items without a status). Only
    items already on the record that day count (IrritantQuerySet.on_record)."""
    return (
        Irritant.objects.on_record(as_of)
        .with_state(as_of)
        .annotate(status_key=Coalesce("state_status", Value("")))
    )


def status_counts(queryset, *fields) -> dict[tuple, Counter]:
    """Items per group and status in one grouped query: ``{(group values...): Counter(status=n)}``."""
    rows = queryset.order_by().values(*fields, "status_key").annotate(n=Count("pk"))
    result = defaultdict(Counter)
    for row in rows:
        result[tuple(row[name] for name in fields)][row["status_key"]] += row["n"]
    return result


def progress_by_agenda(as_of=None) -> dict[str, Counter]:
    return {key: counts for (key,), counts in status_counts(irritant_states(as_of), "agenda__slug").items()}


def progress_by_working_group(as_of=None) -> dict[str | None, Counter]:
    """Keyed by working-group slug; ``None`` holds the items the record gives no group for."""
    counts = status_counts(irritant_states(as_of), "working_group__slug")
    return {key: value for (key,), value in counts.items()}


def progress_by_category(as_of=None) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Status counts per category ("" = unclassified), and how each category was arrived at
    (``{category: Counter(basis=n)}``), from one grouped query."""
    statuses, bases = defaultdict(Counter), defaultdict(Counter)
    for (category, basis), counts in status_counts(
        irritant_states(as_of), "category", "category_basis"
    ).items():
        statuses[category].update(counts)
        bases[category][basis] += sum(counts.values())
    return dict(statuses), dict(bases)


def progress_by_country(as_of=None) -> dict[str | None, Counter]:
    """Items each country takes part in (an item counts for each of its countries); ``None`` holds
    the items whose countries the record does not name."""
    counts = status_counts(irritant_states(as_of), "countries__code")
    return {key: value for (key,), value in counts.items()}


def overdue_items(*, day: datetime.date, as_of=None):
    """Items whose target in force on ``as_of`` had passed on ``day`` and that were not closed."""
    return (
        irritant_states(as_of).overdue(today=day).select_related("working_group").order_by("state_due", "ref")
    )


def upcoming_items(*, day: datetime.date, until: datetime.date, as_of=None):
    """Open items whose target in force falls between ``day`` and ``until`` (both included)."""
    return (
        irritant_states(as_of)
        .open()
        .filter(state_due__gte=day, state_due__lte=until)
        .select_related("working_group")
        .order_by("state_due", "ref")
    )


@dataclass(frozen=True)
class ComparedItem:
    """One item's status and target in force as of two days."""

    ref: str
    title: str
    working_group: str | None
    from_status: str
    to_status: str
    from_due: datetime.date | None
    to_due: datetime.date | None

    @property
    def url(self):
        return reverse("agenda:irritant_detail", args=[self.ref])

    @property
    def from_status_label(self):
        return status_label(self.from_status)

    @property
    def to_status_label(self):
        return status_label(self.to_status)

    @property
    def slipped_days(self):
        """Days the target in force moved later (None when it did not, or either is undated)."""
        slipped = slippage_days(self.to_due, self.from_due)
        return slipped if slipped and slipped > 0 else None


# The kinds of change the comparison counts and lists (see COMPARISON_SQL for their definitions).
COMPARISON_KINDS = ("changed", "new", "unchanged", "still_without_status", "slipped", "targets_set")


def compared_states(from_day, to_day):
    """Every item with its status and target in force on both days (four subqueries per item)."""
    before, after = state_expressions(from_day), state_expressions(to_day)
    return Irritant.objects.annotate(
        from_status=before["status"], from_due=before["due"], to_status=after["status"], to_due=after["due"]
    )


@dataclass
class ReportComparison:
    """The record as of one report's date against the record as of another's: exact counts of each
    kind of change, and the first LIST_LIMIT items of each."""

    from_report: Report
    to_report: Report
    counts: dict
    lists: dict
    unchanged_by_status: list

    @property
    def from_day(self):
        return self.from_report.as_of

    @property
    def to_day(self):
        return self.to_report.as_of

    # The listed items of each kind (counts are in ``counts``).
    changed = property(lambda self: self.lists["changed"])
    new = property(lambda self: self.lists["new"])
    unchanged = property(lambda self: self.lists["unchanged"])
    still_without_status = property(lambda self: self.lists["still_without_status"])
    slipped = property(lambda self: self.lists["slipped"])
    targets_set = property(lambda self: self.lists["targets_set"])


# One pass over every item: each item's states on both days are computed once (the subqueries of
# compared_states()), then window functions count every kind of change and number the items of
# each kind, and only the first LIST_LIMIT of each (plus one per unchanged status) come back.
COMPARISON_SQL = """
WITH states AS MATERIALIZED ({inner}),
kinds AS (
    SELECT states.*,
        CASE WHEN from_status = '' AND to_status = '' THEN 'still_without_status'
             WHEN from_status = '' THEN 'new'
             WHEN from_status = to_status THEN 'unchanged'
             ELSE 'changed' END AS status_kind,
        CASE WHEN from_due IS NULL AND to_due IS NOT NULL THEN 'targets_set'
             WHEN from_due IS NOT NULL AND to_due IS NOT NULL AND to_due > from_due THEN 'slipped'
             ELSE '' END AS target_kind,
        {days} AS slip
    FROM states
),
numbered AS (
    SELECT kinds.*,
        ROW_NUMBER() OVER (PARTITION BY status_kind ORDER BY ref) AS status_rank,
        COUNT(*) OVER (PARTITION BY status_kind) AS status_count,
        ROW_NUMBER() OVER (PARTITION BY target_kind ORDER BY slip DESC, ref) AS target_rank,
        COUNT(*) OVER (PARTITION BY target_kind) AS target_count,
        ROW_NUMBER() OVER (PARTITION BY status_kind, to_status ORDER BY ref) AS group_rank,
        COUNT(*) OVER (PARTITION BY status_kind, to_status) AS group_count
    FROM kinds
)
SELECT ref, title, working_group__name, from_status, to_status, from_due, to_due, status_kind,
       status_rank, status_count, target_kind, target_rank, target_count, group_rank, group_count
FROM numbered
WHERE status_rank <= %s OR (target_kind <> '' AND target_rank <= %s) OR group_rank = 1
ORDER BY ref
"""
DAYS_BETWEEN = {
    "postgresql": "(to_due - from_due)",
    "sqlite": "CAST(julianday(to_due) - julianday(from_due) AS INTEGER)",
}


def compare_reports(from_report: Report, to_report: Report) -> ReportComparison:
    """Exact counts of each kind of change and at most LIST_LIMIT items of each, in one query."""
    states = compared_states(from_report.as_of, to_report.as_of).values(
        "ref", "title", "working_group__name", "from_status", "to_status", "from_due", "to_due"
    )
    inner, params = states.order_by().query.sql_with_params()
    sql = COMPARISON_SQL.format(
        inner=inner, days=DAYS_BETWEEN.get(connection.vendor, DAYS_BETWEEN["postgresql"])
    )
    counts = dict.fromkeys(COMPARISON_KINDS, 0)
    lists = {kind: [] for kind in COMPARISON_KINDS}
    unchanged = Counter()
    date_field = DateField()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, LIST_LIMIT, LIST_LIMIT])
        for row in cursor.fetchall():
            (ref, title, group, from_status, to_status, from_due, to_due, status_kind, status_rank,
             status_count, target_kind, target_rank, target_count, _group_rank, group_count) = row  # fmt: skip
            item = ComparedItem(
                ref=ref, title=title, working_group=group, from_status=from_status, to_status=to_status,
                from_due=date_field.to_python(from_due), to_due=date_field.to_python(to_due),
            )  # fmt: skip
            counts[status_kind] = status_count
            if status_rank <= LIST_LIMIT:
                lists[status_kind].append(item)
            if target_kind:
                counts[target_kind] = target_count
                if target_rank <= LIST_LIMIT:
                    lists[target_kind].append(item)
            if status_kind == "unchanged":
                unchanged[to_status] = group_count
    counts["total"] = sum(counts[kind] for kind in ("changed", "new", "unchanged", "still_without_status"))
    lists["slipped"].sort(key=lambda i: (-i.slipped_days, i.ref))
    return ReportComparison(
        from_report=from_report,
        to_report=to_report,
        counts=counts,
        lists=lists,
        unchanged_by_status=[(status_label(s), unchanged[s]) for s in STATUS_ORDER if unchanged[s]],
    )


# --- builders: counts -> rows the template shows -------------------------------------------------
def irritant_list_url(params: dict, as_of=None) -> str:
    """The irritant list filtered by ``params`` (and the dashboard's as-of day, when one is set)."""
    query = dict(params)
    if as_of:
        query["as_of"] = as_of.isoformat()
    return reverse("agenda:irritant_list") + ("?" + urlencode(query) if query else "")


def share_percent(count: int, total: int) -> int:
    """Whole percent, halves rounded up (1 of 8 -> 13)."""
    return (200 * count + total) // (2 * total) if total else 0


@dataclass(frozen=True)
class Group:
    """One row of a progress table: what it counts, and how the irritant list filters it."""

    key: object
    label: str
    url: str = ""
    params: dict | None = None  # None: the irritant list has no filter for this group
    sublabel: str = ""


@dataclass(frozen=True)
class Cell:
    status: str
    count: int
    percent: int
    url: str

    @property
    def share(self):
        """The percent as the reader's locale writes it ("24%", "24 %")."""
        return percent_text(self.percent)


def percent_text(percent):
    return _("%(percent)s%%") % {"percent": number_format(percent)}


@dataclass
class Row:
    label: str
    url: str
    sublabel: str
    total: int
    total_url: str
    cells: list[Cell]
    bar: SafeString


@dataclass
class ProgressTable:
    key: str
    title: str
    group_label: str
    columns: list[tuple[str, str]]
    rows: list[Row]
    footer: Row
    note: str = ""


def progress_row(group: Group, counts: Counter, *, columns, as_of) -> Row:
    total = sum(counts.values())
    linkable = group.params is not None

    def url(status=None):
        if not linkable:
            return ""
        params = dict(group.params)
        if status is not None:
            params["status"] = status or filters.NO_STATUS
        return irritant_list_url(params, as_of)

    cells = [
        Cell(status, counts[status], share_percent(counts[status], total), url(status))
        for status, _label in columns
    ]
    segments = [
        (
            _("%(status)s: %(count)s of %(total)s (%(percent)s%%)")
            % {
                "status": status_label(status),
                "count": counts[status],
                "total": total,
                "percent": share_percent(counts[status], total),
            },
            counts[status],
            STATUS_COLORS[status],
        )
        for status in STATUS_ORDER
    ]
    bar = charts.stacked_bar(
        segments,
        width=200,
        label=_("%(group)s: status of %(total)s items") % {"group": group.label, "total": total},
    )
    return Row(group.label, group.url, group.sublabel, total, url(), cells, bar)


def progress_table(*, key, title, group_label, groups, counts, totals, as_of, note="") -> ProgressTable:
    """Rows for ``groups`` (in order), a footer for all items, and only the status columns that
    occur on the day ("no status reported" always shows)."""
    columns = [(s, status_label(s)) for s in STATUS_ORDER if totals[s] or s == NO_STATUS]
    everything = Group(key=None, label=_("All items"), params={})
    return ProgressTable(
        key=key,
        title=title,
        group_label=group_label,
        columns=columns,
        rows=[progress_row(g, counts.get(g.key, Counter()), columns=columns, as_of=as_of) for g in groups],
        footer=progress_row(everything, totals, columns=columns, as_of=as_of),
        note=note,
    )


def category_note():
    return _(
        "No source assigns these categories to items: they are derived from the targets the June 2005 "
        "Report to Leaders set. An item whose original target fell within %(early)s months of that "
        "report is an early harvest, within %(big)s months a big impact item, later a long-term item; "
        "without such a target, an item completed within %(early)s months is an early harvest. Items the "
        "rule cannot place stay unclassified. Staff may set a category by hand; the basis under each "
        "name says how the items got theirs. Categories are the items' current ones, whatever the day."
    ) % {"early": categories.EARLY_HARVEST_MONTHS, "big": categories.BIG_IMPACT_MONTHS}


def dashboard_tables(as_of=None) -> tuple[Counter, list[ProgressTable]]:
    """All-item totals and the four progress tables (agenda, working group, category, country)."""
    by_agenda = progress_by_agenda(as_of)
    totals = sum(by_agenda.values(), Counter())  # every item has exactly one agenda

    agenda_groups = [
        Group(key=value, label=str(label), params={"agenda": value}) for value, label in AgendaSlug.choices
    ]
    agenda_names = dict(AgendaSlug.choices)
    group_rows = WorkingGroup.objects.values_list("slug", "name", "agenda__slug")
    group_groups = [
        Group(
            key=slug,
            label=name,
            url=reverse("agenda:working_group_detail", args=[slug]),
            params={"working_group": slug},
            sublabel=str(agenda_names.get(agenda, agenda)),
        )
        for slug, name, agenda in group_rows
    ]
    group_groups.append(Group(key=None, label=_("No working group stated")))

    by_category, bases = progress_by_category(as_of)
    basis_names = dict(CategoryBasis.choices)

    def basis_text(category):
        parts = [
            _("%(basis)s: %(count)s") % {"basis": basis_names.get(basis, basis), "count": n}
            for basis, n in sorted(bases.get(category, Counter()).items())
        ]
        return "; ".join(parts)

    category_groups = [
        Group(
            key=value,
            label=str(label),
            params={"category": value or filters.UNCLASSIFIED},
            sublabel=basis_text(value),
        )
        for value, label in [
            *((c.value, c.label) for c in IrritantCategory),
            (UNCLASSIFIED, _("Unclassified")),
        ]
    ]
    country_groups = [
        Group(
            key=code,
            label=str(label),
            url=reverse("agenda:country_detail", args=[code]),
            params={"country": code},
        )
        for code, label in CountryCode.choices
    ]
    country_groups.append(Group(key=None, label=_("Countries not stated")))

    common = {"totals": totals, "as_of": as_of}
    tables = [
        progress_table(
            key="by-agenda",
            title=_("Progress by agenda"),
            group_label=_("Agenda"),
            groups=agenda_groups,
            counts=by_agenda,
            **common,
        ),
        progress_table(
            key="by-working-group",
            title=_("Progress by working group"),
            group_label=_("Working group"),
            groups=group_groups,
            counts=progress_by_working_group(as_of),
            **common,
        ),
        progress_table(
            key="by-category",
            title=_("Progress by category"),
            group_label=_("Category (derived)"),
            groups=category_groups,
            counts=by_category,
            note=category_note(),
            **common,
        ),
        progress_table(
            key="by-country",
            title=_("Progress by country"),
            group_label=_("Country"),
            groups=country_groups,
            counts=progress_by_country(as_of),
            note=_(
                "Items each country takes part in: an item shared by several countries counts in each "
                "row, so the rows add up to more than all items."
            ),
            **common,
        ),
    ]
    return totals, tables


# --- the page ------------------------------------------------------------------------------------
class DashboardForm(forms.Form):
    """The dashboard's query string: ``as_of`` and the two reports to compare (``from``, ``to``)."""

    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD, e.g. 2006-06-15.")},
    )

    def __init__(self, data, *, reports):
        self.reports = {report.slug: report for report in reports if report.as_of}
        data = data.copy()
        for name, default in (("from", DEFAULT_FROM_REPORT), ("to", DEFAULT_TO_REPORT)):
            if not data.get(name) and default in self.reports:
                data[name] = default
        super().__init__(data)
        choices = [
            (slug, f"{report.as_of.isoformat()} · {report.title}")
            for slug, report in sorted(self.reports.items(), key=lambda item: (item[1].as_of, item[0]))
        ]
        help_text = gettext_lazy("Only reports with a date can be compared.")
        self.fields["from"] = forms.ChoiceField(
            label=gettext_lazy("From report"), choices=choices, required=False, help_text=help_text
        )
        self.fields["to"] = forms.ChoiceField(
            label=gettext_lazy("To report"), choices=choices, required=False
        )

    def clean(self):
        cleaned = super().clean()
        from_report = self.reports.get(cleaned.get("from"))
        to_report = self.reports.get(cleaned.get("to"))
        if from_report and to_report and from_report.as_of > to_report.as_of:
            self.add_error("to", _("Pick a report dated on or after the one compared from."))
        cleaned["from_report"], cleaned["to_report"] = from_report, to_report
        return cleaned


class DashboardView(AnalystAccessMixin, TemplateView):
    """Progress counts, overdue and upcoming targets as of a day, and a comparison of two reports."""

    template_name = "agenda/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The as-of form keeps the reports being compared, and the comparison form keeps the day.
        context["keep_compare"] = {k: self.request.GET[k] for k in ("from", "to") if self.request.GET.get(k)}
        return context

    def get(self, request, *args, **kwargs):
        reports = Report.objects.filter(Q(released_on__isnull=False) | Q(covers_through__isnull=False)).only(
            "slug", "title", "released_on", "covers_through"
        )
        form = DashboardForm(request.GET, reports=reports)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(
            self.get_context_data(form=form, **self.cached_numbers(form.cleaned_data))
        )

    def cached_numbers(self, cleaned):
        """The numbers, computed once per state of the record: the key holds the record's version
        token, which every write changes, so a cached page is never out of date."""
        key = "dashboard:" + ":".join(
            str(part)
            for part in (
                RecordVersion.current(),
                timezone.localdate(),
                translation.get_language(),
                cleaned["as_of"],
                cleaned["from_report"] and cleaned["from_report"].slug,
                cleaned["to_report"] and cleaned["to_report"].slug,
            )
        )
        numbers = cache.get(key)
        if numbers is None:
            numbers = self.numbers(cleaned)
            cache.set(key, numbers, CACHE_SECONDS)
        return numbers

    def numbers(self, cleaned):
        as_of = cleaned["as_of"]
        today = timezone.localdate()
        day = as_of or today
        until = add_years(day, UPCOMING_YEARS)
        totals, tables = dashboard_tables(as_of)
        overdue_all = overdue_items(day=day, as_of=as_of)
        upcoming_all = upcoming_items(day=day, until=until, as_of=as_of)
        overdue, upcoming = list(overdue_all[:LIST_LIMIT]), list(upcoming_all[:LIST_LIMIT])
        for item in overdue + upcoming:
            item.state_label = status_label(item.status_key)
            item.days_overdue = (day - item.state_due).days
        status_chart = charts.bar_chart(
            [(str(status_label(s)), totals[s], STATUS_COLORS[s]) for s in STATUS_ORDER],
            label=_("Items by status"),
        )
        comparison = None
        if cleaned["from_report"] and cleaned["to_report"]:
            comparison = compare_reports(cleaned["from_report"], cleaned["to_report"])
        return {
            "as_of": as_of,
            "day": day,
            "today": today,
            "until": until,
            "total": sum(totals.values()),
            "with_status": sum(totals.values()) - totals[NO_STATUS],
            "no_status": totals[NO_STATUS],
            "completed": totals[IrritantStatus.COMPLETED],
            "completed_url": irritant_list_url({"status": IrritantStatus.COMPLETED}, as_of),
            "no_status_url": irritant_list_url({"status": filters.NO_STATUS}, as_of),
            "all_url": irritant_list_url({}, as_of),
            "status_chart": status_chart,
            "legend": [(status_label(s), STATUS_COLORS[s]) for s in STATUS_ORDER],
            "tables": tables,
            "overdue": overdue,
            "overdue_count": overdue_all.count() if len(overdue) == LIST_LIMIT else len(overdue),
            "upcoming_count": upcoming_all.count() if len(upcoming) == LIST_LIMIT else len(upcoming),
            "list_limit": LIST_LIMIT,
            "overdue_url": irritant_list_url({"overdue": "true"}, as_of),
            "upcoming": upcoming,
            "upcoming_url": irritant_list_url(
                {"deadline_after": day.isoformat(), "deadline_before": until.isoformat()}, as_of
            ),
            "comparison": comparison,
            "comparison_chart": comparison and self.comparison_chart(comparison),
        }

    @staticmethod
    def comparison_chart(comparison):
        return charts.bar_chart(
            [
                (_("Status changed"), comparison.counts["changed"], STATUS_COLORS[IrritantStatus.ONGOING]),
                (_("Newly reported"), comparison.counts["new"], STATUS_COLORS[IrritantStatus.INITIATED]),
                (_("Target slipped"), comparison.counts["slipped"], STATUS_COLORS[IrritantStatus.DELAYED]),
                (_("Unchanged"), comparison.counts["unchanged"], STATUS_COLORS[IrritantStatus.NOT_STARTED]),
                (_("Still no status"), comparison.counts["still_without_status"], STATUS_COLORS[NO_STATUS]),
            ],
            label=_("Report comparison summary"),
        )
