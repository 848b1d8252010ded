"""Query parameters of the API lists other than irritants (those take the analyst list's
IrritantFilterSet unchanged). References are by the identifiers the API shows (ref, slug, code)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from summits.choices import CountryCode

from ..choices import LineageKind
from ..models import Deadline, Lineage, NaccRecommendation, StatusReport


class ByItemFilterSet(django_filters.FilterSet):
    irritant = django_filters.CharFilter(field_name="irritant__ref", label=_("Item (its ref)"))
    report = django_filters.CharFilter(field_name="report__slug", label=_("Stated by report (its slug)"))


class StatusReportFilterSet(ByItemFilterSet):
    country = django_filters.ChoiceFilter(
        field_name="country__code", choices=CountryCode.choices, label=_("Country (per-country statuses)")
    )

    class Meta:
        model = StatusReport
        fields = ["irritant", "report", "country"]


class DeadlineFilterSet(ByItemFilterSet):
    class Meta:
        model = Deadline
        fields = ["irritant", "report"]


class NaccRecommendationFilterSet(django_filters.FilterSet):
    # A ref names one item, so the join gives each recommendation once (no DISTINCT needed).
    irritant = django_filters.CharFilter(
        field_name="irritants__ref", distinct=False, label=_("Related item (its ref)")
    )
    report = django_filters.CharFilter(field_name="report__slug", label=_("Report (its slug)"))

    class Meta:
        model = NaccRecommendation
        fields = ["irritant", "report"]


class LineageFilterSet(django_filters.FilterSet):
    irritant = django_filters.CharFilter(
        method="filter_irritant", label=_("Item on either side of the link, later or earlier (its ref)")
    )
    kind = django_filters.ChoiceFilter(choices=LineageKind.choices, label=_("Kind of link"))
    report = django_filters.CharFilter(field_name="report__slug", label=_("Stated by report (its slug)"))

    class Meta:
        model = Lineage
        fields = ["irritant", "kind", "report"]

    def filter_irritant(self, queryset, name, value):
        # Both sides are required foreign keys (inner joins): each link comes once, no DISTINCT.
        return queryset.filter(Q(irritant__ref=value) | Q(continues__ref=value))
