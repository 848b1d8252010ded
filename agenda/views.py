"""Analyst pages: thin views over IrritantFilterSet, the queryset bundles and the CSV exports."""

from collections import Counter

from django import forms
from django.core.paginator import InvalidPage
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, RedirectView, TemplateView, View
from django_filters.views import FilterView

from spp_tracker.access import AnalystAccessMixin
from spp_tracker.page_cache import SharedPageMixin, shared_fragments
from summits.choices import CountryCode
from summits.models import Country

from . import exports
from .choices import NO_STATUS, NO_STATUS_LABEL, IrritantStatus
from .filters import ISO_DATE, SORT_KEYS, IrritantFilterSet
from .models import Irritant, LeadDepartment, Lineage, StatusReport, WorkingGroup
from .pagination import CappedPaginator
from .querysets import in_force_for_country

COUNTRY_REPORTS_SHOWN = 100

# The sidebar shows these filters; the others sit under "More filters" (open when one is in use).
MAIN_FILTERS = [
    "q",
    "agenda",
    "working_group",
    "country",
    "scope",
    "status",
    "category",
    "overdue",
    "as_of",
    "ordering",
]
SORT_HEADERS = [
    ("ref", _("Ref")),
    ("title", _("Title")),
    ("working_group", _("Working group")),
    ("category", _("Category")),
    ("status", _("Status")),
    ("target", _("Target in force")),
]


class HomeView(AnalystAccessMixin, RedirectView):
    pattern_name = "agenda:irritant_list"


class AsOfForm(forms.Form):
    """``?as_of=YYYY-MM-DD`` on the detail pages: show the record as it stood that day."""

    as_of = forms.DateField(required=False, input_formats=ISO_DATE, label=_("Record as of"))


def status_counts(irritants):
    """[(status value, label, count)] in progress order, then items with no status reported: one
    grouped query over a with_state() queryset."""
    counts = Counter(dict(irritants.order_by().values_list("state_status").annotate(n=Count("pk"))))
    rows = [(value, label, counts[value]) for value, label in IrritantStatus.choices if counts[value]]
    if counts[NO_STATUS]:
        rows.append((NO_STATUS, NO_STATUS_LABEL, counts[NO_STATUS]))
    return rows


class ItemsPageMixin:
    """The items of a working group or a country: counted and paged in the database, so the page
    costs the same for 20 items or 600,000."""

    items_per_page = 50

    def items_context(self, irritants):
        counts = status_counts(irritants)
        paginator = CappedPaginator(irritants, self.items_per_page)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage:
            raise Http404(_("No such page.")) from None
        return {
            "irritants": page.object_list,
            "page_obj": page,
            "paginator": paginator,
            "counts": counts,
            "total": sum(count for _value, _label, count in counts),
            "overdue_count": irritants.filter(state_overdue=True).count(),
        }


class AsOfMixin:
    """Reads ``?as_of``; a malformed date is shown on the page (status 400), never a 500."""

    def dispatch(self, request, *args, **kwargs):
        self.as_of_form = AsOfForm(request.GET)
        self.as_of = self.as_of_form.cleaned_data["as_of"] if self.as_of_form.is_valid() else None
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        if self.as_of_form.errors:
            kwargs.setdefault("status", 400)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            as_of=self.as_of, as_of_form=self.as_of_form, today=self.today, **kwargs
        )


class IrritantListView(AnalystAccessMixin, SharedPageMixin, FilterView):
    filterset_class = IrritantFilterSet
    queryset = Irritant.objects.all()  # the FilterSet states it (for_list(as_of)) before filtering
    paginate_by = 50
    paginator_class = CappedPaginator
    strict = True
    template_name = "agenda/irritant_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "today": timezone.localdate()}

    def paginate_queryset(self, queryset, page_size):
        """A page number that is not a page shows an error, like a bad filter (not a 404)."""
        paginator = self.get_paginator(queryset, page_size)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as exc:
            self.page_error = str(exc)
            return paginator, None, queryset.none(), False
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        current = self.request.GET.get("ordering", "")
        form = filterset.form
        more = [name for name in form.fields if name not in MAIN_FILTERS]
        fields = self.filter_fields(form, [*MAIN_FILTERS, *more])
        context.update(
            main_fields=fields[: len(MAIN_FILTERS)],
            more_fields=fields[len(MAIN_FILTERS) :],
            more_open=any(name in self.request.GET for name in more),
            as_of=filterset.as_of_date,
            today=filterset.today,
            page_error=getattr(self, "page_error", None),
            active_filters=[
                (label, [(shown, self._url_without(name, raw)) for raw, shown in values])
                for name, label, values in filterset.active_filters()
            ],
            sort_headers=[
                {
                    "label": label,
                    "param": key,
                    "next": f"-{key}" if current == key else key,
                    "direction": "asc" if current == key else "desc" if current == f"-{key}" else "",
                }
                for key, label in SORT_HEADERS
            ],
            sortable=set(SORT_KEYS),
        )
        return context

    def filter_fields(self, form, names):
        """The filter form's fields as HTML. A field's widget (a select of every working group...)
        costs more to render than a row, and depends only on its own values in the query string: each
        is rendered once per record state, language and value, and shared."""
        return shared_fragments(
            [
                (("irritant_filter", name, tuple(self.request.GET.getlist(name))), form[name])
                for name in names
            ],
            render=lambda field: render_to_string("agenda/_filter_field.html", {"field": field}),
            version=self.shared_version(),
        )

    def _url_without(self, name, value):
        """This page's query string with one value of one parameter removed (and back to page 1)."""
        params = self.request.GET.copy()
        values = params.getlist(name)
        params.setlist(name, [v for v in values if v != value] if len(values) > 1 else [])
        params.pop("page", None)
        return "?" + params.urlencode()


class IrritantExportView(AnalystAccessMixin, View):
    """The list's CSV: the same FilterSet, the same query string. Bad parameters answer 400. The
    file's headers are the documented English ones unless the query asks ``headers=localized``."""

    def get(self, request):
        filterset = IrritantFilterSet(request.GET, queryset=Irritant.objects.all(), request=request)
        if not filterset.is_valid():
            return HttpResponseBadRequest(
                filterset.errors.as_text(), content_type="text/plain; charset=utf-8"
            )
        return self.export(filterset, localized=exports.wants_localized(request))

    def export(self, filterset, localized):
        return exports.irritants_csv(
            filterset.qs,
            as_of=filterset.as_of_date,
            today=filterset.today,
            request=self.request,
            localized=localized,
        )


class StatusReportExportView(IrritantExportView):
    def export(self, filterset, localized):
        return exports.status_history_csv(
            filterset.qs, as_of=filterset.as_of_date, today=filterset.today, localized=localized
        )


class DeadlineExportView(IrritantExportView):
    def export(self, filterset, localized):
        return exports.deadlines_csv(
            filterset.qs, as_of=filterset.as_of_date, today=filterset.today, localized=localized
        )


class IrritantDetailView(AnalystAccessMixin, SharedPageMixin, AsOfMixin, DetailView):
    slug_field = "ref"
    slug_url_kwarg = "ref"
    context_object_name = "irritant"
    template_name = "agenda/irritant_detail.html"

    def get_queryset(self):
        return Irritant.objects.for_detail(self.as_of, today=self.today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        irritant = self.object
        reports = list(irritant.status_reports.all())
        context.update(
            deadlines=[
                (deadline, self.as_of is not None and deadline.set_on > self.as_of)
                for deadline in irritant.deadlines.all()
            ],
            status_reports=[
                (report, self.as_of is not None and report.as_of > self.as_of) for report in reports
            ],
            country_statuses=self.country_statuses(reports, irritant.countries.all()),
            lineage=[
                (link, self.as_of is not None and link.stated_on is not None and link.stated_on > self.as_of)
                for link in Lineage.objects.touching(irritant).for_timeline()
            ],
        )
        return context

    def country_statuses(self, reports, countries):
        """[(country, its status report in force)] when any report speaks for one country (the
        record diverged), else []: the per-country precedence over the prefetched rows."""
        if not any(r.country_id for r in reports):
            return []
        return [(country, in_force_for_country(reports, country, self.as_of)) for country in countries]


class WorkingGroupDetailView(AnalystAccessMixin, ItemsPageMixin, DetailView):
    context_object_name = "group"
    template_name = "agenda/working_group_detail.html"

    def get_queryset(self):
        return WorkingGroup.objects.select_related("agenda").prefetch_related("sources")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        irritants = Irritant.objects.filter(working_group=self.object).for_list().as_it_stood(today=today)
        context.update(
            **self.items_context(irritants.order_by("ref")),
            leads=LeadDepartment.objects.filter(working_group=self.object).select_related("country"),
            today=today,
        )
        return context


class CountryDetailView(AnalystAccessMixin, ItemsPageMixin, TemplateView):
    template_name = "agenda/country_detail.html"

    def get_context_data(self, **kwargs):
        code = self.kwargs["code"].upper()
        if code not in CountryCode.values:
            raise Http404(_("No such country."))
        country = get_object_or_404(Country, code=code)
        today = timezone.localdate()
        irritants = (
            Irritant.objects.involving([code])
            .for_list()
            .as_it_stood(today=today)
            .with_country_state(country)
            .order_by("ref")
        )
        return super().get_context_data(
            country=country,
            **self.items_context(irritants),
            # The latest statuses stated for this country alone (the full list is in the status CSV).
            country_reports=StatusReport.objects.filter(country=country)
            .select_related("irritant", "report")
            .prefetch_related("sources")
            .order_by("-as_of", "irritant__ref", "-pk")[:COUNTRY_REPORTS_SHOWN],
            leads=LeadDepartment.objects.filter(country=country).select_related(
                "working_group", "working_group__agenda"
            ),
            today=today,
            **kwargs,
        )


# The record between two days and as a data package: their own module, served from here (urls.py).
from .views_record import ChangesForm, ChangesView, DataPackageView  # noqa: E402, F401
