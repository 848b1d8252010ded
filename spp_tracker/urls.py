from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health

admin.site.site_header = _("SPP Tracker administration")
admin.site.site_title = _("SPP Tracker")
admin.site.index_title = _("Record of the Security and Prosperity Partnership")
admin.site.enable_nav_sidebar = False  # the changelists need the width


def favicon(request):
    """Browsers ask for /favicon.ico wherever the pages link their icon; send them to the static one
    (a temporary redirect: the static name changes with the file's content in production)."""
    response = redirect(static("spp/favicon.ico"))
    response["Cache-Control"] = "max-age=86400"
    return response


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("agenda.api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("", include("agenda.urls")),
    path("", include("summits.urls")),
]

if settings.DEBUG_TOOLBAR:
    urlpatterns.insert(0, path("__debug__/", include("debug_toolbar.urls")))
