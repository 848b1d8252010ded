"""Staff screens for the record across editions (lineage links). Registered from admin.py.

A link speaks about two items, so a country editor may add or change it only when roles.py lets them
write both; administrators may do anything, analysts only read. The rule runs in the form (every
admin add, change and revert passes through it) and in has_change_permission."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import roles
from .admin_rows import ItemSearchMixin, RoleRulesMixin, item_search_fields
from .forms import UserBoundForm, VersionCheckMixin
from .models import Lineage


def lineage_write_error(user, *, irritant, continues):
    """Why ``user`` may not write a link between the two items (None when allowed)."""
    for item in (irritant, continues):
        if item is not None:
            error = roles.irritant_write_error(user, item)
            if error:
                return error
    return None


class LineageAdminForm(VersionCheckMixin, UserBoundForm):
    class Meta:
        model = Lineage
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if self.user is not None:
            instance = self.instance
            irritant = cleaned.get("irritant") or (instance.irritant if instance.irritant_id else None)
            continues = cleaned.get("continues") or (instance.continues if instance.continues_id else None)
            error = lineage_write_error(self.user, irritant=irritant, continues=continues)
            if error:
                raise ValidationError(error, code="permission")
        return cleaned


@admin.register(Lineage)
class LineageAdmin(ItemSearchMixin, RoleRulesMixin, SimpleHistoryAdmin):
    form = LineageAdminForm
    list_display = ["continues", "kind", "irritant", "report", "confidence"]
    list_filter = ["kind", "confidence", "report"]
    list_select_related = ["irritant", "continues", "report"]
    search_fields = item_search_fields("irritant", "continues")
    search_items = ["irritant", "continues"]
    autocomplete_fields = ["irritant", "continues", "report", "sources"]
    fields = ["continues", "kind", "irritant", "report", "confidence", "note", "sources"]

    def write_error(self, user, obj):
        """A link is changed (or reverted) only by who may write both of its items, as stored now."""
        stored = Lineage.objects.select_related("irritant", "continues").get(pk=obj.pk)
        return lineage_write_error(user, irritant=stored.irritant, continues=stored.continues)
