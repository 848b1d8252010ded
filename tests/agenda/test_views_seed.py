"""The analyst pages against the real seed data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.choices import IrritantStatus
from agenda.models import Irritant

from .view_helpers import D

pytestmark = pytest.mark.django_db


# --- the real seed data --------------------------------------------------------------------------
def test_seed_security_items_involving_mexico_that_are_overdue(seeded, analyst_client):
    today = timezone.localdate()
    expected = sorted(
        irritant.ref
        for irritant in Irritant.objects.prefetch_related("countries").select_related("agenda")
        if irritant.agenda.slug == "security"
        and "MX" in {country.code for country in irritant.countries.all()}
        and irritant.is_overdue(today)
    )
    response = analyst_client.get(
        reverse("agenda:irritant_list"), {"agenda": "security", "country": "MX", "overdue": "true"}
    )
    assert [i.ref for i in response.context["object_list"]] == expected
    assert "S-TS-01" in expected  # biometrics: due June 2006, never reported done


def test_seed_s_ts_01_shows_both_per_country_statuses(seeded, analyst_client):
    response = analyst_client.get(reverse("agenda:irritant_detail", args=["S-TS-01"]))
    html = response.content.decode()
    statuses = {
        country.code: report and report.status for country, report in response.context["country_statuses"]
    }
    assert statuses["CA"] == "ongoing"
    assert statuses["MX"] == "initiated"
    assert "US-CN pair" in html and "US-MX pair" in html


def _overdue_on(irritant, day):
    """Computed from the rows, without the querysets under test."""
    deadlines = sorted(
        (d for d in irritant.deadlines.all() if d.set_on <= day), key=lambda d: (d.set_on, d.pk)
    )
    reports = [r for r in irritant.status_reports.all() if r.as_of <= day]
    latest_day = max((r.as_of for r in reports), default=None)
    closed = bool(reports) and all(
        r.status in IrritantStatus.closed() for r in reports if r.as_of == latest_day
    )
    due = deadlines[-1].due_on if deadlines else None
    return bool(due and due < day and not closed)


def test_seed_list_as_of_lists_what_was_overdue_then(seeded, analyst_client):
    as_of = D(2007, 1, 1)
    everything = Irritant.objects.prefetch_related("deadlines", "status_reports")
    expected = sorted(irritant.ref for irritant in everything if _overdue_on(irritant, as_of))
    response = analyst_client.get(reverse("agenda:irritant_list"), {"overdue": "true", "as_of": "2007-01-01"})
    assert [i.ref for i in response.context["object_list"]] == expected
    assert "P-EN-03" in expected  # due June 2006 with no status reported by then
