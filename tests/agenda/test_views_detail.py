"""The irritant page through the client: what it shows, as of a day, bad input."""

import pytest
from django.urls import reverse

from .view_helpers import D

pytestmark = pytest.mark.django_db


# --- detail --------------------------------------------------------------------------------------
def test_detail_shows_everything_known(analyst_client, documented):
    html = analyst_client.get(documented.get_absolute_url()).content.decode()
    for expected in [
        "S-TS-01: Biometrics",
        "Trial biometric technologies.",
        str(documented.agenda.name),
        f'href="{documented.working_group.get_absolute_url()}"',
        f'href="{reverse("agenda:country_detail", args=["MX"])}"',
        "Trilateral",
        "Biometrics vision",
        "Early harvest (derived)",  # 12 months after the June 2005 Report to Leaders
        "basis: Derived from targets",
        "Read on an official page",
        "Report to Leaders 2005",
        # deadline history with slippage vs the original
        "within 12 months",
        "by end 2006",
        '<td class="num">184</td>',
        # status timeline, labelled per country
        "US-CN pair",
        "US-MX pair",
        "Done in Canada",
        "Speed up biometrics",
        'href="https://www.dhs.gov/biometrics"',
        'href="https://www.spp.gov/2005"',
        'class="kind kind-official"',
        'class="kind kind-secondary"',
    ]:
        assert expected in html, expected


def test_detail_shows_the_status_of_each_country(analyst_client, documented):
    response = analyst_client.get(documented.get_absolute_url())
    statuses = {
        country.code: report and report.status for country, report in response.context["country_statuses"]
    }
    assert statuses == {"CA": "completed", "MX": "initiated", "US": None}


def test_detail_as_of_marks_later_rows_and_states_that_day(analyst_client, documented):
    response = analyst_client.get(documented.get_absolute_url(), {"as_of": "2007-01-01"})
    html = response.content.decode()
    assert response.context["irritant"].state_due == D(2006, 12, 31)
    later_reports = [report.note for report, later in response.context["status_reports"] if later]
    assert later_reports == ["Done in Canada"]
    statuses = {
        country.code: report and report.status for country, report in response.context["country_statuses"]
    }
    assert statuses == {"CA": "ongoing", "MX": "initiated", "US": None}
    assert html.count('<tr class="later">') == 1

    earlier = analyst_client.get(documented.get_absolute_url(), {"as_of": "2006-01-01"})
    assert [later for _deadline, later in earlier.context["deadlines"]] == [False, True]
    assert earlier.context["irritant"].state_due == D(2006, 6, 30)
    assert earlier.context["irritant"].state_status == ""


def test_detail_with_a_bad_as_of_answers_400_with_the_error(analyst_client, documented):
    response = analyst_client.get(documented.get_absolute_url(), {"as_of": "June 2006"})
    assert response.status_code == 400
    assert "<code>as_of</code>" in response.content.decode()


def test_detail_of_an_unknown_ref_is_404(analyst_client):
    assert analyst_client.get(reverse("agenda:irritant_detail", args=["X-NOPE-01"])).status_code == 404
