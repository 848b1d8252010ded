"""Rows -> JSON. Related rows are links (``{"id", "url"}``, see fields.LinkField), and an item's
dated facts are links to filtered lists, never nested copies; each serializer reads only what its
view's queryset selected or prefetched, so a page costs a constant number of queries."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spp_tracker.access import STAFF_ONLY_FIELDS
from summits.models import Country, Report, Source, Summit

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
from .fields import LinkField, ListLinkField, NullableChoiceField, PageLinkField, SelfLinkField


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


class ItemFactSerializer(RecordSerializer):
    """Base of a dated fact about an item (a status, a target): its item, the report that stated it
    and the sources; its fields are ``url``, ``uid``, the item, its own, then ``CITED``."""

    CITED = ["report", "confidence", "note", "sources"]

    irritant = link("irritant", "ref")
    report = link("report", allow_null=True)
    sources = link("source", "pk", many=True)


class StatusReportSerializer(ItemFactSerializer):
    """A status an item was given on a date, for every country taking part (``country`` null) or one."""

    url = self_link("status-report", "uid")
    country = link("country", "code", allow_null=True)

    class Meta:
        model = StatusReport
        fields = ["url", "uid", "irritant", "as_of", "status", "country", *ItemFactSerializer.CITED]


class DeadlineSerializer(ItemFactSerializer):
    """A target an item was given; a moved target is a new row, the earlier ones stay."""

    url = self_link("deadline", "uid")

    class Meta:
        model = Deadline
        fields = ["url", "uid", "irritant", "set_on", "target_text", "due_on", *ItemFactSerializer.CITED]


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
