from django.urls import path

from . import views

app_name = "summits"

urlpatterns = [
    path("summits/", views.SummitListView.as_view(), name="summit_list"),
    path("summits/<slug:slug>/", views.SummitDetailView.as_view(), name="summit_detail"),
    path("reports/<slug:slug>/", views.ReportDetailView.as_view(), name="report_detail"),
]
