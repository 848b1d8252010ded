"""The dashboard's tables: counts turned into rows the template shows (numbers, shares, a stacked
bar, and links to the irritant list filtered the same way, so every number can be drilled into)."""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, partial
from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from summits.choices import CountryCode

from . import categories, charts
from .choices import (
    NO_STATUS,
    NO_STATUS_PARAM,
    UNCLASSIFIED,
    UNCLASSIFIED_PARAM,
    AgendaSlug,
    CategoryBasis,
    IrritantCategory,
    status_colour,
    status_label,
)
from .models import WorkingGroup
from .progress import STATUS_ORDER, Progress

REF_MARK = "--ref--"  # not a ref (refs are slugs that start with a letter)


@lru_cache(maxsize=64)
def _reversed(name, *args, script_prefix, urlconf, language):
    return reverse(name, args=args)


def reversed_url(name, *args):
    """``reverse(name, args=args)``, resolved once per URL configuration, script prefix and language
    (a page with hundreds of links otherwise spends much of its time resolving the same pattern)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(
        name, *args, script_prefix=get_script_prefix(), urlconf=urlconf, language=translation.get_language()
    )


def irritant_url(ref: str) -> str:
    """An item's page (``Irritant.get_absolute_url``) from its ref."""
    return reversed_url("agenda:irritant_detail", REF_MARK).replace(REF_MARK, ref)


def irritant_list_url(params: dict, as_of=None) -> str:
    """The irritant list filtered by ``params`` (and the dashboard's as-of day, when one is set)."""
    query = dict(params)
    if as_of:
        query["as_of"] = as_of.isoformat()
    return reversed_url("agenda:irritant_list") + ("?" + urlencode(query) if query else "")


def share_percent(count: int, total: int) -> int:
    """Whole percent, halves rounded up (1 of 8 -> 13)."""
    return (200 * count + total) // (2 * total) if total else 0


def percent_text(percent):
    return _t("%(percent)s%%") % {"percent": number_format(percent)}


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


def progress_row(group: Group, counts: Counter, *, columns, as_of, labels=None) -> Row:
    """One row; ``labels``: the status labels, translated once per table."""
    total = sum(counts.values())
    linkable = group.params is not None

    def url(status=None):
        if not linkable:
            return ""
        params = dict(group.params)
        if status is not None:
            params["status"] = status or NO_STATUS_PARAM
        return irritant_list_url(params, as_of)

    cells = [
        Cell(status, counts[status], share_percent(counts[status], total), url(status))
        for status, _label in columns
    ]
    text = _t("%(status)s: %(count)s of %(total)s (%(percent)s%%)")
    labels = labels or {status: status_label(status) for status in STATUS_ORDER}
    segments = [
        (
            text
            % {
                "status": labels[status],
                "count": counts[status],
                "total": total,
                "percent": share_percent(counts[status], total),
            },
            counts[status],
            status_colour(status),
        )
        for status in STATUS_ORDER
        if counts[status]  # the bar leaves empty segments out
    ]
    bar = charts.stacked_bar(
        segments,
        width=200,
        label=_t("%(group)s: status of %(total)s items") % {"group": group.label, "total": total},
    )
    return Row(group.label, group.url, group.sublabel, total, url(), cells, bar)


def progress_table(*, key, title, group_label, groups, counts, totals, as_of, note="") -> ProgressTable:
    """Rows for ``groups`` (in order), a footer for all items, and only the status columns that
    occur on the day ("no status reported" always shows)."""
    labels = {s: str(status_label(s)) for s in STATUS_ORDER}
    columns = [(s, labels[s]) for s in STATUS_ORDER if totals[s] or s == NO_STATUS]
    everything = Group(key=None, label=_t("All items"), params={})
    row = partial(progress_row, columns=columns, as_of=as_of, labels=labels)
    return ProgressTable(
        key=key,
        title=title,
        group_label=group_label,
        columns=columns,
        rows=[row(g, counts.get(g.key, Counter())) for g in groups],
        footer=row(everything, totals),
        note=note,
    )


CATEGORY_NOTE = _(
    "No source assigns these categories to items: they are derived from the targets the June 2005 "
    "Report to Leaders set. An item whose original target fell within %(early)s months of that "
    "report is an early harvest, within %(big)s months a big impact item, later a long-term item; "
    "without such a target, an item completed within %(early)s months is an early harvest. Items the "
    "rule cannot place stay unclassified. Staff may set a category by hand; the basis under each "
    "name says how the items got theirs. Categories are the items' current ones, whatever the day."
)
COUNTRY_NOTE = _(
    "Items each country takes part in: an item shared by several countries counts in each "
    "row, so the rows add up to more than all items."
)


def category_note():
    return CATEGORY_NOTE % {"early": categories.EARLY_HARVEST_MONTHS, "big": categories.BIG_IMPACT_MONTHS}


def agenda_groups():
    return [
        Group(key=value, label=str(label), params={"agenda": value}) for value, label in AgendaSlug.choices
    ]


def working_group_groups():
    agenda_names = dict(AgendaSlug.choices)
    groups = [
        Group(
            key=slug,
            label=name,
            url=reversed_url("agenda:working_group_detail", slug),
            params={"working_group": slug},
            sublabel=str(agenda_names.get(agenda, agenda)),
        )
        for slug, name, agenda in WorkingGroup.objects.values_list("slug", "name", "agenda__slug")
    ]
    return [*groups, Group(key=None, label=_t("No working group stated"))]


def category_groups(bases):
    basis_names = dict(CategoryBasis.choices)

    def basis_text(category):
        parts = [
            _t("%(basis)s: %(count)s") % {"basis": basis_names.get(basis, basis), "count": n}
            for basis, n in sorted(bases.get(category, Counter()).items())
        ]
        return "; ".join(parts)

    return [
        Group(
            key=value,
            label=str(label),
            params={"category": value or UNCLASSIFIED_PARAM},
            sublabel=basis_text(value),
        )
        for value, label in [
            *((c.value, c.label) for c in IrritantCategory),
            (UNCLASSIFIED, _t("Unclassified")),
        ]
    ]


def country_groups():
    groups = [
        Group(
            key=code,
            label=str(label),
            url=reversed_url("agenda:country_detail", code),
            params={"country": code},
        )
        for code, label in CountryCode.choices
    ]
    return [*groups, Group(key=None, label=_t("Countries not stated"))]


def dashboard_tables(counts: Progress, as_of=None) -> list[ProgressTable]:
    """The four progress tables (agenda, working group, category, country)."""
    common = {"totals": counts.totals, "as_of": as_of}
    return [
        progress_table(
            key="by-agenda", title=_t("Progress by agenda"), group_label=_t("Agenda"),
            groups=agenda_groups(), counts=counts.by_agenda, **common,
        ),
        progress_table(
            key="by-working-group", title=_t("Progress by working group"),
            group_label=_t("Working group"), groups=working_group_groups(),
            counts=counts.by_working_group, **common,
        ),
        progress_table(
            key="by-category", title=_t("Progress by category"),
            group_label=_t("Category (derived)"), groups=category_groups(counts.bases),
            counts=counts.by_category, note=category_note(), **common,
        ),
        progress_table(
            key="by-country", title=_t("Progress by country"), group_label=_t("Country"),
            groups=country_groups(), counts=counts.by_country, note=str(COUNTRY_NOTE), **common,
        ),
    ]  # fmt: skip
