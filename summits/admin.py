from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from spp_tracker.admin_changelist import SafeChangelistMixin

from .models import Country, Report, Source, Summit


@admin.register(Country)
class CountryAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False  # the three partners are reference data


@admin.register(Source)
class SourceAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "host"]
    list_filter = ["kind"]
    search_fields = ["url", "citation", "title"]

    @admin.display(description=_("host"))
    def host(self, obj):
        return obj.host

    def has_change_permission(self, request, obj=None):
        """Who may change a source that other records also cite: agenda/roles.py decides."""
        from agenda import roles  # the write rules live in one place (agenda depends on summits)

        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.pk is not None:
            return roles.source_write_error(request.user, obj) is None
        return allowed

    def has_delete_permission(self, request, obj=None):
        from agenda import roles

        return super().has_delete_permission(request, obj) and roles.is_administrator(request.user)


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["slug", "title", "kind", "released_on"]
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Summit)
class SummitAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "start_date", "end_date", "host_leader"]
    list_filter = ["kind", "country"]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "city", "notes"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]
    date_hierarchy = "end_date"
    inlines = [ReportInline]


@admin.register(Report)
class ReportAdmin(SafeChangelistMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "is_official", "released_on", "covers_through", "summit"]
    list_filter = ["kind", "is_official", "summit"]
    list_select_related = ["summit"]
    search_fields = ["title", "slug", "notes"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["summit", "sources"]
    date_hierarchy = "released_on"
