"""/api/: the endpoints views.py declares (``@endpoint``, in the API root's order), the schema and its
docs. Adding an endpoint: a serializer (serializers.py) and a RecordViewSet under ``@endpoint``
(views.py); nothing here."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import docs, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
for prefix, viewset, basename in views.ENDPOINTS:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.ApiDocsView.as_view(), name="docs"),
    *router.urls,
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found),
]
