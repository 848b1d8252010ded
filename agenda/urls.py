from django.urls import path

from . import feeds, views
from .dashboard import DashboardView

app_name = "agenda"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("irritants/", views.IrritantListView.as_view(), name="irritant_list"),
    path("irritants/export.csv", views.IrritantExportView.as_view(), name="irritant_export"),
    path("irritants/status-history.csv", views.StatusReportExportView.as_view(), name="status_report_export"),
    path("irritants/deadlines.csv", views.DeadlineExportView.as_view(), name="deadline_export"),
    path("irritants/<slug:ref>/", views.IrritantDetailView.as_view(), name="irritant_detail"),
    path("irritants/<slug:ref>/feed/", feeds.FeedView.as_view(feed=feeds.IrritantFeed), name="irritant_feed"),
    path("feed/", feeds.FeedView.as_view(feed=feeds.RecordFeed), name="record_feed"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("data/", views.DataPackageView.as_view(), name="datapackage"),
    path("working-groups/<slug:slug>/", views.WorkingGroupDetailView.as_view(), name="working_group_detail"),
    path("countries/<str:code>/", views.CountryDetailView.as_view(), name="country_detail"),
    path(
        "working-groups/<slug:slug>/feed/",
        feeds.FeedView.as_view(feed=feeds.WorkingGroupFeed),
        name="working_group_feed",
    ),
    path("countries/<str:code>/feed/", feeds.FeedView.as_view(feed=feeds.CountryFeed), name="country_feed"),
]
