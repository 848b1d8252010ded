"""Analyst pages through the client: access, what each page shows, bad input, query counts, and a
few checks against the real seed data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agenda.choices import CategoryBasis, IrritantCategory, IrritantStatus
from agenda.models import Irritant
from tests.factories import (
    CountryFactory,
    DeadlineFactory,
    IrritantFactory,
    LeadDepartmentFactory,
    LineageFactory,
    NaccRecommendationFactory,
    ReportFactory,
    SignatureInitiativeFactory,
    SourceFactory,
    StatusReportFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def group():
    return WorkingGroupFactory(slug="traveller-security", name="Traveller Security")


@pytest.fixture
def item(group):
    irritant = IrritantFactory(ref="S-TS-01", title="Biometrics", working_group=group, countries=["CA", "MX"])
    DeadlineFactory(irritant=irritant)
    StatusReportFactory(irritant=irritant, status=IrritantStatus.ONGOING)
    return irritant


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


# --- access ------------------------------------------------------------------------------------
def test_anonymous_visitors_are_sent_to_log_in(client, item):
    for url in [reverse("agenda:home"), *page_urls(item)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_users_without_the_permission_are_refused(client, item):
    client.force_login(UserFactory())
    for url in page_urls(item):
        assert client.get(url).status_code == 403, url


def test_analysts_see_every_page(analyst_client, item):
    for url in page_urls(item):
        response = analyst_client.get(url)
        assert response.status_code == 200, url
        content(response)


def test_public_read_opens_the_pages_to_anyone(client, item, settings):
    settings.SPP_PUBLIC_READ = True
    for url in page_urls(item):
        assert client.get(url).status_code == 200, url


def test_home_redirects_to_the_list(analyst_client):
    response = analyst_client.get(reverse("agenda:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:irritant_list")


# --- list ----------------------------------------------------------------------------------------
def test_list_shows_the_columns(analyst_client, group):
    irritant = IrritantFactory(ref="S-TS-01", title="Biometrics", working_group=group, countries=["CA", "MX"])
    DeadlineFactory(irritant=irritant, due_on=D(2006, 6, 30), target_text="within 12 months")
    DeadlineFactory(irritant=irritant, set_on=D(2006, 6, 1), due_on=D(2006, 7, 10), target_text="by July")
    StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.ONGOING)
    Irritant.objects.filter(pk=irritant.pk).update(
        category=IrritantCategory.EARLY_HARVEST, category_basis=CategoryBasis.DERIVED
    )

    html = analyst_client.get(reverse("agenda:irritant_list")).content.decode()

    assert f'href="{irritant.get_absolute_url()}"' in html
    assert "Biometrics" in html and "Traveller Security" in html and "Prosperity" in html
    assert ">CA</a> <a" in html and ">MX</a>" in html
    assert "Early harvest (derived)" in html
    # Dates in the reader's locale (DATE_FORMAT), the same on every page.
    assert 'class="badge status-ongoing"' in html and "June 15, 2006" in html
    assert "July 10, 2006" in html and "original June 30, 2006" in html and "slipped 10 days" in html
    assert 'class="overdue"' in html
    assert "1 irritant" in html


def test_list_paginates_fifty_per_page(analyst_client):
    for n in range(51):
        IrritantFactory(ref=f"P-T-{n:03d}")
    first = analyst_client.get(reverse("agenda:irritant_list"))
    second = analyst_client.get(reverse("agenda:irritant_list"), {"page": 2})
    assert len(first.context["object_list"]) == 50
    assert [i.ref for i in second.context["object_list"]] == ["P-T-050"]
    assert "51 irritants" in first.content.decode()
    assert "?page=2" in first.content.decode()


def test_list_filters_from_the_query_string_and_links_exports_with_it(analyst_client):
    IrritantFactory(ref="CA-1", countries=["CA"])
    IrritantFactory(ref="MX-1", countries=["MX"])
    response = analyst_client.get(reverse("agenda:irritant_list"), {"country": "MX", "ordering": "-ref"})
    html = response.content.decode()
    assert [i.ref for i in response.context["object_list"]] == ["MX-1"]
    for name in ["irritant_export", "status_report_export", "deadline_export"]:
        assert f'href="{reverse(f"agenda:{name}")}?country=MX&amp;ordering=-ref"' in html
    assert "Country takes part: Mexico" in html  # the active filters summary
    assert 'href="?ordering=-ref"' in html  # removing the country filter keeps the rest


def test_list_sort_headers_toggle_direction(analyst_client):
    IrritantFactory()
    html = analyst_client.get(reverse("agenda:irritant_list"), {"ordering": "title"}).content.decode()
    assert 'href="?ordering=-title"' in html  # clicking the sorted column reverses it
    assert 'href="?ordering=target"' in html
    assert 'aria-sort="ascending"' in html


def test_list_with_bad_parameters_shows_the_errors_and_no_rows(analyst_client):
    IrritantFactory(ref="A")
    response = analyst_client.get(
        reverse("agenda:irritant_list"), {"status": "finished", "as_of": "2006-13-01", "country": "FR"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    for name in ["status", "as_of", "country"]:
        assert f"<code>{name}</code>" in html
    assert "finished is not one of the available choices" in html


@pytest.mark.parametrize("page", ["x", "9", "0"])
def test_list_with_a_bad_page_shows_an_error(analyst_client, page):
    IrritantFactory()
    response = analyst_client.get(reverse("agenda:irritant_list"), {"page": page})
    assert response.status_code == 200
    assert "<code>page</code>" in response.content.decode()
    assert list(response.context["object_list"]) == []


def test_list_as_of_shows_the_record_of_that_day(analyst_client):
    irritant = IrritantFactory(ref="A")
    DeadlineFactory(irritant=irritant, due_on=D(2006, 6, 30))
    StatusReportFactory(irritant=irritant, as_of=D(2006, 6, 15), status=IrritantStatus.INITIATED)
    StatusReportFactory(irritant=irritant, as_of=D(2008, 4, 22), status=IrritantStatus.COMPLETED)

    now = analyst_client.get(reverse("agenda:irritant_list")).content.decode()
    then = analyst_client.get(reverse("agenda:irritant_list"), {"as_of": "2007-01-01"}).content.decode()

    assert "status-completed" in now and 'class="overdue"' not in now
    assert "status-initiated" in then and 'class="overdue"' in then
    assert "as it stood on <strong>Jan. 1, 2007</strong>" in then
    assert f'href="{irritant.get_absolute_url()}?as_of=2007-01-01"' in then


# --- detail --------------------------------------------------------------------------------------
@pytest.fixture
def documented(group):
    """An item with everything the detail page can show."""
    signature = SignatureInitiativeFactory(name="Biometrics vision", agenda=group.agenda)
    rtl_2005 = ReportFactory(title="Report to Leaders 2005", released_on=D(2005, 6, 27))
    rtl_2006 = ReportFactory(title="Report to Leaders 2006", released_on=D(2006, 9, 7))
    irritant = IrritantFactory(
        ref="S-TS-01",
        title="Biometrics",
        summary="Trial biometric technologies.",
        working_group=group,
        countries=["CA", "MX", "US"],
        signature_initiative=signature,
        report=rtl_2005,
    )
    irritant.sources.add(
        SourceFactory(url="https://www.dhs.gov/biometrics"),
        SourceFactory(url="https://news.example.com/story", kind="secondary"),
    )
    first = DeadlineFactory(
        irritant=irritant,
        set_on=D(2005, 6, 27),
        due_on=D(2006, 6, 30),
        target_text="within 12 months",
        report=rtl_2005,
    )
    first.sources.add(SourceFactory(url="https://www.spp.gov/2005"))
    DeadlineFactory(
        irritant=irritant,
        set_on=D(2006, 9, 7),
        due_on=D(2006, 12, 31),
        target_text="by end 2006",
        report=rtl_2006,
    )
    ca, mx = CountryFactory(code="CA"), CountryFactory(code="MX")
    StatusReportFactory(
        irritant=irritant,
        as_of=D(2006, 6, 15),
        status="ongoing",
        country=ca,
        report=rtl_2006,
        note="US-CN pair",
    )
    StatusReportFactory(
        irritant=irritant,
        as_of=D(2006, 6, 15),
        status="initiated",
        country=mx,
        report=rtl_2006,
        note="US-MX pair",
    )
    StatusReportFactory(
        irritant=irritant, as_of=D(2007, 8, 21), status="completed", country=ca, note="Done in Canada"
    )
    NaccRecommendationFactory(text="Speed up biometrics").irritants.add(irritant)
    return irritant


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


# --- working group and country pages -------------------------------------------------------------
def test_working_group_page_counts_progress_and_names_leads(analyst_client, group):
    for ref, status in [("A", "completed"), ("B", "completed"), ("C", "ongoing")]:
        StatusReportFactory(irritant=IrritantFactory(ref=ref, working_group=group), status=status)
    IrritantFactory(ref="D", working_group=group)
    IrritantFactory(ref="ELSEWHERE")
    LeadDepartmentFactory(
        working_group=group, country=CountryFactory(code="MX"), department="SEGOB", level="agenda"
    )

    response = analyst_client.get(group.get_absolute_url())
    html = response.content.decode()

    assert [i.ref for i in response.context["irritants"]] == ["A", "B", "C", "D"]
    assert [(value, count) for value, _label, count in response.context["counts"]] == [
        ("ongoing", 1),
        ("completed", 2),
        ("", 1),
    ]
    assert "SEGOB" in html and "Agenda-level lead only" in html


def test_unknown_working_group_is_404(analyst_client):
    assert analyst_client.get(reverse("agenda:working_group_detail", args=["nope"])).status_code == 404


def test_country_page_lists_items_and_its_own_status_reports(analyst_client):
    both = IrritantFactory(ref="BOTH", countries=["CA", "MX"])
    StatusReportFactory(irritant=both, as_of=D(2006, 6, 15), status="ongoing")
    StatusReportFactory(
        irritant=both,
        as_of=D(2006, 6, 15),
        status="initiated",
        country=CountryFactory(code="MX"),
        note="MX lags",
    )
    IrritantFactory(ref="CA-ONLY", countries=["CA"])

    response = analyst_client.get(reverse("agenda:country_detail", args=["mx"]))  # any case

    assert response.status_code == 200
    assert [i.ref for i in response.context["irritants"]] == ["BOTH"]
    assert response.context["irritants"][0].country_status == "initiated"
    assert [r.note for r in response.context["country_reports"]] == ["MX lags"]


@pytest.mark.parametrize("code", ["ZZ", "usa", "c"])
def test_unknown_country_is_404(analyst_client, code):
    assert analyst_client.get(reverse("agenda:country_detail", args=[code])).status_code == 404


# --- query counts: constant in the number of rows ------------------------------------------------
@pytest.fixture
def cited():
    return ReportFactory(slug="rtl")


def grow(n, group, report):
    """n fully documented items: countries, sources, two deadlines, per-country statuses."""
    signature = SignatureInitiativeFactory(agenda=group.agenda)
    mx = CountryFactory(code="MX")
    for _ in range(n):
        irritant = IrritantFactory(
            working_group=group, countries=["CA", "MX", "US"], report=report, signature_initiative=signature
        )
        irritant.sources.add(SourceFactory(), SourceFactory())
        DeadlineFactory(irritant=irritant, report=report).sources.add(SourceFactory())
        DeadlineFactory(irritant=irritant, set_on=D(2006, 9, 7), due_on=D(2007, 6, 30))
        StatusReportFactory(irritant=irritant, report=report).sources.add(SourceFactory())
        StatusReportFactory(irritant=irritant, country=mx, status="delayed")
        LeadDepartmentFactory(working_group=WorkingGroupFactory(agenda=group.agenda), country=mx)


LIST_PAGES = [
    ("agenda:irritant_list", {}),
    ("agenda:irritant_list", {"country": "MX", "overdue": "true", "ordering": "-status", "report": "rtl"}),
    (
        "agenda:irritant_list",
        {"as_of": "2006-12-31", "ordering": "target", "working_group": "traveller-security"},
    ),
    ("agenda:working_group_detail", {}),
    ("agenda:country_detail", {}),
]


def _get(client, name, params, group):
    args = {"agenda:working_group_detail": [group.slug], "agenda:country_detail": ["MX"]}.get(name, [])
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    content(response)
    return response


@pytest.mark.parametrize(("name", "params"), LIST_PAGES)
def test_page_query_count_does_not_grow_with_rows(
    analyst_client, group, cited, name, params, django_assert_max_num_queries
):
    grow(3, group, cited)
    # 4 for the session and permissions, the rest for the rows and the sidebar's choices.
    with django_assert_max_num_queries(14) as few:
        _get(analyst_client, name, params, group)
    grow(20, group, cited)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _get(analyst_client, name, params, group)


def test_detail_query_count_does_not_grow_with_rows(
    analyst_client, documented, django_assert_max_num_queries
):
    # 4 for the session and permissions, 1 for the item, 8 prefetches (countries, sources, deadlines
    # and their sources, status reports and their sources, NACC recommendations and their sources),
    # 2 for the lineage timeline (the links and their sources).
    LineageFactory(irritant=documented).sources.add(SourceFactory())
    with django_assert_max_num_queries(15) as few:
        analyst_client.get(documented.get_absolute_url(), {"as_of": "2007-01-01"})
    for n in range(20):
        day = D(2007, 1, 1) + datetime.timedelta(days=n)
        DeadlineFactory(irritant=documented, set_on=day, due_on=D(2009, 12, 31)).sources.add(
            SourceFactory(), SourceFactory()
        )
        StatusReportFactory(
            irritant=documented, as_of=D(2007, 1, 1) + datetime.timedelta(days=n)
        ).sources.add(SourceFactory())
        documented.sources.add(SourceFactory())
        NaccRecommendationFactory(report=ReportFactory()).irritants.add(documented)
        LineageFactory(irritant=documented, report=ReportFactory()).sources.add(SourceFactory())
        LineageFactory(continues=documented).sources.add(SourceFactory())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert analyst_client.get(documented.get_absolute_url(), {"as_of": "2007-01-01"}).status_code == 200


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


def test_working_group_page_pages_its_items_and_counts_them_all(analyst_client, monkeypatch):
    from agenda.views import ItemsPageMixin

    monkeypatch.setattr(ItemsPageMixin, "items_per_page", 2)
    group = WorkingGroupFactory(slug="energy-paged", name="Energy paged")
    for n in range(5):
        IrritantFactory(ref=f"P-PG-{n:02d}", working_group=group)

    first = analyst_client.get(reverse("agenda:working_group_detail", args=["energy-paged"]))
    third = analyst_client.get(reverse("agenda:working_group_detail", args=["energy-paged"]) + "?page=3")

    assert first.context["total"] == 5
    assert [i.ref for i in first.context["irritants"]] == ["P-PG-00", "P-PG-01"]
    assert [i.ref for i in third.context["irritants"]] == ["P-PG-04"]
    assert (
        analyst_client.get(
            reverse("agenda:working_group_detail", args=["energy-paged"]) + "?page=9"
        ).status_code
        == 404
    )
