"""Rows -> JSON. Related rows are links (``{"id", "url"}``, see fields.LinkField), and an item's
dated facts are links to filtered lists, never nested copies; each serializer reads only what its
view's queryset selected or prefetched, so a page costs a constant number of queries."""

from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse

from spp_tracker.access import STAFF_ONLY_FIELDS
from summits.models import Country, Report, Source, Summit

from ..changes import CHANGE_KINDS, LIST_LIMIT
from ..choices import CategoryBasis, IrritantCategory, IrritantStatus, LineageKind, Scope
from ..models import (
    Agenda,
    Deadline,
    Irritant,
    LeadDepartment,
    Lineage,
    NaccRecommendation,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
    slippage_days,
)
from .fields import KeyLinkField, LinkField, ListLinkField, NullableChoiceField, PageLinkField, SelfLinkField


class RecordSerializer(serializers.ModelSerializer):
    """Base of every API serializer: read-only, and it refuses the staff-only fields
    (spp_tracker.access.STAFF_ONLY_FIELDS), whoever asks."""

    def get_field_names(self, declared_fields, info):
        names = super().get_field_names(declared_fields, info)
        leaked = STAFF_ONLY_FIELDS.intersection(names)
        if leaked:
            raise ImproperlyConfigured(
                f"{type(self).__name__} would publish staff-only fields {sorted(leaked)}"
            )
        return names

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra


def link(view, lookup="slug", **kwargs):
    return LinkField(f"api:{view}-detail", lookup, **kwargs)


def self_link(view, lookup="slug"):
    return SelfLinkField(f"api:{view}-detail", lookup)


def list_link(view, parameter, lookup="slug"):
    return ListLinkField(f"api:{view}-list", parameter, lookup)


class IrritantSerializer(RecordSerializer):
    """An item as the record stood on ``as_of`` (default: now): the list's and the CSV's columns."""

    url = self_link("irritant", "ref")
    html_url = PageLinkField()
    agenda = link("agenda")
    working_group = link("working-group", allow_null=True)
    countries = link("country", "code", many=True)
    scope = serializers.SerializerMethodField()
    category = NullableChoiceField(IrritantCategory.choices)
    category_basis = serializers.ChoiceField(CategoryBasis.choices, read_only=True)
    status = NullableChoiceField(IrritantStatus.choices, source="state_status")
    status_on = serializers.DateField(source="state_on", read_only=True, allow_null=True)
    target = serializers.DateField(source="state_due", read_only=True, allow_null=True)
    target_as_worded = serializers.CharField(source="state_target_text", read_only=True, allow_null=True)
    original_target = serializers.DateField(source="state_original_due", read_only=True, allow_null=True)
    slippage_days = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="state_overdue", read_only=True)
    signature_initiative = link("signature-initiative", allow_null=True)
    report = link("report", allow_null=True)
    sources = link("source", "pk", many=True)
    status_reports = list_link("status-report", "irritant", "ref")
    deadlines = list_link("deadline", "irritant", "ref")
    nacc_recommendations = list_link("nacc-recommendation", "irritant", "ref")
    lineage = list_link("lineage-link", "irritant", "ref")

    class Meta:
        model = Irritant
        fields = [
            "url",
            "html_url",
            "ref",
            "title",
            "summary",
            "agenda",
            "working_group",
            "countries",
            "scope",
            "category",
            "category_basis",
            "status",
            "status_on",
            "target",
            "target_as_worded",
            "original_target",
            "slippage_days",
            "overdue",
            "signature_initiative",
            "report",
            "confidence",
            "sources",
            "status_reports",
            "deadlines",
            "nacc_recommendations",
            "lineage",
        ]

    @extend_schema_field(
        {
            "type": "string",
            "enum": Scope.values,
            "nullable": True,
            "description": "null: not recorded",
        }
    )
    def get_scope(self, irritant):
        scope = Scope.of(irritant.country_count)
        return scope and scope.value

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_slippage_days(self, irritant):
        return slippage_days(irritant.state_due, irritant.state_original_due)


class StatusReportSerializer(RecordSerializer):
    """A status an item was given on a date, for every country taking part (``country`` null) or one."""

    url = self_link("status-report", "uid")
    irritant = link("irritant", "ref")
    country = link("country", "code", allow_null=True)
    report = link("report", allow_null=True)
    sources = link("source", "pk", many=True)

    class Meta:
        model = StatusReport
        fields = [
            "url",
            "uid",
            "irritant",
            "as_of",
            "status",
            "country",
            "report",
            "confidence",
            "note",
            "sources",
        ]


class DeadlineSerializer(RecordSerializer):
    """A target an item was given; a moved target is a new row, the earlier ones stay."""

    url = self_link("deadline", "uid")
    irritant = link("irritant", "ref")
    report = link("report", allow_null=True)
    sources = link("source", "pk", many=True)

    class Meta:
        model = Deadline
        fields = [
            "url",
            "uid",
            "irritant",
            "set_on",
            "target_text",
            "due_on",
            "report",
            "confidence",
            "note",
            "sources",
        ]


class LeadSerializer(RecordSerializer):
    country = link("country", "code")

    class Meta:
        model = LeadDepartment
        fields = ["country", "department", "level", "note"]


class WorkingGroupSerializer(RecordSerializer):
    url = self_link("working-group")
    html_url = PageLinkField()
    agenda = link("agenda")
    leads = LeadSerializer(many=True, read_only=True)
    sources = link("source", "pk", many=True)
    irritants = list_link("irritant", "working_group")

    class Meta:
        model = WorkingGroup
        fields = ["url", "html_url", "slug", "name", "agenda", "leads", "sources", "irritants"]


class AgendaSerializer(RecordSerializer):
    url = self_link("agenda")
    name = serializers.CharField(read_only=True)
    working_groups = link("working-group", many=True)
    irritants = list_link("irritant", "agenda")

    class Meta:
        model = Agenda
        fields = ["url", "slug", "name", "working_groups", "irritants"]


class CountrySerializer(RecordSerializer):
    url = self_link("country", "code")
    html_url = PageLinkField()
    name = serializers.CharField(read_only=True)
    irritants = list_link("irritant", "country", "code")
    status_reports = list_link("status-report", "country", "code")

    class Meta:
        model = Country
        fields = ["url", "html_url", "code", "name", "irritants", "status_reports"]


class SummitSerializer(RecordSerializer):
    url = self_link("summit")
    html_url = PageLinkField()
    country = link("country", "code")
    participants = serializers.ListField(child=serializers.CharField(), read_only=True)
    reports = link("report", many=True)
    sources = link("source", "pk", many=True)

    class Meta:
        model = Summit
        fields = [
            "url",
            "html_url",
            "slug",
            "name",
            "kind",
            "city",
            "region",
            "country",
            "start_date",
            "end_date",
            "host_leader",
            "participants",
            "notes",
            "reports",
            "sources",
        ]


class ReportSerializer(RecordSerializer):
    url = self_link("report")
    html_url = PageLinkField()
    summit = link("summit", allow_null=True)
    sources = link("source", "pk", many=True)
    irritants = list_link("irritant", "report")
    status_reports = list_link("status-report", "report")
    deadlines = list_link("deadline", "report")

    class Meta:
        model = Report
        fields = [
            "url",
            "html_url",
            "slug",
            "title",
            "kind",
            "is_official",
            "released_on",
            "covers_through",
            "summit",
            "notes",
            "sources",
            "irritants",
            "status_reports",
            "deadlines",
        ]


class SourceSerializer(RecordSerializer):
    url = self_link("source", "pk")
    address = serializers.CharField(source="url", read_only=True)

    class Meta:
        model = Source
        fields = ["url", "id", "address", "citation", "title", "kind"]


class SignatureInitiativeSerializer(RecordSerializer):
    url = self_link("signature-initiative")
    agenda = link("agenda")
    irritants = list_link("irritant", "signature_initiative")

    class Meta:
        model = SignatureInitiative
        fields = ["url", "slug", "name", "agenda", "basket", "irritants"]


class NaccRecommendationSerializer(RecordSerializer):
    url = self_link("nacc-recommendation", "ref")
    report = link("report", allow_null=True)
    irritants = link("irritant", "ref", many=True)
    sources = link("source", "pk", many=True)

    class Meta:
        model = NaccRecommendation
        fields = ["url", "ref", "number", "text", "horizon", "report", "irritants", "sources"]


class LineageSerializer(RecordSerializer):
    """A link from a later item to an earlier one it continues, with the statement that says so."""

    url = self_link("lineage-link", "pk")
    irritant = link("irritant", "ref", help_text=_("The later item: it continues the earlier one."))
    continues = link("irritant", "ref", help_text=_("The earlier item it continues."))
    kind = serializers.ChoiceField(LineageKind.choices, read_only=True)
    report = link("report", allow_null=True, help_text=_("The report or statement whose wording states it."))
    stated_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("The date of that statement (null: no dated report cited)."),
    )
    sources = link("source", "pk", many=True)

    class Meta:
        model = Lineage
        fields = ["url", "id", "irritant", "continues", "kind", "report", "stated_on", "confidence", "note",
                  "sources"]  # fmt: skip


# --- what changed between two dates (agenda.changes.Changes) --------------------------------------
# One integer field per kind of change (agenda.changes.CHANGE_KINDS), and "any".
ChangeCountsSerializer = type(
    "ChangeCountsSerializer",
    (serializers.Serializer,),
    {
        **{kind.key: serializers.IntegerField(read_only=True, help_text=kind.label) for kind in CHANGE_KINDS},
        "any": serializers.IntegerField(read_only=True, help_text=_("Items with a change of any kind.")),
        "__doc__": "Items with each kind of change (an item can have several kinds).",
    },
)


def irritants_as_of(context, params):
    """The API's irritant list filtered as the changes page's list links are: the scope, the group's
    own parameter, as of the end day."""
    query = {**context["scope"], **params, "as_of": context["end"].isoformat()}
    return f"{api_reverse('api:irritant-list', request=context.get('request'))}?{urlencode(query)}"


class ChangedItemSerializer(serializers.Serializer):
    irritant = KeyLinkField("api:irritant-detail", "ref", source="ref")
    html_url = PageLinkField(path=lambda item: item.url)
    title = serializers.CharField(read_only=True)
    working_group = KeyLinkField(
        "api:working-group-detail", "slug", source="working_group_slug", allow_null=True
    )
    from_status = NullableChoiceField(
        IrritantStatus.choices, help_text=_("Status in force on the first day.")
    )
    to_status = NullableChoiceField(IrritantStatus.choices, help_text=_("Status in force on the second day."))
    from_target = serializers.DateField(
        source="from_due",
        read_only=True,
        allow_null=True,
        help_text=_("Dated target in force on the first day."),
    )
    to_target = serializers.DateField(
        source="to_due",
        read_only=True,
        allow_null=True,
        help_text=_("Dated target in force on the second day."),
    )
    slippage_days = serializers.IntegerField(
        source="moved_days",
        read_only=True,
        allow_null=True,
        help_text=_("Days the target moved (negative: earlier; null when either target is undated)."),
    )


class ChangeKindSerializer(serializers.Serializer):
    """One kind of change (a section of the page): its count and the items listed."""

    kind = serializers.ChoiceField([(kind.key, kind.label) for kind in CHANGE_KINDS], read_only=True)
    label = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True, help_text=_("Items with this kind of change."))
    items = ChangedItemSerializer(
        many=True,
        read_only=True,
        help_text=format_lazy(
            _("The first {limit} items of this kind, by ref (count gives them all)."), limit=LIST_LIMIT
        ),
    )

    def to_representation(self, row):
        kind, count, items = row  # Changes.rows()
        return super().to_representation(
            {"kind": kind.key, "label": kind.label, "count": count, "items": items}
        )


class BreakdownSerializer(serializers.Serializer):
    label = serializers.CharField(read_only=True)
    counts = ChangeCountsSerializer(read_only=True)
    irritants = serializers.SerializerMethodField(
        help_text=_(
            "The API's irritant list for this row, as of the second day (null: no filter selects it)."
        )
    )

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_irritants(self, row):
        return irritants_as_of(self.context, row.list_params) if row.list_params is not None else None


class WorkingGroupBreakdownSerializer(BreakdownSerializer):
    working_group = KeyLinkField("api:working-group-detail", "slug", source="key", allow_null=True)


class CountryBreakdownSerializer(BreakdownSerializer):
    country = KeyLinkField("api:country-detail", "code", source="key", allow_null=True)


@extend_schema_serializer(many=False)
class ChangesSerializer(serializers.Serializer):
    """What changed on the record after ``from`` and up to ``to`` (agenda.changes.changes_between),
    as the /changes/ page shows it."""

    html_url = serializers.SerializerMethodField()
    from_ = serializers.DateField(source="start", read_only=True)
    to = serializers.DateField(source="end", read_only=True)
    working_group = link("working-group", allow_null=True, help_text=_("Only this working group's items."))
    country = KeyLinkField(
        "api:country-detail", "code", allow_null=True, help_text=_("Only items this country takes part in.")
    )
    total = serializers.IntegerField(read_only=True, help_text=_("Items with a change of any kind."))
    counts = ChangeCountsSerializer(read_only=True)
    irritants = serializers.SerializerMethodField(
        help_text=_("The API's irritant list in this scope, as of the second day.")
    )
    kinds = ChangeKindSerializer(source="rows", many=True, read_only=True)
    by_working_group = WorkingGroupBreakdownSerializer(many=True, read_only=True)
    by_country = CountryBreakdownSerializer(many=True, read_only=True)

    def get_fields(self):
        return {("from" if name == "from_" else name): field for name, field in super().get_fields().items()}

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_html_url(self, changes):
        request = self.context.get("request")
        path = f"{reverse('agenda:changes')}?{urlencode(self.context['query'])}"
        return request.build_absolute_uri(path) if request is not None else path

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_irritants(self, changes):
        return irritants_as_of(self.context, {})
