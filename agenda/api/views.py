"""Read-only API endpoints. Each is a RecordViewSet: a queryset that selects and prefetches what
its serializer shows (constant queries a page), a serializer, the identifier its URL takes, and
optionally a FilterSet. The list order is the model's (or the queryset's) ordering, and it is what
the keyset pages follow (pagination.py).

The irritant endpoint takes the analyst list's IrritantFilterSet unchanged: the same parameters,
the same validation messages (as a 400), the same items in the same order as the list and the CSV.
"""

from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import MethodNotAllowed

from summits.models import Country, Report, Source, Summit

from ..filters import IrritantFilterSet
from ..models import (
    Agenda,
    Deadline,
    Irritant,
    LeadDepartment,
    NaccRecommendation,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
)
from . import filters, serializers


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """List and retrieve, nothing else: any other method is 405 before authentication is asked."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.action_map:  # GET and HEAD: list or retrieve
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


AS_OF = OpenApiParameter(
    "as_of",
    {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]},
    description="Show the item as the record stood on this day (YYYY-MM-DD); empty: now.",
)


# A schema annotation only: the slug filter over working_group__slug defeats the generator's type guess.
extend_schema_field(OpenApiTypes.STR)(IrritantFilterSet.base_filters["working_group"])


@extend_schema_view(retrieve=extend_schema(parameters=[AS_OF]))
class IrritantViewSet(RecordViewSet):
    """Items of the SPP work plans, filtered and ordered exactly as the analyst list (its parameters)."""

    queryset = Irritant.objects.all()  # IrritantFilterSet states it (for_list(as_of)) before filtering
    serializer_class = serializers.IrritantSerializer
    filterset_class = IrritantFilterSet
    lookup_field = "ref"

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).select_related("report").prefetch_related("sources")


class StatusReportViewSet(RecordViewSet):
    """Dated statuses of the items, grouped by item (ref), then by date."""

    queryset = (
        StatusReport.objects.select_related("irritant", "country", "report")
        .prefetch_related("sources")
        .order_by("irritant__ref", "as_of", "pk")
    )
    serializer_class = serializers.StatusReportSerializer
    filterset_class = filters.StatusReportFilterSet
    lookup_field = "uid"


class DeadlineViewSet(RecordViewSet):
    """Targets of the items, grouped by item (ref), then by the day each was set."""

    queryset = (
        Deadline.objects.select_related("irritant", "report")
        .prefetch_related("sources")
        .order_by("irritant__ref", "set_on", "pk")
    )
    serializer_class = serializers.DeadlineSerializer
    filterset_class = filters.DeadlineFilterSet
    lookup_field = "uid"


class WorkingGroupViewSet(RecordViewSet):
    queryset = WorkingGroup.objects.select_related("agenda").prefetch_related(
        "sources", Prefetch("leads", queryset=LeadDepartment.objects.select_related("country"))
    )
    serializer_class = serializers.WorkingGroupSerializer


class AgendaViewSet(RecordViewSet):
    queryset = Agenda.objects.prefetch_related("working_groups")
    serializer_class = serializers.AgendaSerializer


class CountryViewSet(RecordViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"


class SummitViewSet(RecordViewSet):
    queryset = Summit.objects.select_related("country").prefetch_related(
        "sources", Prefetch("reports", queryset=Report.objects.order_by(*Report._meta.ordering))
    )
    serializer_class = serializers.SummitSerializer


class ReportViewSet(RecordViewSet):
    queryset = Report.objects.select_related("summit").prefetch_related("sources")
    serializer_class = serializers.ReportSerializer


class SourceViewSet(RecordViewSet):
    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"


class SignatureInitiativeViewSet(RecordViewSet):
    queryset = SignatureInitiative.objects.select_related("agenda")
    serializer_class = serializers.SignatureInitiativeSerializer


class NaccRecommendationViewSet(RecordViewSet):
    queryset = NaccRecommendation.objects.select_related("report").prefetch_related(
        Prefetch("irritants", queryset=Irritant.objects.only("pk", "ref").order_by("ref")), "sources"
    )
    serializer_class = serializers.NaccRecommendationSerializer
    filterset_class = filters.NaccRecommendationFilterSet
    lookup_field = "ref"


def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404 like the API's own (not the site's HTML page)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
