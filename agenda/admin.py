"""Staff screens. They declare; rules live in models (clean, constraints) and querysets."""

from functools import partial

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models, router, transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from spp_tracker.admin_changelist import SafeChangelistMixin

from . import admin_import, admin_speed, exports, roles, search, timeline
from .choices import IrritantStatus
from .forms import DeadlineAdminForm, IrritantAdminForm, StatusReportAdminForm
from .models import (
    Agenda,
    Deadline,
    Irritant,
    LeadDepartment,
    NaccRecommendation,
    NaccTopic,
    SignatureInitiative,
    StatusReport,
    WorkingGroup,
)
from .pagination import CappedPaginator


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
        return [*IrritantStatus.choices, ("none", _("No status reported"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(current_status="")
        if self.value():
            return queryset.filter(current_status=self.value())
        return queryset


class LeadDepartmentInline(admin.TabularInline):
    model = LeadDepartment
    extra = 0
    fields = ["country", "department", "level", "note"]


@admin.register(Agenda)
class AgendaAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "agenda", "slug"]
    list_filter = ["agenda"]
    list_select_related = ["agenda"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    inlines = [LeadDepartmentInline]


@admin.register(SignatureInitiative)
class SignatureInitiativeAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "agenda", "basket"]
    list_filter = ["agenda", "basket"]
    list_select_related = ["agenda"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class LargeTableMixin:
    """Changelists of tables that grow: the count stops at 10,000 (see agenda/pagination.py) and
    the unfiltered total is not counted again."""

    paginator = CappedPaginator
    show_full_result_count = False
    list_per_page = 50


class StampUserMixin:
    """Records who entered a deadline or status report (the model's ``created_by``)."""

    def stamp(self, request, obj):
        if obj.pk is None and hasattr(obj, "created_by_id"):
            obj.created_by = request.user

    def save_model(self, request, obj, form, change):
        self.stamp(request, obj)
        super().save_model(request, obj, form, change)


class RoleRulesMixin:
    """Country editors may change only what roles.py allows. The admin asks the rule for its
    permissions (``has_change_permission`` on the stored row), and the forms ask it again with
    the values submitted (see forms.py); History "Revert" asks both, like the change page."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return form.with_user(request.user) if hasattr(form, "with_user") else form

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.pk is not None:
            return roles.row_write_error(request.user, obj) is None
        return allowed

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and roles.is_administrator(request.user)

    def get_fieldsets(self, request, obj=None):
        """Edit pages carry the version they were opened at (hidden); read-only pages do not."""
        fieldsets = super().get_fieldsets(request, obj)
        editable = obj is not None and self.has_change_permission(request, obj)
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != "loaded_version"]})
            for name, options in fieldsets
        ]
        if editable and "loaded_version" in self.form.base_fields:
            (name, options), *rest = fieldsets
            fieldsets = [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *rest]
        return fieldsets

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """History "Revert": a save like any other, so the same permission (on the row as it is
        stored now), the same form rules, and one transaction (the version check locks the row)."""
        if request.method == "POST":
            stored = self.get_object(request, unquote(object_id))
            if stored is None and not self.has_add_permission(request):
                return admin_import.no_permission(self, request)
            if stored is not None and not self.has_change_permission(request, stored):
                reason = (
                    roles.row_write_error(request.user, stored)
                    if roles.editor_countries(request.user)
                    else None
                )
                return admin_import.no_permission(self, request, reason=reason)
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)


class RecordedInline(admin.TabularInline):
    """Rows already on the record, read-only here (history is data); each links to its own page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("irritant", "report").prefetch_related("sources")


class NewRowInline(admin.StackedInline):
    """A blank row to add a new target or status in the same form as the item (stacked: labelled
    fields that fit the page width)."""

    extra = 1
    can_delete = False
    autocomplete_fields = ["report", "sources"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})}}

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        """No blank row on a page the user may only view."""
        if not super().has_add_permission(request, obj):
            return False
        return obj is None or roles.irritant_write_error(request.user, obj) is None

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = formset.form.with_user(request.user)
        admin_speed.light_form_fields(formset.form.base_fields)
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).none()


DEADLINE_FIELDS = ["set_on", "target_text", "due_on", "report", "confidence", "note", "sources"]
STATUS_FIELDS = ["as_of", "status", "country", "report", "confidence", "note", "sources"]


class DeadlineInline(RecordedInline):
    model = Deadline
    fields = DEADLINE_FIELDS
    verbose_name_plural = _("targets on the record (a moved deadline is a new row; earlier ones stay)")


class NewDeadlineInline(NewRowInline):
    model = Deadline
    form = DeadlineAdminForm
    fields = DEADLINE_FIELDS
    verbose_name = _("new or moved target")
    verbose_name_plural = _("add a new or moved target")


class StatusReportInline(RecordedInline):
    model = StatusReport
    fields = STATUS_FIELDS
    verbose_name_plural = _("status reports on the record (the latest gives the current status)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")


class NewStatusReportInline(NewRowInline):
    model = StatusReport
    form = StatusReportAdminForm
    fields = STATUS_FIELDS
    verbose_name = _("new status report")
    verbose_name_plural = _("record a new status")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return country_choices_for(db_field, request, kwargs) or super().formfield_for_foreignkey(
            db_field, request, **kwargs
        )


def country_choices_for(db_field, request, kwargs):
    """Country editors are offered only their own countries for a per-country status."""
    if db_field.name != "country" or roles.is_administrator(request.user):
        return None
    from summits.models import Country

    kwargs["queryset"] = Country.objects.filter(code__in=roles.editor_countries(request.user))
    return db_field.formfield(**kwargs)


@admin.register(Irritant)
class IrritantAdmin(SafeChangelistMixin, LargeTableMixin, RoleRulesMixin, StampUserMixin, SimpleHistoryAdmin):
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
        ("countries", admin_speed.SemiJoinListFilter),  # all three partners; each item once, no DISTINCT
        "category",
        "category_basis",
        HasStatusFilter,
        OverdueFilter,
        "signature_initiative",
        "confidence",
    ]
    list_select_related = ["working_group", "agenda"]
    search_fields = ["ref", "title", "summary"]
    autocomplete_fields = ["working_group", "signature_initiative", "report", "sources"]
    readonly_fields = [
        "current_status",
        "current_status_on",
        "due_on",
        "original_due_on",
        "created_at",
        "updated_at",
    ]
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
            {
                "fields": [
                    "current_status",
                    "current_status_on",
                    "due_on",
                    "original_due_on",
                    "created_at",
                    "updated_at",
                ]
            },
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

    def get_search_results(self, request, queryset, search_term):
        """The analysts' search (agenda/search.py): on PostgreSQL one GIN lookup of every word as a
        prefix, for the changelist and the autocomplete of every item chooser; elsewhere Django's."""
        if not search.full_text(queryset):
            return super().get_search_results(request, queryset, search_term)
        return queryset.search(search_term), False

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
class DeadlineAdmin(SafeChangelistMixin, LargeTableMixin, RoleRulesMixin, StampUserMixin, SimpleHistoryAdmin):
    form = DeadlineAdminForm
    list_display = ["irritant", "set_on", "target_text", "due_on", "report", "confidence"]
    list_filter = ["report", "confidence", "irritant__working_group"]
    list_select_related = ["irritant", "report"]
    search_fields = ["irritant__ref", "irritant__title", "target_text", "note"]
    autocomplete_fields = ["irritant", "report", "sources"]
    date_hierarchy = "due_on"


@admin.register(StatusReport)
class StatusReportAdmin(
    SafeChangelistMixin, LargeTableMixin, RoleRulesMixin, StampUserMixin, SimpleHistoryAdmin
):
    form = StatusReportAdminForm
    list_display = ["irritant", "as_of", "status", "country", "report", "confidence"]
    list_filter = ["status", "country", "report", "confidence", "irritant__working_group"]
    list_select_related = ["irritant", "country", "report"]
    search_fields = ["irritant__ref", "irritant__title", "note"]
    autocomplete_fields = ["irritant", "report", "sources"]
    date_hierarchy = "as_of"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return country_choices_for(db_field, request, kwargs) or super().formfield_for_foreignkey(
            db_field, request, **kwargs
        )


@admin.register(NaccRecommendation)
class NaccRecommendationAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["ref", "number", "text", "horizon", "report"]
    list_filter = ["horizon", "report"]
    list_select_related = ["report"]
    search_fields = ["ref", "text"]
    autocomplete_fields = ["report", "irritants", "sources"]


@admin.register(NaccTopic)
class NaccTopicAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["category", "topic", "horizons"]
    list_filter = ["category"]
    search_fields = ["category", "topic"]
    autocomplete_fields = ["sources"]


from . import admin_lineage, admin_roles  # noqa: E402, F401  (register the lineage links and role groups admins)
