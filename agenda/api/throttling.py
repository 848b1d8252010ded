"""API throttling, with rates read from settings on each request (DRF's classes read them once, at
import, so a changed setting would never apply). Rates: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
from SPP_API_ANON_RATE and SPP_API_USER_RATE; the counters live in the default cache (Redis in
production, so every worker shares them)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class LiveRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(LiveRateMixin, AnonRateThrottle):
    """Anonymous visitors (SPP_PUBLIC_READ), per address."""


class UserThrottle(LiveRateMixin, UserRateThrottle):
    """Logged-in users and token holders, per user."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None  # AnonymousThrottle counts those
        return super().get_cache_key(request, view)
