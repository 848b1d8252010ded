"""The API's access rule: the site's read rule (spp_tracker.access.can_read), for reading only."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from spp_tracker.access import can_read


class CanReadRecord(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS and can_read(request.user)
