"""The analyst dashboard page: progress by group, overdue and upcoming targets as of a day, and a
comparison of two reports. The numbers come from ``progress`` (counts and lists read from the state
history kept on write), ``tables`` (rows the template shows) and ``comparison``; this module holds
the query-string form and the view, which caches the numbers per state of the record."""

from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from spp_tracker.access import AnalystAccessMixin
from spp_tracker.page_cache import SharedPageMixin
from summits.models import Report

from . import charts, progress
from .choices import NO_STATUS, NO_STATUS_PARAM, IrritantStatus, status_colour, status_label
from .comparison import compare_reports
from .models import RecordVersion
from .progress import STATUS_ORDER, UPCOMING_YEARS, add_years, overdue_items, upcoming_items
from .tables import dashboard_tables, irritant_list_url, irritant_url

CACHE_SECONDS = 24 * 3600
DEFAULT_FROM_REPORT = "report-to-leaders-2005"
DEFAULT_TO_REPORT = "report-to-leaders-2006"


class DashboardForm(forms.Form):
    """The dashboard's query string: ``as_of`` and the two reports to compare (``from``, ``to``)."""

    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, e.g. 2006-06-15.")},
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
        help_text = _("Only reports with a date can be compared.")
        self.fields["from"] = forms.ChoiceField(
            label=_("From report"), choices=choices, required=False, help_text=help_text
        )
        self.fields["to"] = forms.ChoiceField(label=_("To report"), choices=choices, required=False)

    def clean(self):
        cleaned = super().clean()
        from_report = self.reports.get(cleaned.get("from"))
        to_report = self.reports.get(cleaned.get("to"))
        if from_report and to_report and from_report.as_of > to_report.as_of:
            self.add_error("to", _t("Pick a report dated on or after the one compared from."))
        cleaned["from_report"], cleaned["to_report"] = from_report, to_report
        return cleaned


class DashboardView(AnalystAccessMixin, SharedPageMixin, TemplateView):
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
        token, which every write changes, so a cached page is never out of date. (The page meets its
        targets without the cache: every number is read from structures kept on write.)"""
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
        counts = progress.progress(as_of, today=today)
        totals = counts.totals
        limit = progress.LIST_LIMIT
        overdue = list(overdue_items(day=day, as_of=as_of)[:limit])
        upcoming = list(upcoming_items(day=day, until=until, as_of=as_of)[:limit])
        for item in overdue + upcoming:
            item.url = irritant_url(item.ref)
            item.state_label = status_label(item.status_key)
            item.days_overdue = (day - item.state_due).days
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
            "no_status_url": irritant_list_url({"status": NO_STATUS_PARAM}, as_of),
            "all_url": irritant_list_url({}, as_of),
            "status_chart": charts.bar_chart(
                [(str(status_label(s)), totals[s], status_colour(s)) for s in STATUS_ORDER],
                label=_t("Items by status"),
            ),
            "legend": [(status_label(s), status_colour(s)) for s in STATUS_ORDER],
            "tables": dashboard_tables(counts, as_of),
            "overdue": overdue,
            "overdue_count": counts.overdue,
            "upcoming_count": counts.upcoming,
            "list_limit": limit,
            "overdue_url": irritant_list_url({"overdue": "true"}, as_of),
            "upcoming": upcoming,
            "upcoming_url": irritant_list_url(
                {"deadline_after": day.isoformat(), "deadline_before": until.isoformat()}, as_of
            ),
            "comparison": comparison,
            "comparison_chart": comparison and comparison_chart(comparison),
        }


def comparison_chart(comparison):
    counts = comparison.counts
    return charts.bar_chart(
        [
            (_t("Status changed"), counts["changed"], status_colour(IrritantStatus.ONGOING)),
            (_t("Newly reported"), counts["new"], status_colour(IrritantStatus.INITIATED)),
            (_t("Target slipped"), counts["slipped"], status_colour(IrritantStatus.DELAYED)),
            (_t("Unchanged"), counts["unchanged"], status_colour(IrritantStatus.NOT_STARTED)),
            (_t("Still no status"), counts["still_without_status"], status_colour(NO_STATUS)),
        ],
        label=_t("Report comparison summary"),
    )
