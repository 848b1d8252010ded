"""What the staff screens of the record's rows share: the large-table changelist, the ``created_by``
stamp, the role rules (roles.py) on every form and permission, and the inlines of an item's targets
and statuses (those on the record, read-only, and a blank row to add one). Used by admin.py."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, router, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import admin_import, admin_speed, roles, search
from .forms import DeadlineAdminForm, StatusReportAdminForm, UserBoundForm
from .models import Deadline, StatusReport
from .pagination import CappedPaginator


def bind_user(form_class, user):
    """The acting user on an admin form class (forms.UserBoundForm), set on the class itself: the
    admin makes a new class for every request (``modelform_factory``), and ``with_user``'s subclass
    would build every field and widget of the form a second time."""
    if issubclass(form_class, UserBoundForm):
        form_class.user = user
    return form_class


class LargeTableMixin:
    """Changelists of tables that grow: the count stops at 10,000 (see agenda/pagination.py) and
    the unfiltered total is not counted again."""

    paginator = CappedPaginator
    show_full_result_count = False
    list_per_page = 50


class ItemSearchMixin:
    """The search box finds what the analysts' list finds for the same text (``Irritant.objects.search``,
    agenda/search.py: every word in the item's ref, title or summary; on PostgreSQL one lookup in the
    full-text index). An admin of items lists those items (its changelist and every item chooser);
    one of rows about items (``search_items``: the paths to them) lists the rows of those items."""

    search_items = ()
    search_help_text = _("Searches the item's ref, title and summary, as the irritant list does.")

    def get_search_results(self, request, queryset, search_term):
        text = search_term.strip()
        if not text:
            return queryset, False
        if not self.search_items:
            return queryset.search(text), False
        from .models import Irritant

        found = Irritant.objects.search(text).values("pk")
        condition = Q()
        for path in self.search_items:
            condition |= Q(**{f"{path}__in": found})
        return queryset.filter(condition), False


def item_search_fields(*paths):
    """What ``ItemSearchMixin`` searches, said as ``search_fields`` (the admin shows its search box,
    and lets choosers of items search, only for an admin that has them)."""
    return [f"{path}__{name}" if path else name for path in paths or [""] for name in search.FIELDS]


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
        return bind_user(super().get_form(request, obj, **kwargs), request.user)

    def write_error(self, user, obj):
        """Why ``user`` may not change ``obj`` as it is stored now (None when allowed)."""
        return roles.row_write_error(user, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.pk is not None:
            return self.write_error(request.user, obj) is None
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
                return self.refused(request)
            if stored is not None and not self.has_change_permission(request, stored):
                return self.refused(request, stored)
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A page the user may not open or submit (a country editor posting another country's
        item or status): the admin's no-permission page with the rule's reason, where Django
        answers a bare 403. Still status 403, and nothing is written (Django refuses before any
        form runs)."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PermissionDenied:
            stored = self.get_object(request, unquote(object_id)) if object_id else None
            return self.refused(request, stored)

    def refused(self, request, stored=None):
        """The no-permission page; for a country editor refused a stored row, the reason."""
        reason = None
        if stored is not None and roles.editor_countries(request.user):
            reason = self.write_error(request.user, stored)
        return admin_import.no_permission(self, request, reason=reason)


class RecordedInline(admin_speed.LightInlineMixin, admin.TabularInline):
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


class NewRowInline(admin_speed.LightInlineMixin, admin.StackedInline):
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
        bind_user(formset.form, request.user)
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
