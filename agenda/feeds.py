"""Atom feeds of new status reports and targets set or moved: for the whole record, a working group,
a country and an item; newest first. Each entry links to its item and names the document and the
sources that state it. Entries never name the staff member who entered a row (the feed's author is
the tracker itself).

Read access is the analyst pages' (spp_tracker.access): the views wrap each Feed in
``AnalystAccessMixin``. Each feed runs a fixed number of queries: one per kind of row (status
reports, deadlines), one per kind for their sources, and one for the object a feed belongs to.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.generic import View

from spp_tracker.access import AnalystAccessMixin
from summits.choices import CountryCode
from summits.models import Country

from .choices import IrritantStatus
from .models import Deadline, Irritant, StatusReport, WorkingGroup

FEED_SIZE = 50


class Entry:
    """One feed entry: a status report or a deadline, with the day it is dated."""

    def __init__(self, row):
        self.row = row
        self.is_status = isinstance(row, StatusReport)
        self.day = row.as_of if self.is_status else row.set_on


def _day_to_datetime(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class RecordFeed(Feed):
    """The whole record."""

    feed_type = Atom1Feed
    author_name = "SPP Tracker"

    # --- what each feed covers (subclasses narrow these) ------------------------------------------
    def get_object(self, request, *args, **kwargs):
        return None

    def status_reports(self, obj):
        return StatusReport.objects.all()

    def deadlines(self, obj):
        return Deadline.objects.all()

    def title(self, obj):
        return _("SPP Tracker: new statuses and targets")

    def link(self, obj):
        return reverse("agenda:irritant_list")

    def subtitle(self, obj):
        return _(
            "Status reports and targets set or moved on the record of the Security and Prosperity "
            "Partnership of North America, newest first."
        )

    # --- entries ----------------------------------------------------------------------------------
    def items(self, obj):
        earlier = Deadline.objects.filter(
            irritant=OuterRef("irritant"), set_on__lt=OuterRef("set_on")
        ).order_by("-set_on", "-pk")
        statuses = (
            self.status_reports(obj)
            .select_related("irritant", "country", "report")
            .prefetch_related("sources")
            .order_by("-as_of", "-pk")[:FEED_SIZE]
        )
        deadlines = (
            self.deadlines(obj)
            .select_related("irritant", "report")
            .prefetch_related("sources")
            .annotate(
                moved=Exists(earlier),
                previous_due=Subquery(earlier.values("due_on")[:1]),
                previous_text=Subquery(earlier.values("target_text")[:1]),
            )
            .order_by("-set_on", "-pk")[:FEED_SIZE]
        )
        entries = [Entry(row) for row in statuses] + [Entry(row) for row in deadlines]
        entries.sort(key=lambda e: (e.day, e.is_status, e.row.pk), reverse=True)
        return entries[:FEED_SIZE]

    def item_title(self, entry):
        row, ref = entry.row, entry.row.irritant.ref
        if entry.is_status:
            where = row.country.code if row.country_id else _("all countries")
            return _("%(ref)s: %(status)s (%(where)s), as of %(day)s") % {
                "ref": ref,
                "status": IrritantStatus(row.status).label,
                "where": where,
                "day": row.as_of.isoformat(),
            }
        target = row.target_text or row.due_on.isoformat()
        if row.moved:
            previous = row.previous_text or (row.previous_due and row.previous_due.isoformat()) or "?"
            return _("%(ref)s: target moved from %(old)s to %(new)s") % {
                "ref": ref,
                "old": previous,
                "new": target,
            }
        return _("%(ref)s: target set, %(new)s") % {"ref": ref, "new": target}

    def item_description(self, entry):
        row = entry.row
        stated = (
            format_html('<a href="{}">{}</a>', row.report.get_absolute_url(), row.report.title)
            if row.report_id
            else _("not recorded")
        )
        sources = format_html_join(
            "", '<li><a href="{}">{}</a></li>', ((s.url, s.url) for s in row.sources.all() if s.url)
        ) + format_html_join("", "<li>{}</li>", ((s.citation,) for s in row.sources.all() if not s.url))
        parts = [
            format_html("<p><strong>{}</strong></p>", row.irritant.title),
            format_html("<p>{}: {}</p>", _("Stated by"), stated),
        ]
        if not entry.is_status and row.due_on:
            parts.append(format_html("<p>{}: {}</p>", _("Due on"), row.due_on.isoformat()))
            if row.moved and row.previous_due:
                parts.append(
                    format_html("<p>{}: {}</p>", _("Slippage (days)"), (row.due_on - row.previous_due).days)
                )
        if row.note:
            parts.append(format_html("<p>{}</p>", row.note))
        parts.append(format_html("<p>{}:</p><ul>{}</ul>", _("Sources"), sources) if sources else "")
        return "".join(parts)

    def item_link(self, entry):
        return entry.row.irritant.get_absolute_url()

    def item_guid(self, entry):
        return f"urn:uuid:{entry.row.uid}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return _day_to_datetime(entry.day)

    def item_updateddate(self, entry):
        return _day_to_datetime(entry.day)

    def item_categories(self, entry):
        return [_("status report") if entry.is_status else _("target")]

    def item_author_name(self, entry):
        return None  # never the staff member who entered the row


class WorkingGroupFeed(RecordFeed):
    def get_object(self, request, slug):
        return get_object_or_404(WorkingGroup, slug=slug)

    def status_reports(self, group):
        return StatusReport.objects.filter(irritant__working_group=group)

    def deadlines(self, group):
        return Deadline.objects.filter(irritant__working_group=group)

    def title(self, group):
        return _("SPP Tracker: %(group)s, new statuses and targets") % {"group": group.name}

    def link(self, group):
        return group.get_absolute_url()


class CountryFeed(RecordFeed):
    def get_object(self, request, code):
        if code.upper() not in CountryCode.values:
            raise Http404(_("No such country."))
        return get_object_or_404(Country, code=code.upper())

    def _items(self, country):
        return Irritant.objects.involving([country.code]).values("pk")

    def status_reports(self, country):
        # The country's own statuses and those stated for all countries of its items.
        return StatusReport.objects.filter(
            Q(country=country) | Q(country__isnull=True), irritant__in=self._items(country)
        )

    def deadlines(self, country):
        return Deadline.objects.filter(irritant__in=self._items(country))

    def title(self, country):
        return _("SPP Tracker: %(country)s, new statuses and targets") % {"country": country.name}

    def link(self, country):
        return country.get_absolute_url()


class IrritantFeed(RecordFeed):
    def get_object(self, request, ref):
        return get_object_or_404(Irritant.objects.only("pk", "ref", "title"), ref=ref)

    def status_reports(self, irritant):
        return StatusReport.objects.filter(irritant=irritant)

    def deadlines(self, irritant):
        return Deadline.objects.filter(irritant=irritant)

    def title(self, irritant):
        return _("SPP Tracker: %(ref)s, new statuses and targets") % {"ref": irritant.ref}

    def link(self, irritant):
        return irritant.get_absolute_url()


class FeedView(AnalystAccessMixin, View):
    """A feed behind the analyst pages' read access."""

    feed = RecordFeed

    def get(self, request, *args, **kwargs):
        return self.feed()(request, *args, **kwargs)
