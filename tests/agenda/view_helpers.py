"""Helpers of the analyst page tests (test_views_*.py)."""

import datetime

from django.urls import reverse

D = datetime.date


def page_urls(item):
    return [
        reverse("agenda:irritant_list"),
        reverse("agenda:irritant_detail", args=[item.ref]),
        reverse("agenda:working_group_detail", args=[item.working_group.slug]),
        reverse("agenda:country_detail", args=["CA"]),
        reverse("agenda:irritant_export"),
        reverse("agenda:status_report_export"),
        reverse("agenda:deadline_export"),
    ]


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content
