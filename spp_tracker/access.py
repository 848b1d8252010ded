"""Who may read the analyst pages: logged-in users with the view permission, or everyone when
``SPP_PUBLIC_READ`` is on. Every analyst page and CSV export goes through ``AnalystAccessMixin``."""

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.cache import patch_cache_control

READ_PERMISSION = "agenda.view_irritant"


class AnalystAccessMixin(PermissionRequiredMixin):
    """Anonymous visitors are sent to log in; logged-in users without the permission get 403.

    Every answer (pages, CSV files, redirects) is marked ``Cache-Control: private``: what a logged-in
    analyst reads must not be kept by a shared cache or proxy and served to someone else."""

    permission_required = READ_PERMISSION

    def has_permission(self):
        return settings.SPP_PUBLIC_READ or super().has_permission()

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True)
        return response
