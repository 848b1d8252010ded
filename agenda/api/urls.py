"""/api/: one router line per endpoint, the schema and its docs. Adding an endpoint: a serializer
(serializers.py), a RecordViewSet (views.py), and a ``router.register`` line here."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import docs, views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("irritants", views.IrritantViewSet, basename="irritant")
router.register("status-reports", views.StatusReportViewSet, basename="status-report")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("working-groups", views.WorkingGroupViewSet, basename="working-group")
router.register("agendas", views.AgendaViewSet, basename="agenda")
router.register("countries", views.CountryViewSet, basename="country")
router.register("summits", views.SummitViewSet, basename="summit")
router.register("reports", views.ReportViewSet, basename="report")
router.register("sources", views.SourceViewSet, basename="source")
router.register("signature-initiatives", views.SignatureInitiativeViewSet, basename="signature-initiative")
router.register("nacc-recommendations", views.NaccRecommendationViewSet, basename="nacc-recommendation")
router.register("lineage-links", views.LineageViewSet, basename="lineage-link")
router.register("changes", views.ChangesViewSet, basename="changes")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.ApiDocsView.as_view(), name="docs"),
    *router.urls,
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found),
]
