"""The dashboard's numbers on a day: items per status in each group, overdue and upcoming targets.

Counts come from the counters kept on write (``StateCount.objects.on``, one grouped query over a
small table); the listed items from the state history (``IrritantQuerySet.with_state_history``, one
indexed join). Neither recomputes any item's state, so the cost does not grow with the record.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import F

from .choices import NO_STATUS, IrritantStatus
from .models import Agenda, Irritant, WorkingGroup
from .state import StateCount

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
UPCOMING_YEARS = 1
# Lists on the dashboard show this many items; the counts above them are exact, and each list links
# to the full set in the irritant list where there is a filter for it.
LIST_LIMIT = 100


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day ``years`` later (29 February -> 28 February; capped at date.max)."""
    if day.year + years > datetime.MAXYEAR:
        return datetime.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass
class Progress:
    """Items per status (``Counter``) in each group on a day; ``None`` keys the items the record
    names no group (country) for; categories are keyed by value ("" = unclassified)."""

    by_agenda: dict
    by_working_group: dict
    by_category: dict
    bases: dict  # {category: Counter(basis=n)}
    by_country: dict
    overdue: int
    upcoming: int

    @property
    def totals(self) -> Counter:
        return sum(self.by_agenda.values(), Counter())  # every item has exactly one agenda


def progress(as_of=None, *, today=None) -> Progress:
    """The counts on ``as_of`` (the current record, overdue and upcoming from ``today``, when None),
    in two small queries: the counters and the agendas' slugs."""
    counts = StateCount.objects.on(as_of, today=today)
    agendas = {str(pk): slug for pk, slug in Agenda.objects.values_list("pk", "slug")}
    groups = {str(pk): slug for pk, slug in WorkingGroup.objects.values_list("pk", "slug")}
    by_category, bases = {}, {}
    for key, statuses in counts["category"].items():
        category, basis = key.split("|")
        by_category.setdefault(category, Counter()).update(statuses)
        bases.setdefault(category, Counter())[basis] += sum(statuses.values())
    return Progress(
        by_agenda={agendas[key]: c for key, c in counts["agenda"].items() if +c},
        by_working_group={groups.get(key): c for key, c in counts["group"].items() if +c},
        by_category={k: c for k, c in by_category.items() if +c},
        bases=bases,
        by_country={key or None: c for key, c in counts["country"].items() if +c},
        overdue=sum(counts["overdue"][""].values()),
        upcoming=sum(counts["upcoming"][""].values()),
    )


def progress_by_agenda(as_of=None) -> dict[str, Counter]:
    return progress(as_of).by_agenda


def progress_by_working_group(as_of=None) -> dict[str | None, Counter]:
    """Keyed by working-group slug; ``None`` holds the items the record gives no group for."""
    return progress(as_of).by_working_group


def progress_by_category(as_of=None) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Status counts per category ("" = unclassified), and how each category was arrived at."""
    counts = progress(as_of)
    return counts.by_category, counts.bases


def progress_by_country(as_of=None) -> dict[str | None, Counter]:
    """Items each country takes part in (an item counts for each of its countries); ``None`` holds
    the items whose countries the record does not name."""
    return progress(as_of).by_country


def irritant_states(as_of=None):
    """Items with their state on ``as_of`` (default: now) and ``status_key`` (the status, "" when
    none had been reported); only items already on the record that day (``on_record``)."""
    return Irritant.objects.with_state_history(as_of).annotate(status_key=F("state_status"))


# What the dashboard's lists show of each item (loading whole rows costs more than the query).
LISTED_FIELDS = ("ref", "title", "working_group__name")


def overdue_items(*, day: datetime.date, as_of=None):
    """Items whose target in force on ``as_of`` had passed on ``day`` and that were not closed."""
    return (
        irritant_states(as_of)
        .overdue(today=day)
        .select_related("working_group")
        .only(*LISTED_FIELDS)
        .order_by("state_due", "ref")
    )


def upcoming_items(*, day: datetime.date, until: datetime.date, as_of=None):
    """Open items whose target in force falls between ``day`` and ``until`` (both included)."""
    return (
        irritant_states(as_of)
        .open()
        .filter(state_due__gte=day, state_due__lte=until)
        .select_related("working_group")
        .only(*LISTED_FIELDS)
        .order_by("state_due", "ref")
    )
