"""Staff screens of the reference data: agendas, working groups (with their lead departments),
signature initiatives and the NACC's recommendations and topics. Registered from admin.py."""

from django.contrib import admin

from spp_tracker.admin_changelist import SafeChangelistMixin

from .models import Agenda, LeadDepartment, NaccRecommendation, NaccTopic, SignatureInitiative, WorkingGroup


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
