"""Read-only pages for the documentary record: summits and ministerials, and the reports they issued.

The report page also shows what each report stated about the agenda (status reports, targets, the
items it put on the record, NACC recommendations), so it reads from ``agenda`` models; every list is
one query, whatever its length.
"""

from django.db.models import Count, F, Prefetch
from django.views.generic import DetailView, TemplateView

from agenda.models import Deadline, Irritant, NaccRecommendation, StatusReport
from spp_tracker.access import AnalystAccessMixin

from .models import Report, Source, Summit


def sources_prefetch():
    return Prefetch("sources", queryset=Source.objects.order_by("kind", "url", "citation"))


class SourcesMixin:
    """Adds ``sources``: the object's prefetched sources as ``(source, link or "")`` pairs."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = [(s, s.link) for s in self.object.sources.all()]
        return context


class SummitListView(AnalystAccessMixin, TemplateView):
    """Summits and ministerials in date order, then every report and statement."""

    template_name = "summits/summit_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Aggregates drop Meta.ordering (Django #32811), so the date order is set again.
        context["summits"] = (
            Summit.objects.select_related("country")
            .annotate(report_count=Count("reports"))
            .order_by(*Summit._meta.ordering)
        )
        context["reports"] = Report.objects.select_related("summit")
        return context


class SummitDetailView(AnalystAccessMixin, SourcesMixin, DetailView):
    """One summit or ministerial: place, dates, participants, and the reports tied to it."""

    template_name = "summits/summit_detail.html"
    queryset = Summit.objects.select_related("country").prefetch_related(
        sources_prefetch(), Prefetch("reports", queryset=Report.objects.order_by(*Report._meta.ordering))
    )


class ReportDetailView(AnalystAccessMixin, SourcesMixin, DetailView):
    """One report: its facts and sources, and what it stated about the agenda."""

    template_name = "summits/report_detail.html"
    queryset = Report.objects.select_related("summit").prefetch_related(sources_prefetch())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context["status_reports"] = (
            StatusReport.objects.filter(report=report)
            .select_related("irritant", "country")
            .order_by("irritant__ref", "as_of", F("country__code").asc(nulls_first=True), "pk")
        )
        context["deadlines"] = (
            Deadline.objects.filter(report=report).select_related("irritant").order_by("irritant__ref", "pk")
        )
        context["irritants"] = Irritant.objects.filter(report=report).select_related("working_group")
        context["recommendations"] = (
            NaccRecommendation.objects.filter(report=report)
            .prefetch_related(Prefetch("irritants", queryset=Irritant.objects.only("ref", "title")))
            .order_by("number")
        )
        return context
