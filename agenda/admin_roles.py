"""The role groups' admin page, with each group's role and, for country editors, the country it edits
for (roles.py). Registered from admin.py. Only superusers change groups (the Administrators role
holds no auth permissions), so only they can rename a group, change its role or move its rights to
another country; a name is only a label."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group

from .models import EditorGroup


class EditorGroupInline(admin.StackedInline):
    model = EditorGroup
    can_delete = True
    max_num = 1
    extra = 0


class RoleGroupAdmin(GroupAdmin):
    inlines = [EditorGroupInline]
    list_display = ["name", "role", "edits_for"]
    list_select_related = ["editor_group__country"]

    @admin.display(description=EditorGroup._meta.get_field("role").verbose_name)
    def role(self, group):
        link = getattr(group, "editor_group", None)
        return link.get_role_display() if link else "—"

    @admin.display(description=EditorGroup._meta.get_field("country").verbose_name)
    def edits_for(self, group):
        link = getattr(group, "editor_group", None)
        return link.country if link and link.country_id else "—"


if admin.site.is_registered(Group):
    admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
