"""Query parameters of the API lists other than irritants (those take the analyst list's
IrritantFilterSet unchanged). References are by the identifiers the API shows (ref, slug, code)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from summits.choices import CountryCode

from ..models import Deadline, NaccRecommendation, StatusReport


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
