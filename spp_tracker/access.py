"""Who may read the analyst pages: logged-in users with the view permission, or everyone when
``SPP_PUBLIC_READ`` is on. Every analyst page and CSV export goes through ``AnalystAccessMixin``."""

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.cache import patch_cache_control

READ_PERMISSION = "agenda.view_irritant"
# What a public visitor must not see: who on the staff entered or changed a row, and when (record rows
# and their simple-history rows). No page, CSV column, API field or feed is built from these; the API's
# serializers refuse them (agenda/api/serializers.py) and tests/api/test_public.py checks every answer.
STAFF_ONLY_FIELDS = frozenset(
    {"created_by", "history_user", "history_change_reason", "history_date", "version"}
)


def can_read(user):
    """The one read rule, for the analyst pages, the CSV exports and the API (reading only)."""
    return settings.SPP_PUBLIC_READ or user.has_perm(READ_PERMISSION)


class AnalystAccessMixin(PermissionRequiredMixin):
    """Anonymous visitors are sent to log in; logged-in users without the permission get 403.

    Every answer (pages, CSV files, redirects) is marked ``Cache-Control: private``: what a logged-in
    analyst reads must not be kept by a shared cache or proxy and served to someone else."""

    permission_required = READ_PERMISSION

    def has_permission(self):
        return can_read(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True)
        return response
