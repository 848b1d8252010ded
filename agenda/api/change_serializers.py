"""The /api/changes/ answer: what changed on the record between two days (agenda.changes), as the
/changes/ page shows it: counts per kind of change, the first items of each kind, and breakdowns by
working group and by country, each with a link to the API's irritant list as of the second day."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse as api_reverse

from ..changes import CHANGE_KINDS, LIST_LIMIT
from ..choices import IrritantStatus
from .fields import KeyLinkField, NullableChoiceField, PageLinkField
from .serializers import link

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
