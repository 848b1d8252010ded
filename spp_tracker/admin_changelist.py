"""Changelist query strings that the database or Python cannot take are the admin's own error, not a 500.

Staff (or a link they were sent) can put anything in a changelist's query string: a NUL byte in a
filter value (PostgreSQL refuses it in a query), ``title__regex=(`` (not a regular expression), a
date-hierarchy year past 9999 (Python's dates stop there). Django's admin already turns the lookups
it recognises as bad into a redirect to ``?e=1``; these ones escape it. ``SafeChangelistMixin``
refuses NUL bytes before any query runs, and turns a database or date error while the list is built
and rendered into the same redirect, with a message naming the parameter values that were dropped.
Legitimate filters never reach the except clause, so they behave exactly as before.
"""

from django.contrib import messages
from django.db import DatabaseError, router, transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _t

ERROR_FLAG = "e"  # django.contrib.admin.views.main.ERROR_FLAG


class SafeChangelistMixin:
    """Mix into a ModelAdmin (before ``admin.ModelAdmin``)."""

    def changelist_view(self, request, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return super().changelist_view(request, extra_context)
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return self._refuse(request, _t("A filter value contained a NUL byte (\\x00); it was dropped."))
        try:
            with transaction.atomic(using=router.db_for_read(self.model)):
                response = super().changelist_view(request, extra_context)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()  # the result rows are read while rendering
        except (DatabaseError, ValueError, OverflowError) as exc:
            return self._refuse(
                request,
                _t("These filters cannot be applied (%(error)s); they were dropped.")
                % {"error": str(exc).splitlines()[0][:200] or type(exc).__name__},
            )
        return response

    def _refuse(self, request, message):
        messages.error(request, message)
        return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")
