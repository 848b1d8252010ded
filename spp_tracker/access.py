"""Who may read the analyst pages: logged-in users with the view permission, or everyone when
``SPP_PUBLIC_READ`` is on."""

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin

READ_PERMISSION = "agenda.view_irritant"


class AnalystAccessMixin(PermissionRequiredMixin):
    """Anonymous visitors are sent to log in; logged-in users without the permission get 403."""

    permission_required = READ_PERMISSION

    def has_permission(self):
        return settings.SPP_PUBLIC_READ or super().has_permission()
