from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
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
    # The site's own login for everyone with a role (analysts need no staff status); the admin's
    # login stays for staff only.
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("agenda.api.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("", include("agenda.urls")),
    path("", include("summits.urls")),
]

if settings.DEBUG_TOOLBAR:
    urlpatterns.insert(0, path("__debug__/", include("debug_toolbar.urls")))
