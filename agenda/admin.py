"""Staff screens. They declare; rules live in models (clean, constraints) and querysets. The item, its
targets and its statuses here; what their screens share in admin_rows.py; the reference data, the
lineage links, the role groups and the CSV import in their own admin_* modules."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from spp_tracker.admin_changelist import SafeChangelistMixin

from . import admin_import, admin_speed, exports, timeline
from .admin_rows import (
    DeadlineInline,
    ItemSearchMixin,
    LargeTableMixin,
    NewDeadlineInline,
    NewStatusReportInline,
    RoleRulesMixin,
    StampUserMixin,
    StatusReportInline,
    country_choices_for,
    item_search_fields,
)
from .choices import NO_STATUS_LABEL, NO_STATUS_PARAM, IrritantStatus
from .forms import DeadlineAdminForm, IrritantAdminForm, StatusReportAdminForm
from .models import Deadline, Irritant, StatusReport


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue(today=timezone.localdate())
        if self.value() == "no":
            return queryset.exclude(pk__in=queryset.overdue(today=timezone.localdate()).values("pk"))
        return queryset


class HasStatusFilter(admin.SimpleListFilter):
    title = _("current status")
    parameter_name = "current_status"

    def lookups(self, request, model_admin):
        return [*IrritantStatus.choices, (NO_STATUS_PARAM, NO_STATUS_LABEL)]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(current_status="")
        if self.value():
            return queryset.filter(current_status=self.value())
        return queryset


# What the item's page shows but staff never edit: the derived values and the timestamps.
DERIVED_SHOWN = [
    "current_status",
    "current_status_on",
    "due_on",
    "original_due_on",
    "created_at",
    "updated_at",
]


@admin.register(Irritant)
class IrritantAdmin(
    SafeChangelistMixin,
    LargeTableMixin,
    ItemSearchMixin,
    RoleRulesMixin,
    StampUserMixin,
    admin_speed.LightChangeFormMixin,
    SimpleHistoryAdmin,
):
    form = IrritantAdminForm
    list_display = [
        "ref",
        "title",
        "working_group",  # no agenda column: the ref's P-/S- prefix says it (fits 1,280 px; filter kept)
        "category_display",
        "current_status",
        "current_status_on",
        "due_on",
        "is_overdue",
    ]
    list_display_links = ["ref", "title"]
    list_filter = [
        "agenda",
        "working_group",
        ("countries", admin_speed.CountryListFilter),  # all three partners; the item's stored bits
        "category",
        "category_basis",
        HasStatusFilter,
        OverdueFilter,
        "signature_initiative",
        "confidence",
    ]
    list_select_related = ["working_group", "agenda"]
    search_fields = item_search_fields()
    autocomplete_fields = ["working_group", "signature_initiative", "report", "sources"]
    readonly_fields = DERIVED_SHOWN
    fieldsets = [
        (None, {"fields": ["ref", "title", "summary", "agenda", "working_group", "countries"]}),
        (
            _("Classification"),
            {
                "fields": ["category", "category_basis", "signature_initiative"],
                "description": _(
                    "Derived categories follow the rule in agenda/categories.py. To override it, choose a "
                    "category and the basis 'Set by staff'; set the basis back to 'Derived' to return to the rule."
                ),
            },
        ),
        (_("Provenance"), {"fields": ["report", "confidence", "sources"]}),
        (
            _("Derived from targets and status reports"),
            {"fields": DERIVED_SHOWN},
        ),
    ]
    inlines = [DeadlineInline, NewDeadlineInline, StatusReportInline, NewStatusReportInline]
    actions = ["export_irritants", "export_status_history", "export_deadlines"]
    object_history_template = "admin/agenda/irritant/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        """One timeline per item: its own changes and those of its targets and status reports."""
        extra_context = {**(extra_context or {}), "timeline": timeline.irritant_timeline(unquote(object_id))}
        return super().history_view(request, object_id, extra_context)

    def get_queryset(self, request):
        return super().get_queryset(request).with_state()

    def get_changelist(self, request, **kwargs):
        return admin_speed.SemiJoinChangeList

    # One export path: the same functions as the analyst list's CSV links.
    @admin.action(description=_("Export selected irritants to CSV"), permissions=["view"])
    def export_irritants(self, request, queryset):
        return exports.irritants_csv(queryset, request=request)

    @admin.action(
        description=_("Export the status history of the selected irritants to CSV"), permissions=["view"]
    )
    def export_status_history(self, request, queryset):
        return exports.status_history_csv(queryset)

    @admin.action(
        description=_("Export the deadlines of the selected irritants to CSV"), permissions=["view"]
    )
    def export_deadlines(self, request, queryset):
        return exports.deadlines_csv(queryset)

    def get_urls(self):
        view = admin_import.staff_only(
            self, self.admin_site.admin_view(partial(admin_import.import_view, self))
        )
        return [path("import/", view, name="agenda_irritant_import"), *super().get_urls()]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "countries":  # three partners: tick boxes, not a two-pane chooser
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("category"), ordering="category")
    def category_display(self, obj):
        return obj.category_label(staff=True)

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, obj):
        return obj.is_overdue(timezone.localdate())

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            self.stamp(request, obj)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Deadline)
class DeadlineAdmin(
    SafeChangelistMixin, LargeTableMixin, ItemSearchMixin, RoleRulesMixin, StampUserMixin, SimpleHistoryAdmin
):
    form = DeadlineAdminForm
    list_display = ["irritant", "set_on", "target_text", "due_on", "report", "confidence"]
    list_filter = ["report", "confidence", "irritant__working_group"]
    list_select_related = ["irritant", "report"]
    search_fields = item_search_fields("irritant")
    search_items = ["irritant"]
    autocomplete_fields = ["irritant", "report", "sources"]
    date_hierarchy = "due_on"


@admin.register(StatusReport)
class StatusReportAdmin(
    SafeChangelistMixin, LargeTableMixin, ItemSearchMixin, RoleRulesMixin, StampUserMixin, SimpleHistoryAdmin
):
    form = StatusReportAdminForm
    list_display = ["irritant", "as_of", "status", "country", "report", "confidence"]
    list_filter = ["status", "country", "report", "confidence", "irritant__working_group"]
    list_select_related = ["irritant", "country", "report"]
    search_fields = item_search_fields("irritant")
    search_items = ["irritant"]
    autocomplete_fields = ["irritant", "report", "sources"]
    date_hierarchy = "as_of"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return country_choices_for(db_field, request, kwargs) or super().formfield_for_foreignkey(
            db_field, request, **kwargs
        )


# Registered with the site too: the reference data, the lineage links and the role groups.
from . import admin_lineage, admin_reference, admin_roles  # noqa: E402, F401
