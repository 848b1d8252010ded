"""Analyst pages: thin views over IrritantFilterSet, the queryset bundles and the CSV exports."""

from collections import Counter

from django import forms
from django.core.paginator import InvalidPage
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, RedirectView, TemplateView, View
from django_filters.views import FilterView

from spp_tracker.access import AnalystAccessMixin
from summits.choices import CountryCode
from summits.models import Country

from . import exports
from .choices import IrritantStatus
from .filters import ISO_DATE, SORT_KEYS, IrritantFilterSet
from .models import Irritant, LeadDepartment, Lineage, RecordVersion, StatusReport, WorkingGroup
from .pagination import CappedPaginator

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
    if counts[""]:
        rows.append(("", _("No status reported"), counts[""]))
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


class IrritantListView(AnalystAccessMixin, FilterView):
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
        context.update(
            record_version=RecordVersion.current(),
            main_fields=[form[name] for name in MAIN_FILTERS],
            more_fields=[form[name] for name in more],
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


def _by_country(reports, countries, as_of):
    """The status each taking-part country stood at on ``as_of``: its own latest report or the
    latest all-country one; on the same day the country's own wins. Reads prefetched rows only."""
    shown = [r for r in reports if as_of is None or r.as_of <= as_of]
    result = []
    for country in countries:
        mine = [r for r in shown if r.country_id in (None, country.pk)]
        latest = max(mine, key=lambda r: (r.as_of, r.country_id is not None, r.pk), default=None)
        result.append((country, latest))
    return result


class IrritantDetailView(AnalystAccessMixin, AsOfMixin, DetailView):
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
        countries = list(irritant.countries.all())
        # Per-country statuses when any report speaks for one country (the record diverged).
        diverged = any(r.country_id for r in reports)
        context.update(
            deadlines=[
                (deadline, self.as_of is not None and deadline.set_on > self.as_of)
                for deadline in irritant.deadlines.all()
            ],
            status_reports=[
                (report, self.as_of is not None and report.as_of > self.as_of) for report in reports
            ],
            country_statuses=_by_country(reports, countries, self.as_of) if diverged else [],
            lineage=[
                (link, self.as_of is not None and link.stated_on is not None and link.stated_on > self.as_of)
                for link in Lineage.objects.touching(irritant).for_timeline()
            ],
        )
        return context


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


# --- what changed between two dates ----------------------------------------------------------------
class ChangesForm(forms.Form):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (both needed), optionally ``working_group`` and ``country``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, example in (
            ("from", _("From (day after which changes count)"), "2005-06-27"),
            ("to", _("To (last day included)"), "2006-06-15"),
        ):
            self.fields[name] = forms.DateField(
                label=label,
                input_formats=ISO_DATE,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "required": _("Give this day as YYYY-MM-DD, e.g. %(example)s.") % {"example": example},
                    "invalid": _("Enter the day as YYYY-MM-DD, e.g. %(example)s.") % {"example": example},
                },
            )
        self.fields["working_group"] = forms.ModelChoiceField(
            WorkingGroup.objects.all(), to_field_name="slug", required=False, label=_("Working group"),
            empty_label=_("Any"),
        )  # fmt: skip
        self.fields["country"] = forms.ChoiceField(
            choices=[("", _("Any")), *CountryCode.choices], required=False, label=_("Country takes part")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("Pick a day on or after the “from” day (%(day)s).") % {"day": start})
        return cleaned


class ChangesView(AnalystAccessMixin, TemplateView):
    """What changed on the record between two days (agenda.changes.changes_between)."""

    template_name = "agenda/changes.html"

    def get(self, request, *args, **kwargs):
        from .changes import changes_between
        from .tables import irritant_list_url

        form = ChangesForm(request.GET or None)
        context = {"form": form, "changes": None}
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(**context), status=400)
        if form.is_bound:
            data = form.cleaned_data
            start, end, group, country = data["from"], data["to"], data["working_group"], data["country"]
            changes = changes_between(start, end, working_group=group, country=country or None)
            scope = {"working_group": group.slug} if group else {}
            if country:
                scope["country"] = country

            def list_url(params):
                return irritant_list_url({**scope, **params}, as_of=end)

            context.update(
                changes=changes,
                breakdowns=[
                    (
                        _("Working group"),
                        self.breakdown_rows(changes.by_working_group, changes.kinds, list_url),
                    ),
                    (_("Country"), self.breakdown_rows(changes.by_country, changes.kinds, list_url)),
                ],
                all_url=list_url({}),
            )
        return self.render_to_response(self.get_context_data(**context))

    @staticmethod
    def breakdown_rows(breakdowns, kinds, list_url):
        """(label, link to the group's items in the list as of the end day, [count per kind])."""
        return [
            (
                row.label,
                list_url(row.list_params) if row.list_params is not None else "",
                [row.counts[kind.key] for kind in kinds],
            )
            for row in breakdowns
        ]


# --- the record as a data package ----------------------------------------------------------------
class DataPackageView(AnalystAccessMixin, View):
    """``/data/``: the whole record, or the irritant list's current filter (same query string), as a
    Frictionless Data Package zip. Bad parameters answer 400, like the CSV exports."""

    def get(self, request):
        import tempfile

        from django.http import FileResponse

        from . import datapackage

        filtered = any(key not in ("page",) for key in request.GET)
        scope = datapackage.Scope()
        extra = ""
        if filtered:
            filterset = IrritantFilterSet(request.GET, queryset=Irritant.objects.all(), request=request)
            if not filterset.is_valid():
                return HttpResponseBadRequest(
                    filterset.errors.as_text(), content_type="text/plain; charset=utf-8"
                )
            scope = datapackage.Scope(irritants=filterset.qs, as_of=filterset.as_of_date)
            extra = _("Items selected by the irritant list's filter: ?%(query)s.") % {
                "query": request.GET.urlencode()
            }
        # Spooled: small packages stay in memory, large ones go to a temporary file, never the whole
        # record as Python objects.
        file = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
        datapackage.write_package(file, scope, description_extra=str(extra))
        file.seek(0)
        name = datapackage.filename(as_of=scope.as_of, filtered=filtered)
        return FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
