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
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.response import Response

from summits.choices import CountryCode
from summits.models import Country, Report, Source, Summit

from .. import models
from ..changes import changes_between
from ..filters import IrritantFilterSet
from . import filters, serializers
from .change_serializers import ChangesSerializer


class ReadOnlyMixin:
    """Reading only: any other method is 405 before authentication is asked."""

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.action_map:  # GET and HEAD: list or retrieve
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


ENDPOINTS = []  # (URL prefix, view set, basename), in the API root's order: urls.py registers them


def endpoint(prefix, basename):
    """Serve the view set under ``/api/<prefix>/``, its URLs named ``api:<basename>-list`` and
    ``api:<basename>-detail`` (the names serializers' links take)."""

    def register(viewset):
        ENDPOINTS.append((prefix, viewset, basename))
        return viewset

    return register


class RecordViewSet(ReadOnlyMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve, nothing else."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


class NumberedViewSet(RecordViewSet):
    # Rows known by their number (sources, lineage links). No docstring: the endpoints' descriptions
    # in the schema are their own docstrings, or RecordViewSet's.
    lookup_field = "pk"
    lookup_value_regex = "[0-9]+"


def item_facts(model, dated_by, *related):
    """Dated facts about the items (statuses, targets) with what their serializer links to, grouped
    by item (ref), then by ``dated_by``."""
    return (
        model.objects.select_related("irritant", *related, "report")
        .prefetch_related("sources")
        .order_by("irritant__ref", dated_by, "pk")
    )


AS_OF = OpenApiParameter(
    "as_of",
    {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]},
    description="Show the item as the record stood on this day (YYYY-MM-DD); empty: now.",
)


# A schema annotation only: the slug filter over working_group__slug defeats the generator's type guess.
extend_schema_field(OpenApiTypes.STR)(IrritantFilterSet.base_filters["working_group"])


@endpoint("irritants", "irritant")
@extend_schema_view(retrieve=extend_schema(parameters=[AS_OF]))
class IrritantViewSet(RecordViewSet):
    """Items of the SPP work plans, filtered and ordered exactly as the analyst list (its parameters)."""

    queryset = models.Irritant.objects.all()  # IrritantFilterSet states it (for_list(as_of)) before filtering
    serializer_class = serializers.IrritantSerializer
    filterset_class = IrritantFilterSet
    lookup_field = "ref"

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).select_related("report").prefetch_related("sources")


@endpoint("status-reports", "status-report")
class StatusReportViewSet(RecordViewSet):
    """Dated statuses of the items, grouped by item (ref), then by date."""

    queryset = item_facts(models.StatusReport, "as_of", "country")
    serializer_class = serializers.StatusReportSerializer
    filterset_class = filters.StatusReportFilterSet
    lookup_field = "uid"


@endpoint("deadlines", "deadline")
class DeadlineViewSet(RecordViewSet):
    """Targets of the items, grouped by item (ref), then by the day each was set."""

    queryset = item_facts(models.Deadline, "set_on")
    serializer_class = serializers.DeadlineSerializer
    filterset_class = filters.DeadlineFilterSet
    lookup_field = "uid"


@endpoint("working-groups", "working-group")
class WorkingGroupViewSet(RecordViewSet):
    queryset = models.WorkingGroup.objects.select_related("agenda").prefetch_related(
        "sources", Prefetch("leads", queryset=models.LeadDepartment.objects.select_related("country"))
    )
    serializer_class = serializers.WorkingGroupSerializer


@endpoint("agendas", "agenda")
class AgendaViewSet(RecordViewSet):
    queryset = models.Agenda.objects.prefetch_related("working_groups")
    serializer_class = serializers.AgendaSerializer


@endpoint("countries", "country")
class CountryViewSet(RecordViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    lookup_field = "code"


@endpoint("summits", "summit")
class SummitViewSet(RecordViewSet):
    queryset = Summit.objects.select_related("country").prefetch_related(
        "sources", Prefetch("reports", queryset=Report.objects.order_by(*Report._meta.ordering))
    )
    serializer_class = serializers.SummitSerializer


@endpoint("reports", "report")
class ReportViewSet(RecordViewSet):
    queryset = Report.objects.select_related("summit").prefetch_related("sources")
    serializer_class = serializers.ReportSerializer


@endpoint("sources", "source")
class SourceViewSet(NumberedViewSet):
    queryset = Source.objects.all()
    serializer_class = serializers.SourceSerializer


@endpoint("signature-initiatives", "signature-initiative")
class SignatureInitiativeViewSet(RecordViewSet):
    queryset = models.SignatureInitiative.objects.select_related("agenda")
    serializer_class = serializers.SignatureInitiativeSerializer


@endpoint("nacc-recommendations", "nacc-recommendation")
class NaccRecommendationViewSet(RecordViewSet):
    queryset = models.NaccRecommendation.objects.select_related("report").prefetch_related(
        Prefetch("irritants", queryset=models.Irritant.objects.only("pk", "ref").order_by("ref")), "sources"
    )
    serializer_class = serializers.NaccRecommendationSerializer
    filterset_class = filters.NaccRecommendationFilterSet
    lookup_field = "ref"


@endpoint("lineage-links", "lineage-link")
class LineageViewSet(NumberedViewSet):
    """Links from a later item to an earlier one it continues (agenda renewal across report
    editions), by later item (ref), then earlier item, then kind."""

    queryset = models.Lineage.objects.select_related("irritant", "continues", "report").prefetch_related(
        "sources"
    )
    serializer_class = serializers.LineageSerializer
    filterset_class = filters.LineageFilterSet


def day_parameter(name, description):
    return OpenApiParameter(name, OpenApiTypes.DATE, required=True, description=description)


@endpoint("changes", "changes")
class ChangesViewSet(ReadOnlyMixin, viewsets.ViewSet):
    """What changed between two days: the /changes/ page's numbers and rows (its form checks the
    parameters, so a bad one answers 400 with the page's message)."""

    @extend_schema(
        operation_id="changes_retrieve",
        parameters=[
            day_parameter("from", _("The first day (YYYY-MM-DD): changes stated after it count.")),
            day_parameter("to", _("The last day included (YYYY-MM-DD), on or after the first.")),
            OpenApiParameter(
                "working_group",
                OpenApiTypes.STR,
                description=_("Only this working group's items (its slug)."),
            ),
            OpenApiParameter(
                "country",
                enum=[*CountryCode.values, ""],
                description=_("Only items this country takes part in (its code)."),
            ),
        ],
        responses=ChangesSerializer,
    )
    def list(self, request):
        from ..views import ChangesForm  # the page's form: the same parameters and messages

        form = ChangesForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        data = form.cleaned_data
        group, country = data["working_group"], data["country"] or None
        changes = changes_between(data["from"], data["to"], working_group=group, country=country)
        scope = {"working_group": group.slug} if group else {}
        if country:
            scope["country"] = country
        query = {"from": data["from"].isoformat(), "to": data["to"].isoformat(), **scope}
        context = {"request": request, "scope": scope, "end": data["to"], "query": query}
        return Response(ChangesSerializer(changes, context=context).data)


def not_found(request, rest=""):
    """Any other address under /api/: a JSON 404 like the API's own (not the site's HTML page)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
